/**
 * The escalation runtime on a virtual clock: worked examples E32–E47 (semantics.md §4),
 * simulate_escalation against a real run, a webhook step against a real HTTP server, and a wait
 * that survives a restart from the database.
 */
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { removeTempDirs, reopen, storeWith } from '../storage-helpers.js';
import type { State } from '../../src/engine/core/state.js';
import { numberRules } from '../../src/engine/directory/personal-notification-rules.js';
import type { RuleStep } from '../../src/engine/runtime/notification-rules.js';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness;
afterEach(() => h?.close());

const T0 = '2026-03-24T10:00:00Z';
const hms = (iso: string) => iso.slice(11, 19);
type Item = { at: string; event: string; text: string; user_id?: string; channel?: string; step?: string };

/** A demo state where alice and bob have the rules of E42 and carol only default rules. */
function state(): State {
  const s = demoState();
  const rules = (user: string, d: RuleStep[], i: RuleStep[]) => ({
    default: numberRules(user, 'default', d),
    important: numberRules(user, 'important', i),
  });
  s.users.get(IDS.alice)!.notification_rules = rules(
    IDS.alice,
    [{ type: 'notify_by_sms' }, { type: 'wait', duration: 300 }, { type: 'notify_by_phone_call' }],
    [{ type: 'notify_by_phone_call' }, { type: 'wait', duration: 60 }, { type: 'notify_by_phone_call' }],
  );
  s.users.get(IDS.bob)!.notification_rules = rules(IDS.bob, [{ type: 'notify_by_sms' }], [{ type: 'notify_by_phone_call' }]);
  s.users.get(IDS.carol)!.notification_rules = rules(IDS.carol, [{ type: 'notify_by_slack' }], []);
  return s;
}

async function start(at = T0) {
  h = await connect({ state: state(), clock: VirtualClock.at(at) });
  return h;
}

/** A chain with these steps, and a webhook integration whose default route uses it. */
async function chainWith(steps: Array<Record<string, unknown>>) {
  const chain = (await h.ok('create_escalation_chain', { name: `chain ${Math.random()}` })).data.id as string;
  for (const step of steps) await h.ok('create_escalation_policy', { escalation_chain_id: chain, ...step });
  const integration = (
    await h.ok('create_integration', { type: 'webhook', default_route: { escalation_chain_id: chain } })
  ).data.id as string;
  return { chain, integration };
}

async function timeline(alertGroupId: string): Promise<Item[]> {
  return (await h.ok('get_alert_group', { alert_group_id: alertGroupId })).data.timeline;
}

const escalationOnly = (items: Item[]) =>
  items.filter((i) => ['escalation_triggered', 'escalation_failed', 'resolved', 'webhook'].includes(i.event));

const E32_STEPS = [
  { type: 'notify_persons', persons_to_notify: [IDS.alice, IDS.bob] },
  { type: 'wait', duration: 300 },
  { type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: IDS.primaryRotation },
  { type: 'wait', duration: 900 },
  { type: 'repeat_escalation' },
  { type: 'resolve' },
];

describe('E32 full timeline, and simulate_escalation agrees with a real run', () => {
  it('repeats five times (six runs of the body) and resolves at +2h01m31s', async () => {
    await start();
    const { chain, integration } = await chainWith(E32_STEPS);
    const { alertGroupId } = h.backend.receiveAlert(integration, { title: 'disk full' });
    h.advance(3 * 3600);
    const items = escalationOnly(await timeline(alertGroupId));
    const notifyRuns = items.filter((i) => i.step === 'notify_persons').map((i) => hms(i.at));
    expect(notifyRuns).toEqual(['10:00:01', '10:20:16', '10:40:31', '11:00:46', '11:21:01', '11:41:16']);
    expect(items.slice(0, 5).map((i) => [hms(i.at), i.step])).toEqual([
      ['10:00:01', 'notify_persons'],
      ['10:00:06', 'wait'],
      ['10:05:06', 'notify_on_call_from_schedule'],
      ['10:05:11', 'wait'],
      ['10:20:11', 'repeat_escalation'],
    ]);
    const last = items.at(-1)!;
    expect([hms(last.at), last.event]).toEqual(['12:01:31', 'resolved']);
    const group = (await h.ok('get_alert_group', { alert_group_id: alertGroupId })).data;
    expect(group).toMatchObject({ state: 'resolved', resolved_at: '2026-03-24T12:01:31Z', resolved_by: null });

    const simulated = await h.ok('simulate_escalation', { escalation_chain_id: chain, at: T0 });
    expect(simulated.data.finished_at).toBe('2026-03-24T12:01:31Z');
    const project = (list: Item[]) => escalationOnly(list).map((i) => [i.at, i.event, i.step, i.text]);
    expect(project(simulated.data.timeline)).toEqual(project(await timeline(alertGroupId)));
    // The simulation changed nothing: no alert group, no notification.
    expect((await h.ok('list_alert_groups', {})).data.count).toBe(1);
  });

  it('a simulation notifies nobody and leaves round robins where they were', async () => {
    await start();
    const before = h.backend.state.policies.get(IDS.roundRobinPolicy)!.roundRobinLastUserId;
    const sim = await h.ok('simulate_escalation', { escalation_chain_id: IDS.defaultChain });
    expect(sim.data.timeline.some((i: Item) => i.event === 'notification')).toBe(true);
    expect(h.backend.state.policies.get(IDS.roundRobinPolicy)!.roundRobinLastUserId).toBe(before);
    expect(h.backend.state.alertGroups.size).toBe(0);
    expect(sim.text).toMatch(/^Simulated escalation through chain "default" \(F5JU6KJET33FE\) of an alert group/);
    expect(sim.text).toContain('starting 2026-03-24 10:00:00 UTC');
  });
});

describe('stopping and restarting (E33, E41)', () => {
  it('E33: acknowledging stops escalation and notifications; un-ack restarts from step 0 at +10 s', async () => {
    await start();
    const { integration } = await chainWith(E32_STEPS);
    const { alertGroupId } = h.backend.receiveAlert(integration, { title: 'x' });
    h.advanceTo('2026-03-24T10:07:00Z');
    await h.ok('update_alert_group', { alert_group_id: alertGroupId, action: 'acknowledge' });
    h.advanceTo('2026-03-24T10:30:00Z');
    const acked = await timeline(alertGroupId);
    const after = acked.filter((i) => i.at > '2026-03-24T10:07:00Z');
    expect(after.filter((i) => i.event === 'notification' || i.event.startsWith('escalation'))).toEqual([]);
    // alice's phone call due 10:05:11 happened; nothing after the acknowledgement.
    await h.ok('update_alert_group', { alert_group_id: alertGroupId, action: 'unacknowledge' });
    h.advanceTo('2026-03-24T10:31:00Z');
    const restarted = escalationOnly(await timeline(alertGroupId)).filter((i) => i.at > '2026-03-24T10:30:00Z');
    expect(restarted.map((i) => [hms(i.at), i.step])).toEqual([
      ['10:30:10', 'notify_persons'],
      ['10:30:15', 'wait'],
    ]);
  });

  it('E41: a 30-minute silence; the auto-unsilence restarts from step 0 at +10 s', async () => {
    await start();
    const { integration } = await chainWith(E32_STEPS);
    const { alertGroupId } = h.backend.receiveAlert(integration, { title: 'x' });
    h.advanceTo('2026-03-24T10:02:00Z');
    await h.ok('update_alert_group', { alert_group_id: alertGroupId, action: 'silence', delay: 1800 });
    expect((await h.ok('get_alert_group', { alert_group_id: alertGroupId })).data.state).toBe('silenced');
    h.advanceTo('2026-03-24T10:33:00Z');
    const items = await timeline(alertGroupId);
    const during = escalationOnly(items).filter((i) => i.at > '2026-03-24T10:02:00Z' && i.at < '2026-03-24T10:32:00Z');
    expect(during).toEqual([]);
    expect(items.find((i) => i.event === 'unsilenced')?.at).toBe('2026-03-24T10:32:00Z');
    expect(escalationOnly(items).find((i) => i.at > '2026-03-24T10:32:00Z')).toMatchObject({
      at: '2026-03-24T10:32:10Z',
      step: 'notify_persons',
    });
  });
});

describe('round robin across alert groups (E34, E35)', () => {
  const picked = async (id: string) =>
    escalationOnly(await timeline(id))
      .filter((i) => i.step === 'notify_person_next_each_time')
      .map((i) => /notifying (\w+)/.exec(i.text)?.[1]);

  it('E34: each new group copies the policy pointer; repeats read the group\'s own', async () => {
    await start();
    const { integration } = await chainWith([
      { type: 'notify_person_next_each_time', persons_to_notify_next_each_time: [IDS.carol, IDS.alice, IDS.bob] },
      { type: 'wait', duration: 1200 },
      { type: 'repeat_escalation' },
    ]);
    const ag1 = h.backend.receiveAlert(integration, { n: 1 }).alertGroupId;
    h.advanceTo('2026-03-24T10:10:00Z');
    const ag2 = h.backend.receiveAlert(integration, { n: 2 }).alertGroupId;
    h.advanceTo('2026-03-24T10:30:00Z');
    const ag3 = h.backend.receiveAlert(integration, { n: 3 }).alertGroupId;
    h.advanceTo('2026-03-24T10:31:00Z');
    expect((await picked(ag1)).slice(0, 2)).toEqual(['alice', 'bob']);
    expect((await picked(ag2))[0]).toBe('bob');
    expect((await picked(ag3))[0]).toBe('carol');
  });

  it('E35: two groups created before the first step both get alice; the next gets bob', async () => {
    await start();
    const { integration } = await chainWith([
      { type: 'notify_person_next_each_time', persons_to_notify_next_each_time: [IDS.carol, IDS.alice, IDS.bob] },
    ]);
    const ag1 = h.backend.receiveAlert(integration, { n: 1 }).alertGroupId;
    h.clock.advance(200);
    const ag2 = h.backend.receiveAlert(integration, { n: 2 }).alertGroupId;
    h.advance(60);
    const ag3 = h.backend.receiveAlert(integration, { n: 3 }).alertGroupId;
    h.advance(60);
    expect([...(await picked(ag1)), ...(await picked(ag2)), ...(await picked(ag3))]).toEqual(['alice', 'alice', 'bob']);
  });
});

describe('gates and failures (E37–E40)', () => {
  it('E37: outside the UTC window the step waits for the window start, then continues', async () => {
    await start('2026-03-27T18:30:00Z'); // a Friday
    const { integration } = await chainWith([
      { type: 'notify_if_time_from_to', notify_if_time_from: '09:00:00Z', notify_if_time_to: '17:00:00Z' },
      { type: 'notify_persons', persons_to_notify: [IDS.bob] },
    ]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    h.advanceTo('2026-03-28T10:00:00Z');
    const notify = escalationOnly(await timeline(alertGroupId)).find((i) => i.step === 'notify_persons');
    expect(notify?.at).toBe('2026-03-28T09:00:00Z'); // Saturday 09:00: no weekday awareness
  });

  it('E38: the alert-count gate pauses until more than X alerts arrived within Y minutes of the latest', async () => {
    await start();
    const { integration } = await chainWith([
      { type: 'notify_persons', persons_to_notify: [IDS.alice] },
      { type: 'notify_if_num_alerts_in_window', num_alerts_in_window: 3, num_minutes_in_window: 10 },
      { type: 'notify_persons', persons_to_notify: [IDS.bob] },
    ]);
    const payload = { alert: 'db down' };
    const { alertGroupId } = h.backend.receiveAlert(integration, payload);
    for (const at of ['10:02:00', '10:05:00', '10:07:00']) {
      h.advanceTo(`2026-03-24T${at}Z`);
      expect(h.backend.receiveAlert(integration, payload)).toEqual({ alertGroupId, created: false });
    }
    h.advanceTo('2026-03-24T10:08:00Z');
    const items = escalationOnly(await timeline(alertGroupId));
    expect(items.filter((i) => i.step === 'notify_if_num_alerts_in_window').length).toBe(2); // one pause record, one go
    expect(items.find((i) => i.text.includes('bob'))?.at).toBe('2026-03-24T10:07:06Z');
  });

  it('E39 and E40: a wait with no duration waits 5 min; a schedule gap fails and goes on', async () => {
    await start();
    const empty = (await h.ok('create_schedule', { type: 'calendar', name: 'nobody', time_zone: 'UTC' })).data.id;
    const { integration } = await chainWith([
      { type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: empty },
      { type: 'wait' },
      { type: 'notify_persons', persons_to_notify: [IDS.bob] },
    ]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    h.advance(600);
    const items = escalationOnly(await timeline(alertGroupId));
    expect(items.map((i) => [hms(i.at), i.event])).toEqual([
      ['10:00:01', 'escalation_failed'],
      ['10:00:06', 'escalation_failed'],
      ['10:05:06', 'escalation_triggered'],
    ]);
    expect(items[0]!.text).toContain('No valid users');
    expect(items[1]!.text).toContain('not configured');
  });
});

describe('personal notification rules (E42–E44)', () => {
  const notes = (items: Item[], user: string) =>
    items.filter((i) => i.user_id === user && i.event !== 'direct_paging').map((i) => [hms(i.at), i.event, i.channel ?? '']);

  it('E42: default and important rules with their timing; an acknowledgement stops the default chain', async () => {
    await start();
    const { integration } = await chainWith([
      { type: 'notify_persons', persons_to_notify: [IDS.alice] },
      { type: 'notify_persons', persons_to_notify: [IDS.bob], important: true },
    ]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    h.advance(600);
    const items = await timeline(alertGroupId);
    expect(notes(items, IDS.alice)).toEqual([
      ['10:00:01', 'notification', 'sms'],
      ['10:00:06', 'personal_wait', ''],
      ['10:05:11', 'notification', 'phone_call'],
      ['10:05:16', 'personal_finished', ''],
    ]);
    const important = await start();
    const chain2 = await chainWith([{ type: 'notify_persons', persons_to_notify: [IDS.alice], important: true }]);
    const group2 = important.backend.receiveAlert(chain2.integration, { n: 2 }).alertGroupId;
    h.advanceTo('2026-03-24T10:03:00Z');
    expect(notes(await timeline(group2), IDS.alice)).toEqual([
      ['10:00:01', 'notification', 'phone_call'],
      ['10:00:06', 'personal_wait', ''],
      ['10:01:11', 'notification', 'phone_call'],
      ['10:01:16', 'personal_finished', ''],
    ]);
  });

  it('E42: acknowledged at 10:03, alice\'s default chain stops before the phone call', async () => {
    await start();
    const { integration } = await chainWith([{ type: 'notify_persons', persons_to_notify: [IDS.alice] }]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    h.advanceTo('2026-03-24T10:03:00Z');
    await h.ok('update_alert_group', { alert_group_id: alertGroupId, action: 'acknowledge' });
    h.advanceTo('2026-03-24T10:10:00Z');
    expect(notes(await timeline(alertGroupId), IDS.alice)).toEqual([
      ['10:00:01', 'notification', 'sms'],
      ['10:00:06', 'personal_wait', ''],
    ]);
  });

  it('E43: an important step to someone with no important rules sends one e-mail', async () => {
    await start();
    const { integration } = await chainWith([{ type: 'notify_persons', persons_to_notify: [IDS.carol], important: true }]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    h.advance(60);
    expect(notes(await timeline(alertGroupId), IDS.carol)).toEqual([
      ['10:00:01', 'notification', 'email'],
      ['10:00:06', 'personal_finished', ''],
    ]);
  });

  it('E44: being notified again restarts the chain from rule 0 and drops the pending rule', async () => {
    await start();
    const { integration } = await chainWith([
      { type: 'notify_persons', persons_to_notify: [IDS.alice] },
      { type: 'wait', duration: 300 },
      { type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: IDS.primaryRotation },
    ]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    h.advanceTo('2026-03-24T10:06:00Z');
    // The new chain starts at rule 0 (SMS) and waits again; the old phone call due 10:05:11 never comes.
    expect(notes(await timeline(alertGroupId), IDS.alice)).toEqual([
      ['10:00:01', 'notification', 'sms'],
      ['10:00:06', 'personal_wait', ''],
      ['10:05:06', 'notification', 'sms'],
      ['10:05:11', 'personal_wait', ''],
    ]);
  });
});

describe('webhook step against a real HTTP server', () => {
  it('sends the rendered request; the response is recorded; the chain goes on', async () => {
    const received: Array<{ method: string; url: string; body: string; auth: string | undefined }> = [];
    const server = createHttpServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
        res.writeHead(202, { 'content-type': 'text/plain' }).end('thanks');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const s = state();
      const hook = s.webhooks.get(IDS.incidentsWebhook)!;
      hook.url = `http://127.0.0.1:${port}/hook/{{ alert_group.id }}`;
      hook.data = '{"id": "{{ alert_group_id }}", "title": "{{ alert_group.title }}"}';
      hook.authorization_header = 'Bearer webhook-secret-123';
      // Loopback is refused unless allowed: the allow-list is what lets this delivery through.
      h = await connect({ state: s, clock: VirtualClock.at(T0), webhooks: { allow: ['127.0.0.1'] } });
      const { integration } = await chainWith([
        { type: 'trigger_webhook', action_to_trigger: IDS.incidentsWebhook },
        { type: 'notify_persons', persons_to_notify: [IDS.bob] },
      ]);
      const { alertGroupId } = h.backend.receiveAlert(integration, { title: 'checkout down' });
      h.advance(30);
      await h.backend.webhookSender.settled();
      expect(received).toEqual([
        {
          method: 'POST',
          url: `/hook/${alertGroupId}`,
          body: `{"id": "${alertGroupId}", "title": "checkout down"}`,
          auth: 'Bearer webhook-secret-123',
        },
      ]);
      const items = await timeline(alertGroupId);
      expect(items.some((i) => i.event === 'webhook' && i.text.includes('HTTP 202'))).toBe(true);
      expect(escalationOnly(items).find((i) => i.step === 'notify_persons')?.at).toBe('2026-03-24T10:00:06Z');
      const recorded = h.backend.state.webhookResponses.at(-1)!; // the demo's own come first
      expect(recorded).toMatchObject({ statusCode: 202, content: 'thanks' });
      expect(recorded.requestHeaders).not.toContain('webhook-secret-123');
    } finally {
      server.close();
    }
  });

  it('a webhook that cannot be reached is recorded; escalation is not held up', async () => {
    const s = state();
    s.webhooks.get(IDS.incidentsWebhook)!.url = 'http://127.0.0.1:9/unreachable';
    h = await connect({ state: s, clock: VirtualClock.at(T0), webhooks: { allow: ['127.0.0.0/8'] } });
    const { integration } = await chainWith([
      { type: 'trigger_webhook', action_to_trigger: IDS.incidentsWebhook },
      { type: 'notify_persons', persons_to_notify: [IDS.bob] },
    ]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    h.advance(30);
    await h.backend.webhookSender.settled();
    const items = await timeline(alertGroupId);
    expect(items.some((i) => i.event === 'webhook' && i.text.includes('request failed: connection refused'))).toBe(true);
    expect(items.some((i) => i.step === 'notify_persons')).toBe(true);
  });
});

describe('persistence', () => {
  it('a wait pending at shutdown resumes after a restart from the database', async () => {
    const { store, state: first, file } = storeWith(state());
    const clock = VirtualClock.at(T0);
    const backend = new MemoryBackend({ state: first, clock, store });
    const chain = (await backend.escalationChains.create({ name: 'resume' })).id;
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'wait', duration: 600 });
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'notify_persons', persons_to_notify: [IDS.bob] });
    const integration = (await backend.integrations.create({ type: 'webhook', default_route: { escalation_chain_id: chain } })).id;
    const { alertGroupId } = backend.receiveAlert(integration, { n: 1 });
    backend.runtime.advanceTo(clock, Date.parse('2026-03-24T10:03:00Z'));
    // "Crash": the process is gone; only the database is left. Start again, later than the step was due.
    store.close();
    const reloaded = reopen(file);
    const later = VirtualClock.at('2026-03-24T10:02:00Z');
    const second = new MemoryBackend({ state: reloaded.state, clock: later, store: reloaded.store });
    second.runtime.advanceTo(later, Date.parse('2026-03-24T10:20:00Z'));
    const items = await second.alertGroups.timeline(alertGroupId);
    expect(items.find((i) => i.step === 'notify_persons')?.at).toBe('2026-03-24T10:10:01Z');
    reloaded.store.close();
    removeTempDirs();
  });
});

describe('robustness', () => {
  it('a step that throws is skipped and recorded; other alert groups keep escalating', async () => {
    await start();
    const broken = await chainWith([{ type: 'trigger_webhook', action_to_trigger: IDS.incidentsWebhook }]);
    const healthy = await chainWith([{ type: 'notify_persons', persons_to_notify: [IDS.bob] }]);
    const errors: string[] = [];
    const runtime = h.backend.runtime as unknown as { triggerWebhook: () => void; onError: (m: string) => void };
    runtime.triggerWebhook = () => {
      throw new Error('boom');
    };
    runtime.onError = (m) => errors.push(m);
    const bad = h.backend.receiveAlert(broken.integration, { n: 1 }).alertGroupId;
    const good = h.backend.receiveAlert(healthy.integration, { n: 2 }).alertGroupId;
    h.advance(60);
    const badItems = await timeline(bad);
    expect(badItems.some((i) => i.text === 'Internal error: this step was skipped (details are in the server log)')).toBe(true);
    expect(badItems.some((i) => i.text.includes('boom'))).toBe(false); // the exception stays in the log
    expect(errors[0]).toContain('boom');
    expect((await timeline(good)).some((i) => i.event === 'notification')).toBe(true);
    expect(errors).toHaveLength(1);
    expect(h.backend.runtime.nextDue()).toBeNull();
  });

  it('an unknown step type from a hand-edited file fails and moves on instead of spinning', async () => {
    await start();
    const { integration } = await chainWith([
      { type: 'resolve' },
      { type: 'notify_persons', persons_to_notify: [IDS.bob] },
    ]);
    const { alertGroupId } = h.backend.receiveAlert(integration, { n: 1 });
    const group = h.backend.state.alertGroups.get(alertGroupId)!;
    (group.escalation!.steps[0] as { type: string }).type = 'teleport';
    h.advance(60);
    const items = escalationOnly(await timeline(alertGroupId));
    expect(items.map((i) => i.text)).toEqual([
      'Unknown step type teleport',
      'Notify persons: notifying bob',
    ]);
  });
});
