import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('oncall-mcp CLI', () => {
  it('call get_escalation_chain prints the seed chain, exit 0', async () => {
    const r = await runCli(['call', 'get_escalation_chain', '{"escalation_chain_id":"F5JU6KJET33FE"}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('F5JU6KJET33FE "default"');
    expect(r.stdout).toContain('(E3GA6SJETWWJS)');
    expect(r.stderr).toBe('');
  });

  it('--json prints the structured result', async () => {
    const r = await runCli([
      'call',
      'advance_round_robin',
      '{"escalation_policy_id":"E5JJTU52M5YM4"}',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ user_id: 'U4DNY931HHJS5', username: 'alice' });
  });

  it('a tool error prints to stderr and exits 1', async () => {
    const r = await runCli([
      'call',
      'create_escalation_policy',
      '{"escalation_chain_id":"F5JU6KJET33FE","type":"wait","duration":30}',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('duration: Ensure this value is greater than or equal to 0:01:00.');
    expect(r.stdout).toBe('');
  });

  it.each([
    [['call'], 'call: which tool?'],
    [['call', 'nope'], 'no tool "nope"'],
    [['call', 'list_users', '{bad'], 'not valid JSON'],
    [['call', 'list_users', '[1]'], 'must be a JSON object'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--bogus'], 'Unknown option \'--bogus\''],
    [['--toolsets', 'chains,nope'], 'unknown toolset "nope"'],
    [['--persist'], '--persist needs --data FILE'],
    [['--public-url', 'ftp://x'], 'must be http or https'],
    [['call', 'create_escalation_chain', '{"name":"x"}', '--read-only'], 'with these options'],
  ])('%j is a usage error, exit 2', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('tools lists one line per tool with its kind', async () => {
    const r = await runCli(['tools']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.find((l) => l.startsWith('delete_escalation_chain'))).toMatch(/\sdestructive\s/);
    expect(lines.find((l) => l.startsWith('list_users'))).toMatch(/\sread\s/);
    expect(lines.find((l) => l.startsWith('create_escalation_policy'))).toMatch(/\swrite\s/);
    const readOnly = await runCli(['tools', '--read-only']);
    expect(readOnly.stdout).not.toMatch(/\s(write|destructive)\s/);
  });

  it('reads options from ONCALL_MCP_* environment variables', async () => {
    const names = (out: string) => out.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    const fromEnv = names((await runCli(['tools'], { env: { ONCALL_MCP_TOOLSETS: 'directory' } })).stdout);
    // The same selection as the flag, and only the directory's tools.
    expect(fromEnv).toEqual(names((await runCli(['tools', '--toolsets', 'directory'])).stdout));
    expect(fromEnv).toEqual(expect.arrayContaining(['list_users', 'whoami', 'check_access', 'list_webhooks']));
    expect(fromEnv).not.toContain('get_escalation_chain');
    expect(fromEnv).not.toContain('who_is_on_call');
    const bad = await runCli(['tools'], { env: { ONCALL_MCP_READ_ONLY: 'perhaps' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ONCALL_MCP_READ_ONLY must be true or false');
  });

  it('--help and --version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('oncall-mcp call <tool>');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a bad data file exits 2 naming the JSON path of each problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-'));
    const file = join(dir, 'org.json');
    writeFileSync(
      file,
      JSON.stringify({
        escalation_chains: [{ id: 'FAAAAAAAAAAAA', name: 'x' }],
        escalation_policies: [
          {
            id: 'EAAAAAAAAAAAA',
            escalation_chain_id: 'FAAAAAAAAAAAA',
            position: 0,
            type: 'wait',
            duration: 30,
          },
          { id: 'EBBBBBBBBBBBB', escalation_chain_id: 'FZZZ', position: 1, type: 'resolve' },
        ],
      }),
    );
    // Serving (the default command) refuses to start on it.
    const r = await runCli(['--data', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 problem(s)');
    expect(r.stderr).toContain(
      'escalation_policies[0].duration: Ensure this value is greater than or equal to 0:01:00.',
    );
    expect(r.stderr).toContain('escalation_policies[1].escalation_chain_id: unknown escalation chain FZZZ');
    writeFileSync(file, '{"teams": [');
    const broken = await runCli(['--data', file, 'call', 'list_teams']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('not valid JSON');
    const missing = await runCli(['--data', join(dir, 'nope.json'), 'call', 'list_teams']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read it (ENOENT)');
  });
});
