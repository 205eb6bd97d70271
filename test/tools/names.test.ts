/**
 * Names wherever ids go: every id argument of every tool also takes a name, username or email,
 * through a real MCP client on both backends (this folder runs in the parity project too).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(async () => {
  await h.close();
});

describe('a name where an id goes', () => {
  it('get_escalation_chain takes the chain name, any case', async () => {
    const r = await h.ok('get_escalation_chain', { escalation_chain_id: 'sre CRITICAL' });
    expect(r.data.id).toBe(IDS.sreCritical);
  });

  it('a username and an email in persons_to_notify resolve to the users', async () => {
    const r = await h.ok('create_escalation_policy', {
      escalation_chain_id: 'default',
      type: 'notify_persons',
      persons_to_notify: ['bob', 'Carol@Example.com'],
    });
    expect(r.data.persons_to_notify).toEqual([IDS.bob, IDS.carol]);
    expect(r.data.escalation_chain_id).toBe(IDS.defaultChain);
  });

  it('an unknown username is refused with the closest match, and nothing is created', async () => {
    const before = (await h.backend.escalationPolicies.list({ escalation_chain_id: IDS.defaultChain })).count;
    const r = await h.call('create_escalation_policy', {
      escalation_chain_id: IDS.defaultChain,
      type: 'notify_persons',
      persons_to_notify: ['alice', 'bobb'],
    });
    expect(r.isError).toBe(true);
    expect(r.text).toBe(
      'Invalid request: persons_to_notify[1]: There is no user "bobb" (by id, name, username or email). '
      + `Did you mean bob (${IDS.bob})? list_users shows them all.`,
    );
    expect((await h.backend.escalationPolicies.list({ escalation_chain_id: IDS.defaultChain })).count).toBe(before);
  });

  it('an ambiguous name lists the candidates with their ids', async () => {
    await h.backend.escalationChains.create({ name: 'Night', team_id: IDS.sreTeam });
    await h.backend.escalationChains.create({ name: 'night', team_id: null });
    const r = await h.call('get_escalation_chain', { escalation_chain_id: 'NIGHT' });
    expect(r.isError).toBe(true);
    const candidates = String.raw`Night \(F\w{12}\), night \(F\w{12}\)`;
    expect(r.text).toMatch(
      new RegExp(`^Invalid request: escalation_chain_id: "NIGHT" matches 2 escalation chains: ${candidates}; give one of their ids[.]$`),
    );
  });

  it('team, schedule, user group and webhook names in a step', async () => {
    const chain = IDS.defaultChain;
    const team = await h.ok('create_escalation_policy', { escalation_chain_id: chain, type: 'notify_team_members', team_to_notify: 'payments' });
    expect(team.data.team_to_notify).toBe('TJC5XVRUILG7S');
    const schedule = await h.ok('create_escalation_policy', {
      escalation_chain_id: chain,
      type: 'notify_on_call_from_schedule',
      notify_on_call_from_schedule: 'primary rotation',
    });
    expect(schedule.data.notify_on_call_from_schedule).toBe(IDS.primaryRotation);
    const group = await h.ok('create_escalation_policy', { escalation_chain_id: chain, type: 'notify_user_group', group_to_notify: '@sre-leads' });
    expect(group.data.group_to_notify).toBe(IDS.sreLeads);
    const hook = await h.ok('create_escalation_policy', { escalation_chain_id: chain, type: 'trigger_webhook', action_to_trigger: 'post to #incidents' });
    expect(hook.data.action_to_trigger).toBe(IDS.incidentsWebhook);
  });

  it('nested and list arguments: the default route\'s chain, a team filter, "null" kept as "no team"', async () => {
    const created = await h.ok('create_integration', { type: 'webhook', name: 'named', default_route: { escalation_chain_id: 'SRE critical' } });
    expect(created.data.default_route.escalation_chain_id).toBe(IDS.sreCritical);
    const sre = await h.ok('list_escalation_chains', { team_id: 'sre' });
    expect(sre.data.results.every((c: { team_id: string }) => c.team_id === IDS.sreTeam)).toBe(true);
    const none = await h.ok('list_escalation_chains', { team_id: 'null' });
    expect(none.data.results.every((c: { team_id: string | null }) => c.team_id === null)).toBe(true);
  });

  it('an id passes through untouched, and an unknown id still gets the backend\'s not-found answer', async () => {
    expect((await h.ok('get_escalation_chain', { escalation_chain_id: IDS.defaultChain })).data.id).toBe(IDS.defaultChain);
    const missing = await h.call('get_escalation_chain', { escalation_chain_id: 'FNOSUCHCHAIN1' });
    expect(missing.text).toBe('Not found: there is no escalation chain with id "FNOSUCHCHAIN1". Use list_escalation_chains to find valid ids.');
  });

  it('a chain created by one call is found by name in the next', async () => {
    await h.ok('create_escalation_chain', { name: 'Brand new' });
    const r = await h.ok('get_escalation_chain', { escalation_chain_id: 'brand new' });
    expect(r.data.name).toBe('Brand new');
  });
});
