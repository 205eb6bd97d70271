/** Transport options: flags, ONCALL_MCP_* variables, the bearer token and their errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../../src/cli/options.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseOptions(argv, env);
const randomToken = () => randomBytes(24).toString('hex');

describe('transport options', () => {
  it('defaults to stdio; http has loopback, port 8765, sessions, no token', () => {
    expect(parse([])).toMatchObject({ transport: 'stdio', logLevel: 'warn' });
    expect(parse(['--transport', 'http'])).toMatchObject({
      transport: 'http',
      host: '127.0.0.1',
      port: 8765,
      stateless: false,
      maxSessions: 100,
      allowedHosts: [],
      allowedOrigins: [],
      authToken: undefined,
    });
  });

  it('reads every option from ONCALL_MCP_* variables; flags win', () => {
    const env = {
      ONCALL_MCP_TRANSPORT: 'http',
      ONCALL_MCP_HOST: 'localhost',
      ONCALL_MCP_PORT: '0',
      ONCALL_MCP_STATELESS: 'true',
      ONCALL_MCP_ALLOWED_HOSTS: 'mcp.example.com, Other.Example:8443',
      ONCALL_MCP_ALLOWED_ORIGINS: 'https://app.example.com/',
      ONCALL_MCP_MAX_SESSIONS: '7',
      ONCALL_MCP_LOG_LEVEL: 'info',
    };
    expect(parse([], env)).toMatchObject({
      transport: 'http',
      host: 'localhost',
      port: 0,
      stateless: true,
      allowedHosts: ['mcp.example.com', 'other.example'],
      allowedOrigins: ['https://app.example.com'],
      maxSessions: 7,
      logLevel: 'info',
    });
    expect(parse(['--port', '9000', '--log-level', 'debug'], env)).toMatchObject({ port: 9000, logLevel: 'debug' });
    expect(parse(['--host', '[::1]', '--transport', 'http'])).toMatchObject({ host: '::1' });
  });

  it('ignores HTTP variables when serving stdio, but not HTTP flags', () => {
    expect(parse([], { ONCALL_MCP_PORT: 'nonsense', ONCALL_MCP_HOST: '0.0.0.0' }).transport).toBe('stdio');
    expect(() => parse(['--port', '1'])).toThrow(/--port applies only to 'serve --transport http'/);
    expect(() => parse(['call', 'list_users', '--transport', 'http'])).toThrow(/--transport applies only when serving/);
  });

  it.each([
    [['--transport', 'ftp'], /not a transport/],
    [['--transport', 'http', '--port', '70000'], /--port: "70000" must be a whole number from 0 to 65535/],
    [['--transport', 'http', '--port', '-1'], /--port/],
    [['--transport', 'http', '--port', '12ab'], /--port/],
    [['--transport', 'http', '--max-sessions', '0'], /--max-sessions/],
    [['--log-level', 'loud'], /--log-level: "loud" is not a level/],
    [['--transport', 'http', '--allowed-origins', 'ftp://x'], /--allowed-origins: "ftp:\/\/x" is not valid/],
    [['--transport', 'http', '--allowed-hosts', 'a/b'], /--allowed-hosts: "a\/b" is not valid/],
    [['--transport', 'http', '--allowed-hosts', ' , '], /at least one value/],
    [['--transport', 'http', '--host', 'a b'], /--host/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('refuses a non-loopback host without a token, saying how to set one', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'mcp.example.com']) {
      expect(() => parse(['--transport', 'http', '--host', host])).toThrow(/MCP_AUTH_TOKEN.*--auth-token-file/s);
    }
    expect(parse(['--transport', 'http', '--host', '127.0.0.2']).host).toBe('127.0.0.2');
  });

  it('takes the token from MCP_AUTH_TOKEN or --auth-token-file (which wins), never prints it', () => {
    const token = randomToken();
    const fromEnv = parse(['--transport', 'http', '--host', '0.0.0.0'], { MCP_AUTH_TOKEN: token });
    expect(fromEnv.authToken?.reveal()).toBe(token);
    expect(JSON.stringify(fromEnv)).not.toContain(token);
    expect(String(fromEnv.authToken)).toBe('[redacted]');

    const fileToken = randomToken();
    const file = join(mkdtempSync(join(tmpdir(), 'oncall-mcp-')), 'token');
    writeFileSync(file, `  ${fileToken}\n`);
    const fromFile = parse(['--transport', 'http', '--auth-token-file', file], { MCP_AUTH_TOKEN: token });
    expect(fromFile.authToken?.reveal()).toBe(fileToken);
  });

  it('rejects bad tokens without echoing them, and a token as a flag value', () => {
    const token = randomToken();
    const attempts: Array<[string[], Record<string, string>, RegExp]> = [
      [['--auth-token', token], {}, /never a flag value/],
      [[`--auth-token=${token}`], {}, /never a flag value/],
      [[`--token=${token}`], {}, /never a flag value/],
      [['--transport', 'http'], { MCP_AUTH_TOKEN: '' }, /MCP_AUTH_TOKEN: the bearer token is empty/],
      [['--transport', 'http'], { MCP_AUTH_TOKEN: `${token} ${token}` }, /no spaces/],
      [['--transport', 'http', '--auth-token-file', '/nonexistent/token'], {}, /cannot read it \(ENOENT\)/],
    ];
    for (const [argv, env, message] of attempts) {
      let error: unknown;
      try {
        parse(argv, env);
      } catch (e) {
        error = e;
      }
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(token);
    }
  });
});

describe('--webhook-allow', () => {
  it('takes host names, *.domains, addresses and CIDRs from the flag or ONCALL_MCP_WEBHOOK_ALLOW', () => {
    expect(parse([]).webhookAllow).toEqual([]);
    expect(parse(['--webhook-allow', '127.0.0.1,10.0.0.0/8, hooks.internal,*.svc.cluster.local,[::1]']).webhookAllow)
      .toEqual(['127.0.0.1', '10.0.0.0/8', 'hooks.internal', '*.svc.cluster.local', '[::1]']);
    expect(parse(['api'], { ONCALL_MCP_WEBHOOK_ALLOW: 'fd00::/8' }).webhookAllow).toEqual(['fd00::/8']);
    expect(parse(['--webhook-allow', '192.168.0.0/16'], { ONCALL_MCP_WEBHOOK_ALLOW: 'fd00::/8' }).webhookAllow)
      .toEqual(['192.168.0.0/16']);
  });

  it.each([
    ['10.0.0.0/33', /--webhook-allow: "10.0.0.0\/33" is not a CIDR/],
    ['10.1/8', /--webhook-allow: "10.1\/8" is not a CIDR/],
    ['hooks internal', /--webhook-allow: "hooks internal" is not a host name, \*\.domain, IP address or CIDR/],
    ['10.1', /is not a host name/],
    [',', /--webhook-allow: give at least one value/],
  ])('refuses %j, naming the flag', (value, message) => {
    expect(() => parse(['--webhook-allow', value])).toThrow(UsageError);
    expect(() => parse(['--webhook-allow', value])).toThrow(message);
  });

  it('is for the embedded engine only', () => {
    expect(() => parse(['--backend', 'http', '--webhook-allow', '10.0.0.0/8'], { ONCALL_API_URL: 'https://oncall.example.net' }))
      .toThrow(/--webhook-allow is for the embedded engine's webhooks/);
  });
});
