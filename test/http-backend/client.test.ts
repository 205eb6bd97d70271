/**
 * The HTTP backend's retry rules against a real HTTP server on a loopback port: idempotent requests
 * retry (honouring Retry-After), a POST is never retried, and the token never leaks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { errorText } from '../../src/tools/errors.js';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
let server: ReturnType<typeof createServer> | undefined;
const seen: Array<{ method: string; url: string; auth: string | undefined; grafana: string | undefined }> = [];

async function fake(replies: Reply[]): Promise<string> {
  seen.length = 0;
  let i = 0;
  server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, grafana: req.headers['x-grafana-url'] as string });
    req.resume();
    req.on('end', () => (replies[Math.min(i++, replies.length - 1)] ?? (() => {}))(req, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const TOKEN = 'a'.repeat(64);

describe('HttpBackend client', () => {
  it('a 429 on a GET is retried after Retry-After', async () => {
    const url = await fake([json(429, { detail: 'Request was throttled.' }, { 'retry-after': '2' }), json(200, { id: 'T1' })]);
    const waits: number[] = [];
    const backend = new HttpBackend({ baseUrl: url, token: TOKEN, sleep: async (ms) => void waits.push(ms) });
    await expect(backend.teams.get('T1')).resolves.toEqual({ id: 'T1' });
    expect(waits).toEqual([2000]);
    expect(seen.map((s) => s.method)).toEqual(['GET', 'GET']);
    await backend.close();
  });

  it('a 503 on a POST is reported, not retried: it may already have paged someone', async () => {
    const url = await fake([json(503, { detail: 'Service unavailable' }), json(200, { id: 'I1' })]);
    const backend = new HttpBackend({ baseUrl: url, token: TOKEN, sleep: async () => {} });
    const failure = await backend.escalation.create({ users: [{ id: 'U1', important: true }] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(503);
    expect(seen.map((s) => s.method)).toEqual(['POST']);
    await backend.close();
  });

  it('5xx on GET/PUT/DELETE retries with backoff, then reports', async () => {
    const url = await fake([json(502, {}), json(504, {}), json(200, { ok: true })]);
    const backend = new HttpBackend({ baseUrl: url, token: TOKEN, sleep: async () => {} });
    await expect(backend.escalationChains.update('F1', { name: 'x' }, 'put')).resolves.toEqual({ ok: true });
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT', 'PUT']);
    const always = await fake([json(503, { detail: 'down' })]);
    const stubborn = new HttpBackend({ baseUrl: always, token: TOKEN, sleep: async () => {}, maxRetries: 2 });
    await expect(stubborn.escalationChains.delete('F1')).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(3);
    await Promise.all([backend.close(), stubborn.close()]);
  });

  it('sends every token raw by default (as grafana/amixr-api-go-client does), with X-Grafana-URL; --auth-scheme bearer wins', async () => {
    const url = await fake([json(200, { count: 0, results: [] })]);
    const raw = new HttpBackend({ baseUrl: url, token: TOKEN });
    await raw.users.list({});
    const cloud = new HttpBackend({ baseUrl: url, token: 'glsa_service_account_token', grafanaUrl: 'https://stack.grafana.net' });
    await cloud.users.list({ username: 'alice' });
    expect(seen).toEqual([
      { method: 'GET', url: '/api/v1/users/', auth: TOKEN, grafana: undefined },
      {
        method: 'GET',
        url: '/api/v1/users/?username=alice',
        auth: 'glsa_service_account_token',
        grafana: 'https://stack.grafana.net',
      },
    ]);
    const bearer = new HttpBackend({ baseUrl: url, token: TOKEN, authScheme: 'bearer' });
    await bearer.users.list({});
    expect(seen.at(-1)?.auth).toBe(`Bearer ${TOKEN}`);
    await Promise.all([raw.close(), cloud.close(), bearer.close()]);
  });

  it('errors name what was missing, and never contain the token or a raw upstream page', async () => {
    const secret = `secret-${TOKEN}`;
    const url = await fake([
      json(404, { detail: 'Not found.' }),
      (_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end(`<html>stack trace with ${secret}</html>`),
      json(403, { detail: 'Invalid token.' }),
    ]);
    const backend = new HttpBackend({ baseUrl: url, token: secret, sleep: async () => {}, maxRetries: 0 });
    const texts: string[] = [];
    for (const attempt of [() => backend.schedules.get('S1'), () => backend.teams.list({}), () => backend.users.current()]) {
      const err = await attempt().catch((e: unknown) => e);
      texts.push(errorText(err), String(err), JSON.stringify(err));
    }
    expect(texts[0]).toBe('Not found: there is no schedule with id "S1". Use list_schedules to find valid ids.');
    expect(texts[3]).toContain('HTTP 500');
    expect(texts[6]).toContain('Permission denied (HTTP 403)');
    for (const text of texts) expect(text).not.toContain(secret);
    await backend.close();
  });

  it('a server that cannot be reached is a clear error, retried only for GETs', async () => {
    const backend = new HttpBackend({ baseUrl: 'http://127.0.0.1:9', token: TOKEN, sleep: async () => {}, maxRetries: 1 });
    const err = await backend.users.list({}).catch((e: unknown) => e);
    expect(errorText(err)).toMatch(/Could not reach Grafana OnCall \(ECONNREFUSED\) for GET \/api\/v1\/users\//);
    await backend.close();
  });
});
