/**
 * The database store against history size: the demo organisation, and the demo plus 100,000
 * resolved alert groups (each with its alert and a realistic timeline, made by the engine itself
 * and copied with new ids straight into the database). For each, a fresh process opens the
 * database as the server does and reports start-up time, RSS after start-up, the median write
 * (`update_escalation_policy`, and an alert-group action: acknowledge / unacknowledge, round the
 * open groups), and RSS after 1,000 and after 10,000 writes. Printed: the figures and the ratios of
 * the 100k run to the demo run. `npx tsx bench/storage.ts` runs this section alone (after a build).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { demoState } from '../src/demo/state.js';
import { VirtualClock } from '../src/engine/core/clock.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { openDatabase, writeOrganisation } from '../src/engine/storage/database.js';
import { withUsers } from './generated-org.js';
import { ms, row } from './stats.js';

const CHILD = fileURLToPath(new URL('./storage-child.mjs', import.meta.url));
const OPEN_GROUPS = 50;

/** One resolved alert group as the engine leaves it: alert, escalation steps, acknowledgement, resolution. */
async function resolvedGroup() {
  const clock = VirtualClock.at('2026-03-24T12:00:00Z');
  const backend = new MemoryBackend({ state: demoState(), clock });
  const payload = {
    receiver: 'oncall', status: 'firing', groupKey: '{}:{alertname="HighLatency"}',
    commonLabels: { alertname: 'HighLatency', severity: 'critical', service: 'checkout' },
    commonAnnotations: { summary: 'p99 latency above 2s for 5 minutes' },
    alerts: [{ status: 'firing', labels: { alertname: 'HighLatency', instance: 'checkout-7d9f:8080' }, startsAt: '2026-03-24T11:55:00Z' }],
  };
  const { alertGroupId } = backend.receiveAlert('CQWPPTFIE6MK6', payload);
  backend.runtime.advanceTo(clock, clock.now() + 4 * 60_000);
  await backend.alertGroups.action(alertGroupId, 'acknowledge');
  await backend.alertGroups.action(alertGroupId, 'resolve');
  const group = backend.state.alertGroups.get(alertGroupId)!;
  return { group, alert: backend.state.alerts.get(group.alertIds[0]!)! };
}

async function database(dir: string, groups: number, users = 0): Promise<string> {
  const file = join(dir, `org-${groups}-${users}.db`);
  // With `users`: a large configuration (generated users) next to the demo's.
  const state = users ? withUsers(users) : demoState();
  // Open alert groups, for the alert-group action writes (the runtime's own work: configuration's).
  const engine = new MemoryBackend({ state, clock: VirtualClock.at('2026-03-24T12:00:00Z') });
  for (let i = 0; i < OPEN_GROUPS; i++) engine.receiveAlert('CQWPPTFIE6MK6', { groupKey: `open ${i}` });
  const db = openDatabase(file);
  writeOrganisation(db, state);
  const { group, alert } = await resolvedGroup();
  const groupRow = db.prepare(`INSERT INTO alert_groups (id, pos, created_at, integration_id, route_id, resolved, live, body)
    VALUES (?, ?, ?, ?, ?, 1, 0, ?)`);
  const alertRow = db.prepare('INSERT INTO alerts (id, pos, group_id, created_at, payload) VALUES (?, ?, ?, ?, ?)');
  const payload = JSON.stringify(alert.payload);
  db.transaction(() => {
    for (let i = 0; i < groups; i++) {
      const id = `IB${String(i).padStart(11, '0')}`;
      const alertId = `AB${String(i).padStart(11, '0')}`;
      const createdAt = group.createdAt - (groups - i) * 300_000;
      const body = JSON.stringify({ ...group, id, createdAt, alertIds: [alertId] });
      groupRow.run(id, 1_000 + i, createdAt, group.integrationId, group.routeId, body);
      alertRow.run(alertId, 1_000 + i, id, createdAt, payload);
    }
  }).immediate();
  db.close();
  return file;
}

function measure(file: string, writes: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', CHILD, file, String(writes)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`storage child exited ${code}`))));
  });
}

export async function benchStorage(writes = 20_000, groups = 100_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-bench-'));
  try {
    const { group } = await resolvedGroup();
    console.log(`\nstorage: SQLite database, demo vs demo + ${groups.toLocaleString('en')} resolved alert groups `
      + `(${JSON.stringify(group).length.toLocaleString('en')} bytes of JSON each, ${group.timeline.length} timeline entries); `
      + `a fresh process each, ${writes.toLocaleString('en')} writes`);
    const demo = await measure(await database(dir, 0), writes);
    const bigFile = await database(dir, groups);
    const big = await measure(bigFile, writes);
    const size = statSync(bigFile).size / 2 ** 20;
    const wide = await measure(await database(dir, 0, 10_000), writes / 4);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    console.log(row('median write: update_escalation_policy', `demo ${ms(demo.policyMs!, 3)}`, `100k ${ms(big.policyMs!, 3)}`, ratio(big.policyMs!, demo.policyMs!)));
    console.log(row('median write: acknowledge / unacknowledge', `demo ${ms(demo.actionMs!, 3)}`, `100k ${ms(big.actionMs!, 3)}`, ratio(big.actionMs!, demo.actionMs!)));
    // A commit compares only the configuration kinds it changed, so users do not weigh on a step's write.
    console.log(row('median write: policy at 10,000 users', `demo ${ms(demo.policyMs!, 3)}`, `10k users ${ms(wide.policyMs!, 3)}`, ratio(wide.policyMs!, demo.policyMs!)));
    console.log(row('start-up (open, load, engine ready)', `demo ${ms(demo.startupMs!, 1)}`, `100k ${ms(big.startupMs!, 1)}`, ratio(big.startupMs!, demo.startupMs!)));
    console.log(row('RSS after start-up', `demo ${demo.rssAfterStart!.toFixed(0)} MB`, `100k ${big.rssAfterStart!.toFixed(0)} MB`, `database ${size.toFixed(0)} MB`));
    const n = (k: number) => k.toLocaleString('en');
    console.log(row(`RSS after ${n(writes / 10)} writes`, `demo ${demo.rssAfterTenth!.toFixed(0)} MB`, `100k ${big.rssAfterTenth!.toFixed(0)} MB`));
    console.log(row(`RSS after ${n(writes / 2)} writes`, `demo ${demo.rssAfterHalf!.toFixed(0)} MB`, `100k ${big.rssAfterHalf!.toFixed(0)} MB`));
    // The runtime's allocations settle within the first few thousand writes, whatever the
    // history; flat means the second half of the writes adds nothing.
    console.log(row(`RSS after ${n(writes)} writes`, `demo ${demo.rssAfterWrites!.toFixed(0)} MB`, `100k ${big.rssAfterWrites!.toFixed(0)} MB`, `${ratio(big.rssAfterWrites!, big.rssAfterHalf!)} of the 100k run after ${n(writes / 2)}`));
    console.log(row(`JS heap after ${(writes / 10).toLocaleString('en')} / ${writes.toLocaleString('en')} writes (100k)`, `${big.heapAfterTenth!.toFixed(1)} MB`, `${big.heapAfterWrites!.toFixed(1)} MB`, ratio(big.heapAfterWrites!, big.heapAfterTenth!)));
    console.log(row('alert groups in memory', `demo ${demo.residentGroups}`, `100k ${big.residentGroups}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchStorage();
