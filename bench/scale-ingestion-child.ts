/**
 * The ingestion benchmark's server process: the demo organisation plus `groups` resolved alert
 * groups of history (each with its alert and a realistic timeline, made once by the engine and
 * copied with new ids and grouping keys), served by the REST facade on loopback with the escalation
 * timer running on the real clock, as `oncall-mcp api` runs. With `persist`, the organisation is
 * written to a new SQLite database first and opened as the server opens it (`--db`).
 *
 * Prints one JSON line when it serves ({url, link, pid}); on a line "stop" on stdin it stops as the
 * CLI does and exits. A fresh process per run, so its RSS is this run's alone.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { demoState } from '../src/demo/state.js';
import { DEMO_ORGANISATION } from '../src/demo/organisation.js';
import { VirtualClock } from '../src/engine/core/clock.js';
import type { AlertGroupRecord, AlertRecord, State } from '../src/engine/core/state.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { hasPendingWork } from '../src/engine/runtime/runtime.js';
import { openDatabase, writeOrganisation } from '../src/engine/storage/database.js';
import { openEngine } from '../src/engine/storage/open.js';
import { startRestApi } from '../src/rest/serve.js';

const [groupsArg, persistArg, dir] = process.argv.slice(2);
const groups = Number(groupsArg);
const persist = persistArg === 'persist';
/** The demo's Alertmanager integration: its grouping key is the payload's `groupKey`. */
const INTEGRATION = 'CQWPPTFIE6MK6';

/** One resolved alert group as the engine leaves it: alert, escalation steps, acknowledgement, resolution. */
async function resolvedGroup(): Promise<{ group: AlertGroupRecord; alert: AlertRecord }> {
  const clock = VirtualClock.at('2026-03-24T12:00:00Z');
  const backend = new MemoryBackend({ state: demoState(), clock });
  const { alertGroupId } = backend.receiveAlert(INTEGRATION, { groupKey: 'history', status: 'firing' });
  backend.runtime.advanceTo(clock, clock.now() + 4 * 60_000);
  await backend.alertGroups.action(alertGroupId, 'acknowledge');
  await backend.alertGroups.action(alertGroupId, 'resolve');
  // A person's notification chain still has a step pending, which finds the group resolved and
  // stops; run it, so history is as a running server leaves it (nothing pending, free to page out).
  backend.runtime.advanceTo(clock, clock.now() + 60 * 60_000);
  const group = backend.state.alertGroups.get(alertGroupId)!;
  if (hasPendingWork(group)) throw new Error('the history group still has pending work');
  return { group, alert: backend.state.alerts.get(group.alertIds[0]!)! };
}

async function organisation(): Promise<State> {
  const state = demoState();
  const { group, alert } = await resolvedGroup();
  const start = Date.now() - groups * 60_000;
  for (let i = 0; i < groups; i++) {
    const id = `IH${String(i).padStart(11, '0')}`;
    const alertId = `AH${String(i).padStart(11, '0')}`;
    const createdAt = start + i * 60_000;
    state.alertGroups.set(id, { ...structuredClone(group), id, createdAt, groupingKey: `history ${i}`, alertIds: [alertId] });
    state.alerts.set(alertId, { ...alert, id: alertId, alertGroupId: id, createdAt });
  }
  return state;
}

/**
 * With the store, the organisation is written and then dropped: the server holds only what it
 * loads from the database, as `oncall-mcp api --db` does, not the history it was seeded with.
 */
async function openBackend(): Promise<MemoryBackend> {
  if (!persist) return new MemoryBackend({ state: await organisation() });
  const file = join(dir!, `ingest-${groups}.db`);
  const db = openDatabase(file);
  writeOrganisation(db, await organisation());
  db.close();
  return openEngine({ seed: DEMO_ORGANISATION, db: file, log: () => {} }).backend;
}

const backend = await openBackend();
backend.runtime.onError = () => {};
backend.lifecycle.start();
const api = await startRestApi({
  backend,
  token: 'bench',
  rateLimit: 0,
  alertRateLimit: 0,
  organizationAlertRateLimit: 0,
  inboundAlerts: backend.inbound,
  log: () => {},
});
const integration = backend.state.integrations.get(INTEGRATION)!;
const link = `${api.url}/integrations/v1/${integration.type}/${integration.token}/`;
process.stdout.write(`${JSON.stringify({ url: api.url, link, pid: process.pid, resident: backend.state.alertGroups.size })}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'groups') {
    process.stdout.write(`${JSON.stringify({ groups: backend.state.alertGroups.size, pending: backend.runtime.pendingGroups })}\n`);
    return;
  }
  if (line.trim() !== 'stop') return;
  void (async () => {
    await api.close();
    await backend.lifecycle.stop(0);
    process.exit(0);
  })();
});
