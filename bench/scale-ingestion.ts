/**
 * Inbound alert ingestion against history size. For each size (1,000 / 10,000 / 100,000 resolved
 * alert groups already there) and each store (memory; SQLite, as `--persist` / `--db` run), a fresh
 * server process (scale-ingestion-child.ts: the REST facade over the engine, escalation timer on the
 * real clock) receives `POST /integrations/v1/<type>/<token>/` with a unique grouping key per alert,
 * 16 in flight, so every alert looks up its key and creates a new alert group that then escalates.
 *
 * Printed per store: sustained alerts/s (after a warm-up), p50 / p99 request latency, and the
 * server's RSS growth per alert over the run; the growth exponent of the time per alert over the
 * sizes (0: flat in history), each size as a ratio of the 1,000-group run measured in the same run.
 * `npx tsx bench/scale-ingestion.ts` runs this section alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { printSweep, type SweepPoint } from './growth.js';
import { ms, percentile, row } from './stats.js';

const CHILD = fileURLToPath(new URL('./scale-ingestion-child.ts', import.meta.url));
const IN_FLIGHT = 16;

interface Served {
  child: ChildProcess;
  link: string;
  pid: number;
  lines: AsyncIterator<string>;
}

async function* linesOf(child: ChildProcess): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of child.stdout!) {
    buffer += String(chunk);
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
    }
  }
}

async function serve(groups: number, persist: boolean, dir: string): Promise<Served> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []), '--import', 'tsx', CHILD, String(groups), persist ? 'persist' : 'memory', dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = linesOf(child);
  const first = await lines.next();
  if (first.done) throw new Error('the ingestion server exited before serving');
  const { link, pid } = JSON.parse(first.value) as { link: string; pid: number };
  return { child, link, pid, lines };
}

/** Resident set size of a process, in bytes, from the kernel. */
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** Send `count` alerts with unique keys, `IN_FLIGHT` at a time; latencies in ms and the wall time. */
async function send(link: string, agent: Agent, count: number, prefix: string) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const body = JSON.stringify({ groupKey: `${prefix} ${i}`, status: 'firing', commonLabels: { alertname: 'HighLatency', n: String(i) } });
      const t = performance.now();
      const response = await request(link, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`alert refused: ${response.statusCode}`);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { latencies, wallMs: performance.now() - started };
}

interface Run {
  groups: number;
  rate: number;
  perAlertMs: number;
  p50: number;
  p99: number;
  rssPerAlert: number;
}

async function measure(groups: number, persist: boolean, dir: string, alerts: number): Promise<Run> {
  const served = await serve(groups, persist, dir);
  const agent = new Agent({ connections: IN_FLIGHT, pipelining: 1 });
  try {
    await send(served.link, agent, 1_000, 'warm-up'); // JIT, sandbox, connections
    const rssBefore = rss(served.pid);
    const { latencies, wallMs } = await send(served.link, agent, alerts, 'measured');
    const rssAfter = rss(served.pid);
    return {
      groups,
      rate: alerts / (wallMs / 1000),
      perAlertMs: wallMs / alerts,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      rssPerAlert: (rssAfter - rssBefore) / alerts,
    };
  } finally {
    await agent.close();
    served.child.stdin!.write('stop\n');
    await new Promise((resolve) => served.child.once('exit', resolve));
  }
}

export async function benchScaleIngestion(sizes = [1_000, 10_000, 100_000], alerts = 8_000): Promise<void> {
  console.log(`\ningestion: POST /integrations/v1/alertmanager/<token>/, unique grouping keys, ${IN_FLIGHT} in flight, `
    + `${alerts.toLocaleString('en')} alerts per run after 1,000 of warm-up, a fresh server per run over N resolved alert groups of history`);
  const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-ingest-'));
  try {
    for (const persist of (process.env.BENCH_STORES ?? 'memory,persist').split(',').map((s) => s === 'persist')) {
      const runs: Run[] = [];
      for (const groups of sizes) runs.push(await measure(groups, persist, dir, alerts));
      const points: SweepPoint[] = runs.map((r) => ({
        size: r.groups,
        value: r.perAlertMs,
        extra: `${Math.round(r.rate).toLocaleString('en')} alerts/s   p50 ${ms(r.p50)}   p99 ${ms(r.p99)}   RSS +${(r.rssPerAlert / 1024).toFixed(2)} KiB/alert`,
      }));
      printSweep(`${persist ? 'SQLite store (--persist)' : 'in memory'}: wall time per alert`, points, {
        unit: 'alert groups',
        format: (v) => ms(v, 3),
        baseline: { label: 'the 1k run', value: runs[0]!.perAlertMs },
      });
    }
    console.log(row('  (RSS per alert: growth of the server over the run / alerts; each alert leaves a new open group)', ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchScaleIngestion();
