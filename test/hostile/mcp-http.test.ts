/**
 * Hostile traffic at the MCP Streamable HTTP (and legacy SSE) transport on a loopback port: bare
 * initializes hoarding session slots, slow bodies, deep JSON, and errors whose text must not
 * reach the client. Timeouts are made small through options; nothing sleeps long.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { createServer } from '../../src/server.js';
import { type HttpHandle, type HttpOptions, serveHttp } from '../../src/transports/http.js';
import { createLogger } from '../../src/transports/log.js';
import { send } from './send.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close().catch(() => {});
});

async function start(opts: Partial<HttpOptions> = {}): Promise<{ handle: HttpHandle; logs: string[] }> {
  const backend = new MemoryBackend({ state: demoState() });
  const logs: string[] = [];
  const handle = await serveHttp({
    createServer: () => createServer({ backend, log: () => {} }),
    port: 0,
    log: createLogger('debug', (line) => logs.push(line)),
    ...opts,
  });
  open.push(handle);
  return { handle, logs };
}

const HEADERS = { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' };
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'hoarder', version: '1' } },
});

/** A bare initialize: a session id, and nothing else ever done with it. */
async function bareInitialize(url: string): Promise<{ status: number; id: string | null }> {
  const res = await fetch(url, { method: 'POST', headers: HEADERS, body: INITIALIZE });
  await res.text();
  return { status: res.status, id: res.headers.get('mcp-session-id') };
}

const sessionPost = (url: string, id: string, body: string) =>
  fetch(url, {
    method: 'POST',
    headers: { ...HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
    body,
  });

async function realClient(url: string) {
  const client = new Client({ name: 'normal', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  open.push(client);
  return client;
}

describe('session slots', () => {
  it('100 bare initializes fill the cap only until the short expiry; a session in use survives', async () => {
    // The reaper runs on its real timer (every 100 ms here); the clock it reads is the test's, so
    // however slowly the 100 sessions open, none expires before the test says so.
    let clock = 0;
    const { handle } = await start({ maxSessions: 101, unusedSessionMs: 200, now: () => clock });
    const normal = await realClient(handle.url);
    await normal.listTools();

    const hoarded = [];
    for (let i = 0; i < 100; i++) hoarded.push(await bareInitialize(handle.url));
    expect(hoarded.every((r) => r.status === 200 && r.id)).toBe(true);
    // Completing the handshake without ever making a request does not make a session used.
    const notified = await sessionPost(
      handle.url,
      hoarded[0]!.id!,
      JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    );
    expect(notified.status).toBe(202);
    expect((await bareInitialize(handle.url)).status).toBe(503);

    // Past the expiry the reaper frees the unused slots by itself; the session in use stays.
    clock = 200;
    await vi.waitFor(() => expect(handle.sessions().streamable).toBe(1), { timeout: 5_000, interval: 50 });
    const gone = await sessionPost(handle.url, hoarded[0]!.id!, JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }));
    expect(gone.status).toBe(404);
    expect((await bareInitialize(handle.url)).status).toBe(200);
    const result = await normal.callTool({ name: 'get_escalation_chain', arguments: { escalation_chain_id: 'F5JU6KJET33FE' } });
    expect(result.isError).toBeFalsy();
  });

  it('a session whose first request comes in time is kept past the unused expiry', async () => {
    let clock = 0;
    const { handle } = await start({ now: () => clock, unusedSessionMs: 10_000 });
    const used = (await bareInitialize(handle.url)).id!;
    const unused = (await bareInitialize(handle.url)).id!;
    expect((await sessionPost(handle.url, used, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }))).status).toBe(200);
    clock = 9_000;
    expect(handle.reapIdleSessions()).toBe(0);
    clock = 10_000;
    await vi.waitFor(() => expect(handle.reapIdleSessions()).toBe(1));
    await vi.waitFor(() => expect(handle.sessions().streamable).toBe(1));
    expect((await sessionPost(handle.url, unused, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }))).status).toBe(404);
    expect((await sessionPost(handle.url, used, JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'ping' }))).status).toBe(200);
  });

  it('a server factory that throws answers a plain 500 and does not leak a session slot', async () => {
    const backend = new MemoryBackend({ state: demoState() });
    const secret = `factory-${randomBytes(6).toString('hex')}`;
    let failing = true;
    const { handle, logs } = await start({
      maxSessions: 1,
      createServer: () => {
        if (failing) throw new Error(`cannot open ${secret}`);
        return createServer({ backend, log: () => {} });
      },
    });
    const res = await fetch(handle.url, { method: 'POST', headers: HEADERS, body: INITIALIZE });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text).error.message).toBe('Internal server error');
    expect(text).not.toContain(secret);
    expect(logs.join('\n')).toContain(secret);
    failing = false;
    expect((await bareInitialize(handle.url)).status).toBe(200);
  });
});

describe('bodies', () => {
  it('a body trickled slower than the request timeout is cut off', async () => {
    const { handle } = await start({ requestTimeoutMs: 400, headersTimeoutMs: 400 });
    const result = await send(handle.url, {
      total: 2_000,
      chunkBytes: 4,
      intervalMs: 20,
      headers: { accept: HEADERS.accept },
    });
    expect(result.sent).toBeLessThan(2_000);
    expect([408, 0]).toContain(result.status);
    expect(handle.sessions().streamable).toBe(0);
  });

  it('JSON nested deeper than 100 levels is a 400 naming the limit, with no exception text', async () => {
    const { handle } = await start();
    const id = (await bareInitialize(handle.url)).id!;
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    // A deep `result` used to overflow the stack inside the SDK and come back as "RangeError: …".
    for (const body of [
      `{"jsonrpc":"2.0","id":7,"result":{"a":${deep}}}`,
      `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"list_users","arguments":{"x":${deep}}}}`,
    ]) {
      const res = await sessionPost(handle.url, id, body);
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text).error.message).toMatch(/more than 100 levels deep/);
      expect(text).not.toMatch(/RangeError|stack/i);
    }
  });

  it('a legacy SSE message with the wrong content type is a clean 415, not the SDK\'s exception text', async () => {
    const { handle } = await start();
    const stream = await fetch(`${handle.origin}/sse`, { headers: { accept: 'text/event-stream' } });
    const reader = stream.body!.getReader();
    let events = '';
    while (!/sessionId=([\w-]+)/.test(events)) events += new TextDecoder().decode((await reader.read()).value);
    const sessionId = /sessionId=([\w-]+)/.exec(events)![1]!;
    open.push({ close: () => reader.cancel() });
    const url = `${handle.origin}/messages?sessionId=${sessionId}`;
    const wrongType = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: INITIALIZE });
    expect(wrongType.status).toBe(415);
    const text = await wrongType.text();
    expect(JSON.parse(text).error.message).toMatch(/Content-Type must be application\/json/);
    expect(text).not.toContain('Error:');
    const notRpc = await fetch(url, { method: 'POST', headers: HEADERS, body: '{"hello":"world"}' });
    expect(notRpc.status).toBe(400);
    expect(await notRpc.text()).not.toContain('[object Object]');
  });
});
