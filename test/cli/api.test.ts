/**
 * `oncall-mcp api` and `--backend http` end to end: the REST API served by the built bin, and the
 * same bin's tools running against it over HTTP, giving what the embedded engine gives.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

function startApi(env: Record<string, string>): Promise<{ url: string; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child = spawn(process.execPath, [BIN, 'api', '--port', '0'], { env: { PATH: process.env.PATH ?? '', ...env } });
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /serving the OnCall API v1 at (http:\/\/[^ ]+)\/api\/v1\//.exec(stderr);
      if (m) resolve({ url: m[1]!, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`api exited ${code}: ${stderr}`)));
  });
}

describe('oncall-mcp api and --backend http', () => {
  it('serves the API; the tools over HTTP answer like the embedded engine', async () => {
    const token = randomBytes(32).toString('hex');
    const { url, stderr } = await startApi({ ONCALL_MCP_API_TOKEN: token });
    expect(stderr()).not.toContain(token);
    const chain = await fetch(`${url}/api/v1/escalation_chains/F5JU6KJET33FE/`, { headers: { authorization: token } });
    expect(await chain.json()).toEqual({ id: 'F5JU6KJET33FE', name: 'default', team_id: null });
    const denied = await fetch(`${url}/api/v1/escalation_chains/`, { headers: { authorization: 'wrong' } });
    expect(denied.status).toBe(403);

    const args = ['call', 'get_escalation_chain', '{"escalation_chain_id":"F5JU6KJET33FE"}', '--json'];
    const remote = await runCli([...args, '--backend', 'http', '--api-url', url], { env: { ONCALL_API_TOKEN: token } });
    const local = await runCli(args);
    expect(remote.code).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(local.stdout));
    const viaEnv = await runCli(['call', 'list_teams'], { env: { ONCALL_API_URL: url, ONCALL_API_TOKEN: token } });
    expect(viaEnv.stdout).toContain('SRE');
    for (const out of [remote, viaEnv]) expect(out.stdout + out.stderr).not.toContain(token);
  });

  it('without a configured token, api makes one up and prints it once', async () => {
    const { stderr } = await startApi({});
    const printed = /generated an API token for this run: ([0-9a-f]{64})/.exec(stderr());
    expect(printed).not.toBeNull();
  });

  it('--backend http without a URL or token is a usage error naming what is missing', async () => {
    const noUrl = await runCli(['call', 'list_teams', '--backend', 'http']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('ONCALL_API_URL');
    const noToken = await runCli(['call', 'list_teams', '--backend', 'http', '--api-url', 'http://127.0.0.1:9']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('ONCALL_API_TOKEN');
    const unreachable = await runCli(['call', 'list_teams', '--api-url', 'http://127.0.0.1:9'], {
      env: { ONCALL_API_TOKEN: 'x'.repeat(64) },
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('Could not reach Grafana OnCall (ECONNREFUSED)');
    expect(unreachable.stderr).not.toContain('x'.repeat(64));
  });
});
