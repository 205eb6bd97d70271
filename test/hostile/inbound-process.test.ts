/**
 * The same hostile bodies against `oncall-mcp api` as its own process (the built bin), where the
 * server's memory can be read on its own (Linux /proc) and the client and server do not share an
 * event loop, as in production.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../cli/run-cli.js';
import { send } from './send.js';

const MiB = 1024 * 1024;
const ALERTMANAGER = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulun/';
const WRONG = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulux/';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGTERM');
  child = undefined;
});

function startApi(): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child = spawn(process.execPath, [BIN, 'api', '--port', '0', '--auth-failure-limit', '0'], {
      env: { PATH: process.env.PATH ?? '', ONCALL_MCP_API_TOKEN: randomBytes(32).toString('hex') },
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /serving the OnCall API v1 at (http:\/\/[^ ]+)\/api\/v1\//.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`api exited ${code}: ${stderr}`)));
  });
}

/**
 * node:http's client, which gives up on a request whose socket errors while it writes, even with
 * the answer already received: what most HTTP libraries do.
 */
function nodeClientPost(url: string, total: number): Promise<{ status: number; body: unknown } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-length': String(total) } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const rss = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

describe.runIf(existsSync('/proc/self/status'))('oncall-mcp api as its own process', () => {
  it('300 MiB bodies it refuses leave its memory where it was', async () => {
    const url = await startApi();
    await fetch(`${url}${ALERTMANAGER}`, { method: 'POST', body: '{"title":"warm-up"}' });
    const before = rss(child!.pid!);
    for (const [path, chunked] of [[WRONG, false], [ALERTMANAGER, false], [ALERTMANAGER, true]] as const) {
      const result = await send(`${url}${path}`, { total: 300 * MiB, chunked, ignoreAnswer: true });
      expect(result.status).toBe(path === WRONG ? 404 : 413);
      expect(result.sent).toBeLessThan(64 * MiB);
    }
    // Main read the whole body first: RSS went from 92 to 997 MiB on one such request.
    expect(rss(child!.pid!) - before).toBeLessThan(20 * MiB);
  });

  it('a Node client sending a body too large reads the 413, not EPIPE from a reset connection', async () => {
    const url = await startApi();
    for (let i = 0; i < 20; i++) {
      const answer = await nodeClientPost(`${url}${ALERTMANAGER}`, 8 * MiB);
      expect(answer).toEqual({ status: 413, body: { detail: 'Request body is larger than 1048576 bytes.' } });
    }
  });
});
