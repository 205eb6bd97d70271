/**
 * The notification-rule tools through a real MCP client, on both backends (this folder also runs
 * through the HTTP backend and the REST API): a person by name, both lists in the order they run,
 * edits that show the whole list after, and a delete that says when a list is left empty.
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
