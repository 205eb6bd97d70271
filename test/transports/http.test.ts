/**
 * The HTTP transport in-process on a free loopback port, driven by the SDK's real client
 * transports (Streamable HTTP and legacy SSE) and by raw `node:http` requests where a test needs
 * full control of the headers (fetch cannot set Host).
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { inspect } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { demoState } from '../../src/demo/state.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { createServer } from '../../src/server.js';
import { type HttpHandle, type HttpOptions, serveHttp } from '../../src/transports/http.js';
import { createLogger } from '../../src/transports/log.js';
import { Secret } from '../../src/transports/security.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

/** A fresh random bearer token (tests never hard-code one). */
const randomToken = () => randomBytes(24).toString('hex');

const open: Array<{ close(): Promise<void> }> = [];

/** Close every server and client opened since the last call (use in afterEach). */
async function closeAll(): Promise<void> {
  const items = open.splice(0).reverse();
  for (const item of items) await item.close().catch(() => {});
}

async function startHttp(
  opts: Partial<HttpOptions> = {},
): Promise<{ handle: HttpHandle; backend: MemoryBackend }> {
  const backend = new MemoryBackend({ state: demoState() });
  const handle = await serveHttp({
    createServer: () => createServer({ backend, log: () => {} }),
    port: 0,
    ...opts,
  });
  open.push(handle);
  return { handle, backend };
}

const authHeaders = (token?: string) => (token ? { headers: { Authorization: `Bearer ${token}` } } : undefined);

async function streamableClient(url: string, token?: string) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: authHeaders(token) ?? {} });
  const client = new Client({ name: 'streamable-test', version: '1' });
  await client.connect(transport);
  open.push(client);
  return { client, transport };
}

async function sseClient(origin: string, token?: string) {
  const transport = new SSEClientTransport(new URL(`${origin}/sse`), { requestInit: authHeaders(token) ?? {} });
  const client = new Client({ name: 'sse-test', version: '1' });
  await client.connect(transport);
  open.push(client);
  return { client, transport };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Drop the connection (for a stream read with `until`). */
  destroy(): void;
}

/**
 * One request with full control of the headers (Host included). With `until`, resolves as soon as
 * the body matches and leaves the stream open until `destroy()`.
 */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; until?: RegExp } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
        agent: false, // a fresh connection each time: no state shared between requests
      },
      (res) => {
        let body = '';
        const done = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, destroy: () => req.destroy() });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (opts.until?.test(body)) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The JSON-RPC initialize request body, as a Streamable HTTP client POSTs it. */
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

const MCP_POST_HEADERS = {
  'Content-Type': 'application/json',
  'Accept': 'application/json, text/event-stream',
};

/** Open a Streamable HTTP session with a bare POST (no GET stream), return its id. */
async function rawSession(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await raw(url, { method: 'POST', headers: { ...MCP_POST_HEADERS, ...headers }, body: INITIALIZE });
  const id = res.headers['mcp-session-id'];
  if (res.status !== 200 || typeof id !== 'string') throw new Error(`initialize failed: ${res.status} ${res.body}`);
  return id;
}

/** Open a legacy SSE stream with a bare GET and read the endpoint event: the session id. */
async function rawSseSession(origin: string, headers: Record<string, string> = {}) {
  const res = await raw(`${origin}/sse`, { headers: { Accept: 'text/event-stream', ...headers }, until: /sessionId=[\w-]+/ });
  open.push({ close: async () => res.destroy() });
  const match = /sessionId=([\w-]+)/.exec(res.body);
  if (res.status !== 200 || !match) throw new Error(`GET /sse failed: ${res.status} ${res.body}`);
  return match[1]!;
}

const CHAIN = { escalation_chain_id: 'F5JU6KJET33FE' };
const LIST_TOOLS = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
const sessionHeaders = (id: string) => ({ ...MCP_POST_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' });

/** A server with one tool that runs until the test releases it (for graceful-stop tests). */
function slowServer() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const factory = () => {
    const server = new McpServer({ name: 'slow', version: '1' });
    server.registerTool('slow', { description: 'waits for the test', inputSchema: z.object({}) }, async () => {
      started();
      await gate;
      return { content: [{ type: 'text', text: 'done' }] };
    });
    return server;
  };
  return { factory, release, running };
}

afterEach(closeAll);

describe('Streamable HTTP (stateful)', () => {
  it('lists and calls tools; bad input is an isError result and the session goes on', async () => {
    const { handle } = await startHttp();
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const { client, transport } = await streamableClient(handle.url);
    expect(transport.sessionId).toMatch(/^[\w-]{20,}$/);
    expect(client.getServerVersion()?.name).toBe('oncall-mcp');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('get_escalation_chain');
    const result = await client.callTool({ name: 'get_escalation_chain', arguments: CHAIN });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ id: 'F5JU6KJET33FE', name: 'default' });
    const bad = await client.callTool({
      name: 'create_escalation_policy',
      arguments: { escalation_chain_id: 'F5JU6KJET33FE', type: 'wait', duration: 30 },
    });
    expect(bad.isError).toBe(true);
    expect((await client.listTools()).tools.length).toBe(tools.length);
    expect(handle.sessions()).toEqual({ streamable: 1, sse: 0 });
  });

  it('a write in one session is seen by another (one backend, separate sessions)', async () => {
    const { handle } = await startHttp();
    const a = await streamableClient(handle.url);
    const b = await streamableClient(handle.url);
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    const created = await a.client.callTool({ name: 'create_escalation_chain', arguments: { name: 'from a' } });
    const id = (created.structuredContent as { id: string }).id;
    const seen = await b.client.callTool({ name: 'get_escalation_chain', arguments: { escalation_chain_id: id } });
    expect(seen.structuredContent).toMatchObject({ id, name: 'from a' });
    expect(handle.sessions().streamable).toBe(2);
  });

  it('DELETE ends the session: it leaves the table and its id gets 404', async () => {
    const { handle } = await startHttp();
    const { transport } = await streamableClient(handle.url);
    const id = transport.sessionId!;
    expect(handle.sessions().streamable).toBe(1);
    await transport.terminateSession();
    expect(handle.sessions().streamable).toBe(0);
    const after = await raw(handle.url, { method: 'POST', headers: sessionHeaders(id), body: LIST_TOOLS });
    expect(after.status).toBe(404);
    expect(JSON.parse(after.body).error.message).toMatch(/Session not found/);
  });

  it('a request without a session that is not initialize is a 400', async () => {
    const { handle } = await startHttp();
    const res = await raw(handle.url, { method: 'POST', headers: MCP_POST_HEADERS, body: LIST_TOOLS });
    expect(res.status).toBe(400);
    expect((await raw(handle.url)).status).toBe(400);
  });

  it('the session cap answers 503 to new sessions on both transports, until one ends', async () => {
    const { handle } = await startHttp({ maxSessions: 2 });
    const first = await rawSession(handle.url);
    await rawSseSession(handle.origin);
    const refused = await raw(handle.url, { method: 'POST', headers: MCP_POST_HEADERS, body: INITIALIZE });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.message).toMatch(/Too many open sessions/);
    expect((await raw(`${handle.origin}/sse`)).status).toBe(503);
    // Existing sessions keep working, and ending one makes room.
    const listed = await raw(handle.url, { method: 'POST', headers: sessionHeaders(first), body: LIST_TOOLS });
    expect(listed.status).toBe(200);
    const del = await raw(handle.url, { method: 'DELETE', headers: sessionHeaders(first) });
    expect(del.status).toBe(200);
    await expect(rawSession(handle.url)).resolves.toMatch(/^[\w-]+$/);
  });

  it('idle sessions are reaped; a reaped id gets 404', async () => {
    let clock = 0;
    const { handle } = await startHttp({ now: () => clock, sessionIdleMs: 60_000 });
    const id = await rawSession(handle.url);
    // A request after initialize makes it a used session, which keeps the idle timeout.
    expect((await raw(handle.url, { method: 'POST', headers: sessionHeaders(id), body: LIST_TOOLS })).status).toBe(200);
    clock = 59_000;
    expect(handle.reapIdleSessions()).toBe(0);
    clock = 61_000;
    // The response's close event may land just after the client saw the body: retry until it has.
    await vi.waitFor(() => expect(handle.reapIdleSessions()).toBe(1));
    await vi.waitFor(() => expect(handle.sessions().streamable).toBe(0));
    const after = await raw(handle.url, { method: 'POST', headers: sessionHeaders(id), body: LIST_TOOLS });
    expect(after.status).toBe(404);
  });
});

describe('legacy HTTP+SSE', () => {
  it('lists and calls tools over GET /sse + POST /messages', async () => {
    const { handle } = await startHttp();
    const { client } = await sseClient(handle.origin);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('list_users');
    const result = await client.callTool({ name: 'get_escalation_chain', arguments: CHAIN });
    expect(result.structuredContent).toMatchObject({ id: 'F5JU6KJET33FE', name: 'default' });
    expect(handle.sessions()).toEqual({ streamable: 0, sse: 1 });
    await client.close();
    await vi.waitFor(() => expect(handle.sessions().sse).toBe(0));
  });

  it('returns the same structured result as Streamable HTTP', async () => {
    const { handle } = await startHttp();
    const streamable = await streamableClient(handle.url);
    const sse = await sseClient(handle.origin);
    for (const [name, args] of [
      ['get_escalation_chain', CHAIN],
      ['list_users', {}],
      ['list_escalation_policies', { escalation_chain_id: 'F5JU6KJET33FE' }],
    ] as const) {
      const a = await streamable.client.callTool({ name, arguments: args });
      const b = await sse.client.callTool({ name, arguments: args });
      expect(a.isError).toBeFalsy();
      expect(b.structuredContent).toEqual(a.structuredContent);
      expect(b.content).toEqual(a.content);
    }
  });

  it('a session id works only on its own transport', async () => {
    const { handle } = await startHttp();
    const sseId = await rawSseSession(handle.origin);
    const streamableId = await rawSession(handle.url);
    const onMcp = await raw(handle.url, { method: 'POST', headers: sessionHeaders(sseId), body: LIST_TOOLS });
    expect(onMcp.status).toBe(400);
    expect(onMcp.body).toMatch(/legacy SSE/);
    const onMessages = await raw(`${handle.origin}/messages?sessionId=${streamableId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: LIST_TOOLS,
    });
    expect(onMessages.status).toBe(400);
    expect(onMessages.body).toMatch(/Streamable HTTP/);
    const unknown = await raw(`${handle.origin}/messages?sessionId=nope`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: LIST_TOOLS,
    });
    expect(unknown.status).toBe(404);
    const missing = await raw(`${handle.origin}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: LIST_TOOLS,
    });
    expect(missing.status).toBe(400);
  });
});

describe('stateless Streamable HTTP', () => {
  it('serves two independent clients with no sessions; GET is 405', async () => {
    const { handle } = await startHttp({ stateless: true });
    const a = await streamableClient(handle.url);
    const b = await streamableClient(handle.url);
    expect(a.transport.sessionId).toBeUndefined();
    expect(b.transport.sessionId).toBeUndefined();
    const [ra, rb] = await Promise.all([
      a.client.callTool({ name: 'get_escalation_chain', arguments: CHAIN }),
      b.client.callTool({ name: 'list_users', arguments: {} }),
    ]);
    expect(ra.structuredContent).toMatchObject({ id: 'F5JU6KJET33FE' });
    expect((rb.structuredContent as { results: unknown[] }).results.length).toBeGreaterThan(0);
    await a.client.close();
    // One client leaving changes nothing for the other.
    expect((await b.client.listTools()).tools.length).toBeGreaterThan(10);
    expect(handle.sessions()).toEqual({ streamable: 0, sse: 0 });
    const get = await raw(handle.url, { headers: { Accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('answers a bare POST with plain JSON', async () => {
    const { handle } = await startHttp({ stateless: true });
    const res = await raw(handle.url, { method: 'POST', headers: MCP_POST_HEADERS, body: INITIALIZE });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['mcp-session-id']).toBeUndefined();
    expect(JSON.parse(res.body).result.serverInfo.name).toBe('oncall-mcp');
  });
});

describe('bearer token', () => {
  it('401 with a Bearer challenge without or with a wrong token, on every MCP route', async () => {
    const token = randomToken();
    const { handle } = await startHttp({ authToken: new Secret(token) });
    await expect(streamableClient(handle.url)).rejects.toThrow();
    await expect(streamableClient(handle.url, randomToken())).rejects.toThrow();
    await expect(sseClient(handle.origin)).rejects.toThrow();

    const cases: Array<[string, string, Record<string, string>]> = [
      ['POST', handle.url, MCP_POST_HEADERS],
      ['GET', `${handle.origin}/sse`, {}],
      ['POST', `${handle.origin}/messages?sessionId=x`, { 'Content-Type': 'application/json' }],
    ];
    for (const [method, url, headers] of cases) {
      const missing = await raw(url, { method, headers, body: method === 'POST' ? INITIALIZE : undefined });
      expect(missing.status, `${method} ${url}`).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="oncall-mcp"');
      for (const authorization of [`Bearer ${randomToken()}`, `Bearer ${token}x`, `Basic ${token}`, token]) {
        const wrong = await raw(url, {
          method,
          headers: { ...headers, Authorization: authorization },
          body: method === 'POST' ? INITIALIZE : undefined,
        });
        expect(wrong.status, `${method} ${url} ${authorization.split(' ')[0]}`).toBe(401);
        expect(wrong.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
        expect(wrong.body).not.toContain(token);
      }
    }
    // Health checks need no token.
    expect((await raw(`${handle.origin}/healthz`)).status).toBe(200);
    expect(handle.sessions()).toEqual({ streamable: 0, sse: 0 });
  });

  it('the right token works over both transports (scheme case-insensitive)', async () => {
    const token = randomToken();
    const { handle } = await startHttp({ authToken: new Secret(token) });
    const streamable = await streamableClient(handle.url, token);
    expect((await streamable.client.callTool({ name: 'get_escalation_chain', arguments: CHAIN })).isError).toBeFalsy();
    const sse = await sseClient(handle.origin, token);
    expect((await sse.client.listTools()).tools.length).toBeGreaterThan(10);
    const lower = await raw(handle.url, {
      method: 'POST',
      headers: { ...MCP_POST_HEADERS, Authorization: `bearer ${token}` },
      body: INITIALIZE,
    });
    expect(lower.status).toBe(200);
  });

  it('a non-loopback host without a token is refused', async () => {
    await expect(
      serveHttp({ createServer: () => new McpServer({ name: 'x', version: '1' }), host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/without a bearer token/);
  });

  it('the Secret never prints itself', () => {
    const token = randomToken();
    const secret = new Secret(token);
    expect(`${secret}`).not.toContain(token);
    expect(JSON.stringify({ secret })).not.toContain(token);
    expect(inspect({ secret })).not.toContain(token);
    expect(secret.reveal()).toBe(token);
  });
});

describe('Host and Origin validation', () => {
  it('403 for a foreign Host on loopback; loopback names pass', async () => {
    const { handle } = await startHttp();
    for (const path of ['/mcp', '/healthz', '/sse']) {
      const res = await raw(`${handle.origin}${path}`, {
        method: path === '/mcp' ? 'POST' : 'GET',
        headers: { ...MCP_POST_HEADERS, Host: 'evil.example' },
        body: path === '/mcp' ? INITIALIZE : undefined,
      });
      expect(res.status, path).toBe(403);
      expect(res.body).toContain('Invalid Host: evil.example');
    }
    for (const host of [`localhost:${handle.port}`, `127.0.0.1:${handle.port}`]) {
      expect((await raw(`${handle.origin}/healthz`, { headers: { Host: host } })).status).toBe(200);
    }
    await expect(rawSession(handle.url, { Host: `localhost:${handle.port}` })).resolves.toBeTruthy();
    expect(handle.sessions().streamable).toBe(1);
  });

  it('--allowed-hosts widens the list', async () => {
    const { handle } = await startHttp({ allowedHosts: ['mcp.example.com'] });
    expect((await raw(`${handle.origin}/healthz`, { headers: { Host: 'mcp.example.com:443' } })).status).toBe(200);
    expect((await raw(`${handle.origin}/healthz`, { headers: { Host: 'localhost' } })).status).toBe(200);
    expect((await raw(`${handle.origin}/healthz`, { headers: { Host: 'evil.example' } })).status).toBe(403);
  });

  it('403 for a foreign browser Origin; local pages and allowed origins pass', async () => {
    const { handle } = await startHttp({ allowedOrigins: ['https://app.example.com'] });
    const withOrigin = (origin: string) =>
      raw(handle.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, Origin: origin }, body: INITIALIZE });
    const evil = await withOrigin('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.body).toContain('Invalid Origin');
    expect((await withOrigin('null')).status).toBe(403);
    expect((await withOrigin('http://localhost:5173')).status).toBe(200);
    expect((await withOrigin('https://app.example.com')).status).toBe(200);
    expect(handle.sessions().streamable).toBe(2);
  });
});

describe('limits, logging and shutdown', () => {
  it('a body over the limit is a 413 and creates nothing', async () => {
    const { handle } = await startHttp();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(200 * 1024) } });
    const res = await raw(handle.url, { method: 'POST', headers: MCP_POST_HEADERS, body: big });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.message).toMatch(/too large/);
    const broken = await raw(handle.url, { method: 'POST', headers: MCP_POST_HEADERS, body: '{"jsonrpc":' });
    expect(broken.status).toBe(400);
    expect(handle.sessions().streamable).toBe(0);
  });

  it('logs one line per request at info: method, path, status, ms; never a token or a query', async () => {
    const lines: string[] = [];
    const token = randomToken();
    const { handle } = await startHttp({
      authToken: new Secret(token),
      log: createLogger('info', (line) => lines.push(line)),
    });
    await raw(handle.url, { method: 'POST', headers: { ...MCP_POST_HEADERS, Authorization: 'Bearer nope' }, body: INITIALIZE });
    const { client } = await sseClient(handle.origin, token);
    await client.callTool({ name: 'list_users', arguments: {} });
    await vi.waitFor(() => expect(lines.some((l) => l.includes('POST /messages 202'))).toBe(true));
    expect(lines).toContainEqual(expect.stringMatching(/^oncall-mcp: POST \/mcp 401 \d+\.\d ms$/));
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toMatch(/sessionId|Bearer|authorization/i);
    const quiet: string[] = [];
    const warnOnly = await startHttp({ log: createLogger('warn', (line) => quiet.push(line)) });
    await raw(`${warnOnly.handle.origin}/healthz`);
    expect(quiet).toEqual([]);
  });

  it.each(['streamable', 'sse'] as const)(
    'close() over %s: refuses new work, lets the in-flight call finish, then closes sessions',
    async (kind) => {
      const slow = slowServer();
      const lines: string[] = [];
      const { handle } = await startHttp({
        createServer: slow.factory,
        shutdownGraceMs: 15_000,
        log: createLogger('info', (line) => lines.push(line)),
      });
      const { client } = kind === 'streamable' ? await streamableClient(handle.url) : await sseClient(handle.origin);
      const call = client.callTool({ name: 'slow', arguments: {} });
      await slow.running;
      if (kind === 'sse') {
        // The POST that carried the call is answered at once (202; after initialize and initialized):
        // only the session knows a call is still running.
        await vi.waitFor(() => expect(lines.filter((l) => l.includes('POST /messages 202'))).toHaveLength(3));
      }
      let closed = false;
      const closing = handle.close().then(() => {
        closed = true;
      });
      // The port stops accepting connections at once, and the stop waits for the call.
      await expect(raw(`${handle.origin}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
      const waiting = /waiting up to 15000 ms for 1 call\(s\)/;
      await vi.waitFor(() => expect(lines).toContainEqual(expect.stringMatching(waiting)));
      expect(closed).toBe(false);
      expect(handle.sessions()[kind]).toBe(1);
      slow.release();
      await expect(call).resolves.toMatchObject({ content: [{ type: 'text', text: 'done' }] });
      await closing;
      expect(handle.sessions()).toEqual({ streamable: 0, sse: 0 });
    },
  );
});
