import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness;
afterEach(() => h.close());

describe('directory tools (semantics.md §1, §6.2)', () => {
  it('get_user returns the seed 002 fields of alice in the API user shape', async () => {
    h = await connect();
    const { data, text } = await h.ok('get_user', { user_id: IDS.alice });
    expect(data).toEqual({
      id: 'U4DNY931HHJS5',
      grafana_id: 456,
      email: 'alice@example.com',
      slack: { user_id: 'UALICESLACKID', team_id: 'TSLACKTEAMID' },
      username: 'alice',
      role: 'admin',
      is_phone_number_verified: true,
      timezone: 'America/New_York',
      teams: ['TAAM1K1NNEHAG'],
    });
    // The phone number itself is not part of the user API shape.
    expect(JSON.stringify(data)).not.toContain('+1234');
    expect(text).toContain('alice <alice@example.com> admin, tz America/New_York');
    expect(text).toContain('teams: SRE');
  });

  it('list_users filters by username and email case-insensitively; page size 100', async () => {
    h = await connect();
    const byName = await h.ok('list_users', { username: 'ALICE' });
    expect(byName.data.results.map((u: { id: string }) => u.id)).toEqual([IDS.alice]);
    const byEmail = await h.ok('list_users', { email: 'Bob@Example.com' });
    expect(byEmail.data.results.map((u: { id: string }) => u.id)).toEqual([IDS.bob]);
    const all = await h.ok('list_users', {});
    expect(all.data.page_size).toBe(100);
    expect(all.data.count).toBeGreaterThanOrEqual(8);
    const zones = new Set(all.data.results.map((u: { timezone: string }) => u.timezone));
    expect(zones.size).toBeGreaterThanOrEqual(3);
    const missing = await h.call('get_user', { user_id: 'UNOSUCHUSER12' });
    expect(missing.text).toContain('Use list_users to find valid ids');
  });

  it('list_teams filters by part of the name, case-insensitively', async () => {
    h = await connect();
    const all = await h.ok('list_teams', {});
    expect(all.data.count).toBeGreaterThanOrEqual(3);
    const sre = await h.ok('list_teams', { name: 'SRE' });
    expect(sre.data.results).toHaveLength(1);
    expect(sre.data.results[0]).toMatchObject({ id: IDS.sreTeam, name: 'SRE' });
    const lower = await h.ok('list_teams', { name: 'sr' });
    expect(lower.data.results.map((t: { id: string }) => t.id)).toEqual([IDS.sreTeam]);
    expect(lower.text).toContain('1 team whose name contains "sr" (case-insensitive)');
  });

  it('list_user_groups shows Slack groups, and none when Slack is not connected', async () => {
    h = await connect();
    const groups = await h.ok('list_user_groups', { slack_handle: 'sre-leads' });
    expect(groups.data.results).toEqual([
      {
        id: IDS.sreLeads,
        type: 'slack_based',
        slack: { id: 'S05SRELEADS', name: 'SRE leads', handle: 'sre-leads' },
      },
    ]);
    expect(groups.text).toContain('@sre-leads');
    await h.close();
    const state = demoState();
    state.organization.slack_team_id = null;
    h = await connect({ state });
    expect((await h.ok('list_user_groups', {})).data.count).toBe(0);
  });

  it('list_webhooks masks credentials and filters by team', async () => {
    const state = demoState();
    const hook = state.webhooks.get(IDS.incidentsWebhook)!;
    hook.password = 'hunter2-secret';
    hook.authorization_header = 'Bearer sk-live-123456';
    h = await connect({ state });
    const all = await h.ok('list_webhooks', {});
    const shown = all.data.results.find((w: { id: string }) => w.id === IDS.incidentsWebhook);
    expect(shown).toMatchObject({ password: '****************', authorization_header: '****************' });
    const other = all.data.results.find((w: { id: string }) => w.id !== IDS.incidentsWebhook);
    expect(other).toMatchObject({ password: null, authorization_header: null });
    for (const leak of ['hunter2', 'sk-live']) {
      expect(JSON.stringify(all.data)).not.toContain(leak);
      expect(all.text).not.toContain(leak);
    }
    const sre = await h.ok('list_webhooks', { team_id: IDS.sreTeam });
    expect(sre.data.results.map((w: { id: string }) => w.id)).toEqual([IDS.incidentsWebhook]);
  });
});
