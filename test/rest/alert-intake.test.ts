/**
 * Group commit of inbound alerts (engine/alerting/alert-intake.ts), over a real SQLite store and,
 * where it says so, a real REST server on loopback: alerts arriving together share one commit;
 * each sender is answered only after it; a commit that fails refuses every alert of its batch
 * with nothing left in memory or on disk; an alert is never visible before its commit; one alert's
 * own error is its own; shutdown commits what was taken.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import type { DatabaseStore } from '../../src/engine/storage/database.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';
import { databaseContent, failWrites, removeTempDirs, storeWith } from '../storage-helpers.js';

const ALERTMANAGER = 'CQWPPTFIE6MK6';
const LINK = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulun/';
const token = randomBytes(32).toString('hex');

const open: RunningApi[] = [];
afterEach(async () => {
  for (const api of open.splice(0)) await api.close();
  removeTempDirs();
});

/** The engine over a real database, with every request commit the store receives counted. */
function engineOnStore() {
  const { store, state } = storeWith();
  let saves = 0;
  const save = store.save.bind(store);
  store.save = (s, changed) => {
    saves++;
    save(s, changed);
  };
  const engine = new MemoryBackend({ state, store });
  return { engine, store, saves: () => saves };
}

async function serve(engine: MemoryBackend): Promise<RunningApi> {
  const limits = { alertRateLimit: 0, organizationAlertRateLimit: 0 };
  const api = await startRestApi({ backend: engine, token, inboundAlerts: engine, ...limits });
  open.push(api);
  return api;
}

/**
 * Open one connection per request, then write every request at once: the server finds them all
 * readable in one turn of its event loop. The answers (status and body), in request order.
 */
async function sendTogether(url: string, requests: string[]): Promise<Array<{ status: number; body: string }>> {
  const { connect } = await import('node:net');
  const target = new URL(url);
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(target.port), target.hostname, () => resolve(socket));
          socket.on('error', reject);
        }),
    ),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise<{ status: number; body: string }>((resolve) => {
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          text += chunk;
          const end = text.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = text.slice(0, end);
          const body = text.slice(end + 4);
          const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
          if (Buffer.byteLength(body) >= length) resolve({ status: Number(head.slice(9, 12)), body });
        });
        socket.on('close', () => resolve({ status: 0, body: text }));
      }),
  );
  await new Promise((resolve) => setTimeout(resolve, 50)); // the server has accepted every connection
  sockets.forEach((socket, i) => socket.write(requests[i]!));
  const statuses = await Promise.all(answers);
  for (const socket of sockets) socket.destroy();
  return statuses;
}

const alert = (key: string, extra: object = {}) => JSON.stringify({ groupKey: key, status: 'firing', ...extra });

/** A raw HTTP/1.1 request posting an alert with this grouping key. */
function request(key: string): string {
  const body = alert(key);
  return `POST ${LINK} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const groupKeys = (store: DatabaseStore) =>
  [...databaseContent(store).alertGroups.values()].map((g) => g.groupingKey).sort();

describe('inbound alerts share commits', () => {
  it('16 alerts arriving together over HTTP are all stored, in fewer commits than alerts', async () => {
    const { engine, store, saves } = engineOnStore();
    const api = await serve(engine);
    const keys = Array.from({ length: 16 }, (_, i) => `together-${String(i).padStart(2, '0')}`);
    const requests = keys.map(request);
    // A first alert compiles what every alert runs, so the 16 that follow each take little time.
    expect((await sendTogether(api.url, [request('warm-up')]))[0]!.status).toBe(200);
    const before = saves();
    const answers = await sendTogether(api.url, requests);
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 200));
    expect(groupKeys(store)).toEqual([...keys, 'warm-up']);
    expect(saves() - before).toBeGreaterThan(0);
    expect(saves() - before).toBeLessThan(keys.length);
    store.close();
  });

  it('a commit that fails refuses every alert of its batch: none is in memory or in the database', async () => {
    const { engine, store, saves } = engineOnStore();
    const api = await serve(engine);
    expect((await sendTogether(api.url, [request('warm-up')]))[0]!.status).toBe(200);
    const before = engine.state.alertGroups.size;
    const saved = saves();
    failWrites(store, true);
    const answers = await sendTogether(api.url, Array.from({ length: 8 }, (_, i) => request(`refused-${i}`)));
    // The 8 met one failed commit (or a few, if they arrived apart), and every one was refused.
    expect(saves() - saved).toBeLessThan(8);
    for (const answer of answers) {
      expect(answer.status).toBe(500);
      const { detail } = JSON.parse(answer.body) as { detail: string };
      expect(detail).toMatch(/Could not save the database \(.+\); the change was not applied/);
    }
    expect(engine.state.alertGroups.size).toBe(before);
    expect(groupKeys(store)).toEqual(['warm-up']);
    failWrites(store, false);
    const later = await fetch(`${api.url}${LINK}`, { method: 'POST', body: alert('after'), headers: { 'content-type': 'application/json' } });
    expect(later.status).toBe(200);
    expect(groupKeys(store)).toEqual(['after', 'warm-up']);
    store.close();
  });

  it('an alert taken is not in memory until its batch is committed, and is on disk when its promise settles', async () => {
    const { engine, store } = engineOnStore();
    const before = engine.state.alertGroups.size;
    const taken = engine.takeAlert(ALERTMANAGER, { groupKey: 'pending', status: 'firing' });
    expect(engine.state.alertGroups.size).toBe(before);
    const { alertGroupId, created } = await taken;
    expect(created).toBe(true);
    expect(engine.state.alertGroups.get(alertGroupId)?.groupingKey).toBe('pending');
    expect(databaseContent(store).alertGroups.get(alertGroupId)?.groupingKey).toBe('pending');
    store.close();
  });

  it('one alert\'s own error is its own: the rest of its batch is stored', async () => {
    const { engine, store } = engineOnStore();
    const results = await Promise.allSettled([
      engine.takeAlert('CNOSUCHINTEGR', { groupKey: 'lost' }),
      engine.takeAlert(ALERTMANAGER, { groupKey: 'kept', status: 'firing' }),
      engine.takeAlert(ALERTMANAGER, { groupKey: 'kept', status: 'firing' }),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { status: 404 } });
    expect(results[1]).toMatchObject({ status: 'fulfilled', value: { created: true } });
    // The second alert of the same key, in the same batch, joins the group the first opened.
    expect(results[2]).toMatchObject({ status: 'fulfilled', value: { created: false } });
    expect(groupKeys(store)).toEqual(['kept']);
    store.close();
  });

  it('shutting down commits the alerts already taken before the store closes', async () => {
    const { engine, store } = engineOnStore();
    const taken = engine.takeAlert(ALERTMANAGER, { groupKey: 'at-shutdown', status: 'firing' });
    expect(await engine.lifecycle.stop(100)).toBe(true);
    const { alertGroupId } = await taken;
    expect(databaseContent(store.file).alertGroups.get(alertGroupId)?.groupingKey).toBe('at-shutdown');
  });
});
