/**
 * Truthful edits and deletes: a delete says what it leaves behind (found before deleting) and
 * asks the human when the client can ask; a notify step without targets is refused; every write
 * says whom it acts as, and whoami says who that is. What the text claims is checked against the
 * engine afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectAll } from '../../src/api/pagination.js';
import { connect, firstLine, type Harness, IDS } from '../helpers.js';

let h: Harness;
afterEach(() => h?.close());

const allRoutes = () => collectAll((page) => h.backend.routes.list({ page }));
const allPolicies = () => collectAll((page) => h.backend.escalationPolicies.list({ page }));

describe('a delete says what it orphans', () => {
  it('delete_escalation_chain lists every route left escalating to nobody, with its integration', async () => {
    h = await connect();
    const using = (await allRoutes()).filter((r) => r.escalation_chain_id === IDS.defaultChain).map((r) => r.id);
    expect(using.length).toBeGreaterThan(1);
    const r = await h.ok('delete_escalation_chain', { escalation_chain_id: 'default' });
    const listed = r.data.routes_left_without_chain.map((x: { route_id: string }) => x.route_id);
    expect(listed.sort()).toEqual([...using].sort());
    expect(r.text).toContain(`${using.length} ROUTES NOW ESCALATE TO NOBODY`);
    for (const id of using) expect(r.text).toContain(`(${id})`);
    expect(r.text).toContain('"Grafana :blush:" (CFRPV98RPR1U8) default route');
    expect(r.text).toContain('update_route');
    // What it said is what happened: those routes now have no chain.
    const after = new Map((await allRoutes()).map((x) => [x.id, x.escalation_chain_id]));
    for (const id of using) expect(after.get(id)).toBeNull();
  });

  it('a chain no route uses says so', async () => {
    h = await connect();
    const chain = (await h.ok('create_escalation_chain', { name: 'unused' })).data;
    const r = await h.ok('delete_escalation_chain', { escalation_chain_id: chain.id });
    expect(r.data.routes_left_without_chain).toEqual([]);
    expect(r.text).toMatch(/No route used it\./);
  });

  it('delete_schedule lists the steps that now notify nobody', async () => {
    h = await connect();
    const using = (await allPolicies()).filter((p) => p.notify_on_call_from_schedule === IDS.primaryRotation);
    expect(using.length).toBeGreaterThan(0);
    const r = await h.ok('delete_schedule', { schedule_id: 'Primary Rotation' });
    const listed = r.data.steps_left_without_schedule.map((s: { policy_id: string }) => s.policy_id);
    expect(listed).toEqual(using.map((p) => p.id));
    expect(r.text).toMatch(/ESCALATION STEPS? NOW NOTIF(Y|IES) NOBODY/);
    expect(r.text).toContain(`(${using[0]!.id}) of chain "default" (F5JU6KJET33FE)`);
    for (const p of using) {
      expect((await h.ok('get_escalation_policy', { escalation_policy_id: p.id })).data.notify_on_call_from_schedule).toBeNull();
    }
  });

  it('delete_integration lists its routes and the chains no other route uses', async () => {
    h = await connect();
    // One of its routes gets a chain nothing else uses.
    const only = (await h.ok('create_escalation_chain', { name: 'Only Alertmanager' })).data;
    await h.ok('update_route', { route_id: 'RYHC2FR3NLNF1', escalation_chain_id: only.id });
    const routes = await allRoutes();
    const own = routes.filter((r) => r.integration_id === 'CQWPPTFIE6MK6');
    const elsewhere = new Set(routes.filter((r) => r.integration_id !== 'CQWPPTFIE6MK6').map((r) => r.escalation_chain_id));
    const orphanChains = [...new Set(own.map((r) => r.escalation_chain_id))].filter((c) => c && !elsewhere.has(c));
    const r = await h.ok('delete_integration', { integration_id: 'Alertmanager (production)' });
    expect(r.data.routes_deleted.map((x: { route_id: string }) => x.route_id)).toEqual(own.map((x) => x.id));
    expect(r.data.chains_no_longer_used).toEqual(orphanChains);
    expect(orphanChains).toContain(only.id);
    expect(r.text).toMatch(/No route escalates through these chains any more \(they are kept\): .*"Only Alertmanager"/);
    expect(r.text).toContain(`Its ${own.length} routes were deleted`);
    for (const x of own) expect(r.text).toContain(`(${x.id})`);
  });

  it('deleting a chain\'s last notify step says the chain now notifies nobody, and which routes use it', async () => {
    h = await connect();
    const chain = (await h.ok('create_escalation_chain', { name: 'Small' })).data;
    const wait = (await h.ok('create_escalation_policy', { escalation_chain_id: chain.id, type: 'wait', duration: 60 })).data;
    const a = (await h.ok('create_escalation_policy', { escalation_chain_id: chain.id, type: 'notify_persons', persons_to_notify: ['bob'] })).data;
    const b = (await h.ok('create_escalation_policy', { escalation_chain_id: chain.id, type: 'notify_team_members', team_to_notify: 'SRE' })).data;
    await h.ok('update_route', { route_id: 'RSQ9FB4ITQHGW', escalation_chain_id: chain.id });
    const first = await h.ok('delete_escalation_policy', { escalation_policy_id: a.id });
    expect(first.data.chain_notifies_nobody).toBe(false);
    expect(first.text).not.toContain('NOBODY');
    const waitGone = await h.ok('delete_escalation_policy', { escalation_policy_id: wait.id });
    expect(waitGone.data.chain_notifies_nobody).toBe(false);
    const last = await h.ok('delete_escalation_policy', { escalation_policy_id: b.id });
    expect(last.data.chain_notifies_nobody).toBe(true);
    expect(last.data.routes_using_chain.map((x: { route_id: string }) => x.route_id)).toEqual(['RSQ9FB4ITQHGW']);
    expect(last.text).toMatch(/CHAIN "Small" \(F\w+\) NOW NOTIFIES NOBODY/);
    expect(last.text).toContain('"Payments inbound email" (CSGS2B6UQAPAH) default route (RSQ9FB4ITQHGW)');
  });
});

describe('deletes ask the human when the client can ask', () => {
  it('the question lists the orphans; decline deletes nothing, accept deletes', async () => {
    const asked: string[] = [];
    let answer: 'accept' | 'decline' = 'decline';
    h = await connect({
      elicit: (params) => {
        asked.push(params.message);
        return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
      },
    });
    const declined = await h.call('delete_escalation_chain', { escalation_chain_id: IDS.defaultChain });
    expect(declined.isError).toBe(true);
    expect(declined.text).toMatch(/^NOT DELETED: the human declined the delete; nothing was changed\./);
    expect(asked[0]).toMatch(/^Delete escalation chain "default" \(F5JU6KJET33FE\) and its 6 steps\?/);
    expect(asked[0]).toMatch(/routes use it and would escalate to NOBODY afterwards/);
    expect(asked[0]).toContain('(RVBE4RKQSCGJ2)');
    expect((await h.backend.escalationChains.get(IDS.defaultChain)).id).toBe(IDS.defaultChain);

    const schedule = await h.call('delete_schedule', { schedule_id: IDS.primaryRotation });
    expect(schedule.text).toMatch(/^NOT DELETED/);
    expect(asked[1]).toMatch(/would notify NOBODY afterwards/);
    expect((await h.backend.schedules.get(IDS.primaryRotation)).id).toBe(IDS.primaryRotation);

    answer = 'accept';
    await h.ok('delete_escalation_chain', { escalation_chain_id: IDS.defaultChain });
    await expect(h.backend.escalationChains.get(IDS.defaultChain)).rejects.toMatchObject({ status: 404 });
  });
});

describe('a notify step must notify someone', () => {
  it.each([
    [{ type: 'notify_persons' }, 'persons_to_notify'],
    [{ type: 'notify_persons', persons_to_notify: [] }, 'persons_to_notify'],
    [{ type: 'notify_person_next_each_time', persons_to_notify_next_each_time: [] }, 'persons_to_notify_next_each_time'],
    [{ type: 'notify_on_call_from_schedule' }, 'notify_on_call_from_schedule'],
    [{ type: 'notify_user_group' }, 'group_to_notify'],
    [{ type: 'notify_team_members' }, 'team_to_notify'],
    [{ type: 'trigger_webhook' }, 'action_to_trigger'],
  ])('create %j is refused naming %s, and nothing is created', async (args, field) => {
    h = await connect();
    const before = (await allPolicies()).length;
    const r = await h.call('create_escalation_policy', { escalation_chain_id: IDS.defaultChain, ...args });
    expect(r.isError).toBe(true);
    expect(firstLine(r.text)).toMatch(new RegExp(`^Invalid request: ${field}: A ${args.type} step needs .*; without one it would notify nobody\\.$`));
    expect((await allPolicies()).length).toBe(before);
  });

  it('an update that would leave a step without targets is refused; one that keeps them passes', async () => {
    h = await connect();
    const wait = IDS.waitPolicy;
    const toPersons = await h.call('update_escalation_policy', { escalation_policy_id: wait, type: 'notify_persons' });
    expect(toPersons.text).toMatch(/^Invalid request: persons_to_notify: .* in the same call that sets the type/);
    expect((await h.backend.escalationPolicies.get(wait)).type).toBe('wait');
    // notify_persons and round robin share one list in OnCall: switching keeps it, so it passes.
    const kept = await h.ok('update_escalation_policy', { escalation_policy_id: 'EZKJXSZGD6J4X', type: 'notify_person_next_each_time' });
    expect(kept.data.persons_to_notify_next_each_time).toEqual([IDS.bob]);
    const emptied = await h.call('update_escalation_policy', { escalation_policy_id: IDS.roundRobinPolicy, persons_to_notify_next_each_time: [] });
    expect(emptied.text).toMatch(/^Invalid request: persons_to_notify_next_each_time: /);
    const unchanged = await h.backend.escalationPolicies.get(IDS.roundRobinPolicy);
    expect(unchanged.persons_to_notify_next_each_time).toEqual([IDS.alice]);
    await h.ok('update_escalation_policy', { escalation_policy_id: wait, type: 'notify_persons', persons_to_notify: ['carol'] });
  });
});

describe('acts as, and whoami', () => {
  it('whoami says who the API token is: username, email, role, teams', async () => {
    h = await connect();
    const me = await h.backend.users.current();
    const r = await h.ok('whoami');
    expect(r.data).toEqual(me);
    expect(r.text).toContain(`This server acts as ${me.username} (${me.id}) <${me.email}>, role ${me.role}`);
    expect(r.text).toContain(`OnCall attributes every write made through it to ${me.username}`);
  });

  it('every write shows whom it acts as; reads do not', async () => {
    h = await connect();
    const me = await h.backend.users.current();
    const actsAs = `Acts as ${me.username} (${me.id}), the API token's user.`;
    const group = await h.ok('create_escalation', { users: [{ id: IDS.bob, important: false }] });
    const ack = await h.ok('update_alert_group', { alert_group_id: group.data.id, action: 'acknowledge' });
    expect(ack.text.split('\n').at(-1)).toBe(actsAs);
    expect(ack.data.acknowledged_by).toBe(me.id); // OnCall records the token's user, as the text says
    const edit = await h.ok('update_escalation_chain', { escalation_chain_id: IDS.defaultChain, name: 'renamed' });
    expect(edit.text.split('\n').at(-1)).toBe(actsAs);
    const chain = (await h.ok('create_escalation_chain', { name: 'to delete' })).data;
    expect((await h.ok('delete_escalation_chain', { escalation_chain_id: chain.id })).text).toContain(actsAs);
    expect((await h.ok('list_escalation_chains')).text).not.toContain('Acts as');
  });
});
