/**
 * Faults around the database store: a disk that fills up, a save failing inside the escalation
 * timer, values the store cannot hold, and two processes on one database. In every case the
 * process keeps running and memory and disk never disagree about an acknowledged change.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, writeSync as writeSyncReal } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { importData } from '../../src/engine/storage/data-file.js';
import { type WriteIo, writeFileAtomic } from '../../src/engine/storage/atomic-file.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import type { DatabaseStore } from '../../src/engine/storage/database.js';
import { BIN } from '../cli/run-cli.js';
import { IDS } from '../helpers.js';
import { databaseContent, failWrites, removeTempDirs, storeWith, tempDir } from '../storage-helpers.js';

afterEach(removeTempDirs);

/** Let the database grow by at most `pages` more pages (SQLite then fails with SQLITE_FULL, as a full disk does). */
function fillDisk(store: DatabaseStore, pages: number): void {
  const count = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${count + pages}`);
}

const chainNames = (state: ReturnType<typeof demoState>) => [...state.chains.values()].map((c) => c.name);

describe('a full disk', () => {
  it('a write that does not fit is an error: the database keeps the last commit, memory is rolled back', async () => {
    const { store, state } = storeWith();
    const backend = new MemoryBackend({ state, store });
    fillDisk(store, 0);
    const groups = backend.state.alertGroups.size;
    // A large alert (within the payload bounds) needs new pages, and there are none.
    expect(() => backend.receiveAlert('CQWPPTFIE6MK6', { groupKey: 'big', blob: 'x'.repeat(200_000) }))
      .toThrow(/Could not save the database \(SQLITE_FULL\); the change was not applied/);
    expect(backend.state.alertGroups.size).toBe(groups);
    expect(databaseContent(store).alertGroups.size).toBe(groups);
    expect(databaseContent(store).alerts.size).toBe(backend.state.alerts.size);
    // Room again: later writes work.
    store.db.pragma('max_page_count = 1073741823');
    await backend.escalationChains.create({ name: 'after the full disk' });
    expect(chainNames(databaseContent(store))).toContain('after the full disk');
    store.close();
  });

  it('an export to a disk that splits writes into small pieces is completed, not truncated', () => {
    const file = join(tempDir(), 'export.json');
    const trickle: WriteIo = {
      writeSync: (fd, buffer, offset, length) => writeSyncReal(fd, buffer, offset, Math.min(length, 512)),
    };
    const text = JSON.stringify({ blob: 'y'.repeat(100_000) });
    writeFileAtomic(file, [text.slice(0, 5000), text.slice(5000)], trickle);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('an export to a full disk leaves the old file whole and no temp file', () => {
    const dir = tempDir();
    const file = join(dir, 'export.json');
    writeFileSync(file, 'old');
    let room = 10;
    const full: WriteIo = {
      writeSync: (fd, buffer, offset, length) => {
        const n = Math.min(length, room);
        room -= n;
        return n === 0 ? 0 : writeSyncReal(fd, buffer, offset, n);
      },
    };
    expect(() => writeFileAtomic(file, 'new contents, longer than ten bytes', full)).toThrow(/short write/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['export.json']);
  });
});

describe('a save failing inside the escalation timer', () => {
  it('does not end the process: the step stays done in memory, the save is retried until it lands', async () => {
    const logs: string[] = [];
    const start = Date.parse('2026-03-24T12:00:00Z');
    let offset = start - Date.now();
    const clock = { now: () => Date.now() + offset }; // real time, shifted: the timer really fires
    const { store, state } = storeWith(demoState(), { log: (m) => logs.push(m), retryFirstMs: 20 });
    const backend = new MemoryBackend({ state, clock, store });
    const chain = (await backend.escalationChains.create({ name: 'timer' })).id;
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'wait', duration: 60 });
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'notify_persons', persons_to_notify: [IDS.bob] });
    const integration = (await backend.integrations.create({ type: 'webhook', default_route: { escalation_chain_id: chain } })).id;
    const { alertGroupId } = backend.receiveAlert(integration, { n: 1 });
    const group = backend.state.alertGroups.get(alertGroupId)!;
    offset += group.escalation!.nextAt! - clock.now();
    backend.runtime.runDue(); // the wait step starts
    backend.runtime.startTimer();
    const notified = () => databaseContent(store).alertGroups.get(alertGroupId)!.timeline.filter((i) => i.step === 'notify_persons');
    try {
      failWrites(store, true); // the disk fails before the wait ends
      offset += group.escalation!.nextAt! - 5 - clock.now(); // the notify step is due 5 ms from now, on the real timer
      backend.runtime.touch(group);
      await waitFor(() => logs.some((l) => l.includes('could not save')));
      expect(group.timeline.some((i) => i.step === 'notify_persons')).toBe(true); // the step ran once, in memory
      expect(store.saved).toBe(false);
      expect(notified()).toHaveLength(0); // not on disk yet

      // A request in the meantime that cannot be saved is rolled back, but not the step that already ran.
      await expect(backend.escalationChains.create({ name: 'during the outage' })).rejects.toMatchObject({ status: 500 });
      expect(backend.state.alertGroups.get(alertGroupId)!.timeline.filter((i) => i.step === 'notify_persons')).toHaveLength(1);

      failWrites(store, false); // the disk works again: the next retry lands
      await waitFor(() => store.saved);
      expect(notified()).toHaveLength(1); // saved, not re-run
      expect(logs.at(-1)).toContain('is saved again');
    } finally {
      backend.runtime.stopTimer();
      store.close();
    }
  });

  it('an alert whose own save fails is refused and not kept', async () => {
    const clock = VirtualClock.at('2026-03-24T12:00:00Z');
    const { store, state } = storeWith(demoState(), { retryFirstMs: 60_000 });
    const backend = new MemoryBackend({ state, clock, store });
    const chain = (await backend.escalationChains.create({ name: 'rollback' })).id;
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'notify_persons', persons_to_notify: [IDS.bob] });
    const integration = (await backend.integrations.create({ type: 'webhook', default_route: { escalation_chain_id: chain } })).id;
    failWrites(store, true);
    const groups = backend.state.alertGroups.size;
    expect(() => backend.receiveAlert(integration, { n: 1 })).toThrow(/the change was not applied/);
    expect(backend.state.alertGroups.size).toBe(groups); // the sender is told to retry; nothing was notified
    expect(backend.state.alertGroups.size).toBe(databaseContent(store).alertGroups.size);
    store.close();
  });
});

describe('values the store cannot hold are refused before they are applied', () => {
  it('set_integration_maintenance with a duration of 2^53 seconds', async () => {
    const { store, state } = storeWith();
    const backend = new MemoryBackend({ state, store });
    await expect(
      backend.integrations.startMaintenance('CFRPV98RPR1U8', { mode: 'maintenance', duration: 2 ** 53 }),
    ).rejects.toMatchObject({ status: 400, body: { duration: [expect.stringContaining('from 1 to 31536000')] } });
    expect(backend.state.integrations.get('CFRPV98RPR1U8')!.maintenance).toBeNull();
    // and later writes still work
    await backend.escalationChains.create({ name: 'still writable' });
    expect(chainNames(databaseContent(store))).toContain('still writable');
    store.close();
  });

  it('an alert nested 20,000 levels deep', async () => {
    const { store, state } = storeWith();
    const backend = new MemoryBackend({ state, store });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const groups = backend.state.alertGroups.size;
    expect(() => backend.receiveAlert('CQWPPTFIE6MK6', deep)).toThrow(/nested more than 100 levels/);
    expect(backend.state.alertGroups.size).toBe(groups);
    await backend.escalationChains.create({ name: 'still writable' });
    expect(chainNames(databaseContent(store))).toContain('still writable');
    store.close();
  });

  it('a silence of 10^12 seconds, and integers past 2^31 in policy fields', async () => {
    const backend = new MemoryBackend({ state: demoState() });
    const group = backend.receiveAlert('CQWPPTFIE6MK6', { groupKey: 'x' }).alertGroupId;
    await expect(backend.alertGroups.action(group, 'silence', { delay: 1e12 })).rejects.toMatchObject({
      status: 400,
      body: { detail: expect.stringContaining('at most 31536000 seconds') },
    });
    await expect(
      backend.escalationPolicies.create({ escalation_chain_id: IDS.defaultChain, type: 'wait', duration: 60, position: 2 ** 40 }),
    ).rejects.toMatchObject({ status: 400, body: { position: ['Ensure this value is less than or equal to 2147483647.'] } });
  });

  it('a value that slipped in anyway cannot be saved: the request is rolled back and later writes work', async () => {
    const { store, state } = storeWith();
    const backend = new MemoryBackend({ state, store });
    const chain = backend.state.chains.get(IDS.defaultChain)!;
    const name = chain.name;
    (chain as unknown as { name: unknown }).name = 10n; // JSON.stringify throws on a BigInt
    expect(() => store.save()).toThrow(/cannot be stored/);
    expect(backend.state.chains.get(IDS.defaultChain)!.name).toBe(name);
    await backend.escalationChains.create({ name: 'after the bad value' });
    expect(chainNames(databaseContent(store))).toContain('after the bad value');
    store.close();
  });
});

describe('two processes on one database', () => {
  it('the second is refused with the first one\'s pid; after the first is killed, a restart opens it', async () => {
    const file = join(tempDir(), 'org.json');
    const first = spawn(process.execPath, [BIN, '--data', file, '--persist'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let firstErr = '';
    first.stderr.on('data', (d: Buffer) => (firstErr += d.toString()));
    await waitFor(() => firstErr.includes('created'), 10_000, () => firstErr);
    const second = await runToExit([BIN, '--data', file, '--persist']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`--persist ${file}.db is in use by another process (pid ${first.pid})`);
    const exported = await runToExit([BIN, '--db', `${file}.db`, 'export']);
    expect(exported.code).toBe(2); // also refused while the server holds it
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const third = await runToExit([BIN, '--data', file, '--persist', 'call', 'create_escalation_chain', '{"name":"after the crash"}']);
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);
    expect(chainNames(databaseContent(`${file}.db`))).toContain('after the crash'); // and the lock was released on exit
  });

  it('a file that is not a database is refused, naming the file and the fix; the file is untouched', async () => {
    const file = join(tempDir(), 'org.json');
    writeFileSync(file, JSON.stringify({ version: 1 }));
    const run = await runToExit([BIN, '--db', file, 'call', 'list_teams']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--db ${file}: not an oncall-mcp database (SQLITE_NOTADB). If it is a JSON data file, use --data ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify({ version: 1 }));
    expect(importData(JSON.parse(readFileSync(file, 'utf8'))).users.size).toBe(0);
  });
});

function runToExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

async function waitFor(condition: () => boolean, ms = 3000, explain?: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met in time${explain ? `: ${explain()}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
