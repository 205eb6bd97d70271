/**
 * The notification-rule tools through a real MCP client, on both backends (this folder also runs
 * through the HTTP backend and the REST API): a person by name, both lists in the order they run,
 * edits that show the whole list after, and a delete that says when a list is left empty.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(async () => {
  await h.close();
});

async function rulesOf(userId: string, important: boolean) {
  const page = await h.backend.personalNotificationRules.list({ user_id: userId, important: String(important) });
  return page.results;
}

describe('personal notification rule tools', () => {
  it('list takes a username and shows each list in the order it runs, with ids', async () => {
    const r = await h.ok('list_personal_notification_rules', { user_id: 'alice' });
    const def = await rulesOf(IDS.alice, false);
    expect((r.data.results as Array<{ user_id: string }>).every((x) => x.user_id === IDS.alice)).toBe(true);
    const line = r.text.split('\n').find((l) => l.startsWith(`alice (${IDS.alice}) default:`))!;
    expect(line.split(': ')[1]!.split(' → ')).toHaveLength(def.length);
    for (const rule of def) expect(r.text).toContain(rule.id);
  });

  it('create puts a rule where asked and answers with the whole list', async () => {
    const r = await h.ok('create_personal_notification_rule', { user_id: 'bob', type: 'notify_by_sms', important: true, position: 0 });
    const important = await rulesOf(IDS.bob, true);
    expect(important[0]!.id).toBe(r.data.rule.id);
    expect(r.text).toContain(`bob (${IDS.bob}) important: SMS`);
  });

  it('a wait that is not one of the choices is refused, naming the field', async () => {
    const r = await h.call('create_personal_notification_rule', { user_id: 'bob', type: 'wait', duration: 120 });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('duration');
    expect(r.text).toContain('0:02:00');
  });

  it('update changes a wait; delete of the last rule of a list warns that only an e-mail is left', async () => {
    const [first, ...rest] = await rulesOf(IDS.carol, false);
    expect(first).toBeDefined();
    for (const rule of rest) await h.backend.personalNotificationRules.delete(rule.id);
    const updated = await h.ok('update_personal_notification_rule', { personal_notification_rule_id: first!.id, type: 'wait', duration: 900 });
    expect(updated.data.rule).toMatchObject({ type: 'wait', duration: 900 });
    const deleted = await h.ok('delete_personal_notification_rule', { personal_notification_rule_id: first!.id });
    expect(deleted.data.list_now_empty).toBe(true);
    expect(deleted.text).toContain(`WARNING: carol (${IDS.carol}) has no default rules left`);
    expect(await rulesOf(IDS.carol, false)).toEqual([]);
  });

  it('deleting one of several rules does not warn', async () => {
    const rules = await rulesOf(IDS.alice, false);
    expect(rules.length).toBeGreaterThan(1);
    const deleted = await h.ok('delete_personal_notification_rule', { personal_notification_rule_id: rules[0]!.id });
    expect(deleted.data.list_now_empty).toBe(false);
    expect(deleted.text).not.toContain('WARNING');
  });
});

describe('who is on call, and can they be reached', () => {
  it('names an on-call person with no notification rules, and says what an escalation then does', async () => {
    const frank = (await h.backend.users.list({ username: 'frank' })).results[0]!;
    expect((await h.backend.personalNotificationRules.list({ user_id: frank.id })).count).toBe(0);
    const r = await h.ok('who_is_on_call', { target: 'Payments', at: '2026-03-24T06:00:00Z' });
    expect((r.data.now as Array<{ id: string }>).map((p) => p.id)).toContain(frank.id);
    expect(r.data.unreachable).toEqual([{ id: frank.id, username: 'frank', problems: [expect.stringContaining('no notification rules at all')] }]);
    expect(r.text).toContain('frank: no notification rules at all: any escalation reaching them sends one e-mail, nothing else.');
  });

  it('names a person whose only channels need a phone number they have not verified', async () => {
    const frank = (await h.backend.users.list({ username: 'frank' })).results[0]!;
    expect(frank.is_phone_number_verified).toBe(false);
    await h.ok('create_personal_notification_rule', { user_id: 'frank', type: 'notify_by_sms' });
    await h.ok('create_personal_notification_rule', { user_id: 'frank', type: 'notify_by_email', important: true });
    const r = await h.ok('who_is_on_call', { target: 'Payments', at: '2026-03-24T06:00:00Z' });
    expect(r.data.unreachable).toEqual([{
      id: frank.id,
      username: 'frank',
      problems: ['none of their default rules can reach them (SMS and phone calls need a verified phone number)'],
    }]);
    // Reachable again once a rule uses a channel they have.
    await h.ok('create_personal_notification_rule', { user_id: 'frank', type: 'notify_by_email' });
    expect((await h.ok('who_is_on_call', { target: 'Payments', at: '2026-03-24T06:00:00Z' })).data.unreachable).toEqual([]);
  });
});

describe('when the rules cannot be read', () => {
  it('who_is_on_call says who was not checked instead of passing them as reachable', async () => {
    await h.close();
    h = await connect({
      wrapBackend: (b) => ({
        ...b,
        now: () => b.now(),
        personalNotificationRules: {
          ...b.personalNotificationRules,
          // What a service-account token gets from OnCall's rules endpoint.
          list: async () => {
            throw new ApiError(403, { detail: 'Invalid token.' });
          },
        },
      }),
    });
    const r = await h.ok('who_is_on_call', { target: 'Payments', at: '2026-03-24T06:00:00Z' });
    expect(r.data.unreachable).toEqual([]);
    expect(r.data.reasons).toContainEqual(expect.objectContaining({ code: 'not_all_checked' }));
    expect(r.text).toContain('Whether frank can be reached by their own notification rules was not checked');
  });
});
