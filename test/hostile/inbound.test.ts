/**
 * Hostile traffic at the REST facade (`oncall-mcp api`): the unauthenticated inbound alert
 * endpoint and `/api/v1`, on a real server on a loopback port. Bodies are generated as they are
 * sent, so a 300 MiB one costs the test nothing; what is asserted is what the server read,
 * answered and changed.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { createRestApp, type RestOptions } from '../../src/rest/app.js';
import { type RunningApi, type ServeOptions, startRestApi } from '../../src/rest/serve.js';
import { send } from './send.js';

const MiB = 1024 * 1024;
const token = randomBytes(32).toString('hex');
const ALERTMANAGER = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulun/';
const GRAFANA = '/integrations/v1/grafana/mReAoNwDm0eMwKo1mTeTwYo/';
const WRONG = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulux/';
const ALERT = JSON.stringify({ status: 'firing', groupKey: 'k', commonLabels: { alertname: 'DiskFull', severity: 'critical' } });

const open: RunningApi[] = [];
afterEach(async () => {
  for (const api of open.splice(0)) await api.close();
});

interface Started {
  api: RunningApi;
  engine: MemoryBackend;
  logs: string[];
  /** Bytes the server has read from every connection so far (open or closed). */
  bytesRead(): number;
}

async function start(opts: Partial<RestOptions & ServeOptions> = {}): Promise<Started> {
  const engine = new MemoryBackend({ state: demoState(), clock: VirtualClock.at('2026-03-24T12:00:00Z') });
  const logs: string[] = [];
  const api = await startRestApi({ backend: engine, token, inboundAlerts: engine, log: (m) => logs.push(m), ...opts });
  open.push(api);
  const sockets: Socket[] = [];
  api.server.on('connection', (socket: Socket) => sockets.push(socket));
  return { api, engine, logs, bytesRead: () => sockets.reduce((n, s) => n + s.bytesRead, 0) };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

/** A valid JSON alert of exactly `total` bytes, generated chunk by chunk. */
function jsonOfSize(total: number) {
  const head = Buffer.from('{"title":"');
  const tail = Buffer.from('"}');
  return (offset: number, size: number) => {
    const chunk = Buffer.alloc(size, 0x61);
    for (let i = 0; i < size; i++) {
      const at = offset + i;
      if (at < head.length) chunk[i] = head[at]!;
      else if (at >= total - tail.length) chunk[i] = tail[at - (total - tail.length)]!;
    }
    return chunk;
  };
}

describe('inbound alerts: the integration is found before the body is read', () => {
  it('a 300 MiB body with a wrong token is a 404 and the server reads almost none of it', async () => {
    const { api, engine, bytesRead } = await start();
    const result = await send(`${api.url}${WRONG}`, { total: 300 * MiB, ignoreAnswer: true });
    expect(result.status).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ detail: 'Not found.' });
    expect(result.headers.connection).toBe('close');
    // The client, sending on regardless, stalled early: the server stopped reading at once, and
    // what it had read is about one socket read. The rest backed up in the kernel's buffers.
    expect(result.sent).toBeLessThan(32 * MiB);
    expect(bytesRead()).toBeLessThan(1 * MiB);
    expect(engine.state.alertGroups.size).toBe(0);
  });

  it('a body over 1 MiB with the right token is a 413 (by Content-Length) and creates nothing', async () => {
    const { api, engine, bytesRead } = await start();
    const total = MiB + 1;
    const result = await send(`${api.url}${ALERTMANAGER}`, { total, fill: jsonOfSize(total) });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toEqual({ detail: 'Request body is larger than 1048576 bytes.' });
    expect(bytesRead()).toBeLessThan(total);
    expect(engine.state.alertGroups.size).toBe(0);
    expect(engine.state.alerts.size).toBe(0);
  });

  it('a client that sends on after the 413 still gets to read it, and is not read further', async () => {
    const { api, engine, bytesRead } = await start();
    const result = await send(`${api.url}${ALERTMANAGER}`, { total: 300 * MiB, ignoreAnswer: true });
    expect(result.status).toBe(413);
    expect(bytesRead()).toBeLessThan(1 * MiB);
    expect(engine.state.alertGroups.size).toBe(0);
  });

  it('a chunked body (no Content-Length) is cut off once past 1 MiB: 413, nothing created', async () => {
    const { api, engine, bytesRead } = await start();
    const total = 64 * MiB;
    const result = await send(`${api.url}${ALERTMANAGER}`, { total, chunked: true, ignoreAnswer: true, fill: jsonOfSize(total) });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).detail).toBe('Request body is larger than 1048576 bytes.');
    // The cap, plus what was in flight when it was reached.
    expect(bytesRead()).toBeLessThan(2 * MiB);
    expect(engine.state.alertGroups.size).toBe(0);
  });

  it('run without Node\'s server (the app\'s own fetch), an endless body is cut off at the cap too', async () => {
    const engine = new MemoryBackend({ state: demoState() });
    const app = createRestApp({ backend: engine, token, inboundAlerts: engine });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      },
    });
    const res = await app.fetch(
      new Request(`http://x${ALERTMANAGER}`, { method: 'POST', body: endless, duplex: 'half' } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(2 * MiB);
    expect(engine.state.alertGroups.size).toBe(0);
  });

  it('a body just under the cap is accepted', async () => {
    const { api, engine } = await start();
    const total = MiB - 16;
    const result = await send(`${api.url}${ALERTMANAGER}`, { total, fill: jsonOfSize(total) });
    expect(result.status).toBe(200);
    expect(engine.state.alertGroups.size).toBe(1);
  });

  it('JSON nested 20,000 levels deep is a 400 naming the limit, and creates nothing', async () => {
    const { api, engine } = await start();
    for (const body of ['['.repeat(20_000) + ']'.repeat(20_000), '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)]) {
      const res = await post(`${api.url}${ALERTMANAGER}`, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/more than 100 levels deep/);
    }
    // Brackets inside strings are text, not nesting.
    const brackets = await post(`${api.url}${ALERTMANAGER}`, JSON.stringify({ title: '['.repeat(5000), status: 'firing' }));
    expect(brackets.status).toBe(200);
    expect(engine.state.alertGroups.size).toBe(1);
  });

  it('an ordinary alert still routes and groups; a deleted integration\'s URL is a 404', async () => {
    const { api, engine } = await start();
    const ok = await post(`${api.url}${ALERTMANAGER}`, ALERT);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('Ok.');
    expect([...engine.state.alertGroups.values()][0]).toMatchObject({ integrationId: 'CQWPPTFIE6MK6' });
    // The type in the URL must be the integration's own.
    expect((await post(`${api.url}/integrations/v1/grafana/x6oBTZa3p6wDskUrQIFIIulun/`, ALERT)).status).toBe(404);
    await engine.integrations.delete('CFRPV98RPR1U8');
    expect((await post(`${api.url}${GRAFANA}`, ALERT)).status).toBe(404);
    expect(engine.state.alertGroups.size).toBe(1);
  });
});

describe('rate limits', () => {
  it('the alert after the per-integration limit is a 429 with Retry-After; another integration is unaffected', async () => {
    const { api, engine } = await start({ alertRateLimit: 3 });
    for (let i = 0; i < 3; i++) expect((await post(`${api.url}${ALERTMANAGER}`, ALERT)).status).toBe(200);
    const alerts = engine.state.alerts.size;
    const limited = await post(`${api.url}${ALERTMANAGER}`, ALERT);
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(300);
    expect(await limited.json()).toEqual({ detail: `Request was throttled. Expected available in ${wait} seconds.` });
    expect(engine.state.alerts.size).toBe(alerts);
    expect((await post(`${api.url}${GRAFANA}`, JSON.stringify({ title: 'other' }))).status).toBe(200);
  });

  it('the organisation-wide limit counts every integration together', async () => {
    const { api } = await start({ organizationAlertRateLimit: 2 });
    expect((await post(`${api.url}${ALERTMANAGER}`, ALERT)).status).toBe(200);
    expect((await post(`${api.url}${GRAFANA}`, ALERT)).status).toBe(200);
    expect((await post(`${api.url}${ALERTMANAGER}`, ALERT)).status).toBe(429);
    expect((await post(`${api.url}${GRAFANA}`, ALERT)).status).toBe(429);
  });

  it('/api/v1 is throttled per token with OnCall\'s body; 0 turns a limit off', async () => {
    const { api } = await start({ rateLimit: 2 });
    const get = () => fetch(`${api.url}/api/v1/users/`, { headers: { authorization: token } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(limited.headers.get('ratelimit-reset')).toBe(String(wait));
    expect(await limited.json()).toEqual({ detail: `Request was throttled. Expected available in ${wait} seconds.` });

    const { api: open } = await start({ rateLimit: 0, alertRateLimit: 0, organizationAlertRateLimit: 0 });
    for (let i = 0; i < 320; i++) {
      const res = await fetch(`${open.url}/api/v1/teams/`, { headers: { authorization: token } });
      expect(res.status).toBe(200);
    }
  });

  it('an address that keeps presenting wrong tokens is refused, even with the right one next', async () => {
    const { api } = await start({ authFailureLimit: 3 });
    expect((await fetch(`${api.url}/api/v1/users/`, { headers: { authorization: 'guess-1' } })).status).toBe(403);
    expect((await post(`${api.url}${WRONG}`, ALERT)).status).toBe(404);
    expect((await fetch(`${api.url}/api/v1/users/`, { headers: { authorization: 'guess-3' } })).status).toBe(403);
    // Refused before the guess is checked: a right guess would look the same as a wrong one.
    const refused = await fetch(`${api.url}/api/v1/users/`, { headers: { authorization: token } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const { detail } = (await refused.json()) as { detail: string };
    expect(detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    expect((await post(`${api.url}${ALERTMANAGER}`, ALERT)).status).toBe(429);
  });
});

describe('slow senders and failures', () => {
  it('a body trickled slower than the request timeout is cut off, and nothing is created', async () => {
    const { api, engine } = await start({ requestTimeoutMs: 400, headersTimeoutMs: 400 });
    const total = 10_000;
    const result = await send(`${api.url}${ALERTMANAGER}`, {
      total,
      chunkBytes: 10,
      intervalMs: 20,
      fill: jsonOfSize(total),
    });
    // Node answers 408 and closes; the client never got to send the whole body.
    expect(result.sent).toBeLessThan(total);
    expect([408, 0]).toContain(result.status);
    expect(engine.state.alertGroups.size).toBe(0);
  });

  it('a client that hangs up halfway through its body creates nothing, and the next alert is taken', async () => {
    const { api, engine } = await start();
    const { connect } = await import('node:net');
    const target = new URL(api.url);
    const socket = connect(Number(target.port), target.hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const served = new Promise<void>((resolve) => api.server.once('request', (req) => req.once('close', () => resolve())));
    socket.write(`POST ${ALERTMANAGER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"status": "firing", "groupKey": "cut"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await served;
    expect(engine.state.alertGroups.size).toBe(0);
    const next = await post(`${api.url}${ALERTMANAGER}`, ALERT);
    expect(next.status).toBe(200);
    expect(engine.state.alertGroups.size).toBe(1);
  });

  it('a JSON body that starts with a byte-order mark is read as JSON, as the Fetch API decodes it', async () => {
    const { api, engine } = await start();
    const res = await post(`${api.url}${ALERTMANAGER}`, `\uFEFF${ALERT}`);
    expect(res.status).toBe(200);
    expect([...engine.state.alertGroups.values()][0]!.groupingKey).toBe('k');
  });

  it('headers trickled slower than the headers timeout are cut off', async () => {
    const { api } = await start({ requestTimeoutMs: 400, headersTimeoutMs: 200 });
    const { connect } = await import('node:net');
    const target = new URL(api.url);
    const socket = connect(Number(target.port), target.hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      answer += d;
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /api/v1/users/ HTTP/1.1\r\nHost: x\r\n');
    let lines = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(`X-Slow-${lines++}: 1\r\n`);
    }, 20);
    await closed;
    clearInterval(timer);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('an internal error is a 500 saying only "Internal server error."; the detail goes to the log', async () => {
    const engine = new MemoryBackend({ state: demoState() });
    const secret = `internal-${randomBytes(8).toString('hex')}`;
    const broken = Object.create(engine) as MemoryBackend;
    Object.defineProperty(broken, 'teams', {
      value: { list: async () => Promise.reject(new Error(`database password is ${secret}`)) },
    });
    const { api, logs } = await start({ backend: broken });
    const res = await fetch(`${api.url}/api/v1/teams/`, { headers: { authorization: token } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ detail: 'Internal server error.' });
    expect(text).not.toContain(secret);
    expect(logs.join('\n')).toContain(secret);
  });
});
