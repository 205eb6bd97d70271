/**
 * `/api/v1/personal_notification_rules/`: how each person is notified. Every rule below is
 * OnCall's (grafana/oncall engine/apps/public_api/serializers/personal_notification_rules.py and
 * views/personal_notifications.py): the representation (duration only on wait, in seconds),
 * `Type is required` / `Invalid type` as bare strings, `Duration can't be set`, duration choices
 * compared as Python prints a timedelta, `Invalid duration format`, `user_id` and `important`
 * read-only on update, a type sent again resetting a wait to five minutes, the list filters'
 * `User not found.` / `Important is not bool`, the order user → default before important →
 * position, positions as for escalation policies (stored values, gaps kept on delete).
 *
 * The same requests run twice: raw HTTP against the REST facade, and through the HTTP backend
 * against it (what a live OnCall gets), so both backends answer alike.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';
import { IDS } from '../helpers.js';

let api: RunningApi;
let engine: MemoryBackend;
const token = randomBytes(32).toString('hex');

beforeEach(async () => {
  engine = new MemoryBackend({ state: demoState(), clock: VirtualClock.at('2026-03-24T12:00:00Z') });
  api = await startRestApi({ backend: engine, token, inboundAlerts: engine });
});
afterEach(() => api.close());

const PATH = '/api/v1/personal_notification_rules/';

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'authorization': token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The same operation through the HTTP backend: the body it returns, or the error it raised. */
async function viaBackend<T>(run: (b: HttpBackend) => Promise<T>) {
  const backend = new HttpBackend({ baseUrl: api.url, token, sleep: async () => {} });
  try {
    return { status: 200, body: (await run(backend)) as unknown };
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, body: err.body as unknown };
    throw err;
  } finally {
    await backend.close();
  }
}

describe('personal notification rules over REST', () => {
  it('lists every rule in OnCall\'s order, with duration only on waits', async () => {
    const { status, body } = await call('GET', `${PATH}?user_id=${IDS.alice}`);
    expect(status).toBe(200);
    const alice = engine.state.users.get(IDS.alice)!.notification_rules;
    expect(body.count).toBe(alice.default.length + alice.important.length);
    const rows = body.results as Array<Record<string, unknown>>;
    // Default rules first, then important ones, each by position.
    const expected = [...alice.default.map(() => false), ...alice.important.map(() => true)];
    expect(rows.map((r) => r.important)).toEqual(expected);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(row.type === 'wait'
        ? ['id', 'user_id', 'position', 'type', 'duration', 'important']
        : ['id', 'user_id', 'position', 'type', 'important']);
      expect(row.user_id).toBe(IDS.alice);
    }
    const all = await call('GET', `${PATH}?perpage=100`);
    const users = [...engine.state.users.keys()];
    const ranks = (all.body.results as Array<{ user_id: string }>).map((r) => users.indexOf(r.user_id));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('filters: an unknown user and a non-boolean important are refused with OnCall\'s messages', async () => {
    expect(await call('GET', `${PATH}?user_id=UNOSUCHUSER12`)).toEqual({ status: 400, body: { detail: 'User not found.' } });
    expect(await call('GET', `${PATH}?important=yes`)).toEqual({ status: 400, body: { detail: 'Important is not bool' } });
    const important = await call('GET', `${PATH}?user_id=${IDS.alice}&important=true`);
    expect((important.body.results as Array<{ important: boolean }>).every((r) => r.important)).toBe(true);
  });

  it('create: defaults, positions that push the others down, and every refusal', async () => {
    const wait = await call('POST', PATH, { user_id: IDS.bob, type: 'wait' });
    expect(wait.status).toBe(201);
    expect(wait.body).toMatchObject({ user_id: IDS.bob, type: 'wait', duration: 300, important: false });
    expect(wait.body.id).toMatch(/^N[A-Z1-9]{12}$/);

    const first = await call('POST', PATH, { user_id: IDS.bob, type: 'notify_by_sms', position: 0 });
    expect(first.body.position).toBe(0);
    const list = await call('GET', `${PATH}?user_id=${IDS.bob}&important=false`);
    expect(list.body.results[0].id).toBe(first.body.id);

    expect(await call('POST', PATH, { user_id: IDS.bob })).toEqual({ status: 400, body: { type: 'Type is required' } });
    expect(await call('POST', PATH, { user_id: IDS.bob, type: 'notify_by_pigeon' })).toEqual({
      status: 400,
      body: { type: 'Invalid type' },
    });
    expect(await call('POST', PATH, { user_id: IDS.bob, type: 'notify_by_sms', duration: 300 })).toEqual({
      status: 400,
      body: { duration: 'Duration can\'t be set' },
    });
    expect(await call('POST', PATH, { user_id: IDS.bob, type: 'wait', duration: 120 })).toEqual({
      status: 400,
      body: { duration: ['"0:02:00" is not a valid choice.'] },
    });
    expect(await call('POST', PATH, { user_id: IDS.bob, type: 'wait', duration: '00:05:00' })).toEqual({
      status: 400,
      body: { duration: ['"00:05:00" is not a valid choice.'] },
    });
    expect((await call('POST', PATH, { user_id: IDS.bob, type: 'wait', duration: '0:15:00' })).body.duration).toBe(900);
    expect(await call('POST', PATH, { user_id: IDS.bob, type: 'wait', duration: 'soon' })).toEqual({
      status: 400,
      body: { detail: 'Invalid duration format' },
    });
    expect(await call('POST', PATH, { type: 'wait' })).toEqual({ status: 400, body: { user_id: ['This field is required.'] } });
    expect(await call('POST', PATH, { user_id: 'UNOSUCHUSER12', type: 'wait' })).toEqual({
      status: 400,
      body: { detail: 'User does not exist' },
    });
    const before = engine.state.users.get(IDS.bob)!.notification_rules.default.length;
    expect(await call('POST', PATH, { user_id: IDS.bob, type: 'wait', position: -5 })).toEqual({
      status: 400,
      body: { detail: 'Invalid value for position field' },
    });
    // Nothing half-made: the refused create left the list as it was.
    expect(engine.state.users.get(IDS.bob)!.notification_rules.default.length).toBe(before);
  });

  it('update: user and importance are read-only, a type away from wait drops the duration, a type again resets it', async () => {
    const rule = (await call('POST', PATH, { user_id: IDS.bob, type: 'wait', duration: 900, important: true })).body;
    expect(rule.important).toBe(true);
    const moved = await call('PUT', `${PATH}${rule.id}/`, { user_id: IDS.alice, important: false, duration: 1800 });
    expect(moved.body).toMatchObject({ user_id: IDS.bob, important: true, type: 'wait', duration: 1800 });
    const again = await call('PUT', `${PATH}${rule.id}/`, { type: 'wait' });
    expect(again.body.duration).toBe(300);
    const notify = await call('PUT', `${PATH}${rule.id}/`, { type: 'notify_by_phone_call' });
    expect(notify.body).not.toHaveProperty('duration');
    expect(await call('PUT', `${PATH}${rule.id}/`, { duration: 300 })).toEqual({
      status: 400,
      body: { duration: 'Duration can\'t be set' },
    });
  });

  it('delete keeps the others\' positions; a deleted rule is 404', async () => {
    const rules = engine.state.users.get(IDS.alice)!.notification_rules.default;
    expect(rules.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = rules.map((r) => ({ id: r.id, order: r.order }));
    expect((await call('DELETE', `${PATH}${b!.id}/`)).status).toBe(204);
    expect(await call('GET', `${PATH}${b!.id}/`)).toEqual({ status: 404, body: { detail: 'Not found.' } });
    expect((await call('GET', `${PATH}${a!.id}/`)).body.position).toBe(a!.order);
    expect((await call('GET', `${PATH}${c!.id}/`)).body.position).toBe(c!.order);
  });

  it('the HTTP backend gets the same answers, refusals included', async () => {
    const listed = await call('GET', `${PATH}?user_id=${IDS.carol}`);
    expect(await viaBackend((b) => b.personalNotificationRules.list({ user_id: IDS.carol }))).toEqual(listed);
    const id = listed.body.results[0].id as string;
    expect(await viaBackend((b) => b.personalNotificationRules.get(id))).toEqual(await call('GET', `${PATH}${id}/`));
    expect(await viaBackend((b) => b.personalNotificationRules.create({ user_id: IDS.carol }))).toEqual({
      status: 400,
      body: { type: 'Type is required' },
    });
    const made = await viaBackend((b) => b.personalNotificationRules.create({ user_id: IDS.carol, type: 'notify_by_email' }));
    expect(made.body).toMatchObject({ user_id: IDS.carol, type: 'notify_by_email', important: false });
    const madeId = (made.body as { id: string }).id;
    await viaBackend((b) => b.personalNotificationRules.delete(madeId));
    expect((await call('GET', `${PATH}${madeId}/`)).status).toBe(404);
  });
});
