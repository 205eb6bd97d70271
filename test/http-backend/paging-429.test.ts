/**
 * A page refused with 429 and Retry-After, over real loopback HTTP: MCP client → server →
 * create_escalation → HTTP backend → a loopback proxy → the REST facade over the engine. The proxy
 * passes every request through except the page itself (POST /api/v1/escalation/), which it answers
 * as a rate-limiting gateway would: 429, Retry-After, no OnCall error body. A throttled request was
 * not served, so nobody was paged: the POST must be sent once and not retried blindly (waiting 2
 * minutes inside a tool call, or paging twice), and the result must say it was not sent and when to
 * try again.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { startRestApi } from '../../src/rest/serve.js';
import { createServer } from '../../src/server.js';
import { IDS, NOW } from '../helpers.js';

const PAGE = '/api/v1/escalation/';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The proxy in front of the facade; `requests` lists every request it received, in order. */
async function throttlingProxy(upstream: string, retryAfter: string) {
  const requests: string[] = [];
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      if (req.method === 'POST' && req.url === PAGE) {
        res.writeHead(429, { 'retry-after': retryAfter, 'content-type': 'text/plain' }).end('Too Many Requests');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      void fetch(`${upstream}${req.url}`, { method: req.method!, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) })
        .then(async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer());
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(body);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

async function pagingThrough(retryAfter: string) {
  const engine = new MemoryBackend({ state: demoState(), clock: VirtualClock.at(NOW) });
  const token = randomBytes(32).toString('hex');
  const api = await startRestApi({ backend: engine, token, rateLimit: 0, log: () => {} });
  closers.push(() => api.close());
  const proxy = await throttlingProxy(api.url, retryAfter);
  const waits: number[] = [];
  const http = new HttpBackend({ baseUrl: proxy.url, token, sleep: async (ms) => void waits.push(ms) });
  closers.push(() => http.close());
  const server = createServer({ backend: http, log: () => {} });
  const client = new Client({ name: 'test', version: '1' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(c), server.connect(s)]);
  closers.push(() => client.close());
  const page = async () => {
    const result = await client.callTool({
      name: 'create_escalation',
      arguments: { title: 'Database down', users: [{ id: IDS.alice, important: true }] },
    });
    return { isError: result.isError === true, text: (result.content as Array<{ text: string }>).map((b) => b.text).join('\n') };
  };
  const posts = () => proxy.requests.filter((r) => r === `POST ${PAGE}`).length;
  return { engine, page, posts, waits };
}

describe('create_escalation answered 429 with Retry-After', () => {
  it('sends the POST once, does not wait or retry, and says it was not sent and when to retry', async () => {
    const { engine, page, posts, waits } = await pagingThrough('120');
    const groupsBefore = engine.state.alertGroups.size;
    const before = Date.now();
    const result = await page();
    const after = Date.now();
    expect(result.isError).toBe(true);
    expect(posts()).toBe(1);
    expect(waits).toEqual([]); // no Retry-After sleep, no backoff: the request is not repeated
    expect(result.text).toMatch(/^NOT SENT: /);
    expect(result.text).toContain('OnCall refused the page for now (HTTP 429');
    expect(result.text).toContain('nobody was paged');
    // "Retry after N s (at T)": T is 120 s after the answer came, to the second; N counts down to it.
    const when = /Retry after (\d+) s \(at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC\)/.exec(result.text);
    expect(when).not.toBeNull();
    expect(Number(when![1])).toBeGreaterThan(0);
    expect(Number(when![1])).toBeLessThanOrEqual(120);
    const at = Date.parse(`${when![2]!.replace(' ', 'T')}Z`);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 120_000);
    expect(at).toBeLessThanOrEqual(Math.ceil(after / 1000) * 1000 + 120_000);
    expect(engine.state.alertGroups.size).toBe(groupsBefore);

    // Nothing went out, so the page ledger does not hold it as "may have been delivered": the
    // agent's later retry is sent (and, throttled again, refused the same way).
    const again = await page();
    expect(posts()).toBe(2);
    expect(again.text).toMatch(/^NOT SENT: /);
  });

  it('an HTTP-date Retry-After is given as the instant to retry at', async () => {
    const at = new Date(Math.ceil((Date.now() + 600_000) / 1000) * 1000);
    const { page, posts } = await pagingThrough(at.toUTCString());
    const result = await page();
    expect(posts()).toBe(1);
    expect(result.text).toMatch(/^NOT SENT: /);
    expect(result.text).toContain(`(at ${at.toISOString().replace('T', ' ').replace('.000Z', ' UTC')})`);
  });
});
