/**
 * What a hostile body costs the REST facade: `oncall-mcp api` (the built bin) runs as a child
 * process, and its resident memory is read from /proc before and after each 300 MiB body, sent
 * by a client that keeps sending whatever the answer (bodies are generated as they go, so the
 * client holds none of it). Linux only (it reads /proc); elsewhere the section says so.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { send } from '../test/hostile/send.js';
import { startApiProcess } from './api-process.js';
import { row } from './stats.js';

const MiB = 1024 * 1024;
const BODY = 300 * MiB;
const ALERTMANAGER = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulun/';
const WRONG = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulux/';

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

const startApi = (token: string) =>
  // Limits off, so only the body handling is measured.
  startApiProcess(token, ['--auth-failure-limit', '0', '--alert-rate-limit', '0', '--org-alert-rate-limit', '0']);

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const settle = () => new Promise((r) => setTimeout(r, 300));

export async function benchHostileBody(): Promise<void> {
  console.log('\nhostile bodies: oncall-mcp api as a child process, RSS before → after each 300 MiB body');
  try {
    readFileSync('/proc/self/status');
  } catch {
    console.log(row('skipped', 'needs /proc (Linux)'));
    return;
  }
  const token = randomBytes(32).toString('hex');
  const { child, url } = await startApi(token);
  try {
    // Warm up: one real alert and one API read, so the code paths are loaded before measuring.
    await fetch(`${url}${ALERTMANAGER}`, { method: 'POST', body: JSON.stringify({ title: 'warm-up' }) });
    await (await fetch(`${url}/api/v1/alert_groups/`, { headers: { authorization: token } })).text();
    await settle();
    const start = rssOf(child.pid!);
    const cases: Array<[string, string, { chunked?: boolean }]> = [
      ['wrong integration token (Content-Length)', WRONG, {}],
      ['right token, Content-Length over 1 MiB', ALERTMANAGER, {}],
      ['right token, chunked (no length)', ALERTMANAGER, { chunked: true }],
    ];
    for (const [label, path, opts] of cases) {
      const before = rssOf(child.pid!);
      const result = await send(`${url}${path}`, { total: BODY, ignoreAnswer: true, ...opts });
      await settle();
      const after = rssOf(child.pid!);
      console.log(
        row(
          label,
          `${result.status || 'closed'}`,
          `client sent ${mib(result.sent)} of ${mib(BODY)}`,
          `RSS ${mib(before)} → ${mib(after)} (+${mib(Math.max(0, after - before))})`,
        ),
      );
    }
    const end = rssOf(child.pid!);
    console.log(row('RSS growth over all three (target < 20 MiB)', `+${mib(Math.max(0, end - start))}`));
  } finally {
    child.kill('SIGTERM');
  }
}
