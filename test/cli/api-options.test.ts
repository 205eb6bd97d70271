/** `oncall-mcp api`'s rate-limit options: flags, ONCALL_MCP_* variables, and their errors. */
import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../src/cli/options.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseOptions(argv, env);

describe('api rate-limit options', () => {
  it('unset limits stay unset (the API applies OnCall\'s defaults)', () => {
    expect(parse(['api']).apiLimits).toEqual({});
  });

  it('reads each limit from its flag or ONCALL_MCP_* variable; flags win; 0 is allowed (off)', () => {
    const env = {
      ONCALL_MCP_RATE_LIMIT: '600',
      ONCALL_MCP_ALERT_RATE_LIMIT: '0',
      ONCALL_MCP_ORG_ALERT_RATE_LIMIT: '1000',
      ONCALL_MCP_AUTH_FAILURE_LIMIT: '5',
    };
    expect(parse(['api'], env).apiLimits).toEqual({
      rateLimit: 600,
      alertRateLimit: 0,
      organizationAlertRateLimit: 1000,
      authFailureLimit: 5,
    });
    expect(parse(['api', '--rate-limit', '0', '--auth-failure-limit', '0'], env).apiLimits).toMatchObject({
      rateLimit: 0,
      authFailureLimit: 0,
    });
  });

  it('a bad value names the flag; the flags apply only to api; stray variables elsewhere are ignored', () => {
    expect(() => parse(['api', '--alert-rate-limit', 'lots'])).toThrow(UsageError);
    expect(() => parse(['api', '--alert-rate-limit', 'lots'])).toThrow(/--alert-rate-limit: "lots" must be a whole number/);
    expect(() => parse(['api'], { ONCALL_MCP_RATE_LIMIT: '-1' })).toThrow(/--rate-limit/);
    expect(() => parse(['--rate-limit', '5'])).toThrow(/--rate-limit applies only to 'oncall-mcp api'/);
    expect(() => parse(['call', 'list_users', '--org-alert-rate-limit', '5'])).toThrow(/applies only to 'oncall-mcp api'/);
    expect(parse([], { ONCALL_MCP_RATE_LIMIT: 'nonsense' }).apiLimits).toEqual({});
  });
});
