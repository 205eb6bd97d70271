/**
 * The built bin serving HTTP (`dist/main.js --transport http --port 0`, URL read from stderr),
 * compared with the same bin over stdio; start-up refusals; SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../cli/run-cli.js';

interface Spawned {
  child: ChildProcess;
  url: string;
  origin: string;
  stderr(): string;
  /** Send a signal and resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** Spawn the bin serving HTTP on a free port and wait for the URL it prints on stderr. */
function spawnHttp(args: string[], env: Record<string, string> = {}): Promise<Spawned> {
  const child = spawn(process.execPath, [BIN, '--transport', 'http', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  cleanups.push(stop);
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      // Connect through loopback even when the server listens on every interface.
      const match = /http:\/\/(\S+?):(\d+)\/mcp\b/.exec(stderr);
      if (match) {
        const origin = `http://127.0.0.1:${match[2]}`;
        resolve({ child, url: `${origin}/mcp`, origin, stderr: () => stderr, stop });
      }
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening: ${stderr}`)));
  });
}

async function connect(transport: StreamableHTTPClientTransport | SSEClientTransport | StdioClientTransport) {
  const client = new Client({ name: 'bin-test', version: '1' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

const bearer = (token: string) => ({ requestInit: { headers: { Authorization: `Bearer ${token}` } } });
const randomToken = () => randomBytes(24).toString('hex');

const CALLS: Array<[string, Record<string, unknown>]> = [
  ['get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' }],
  ['list_users', {}],
  ['list_escalation_policies', { escalation_chain_id: 'F5JU6KJET33FE' }],
];

describe('the built bin over HTTP', () => {
  it('gives the same structured results over stdio, Streamable HTTP and SSE; SIGTERM exits 0', async () => {
    const server = await spawnHttp(['--log-level', 'info']);
    const banner = /serving \d+ tools on the built-in demo organisation at http:\/\/127\.0\.0\.1:\d+\/mcp/;
    expect(server.stderr()).toMatch(banner);
    const clients = {
      stdio: await connect(new StdioClientTransport({ command: process.execPath, args: [BIN], stderr: 'pipe' })),
      streamable: await connect(new StreamableHTTPClientTransport(new URL(server.url))),
      sse: await connect(new SSEClientTransport(new URL(`${server.origin}/sse`))),
    };
    const tools = await clients.stdio.listTools();
    expect((await clients.streamable.listTools()).tools).toEqual(tools.tools);
    expect((await clients.sse.listTools()).tools).toEqual(tools.tools);
    for (const [name, args] of CALLS) {
      const results = await Promise.all(
        Object.values(clients).map((c) => c.callTool({ name, arguments: args })),
      );
      expect(results[0]!.isError, name).toBeFalsy();
      expect(results[0]!.structuredContent, name).toBeTruthy();
      expect(results[1], `${name} over Streamable HTTP`).toEqual(results[0]);
      expect(results[2], `${name} over SSE`).toEqual(results[0]);
    }
    expect(server.stderr()).toMatch(/POST \/mcp 200 [\d.]+ ms/);
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.stderr()).toContain('SIGTERM');
  });

  it('--host 0.0.0.0 without a token refuses to start (exit 2) and says how to set one', async () => {
    const r = await runCli(['--transport', 'http', '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('without a bearer token');
    expect(r.stderr).toContain('MCP_AUTH_TOKEN');
    expect(r.stderr).toContain('--auth-token-file');
    const env = await runCli([], { env: { ONCALL_MCP_TRANSPORT: 'http', ONCALL_MCP_HOST: '0.0.0.0' } });
    expect(env.code).toBe(2);
  });

  it('--host 0.0.0.0 with MCP_AUTH_TOKEN: calls without it get 401, with it work; the token is never printed', async () => {
    const token = randomToken();
    const server = await spawnHttp(['--host', '0.0.0.0', '--log-level', 'debug'], { MCP_AUTH_TOKEN: token });
    const without = await fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await fetch(`${server.origin}/sse`)).status).toBe(401);
    await expect(connect(new StreamableHTTPClientTransport(new URL(server.url)))).rejects.toThrow();
    await expect(
      connect(new StreamableHTTPClientTransport(new URL(server.url), bearer(randomToken()))),
    ).rejects.toThrow();

    const streamable = await connect(new StreamableHTTPClientTransport(new URL(server.url), bearer(token)));
    const sse = await connect(new SSEClientTransport(new URL(`${server.origin}/sse`), bearer(token)));
    const [a, b] = await Promise.all(
      [streamable, sse].map((c) => c.callTool({ name: 'get_escalation_chain', arguments: CALLS[0]![1] })),
    );
    expect(a!.structuredContent).toMatchObject({ id: 'F5JU6KJET33FE' });
    expect(b).toEqual(a);
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
    expect(await server.stop('SIGINT')).toBe(0);
    expect(server.stderr()).toContain('bearer token required');
    expect(server.stderr()).not.toContain(token);
  });

  it('--auth-token-file reads the token from a file', async () => {
    const token = randomToken();
    const file = join(mkdtempSync(join(tmpdir(), 'oncall-mcp-')), 'token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const server = await spawnHttp(['--auth-token-file', file, '--stateless']);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(401);
    const client = await connect(new StreamableHTTPClientTransport(new URL(server.url), bearer(token)));
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
    expect(await server.stop()).toBe(0);
  });
});
