/**
 * `oncall-mcp doctor` as a user runs it, against the REST facade's Cloud and self-hosted profiles
 * and the Grafana double (src/rest/profiles.ts, src/rest/grafana-double.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LiveOrg, liveOrg, PLUGIN_OF } from '../http-backend/live-profile.js';
import { runCli } from './run-cli.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

function tokenFile(token: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'doctor-')), 'token');
  writeFileSync(file, token, { mode: 0o600 });
  return file;
}

describe.each(['cloud', 'self-hosted'] as const)('doctor, %s profile', (profile) => {
  it('from GRAFANA_URL and a glsa_ token: discovery, auth form, deployment and the tool table; exit 0', async () => {
    org = await liveOrg(profile);
    const run = await runCli(['doctor', '--token-file', tokenFile(org.serviceAccountToken)], { env: { GRAFANA_URL: org.grafana.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`discovery       ${PLUGIN_OF[profile]} plugin settings → jsonData.onCallApiUrl`);
    expect(run.stdout).toContain(`OnCall API URL  ${org.api.url}`);
    expect(run.stdout).toContain('auth            raw Authorization header + X-Grafana-URL');
    expect(run.stdout).toContain(profile === 'cloud' ? 'Grafana Cloud IRM' : 'self-hosted OnCall');
    expect(run.stdout).toMatch(/update_alert_group +refused/);
    if (profile === 'self-hosted') expect(run.stdout).toMatch(/current_oncall +computed locally/);
    expect(run.stdout + run.stderr).not.toContain(org.serviceAccountToken);
  });

  it('a wrong token: exit 1 and the cause and fix, without the token', async () => {
    org = await liveOrg(profile);
    const wrong = 'c'.repeat(64);
    const run = await runCli(['doctor', '--token-file', tokenFile(wrong)], { env: { ONCALL_API_URL: org.api.url } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('connection      FAILED: Invalid token. Cause: OnCall knows no API key like this one');
    expect(run.stdout + run.stderr).not.toContain(wrong);
  });
});
