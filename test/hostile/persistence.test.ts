/**
 * Faults around `--persist`: a disk that fills up mid-write, a save failing inside the escalation
 * timer, values the store cannot hold, and two processes on one data file. In every case the
 * process keeps running and memory and disk never disagree about an acknowledged change.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync as writeSyncReal } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { importData } from '../../src/engine/storage/data-file.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { Persister, serializeState, type WriteIo, writeFileAtomic } from '../../src/engine/storage/persistence.js';
import { BIN } from '../cli/run-cli.js';
import { IDS } from '../helpers.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-hostile-'));
  dirs.push(dir);
  return join(dir, 'org.json');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A disk with `room` bytes left: writeSync writes what fits, then 0 bytes, as a full disk does. */
function nearlyFullDisk(room: number): WriteIo & { room: number } {
  const disk = {
    room,
    writeSync(_fd: number, buffer: Uint8Array, offset: number, length: number) {
      const n = Math.min(length, disk.room);
      disk.room -= n;
      return n === 0 ? 0 : writeSyncReal(_fd, buffer, offset, n);
    },
  };
  return disk;
}

function persisted(file: string, state = demoState(), options: ConstructorParameters<typeof Persister>[2] = {}) {
  writeFileAtomic(file, serializeState(state));
  const persister = new Persister(file, state, options);
  return { state, persister };
}

const chainNames = (state: ReturnType<typeof demoState>) => [...state.chains.values()].map((c) => c.name);

describe('a nearly full disk', () => {
  it('a short write is an error: the file stays whole, memory is rolled back, no temp file is left', async () => {
    const file = tempFile();
    const disk = nearlyFullDisk(0);
    const { state, persister } = persisted(file, demoState(), { io: disk });
    const before = readFileSync(file, 'utf8');
    disk.room = 1000; // the new file needs tens of kilobytes: the write stops short
    const backend = new MemoryBackend({ state, store: persister });
    await expect(backend.escalationChains.create({ name: 'never saved' })).rejects.toMatchObject({
      status: 500,
      body: { detail: 'Could not save the data file (ENOSPC); the change was not applied.' },
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(() => importData(JSON.parse(readFileSync(file, 'utf8')))).not.toThrow();
    expect(chainNames(backend.state)).not.toContain('never saved');
    expect(readdirSync(join(file, '..'))).toEqual(['org.json']);
  });

  it('a write that the kernel splits into small pieces is completed, not truncated', async () => {
    const file = tempFile();
    const trickle: WriteIo = {
      writeSync: (fd, buffer, offset, length) => writeSyncReal(fd, buffer, offset, Math.min(length, 512)),
    };
    const { state, persister } = persisted(file, demoState(), { io: trickle });
    const backend = new MemoryBackend({ state, store: persister });
    await backend.escalationChains.create({ name: 'written in pieces' });
    const reloaded = importData(JSON.parse(readFileSync(file, 'utf8')));
    expect(chainNames(reloaded)).toContain('written in pieces');
  });
});

describe('a save failing inside the escalation timer', () => {
  it('does not end the process: the step stays done in memory, the save is retried until it lands', async () => {
    const file = tempFile();
    const disk = nearlyFullDisk(Number.POSITIVE_INFINITY);
    const logs: string[] = [];
    const start = Date.parse('2026-03-24T12:00:00Z');
    let offset = start - Date.now();
    const clock = { now: () => Date.now() + offset }; // real time, shifted: the timer really fires
    const { state, persister } = persisted(file, demoState(), { io: disk, log: (m) => logs.push(m), retryFirstMs: 20 });
    const backend = new MemoryBackend({ state, clock, store: persister });
    const chain = (await backend.escalationChains.create({ name: 'timer' })).id;
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'wait', duration: 60 });
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'notify_persons', persons_to_notify: [IDS.bob] });
    const integration = (await backend.integrations.create({ type: 'webhook', default_route: { escalation_chain_id: chain } })).id;
    const { alertGroupId } = backend.receiveAlert(integration, { n: 1 });
    const group = backend.state.alertGroups.get(alertGroupId)!;
    offset += group.escalation!.nextAt! - clock.now();
    backend.runtime.runDue(); // the wait step starts
    backend.runtime.startTimer();
    try {
      disk.room = 0; // the disk fills up before the wait ends
      offset += group.escalation!.nextAt! - 5 - clock.now(); // the notify step is due 5 ms from now, on the real timer
      backend.runtime.touch(group);
      await waitFor(() => logs.some((l) => l.includes('could not save')));
      expect(group.timeline.some((i) => i.step === 'notify_persons')).toBe(true); // the step ran once, in memory
      expect(persister.saved).toBe(false);
      const notified = (s: ReturnType<typeof importData>) =>
        s.alertGroups.get(alertGroupId)!.timeline.filter((i) => i.step === 'notify_persons');
      expect(notified(importData(JSON.parse(readFileSync(file, 'utf8'))))).toHaveLength(0); // not on disk yet

      disk.room = Number.POSITIVE_INFINITY; // space is freed: the next retry lands
      await waitFor(() => persister.saved);
      expect(notified(importData(JSON.parse(readFileSync(file, 'utf8'))))).toHaveLength(1); // saved, not re-run
      expect(logs.at(-1)).toContain('is saved again');
    } finally {
      backend.runtime.stopTimer();
      persister.close();
    }
  });

  it('an alert whose own save fails is refused and not kept', async () => {
    const file = tempFile();
    const disk = nearlyFullDisk(Number.POSITIVE_INFINITY);
    const clock = VirtualClock.at('2026-03-24T12:00:00Z');
    const { state, persister } = persisted(file, demoState(), { io: disk, log: () => {}, retryFirstMs: 60_000 });
    const backend = new MemoryBackend({ state, clock, store: persister });
    const chain = (await backend.escalationChains.create({ name: 'rollback' })).id;
    await backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'notify_persons', persons_to_notify: [IDS.bob] });
    const integration = (await backend.integrations.create({ type: 'webhook', default_route: { escalation_chain_id: chain } })).id;
    disk.room = 0;
    const groups = backend.state.alertGroups.size;
    expect(() => backend.receiveAlert(integration, { n: 1 })).toThrow(/the change was not applied/);
    expect(backend.state.alertGroups.size).toBe(groups); // the sender is told to retry; nothing was notified
    expect(backend.state.alertGroups.size).toBe(importData(JSON.parse(readFileSync(file, 'utf8'))).alertGroups.size);
    persister.close();
  });
});

describe('values the store cannot hold are refused before they are applied', () => {
  it('set_integration_maintenance with a duration of 2^53 seconds', async () => {
    const file = tempFile();
    const { state, persister } = persisted(file);
    const backend = new MemoryBackend({ state, store: persister });
    await expect(
      backend.integrations.startMaintenance('CFRPV98RPR1U8', { mode: 'maintenance', duration: 2 ** 53 }),
    ).rejects.toMatchObject({ status: 400, body: { duration: [expect.stringContaining('from 1 to 31536000')] } });
    expect(backend.state.integrations.get('CFRPV98RPR1U8')!.maintenance).toBeNull();
    // and later writes still work
    await backend.escalationChains.create({ name: 'still writable' });
    expect(readFileSync(file, 'utf8')).toContain('still writable');
  });

  it('an alert nested 20,000 levels deep', async () => {
    const file = tempFile();
    const { state, persister } = persisted(file);
    const backend = new MemoryBackend({ state, store: persister });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const groups = backend.state.alertGroups.size;
    expect(() => backend.receiveAlert('CQWPPTFIE6MK6', deep)).toThrow(/nested more than 100 levels/);
    expect(backend.state.alertGroups.size).toBe(groups);
    await backend.escalationChains.create({ name: 'still writable' });
    expect(readFileSync(file, 'utf8')).toContain('still writable');
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
    const file = tempFile();
    const { state, persister } = persisted(file);
    const backend = new MemoryBackend({ state, store: persister });
    const chain = backend.state.chains.get(IDS.defaultChain)!;
    const name = chain.name;
    (chain as unknown as { name: unknown }).name = 10n; // JSON.stringify throws on a BigInt
    expect(() => persister.save()).toThrow(/cannot be stored/);
    expect(backend.state.chains.get(IDS.defaultChain)!.name).toBe(name);
    await backend.escalationChains.create({ name: 'after the bad value' });
    expect(readFileSync(file, 'utf8')).toContain('after the bad value');
  });
});

describe('two processes on one data file', () => {
  it('the second is refused with the first one\'s pid; after the first is killed, a restart takes the stale lock', async () => {
    const file = tempFile();
    const first = spawn(process.execPath, [BIN, '--data', file, '--persist'], { stdio: ['pipe', 'pipe', 'pipe'] });
    await waitFor(() => readdirSync(join(file, '..')).includes('org.json.lock'));
    const second = await runToExit([BIN, '--data', file, '--persist']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is in use by another oncall-mcp (pid ${first.pid}`);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(readdirSync(join(file, '..'))).toContain('org.json.lock'); // SIGKILL left it behind
    const third = await runToExit([BIN, '--data', file, '--persist', 'call', 'create_escalation_chain', '{"name":"after the crash"}']);
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('after the crash');
    expect(readdirSync(join(file, '..'))).not.toContain('org.json.lock'); // released on exit
  });

  it('temp files an interrupted save left are removed at start', async () => {
    const file = tempFile();
    writeFileAtomic(file, serializeState(demoState()));
    writeFileSync(join(file, '..', '.org.json.12345.1700000000000.tmp'), '{"half": ');
    const run = await runToExit([BIN, '--data', file, '--persist', 'call', 'list_teams']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('removed 1 temp file(s)');
    expect(readdirSync(join(file, '..')).sort()).toEqual(['org.json']);
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
