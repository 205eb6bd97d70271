/**
 * Durability under SIGKILL: a child process writes through the engine into a database in a tight
 * loop, acknowledging each commit on stdout after it returned; it is killed at a random instant,
 * the database is reopened, and every acknowledged write must be there, whole. Repeated for many
 * cycles on the same file, so recovery after recovery is exercised. The database always opens, its
 * integrity check passes, and its records hang together (every alert's group exists, every group's
 * alerts exist).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, readWholeOrganisation } from '../../src/engine/storage/database.js';
import { removeTempDirs, tempDir } from '../storage-helpers.js';

const CHILD = fileURLToPath(new URL('../fixtures/write-loop.mjs', import.meta.url));
const CYCLES = Number(process.env.ONCALL_DURABILITY_CYCLES ?? 200);
/** Separate databases written at once: the two cores spend most of a cycle starting a child. */
const LANES = 2;

afterAll(removeTempDirs);

interface Acked {
  chains: Map<string, string>;
  groups: Set<string>;
  resolved: Set<string>;
  notes: Map<string, string>;
}

/** Run one child until it has acknowledged at least one write, then SIGKILL it after a random delay. */
function cycle(file: string, n: number, acked: Acked): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file, String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    let armed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const ack = JSON.parse(line) as Record<string, string>;
        if (ack.chain) acked.chains.set(ack.chain, ack.name!);
        if (ack.group) acked.groups.add(ack.group);
        if (ack.resolved) acked.resolved.add(ack.resolved);
        if (ack.note) acked.notes.set(ack.note, ack.text!);
        if (ack.ready && !armed) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), Math.random() * 150);
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`cycle ${n}: the child exited with ${code} before it was killed: ${stderr}`));
    });
  });
}

function check(file: string, acked: Acked, n: number): void {
  const db = openDatabase(file); // opens (recovering the WAL) or throws
  try {
    expect(db.pragma('integrity_check', { simple: true }), `cycle ${n}`).toBe('ok');
    const state = readWholeOrganisation(db);
    for (const [id, name] of acked.chains) expect(state.chains.get(id)?.name, `cycle ${n}: chain ${id}`).toBe(name);
    for (const id of acked.groups) expect(state.alertGroups.has(id), `cycle ${n}: group ${id}`).toBe(true);
    for (const id of acked.resolved) expect(state.alertGroups.get(id)?.resolved, `cycle ${n}: resolved ${id}`).toBe(true);
    for (const [id, text] of acked.notes) expect(state.resolutionNotes.get(id)?.text, `cycle ${n}: note ${id}`).toBe(text);
    for (const alert of state.alerts.values()) expect(state.alertGroups.has(alert.alertGroupId), `cycle ${n}: alert ${alert.id}`).toBe(true);
    for (const group of state.alertGroups.values()) {
      for (const id of group.alertIds) expect(state.alerts.has(id), `cycle ${n}: alert ${id} of ${group.id}`).toBe(true);
    }
  } finally {
    db.close();
  }
}

describe('durability', () => {
  it(`SIGKILL at random points in bursts of writes, ${CYCLES} times: no acknowledged write is lost, the database always opens`, async () => {
    const lanes = Array.from({ length: LANES }, () => ({
      file: join(tempDir(), 'org.db'),
      acked: { chains: new Map(), groups: new Set(), resolved: new Set(), notes: new Map() } as Acked,
    }));
    let next = 0;
    await Promise.all(lanes.map(async (lane) => {
      while (next < CYCLES) {
        const n = next++;
        await cycle(lane.file, n, lane.acked);
        check(lane.file, lane.acked, n);
      }
    }));
    const writes = lanes.reduce((sum, l) => sum + l.acked.chains.size + l.acked.groups.size + l.acked.notes.size, 0);
    expect(writes).toBeGreaterThan(CYCLES / 2); // the kills really landed in the middle of writing
  }, 180_000);
});
