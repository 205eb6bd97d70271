/**
 * The escalation scheduler against how many alert groups escalate at once.
 *
 * Lateness: N alert groups (100 / 1,000 / 10,000) are created through the engine, and their first
 * escalation step is set to fall due at instants spread evenly over a 5 s window; the runtime then
 * runs on its real timer (as the server runs it) and reports each step it runs with the instant it
 * was due (`Runtime.onStep`). Every step counts, the personal notifications a step starts included.
 * Printed: p50 / p99 / max lateness per size, the growth exponent of the p99 over the sizes, each as
 * a ratio of the 100-group run, and commits per second (a run of steps commits once).
 *
 * SIGTERM while busy: `oncall-mcp api --db FILE` (the built bin) opens a database in which 10,000
 * alert groups are due at once, is sent SIGTERM while it works through them, and the time to its
 * exit is printed with its exit code and how many of the groups had stepped in the saved state.
 * `npx tsx bench/scale-scheduler.ts` runs this section alone (after a build).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { demoState } from '../src/demo/state.js';
import { systemClock, VirtualClock } from '../src/engine/core/clock.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { openDatabase, readWholeOrganisation, writeOrganisation } from '../src/engine/storage/database.js';
import { printSweep } from './growth.js';
import { ms, percentile, row } from './stats.js';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** The demo's Alertmanager integration (its default route escalates through a demo chain). */
const INTEGRATION = 'CQWPPTFIE6MK6';
const WINDOW_MS = 5_000;

/** `count` open alert groups with unique grouping keys, made by the engine on `backend`'s clock. */
export function escalatingGroups(backend: MemoryBackend, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(backend.receiveAlert(INTEGRATION, { groupKey: `escalating ${i}`, status: 'firing' }).alertGroupId);
  return ids;
}

async function lateness(count: number) {
  const backend = new MemoryBackend({ state: demoState(), clock: systemClock });
  backend.runtime.onError = () => {};
  const ids = escalatingGroups(backend, count);
  const start = Date.now() + 500;
  ids.forEach((id, i) => {
    const group = backend.state.alertGroups.get(id)!;
    group.escalation!.nextAt = start + Math.floor((i * WINDOW_MS) / count);
    backend.runtime.touch(group);
  });
  const late: number[] = [];
  backend.runtime.onStep = (dueAt, ranAt) => {
    if (dueAt >= start && dueAt <= start + WINDOW_MS) late.push(Math.max(0, ranAt - dueAt));
  };
  let commits = 0;
  const unsubscribe = backend.changes.subscribe(() => commits++);
  backend.lifecycle.start();
  await new Promise((r) => setTimeout(r, start + WINDOW_MS + 300 - Date.now()));
  await backend.lifecycle.stop(0);
  unsubscribe();
  const [p50, p99] = [percentile(late, 50), percentile(late, 99)];
  return { count, steps: late.length, p50, p99, max: Math.max(...late), commits };
}

/** A database in which `count` alert groups' first steps are all due (created a minute ago). */
export async function dueDatabase(file: string, count: number): Promise<void> {
  const state = demoState();
  const backend = new MemoryBackend({ state, clock: new VirtualClock(Date.now() - 60_000) });
  escalatingGroups(backend, count);
  const db = openDatabase(file);
  writeOrganisation(db, state);
  db.close();
}

/** How many groups in the saved state have had their first escalation step. */
export function steppedGroups(file: string): { groups: number; stepped: number } {
  const db = openDatabase(file);
  try {
    const state = readWholeOrganisation(db);
    const groups = [...state.alertGroups.values()];
    return { groups: groups.length, stepped: groups.filter((g) => (g.escalation?.nextIndex ?? 0) > 0).length };
  } finally {
    db.close();
  }
}

/** Start the built server on `file`, SIGTERM it once it has worked for `busyMs`; ms from the signal to its exit. */
export function sigtermWhileBusy(file: string, busyMs: number): Promise<{ exitMs: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'api', '--port', '0', '--db', file], {
      env: { PATH: process.env.PATH ?? '', ONCALL_MCP_API_TOKEN: 'bench-scheduler' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let signalled = 0;
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (!signalled && stderr.includes('serving the OnCall API')) {
        setTimeout(() => {
          signalled = performance.now();
          child.kill('SIGTERM');
        }, busyMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!signalled) reject(new Error(`the server exited before it was signalled (${code}): ${stderr}`));
      else resolve({ exitMs: performance.now() - signalled, code });
    });
  });
}

export async function benchScaleScheduler(sizes = [100, 1_000, 10_000]): Promise<void> {
  console.log(`\nescalation scheduler: N groups' first steps due evenly over ${WINDOW_MS / 1000} s, run by the real timer; lateness of every step`);
  const runs = [];
  for (const size of sizes) runs.push(await lateness(size));
  const baseline = runs[0]!;
  printSweep('p99 lateness', runs.map((r) => ({
    size: r.count,
    value: Math.max(r.p99, 0.01), // 0 ms (on time to the ms) cannot be fitted on a log scale
    extra: `p50 ${ms(r.p50)}   max ${ms(r.max)}   ${r.steps.toLocaleString('en')} steps   ${(r.commits / (WINDOW_MS / 1000)).toFixed(0)} commits/s`,
  })), { unit: 'escalating groups', baseline: { label: 'the 100 run', value: Math.max(baseline.p99, 0.01) } });

  const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-sched-'));
  try {
    const file = join(dir, 'due.db');
    const count = sizes.at(-1)!;
    await dueDatabase(file, count);
    const { exitMs, code } = await sigtermWhileBusy(file, 150);
    const { groups, stepped } = steppedGroups(file);
    console.log(row(`SIGTERM while ${count.toLocaleString('en')} groups are due (oncall-mcp api --db)`, `exit in ${ms(exitMs, 0)}`, `code ${code}`,
      `${stepped.toLocaleString('en')} of ${groups.toLocaleString('en')} groups stepped in the saved state`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchScaleScheduler();
