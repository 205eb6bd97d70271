/**
 * SIGTERM while the escalation scheduler has heavy work: the built bin (`oncall-mcp api --data FILE
 * --persist`) opens a database in which 10,000 alert groups' first escalation steps are all due,
 * takes inbound alerts through its real endpoint while it works through them, and is sent SIGTERM
 * with alerts still arriving. It must exit by itself with code 0 (usage.ts: "0 ok (also after
 * SIGTERM/SIGINT)"), and the database must then open and hold every alert group it acknowledged.
 * Nothing here is timed: the only limit is the test's outer timeout, i.e. that it exits at all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { openDatabase, readWholeOrganisation, writeOrganisation } from '../../src/engine/storage/database.js';
import { removeTempDirs, tempDir } from '../storage-helpers.js';
import { BIN } from './run-cli.js';

/** The demo's Alertmanager integration: its default route escalates through a demo chain. */
const INTEGRATION = 'CQWPPTFIE6MK6';
const INBOUND = '/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulun/';
/** Enough that the scheduler is still working through them when SIGTERM comes (500 steps a slice). */
const DUE = 10_000;
/** SIGTERM goes once this many inbound alerts were acknowledged; the senders keep going after it. */
const BEFORE_SIGNAL = 20;
const SENDERS = 8;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  removeTempDirs();
});

/** A database holding the demo plus `count` open alert groups whose first steps fell due a minute ago. */
function seedDueDatabase(file: string, count: number): void {
  const state = demoState();
  // The engine's own ingestion on a clock a minute back: each group's first step is due 1 s after it.
  const backend = new MemoryBackend({ state, clock: new VirtualClock(Date.now() - 60_000) });
  for (let i = 0; i < count; i++) backend.receiveAlert(INTEGRATION, { groupKey: `due ${i}`, status: 'firing' });
  const db = openDatabase(file);
  writeOrganisation(db, state);
  db.close();
}

describe('oncall-mcp api --persist: SIGTERM while the scheduler is busy', () => {
  it('exits by itself with code 0, and the database holds every alert group it acknowledged', async () => {
    const dir = tempDir();
    const data = join(dir, 'org.json'); // absent: --persist opens (here: the pre-seeded) org.json.db
    seedDueDatabase(`${data}.db`, DUE);

    child = spawn(
      process.execPath,
      [BIN, 'api', '--port', '0', '--data', data, '--persist', '--alert-rate-limit', '0', '--org-alert-rate-limit', '0'],
      { env: { PATH: process.env.PATH ?? '', ONCALL_MCP_API_TOKEN: 'sigterm-under-load' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const proc = child;
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const url = await new Promise<string>((resolve, reject) => {
      proc.stderr!.on('data', (d) => {
        stderr += d;
        const m = /serving the OnCall API v1 at (http:\/\/[^ ]+)\/api\/v1\//.exec(stderr);
        if (m) resolve(m[1]!);
      });
      void exited.then(({ code }) => reject(new Error(`api exited ${code} before serving: ${stderr}`)));
    });

    // Senders post alerts with new grouping keys until the server stops answering. A key counts as
    // acknowledged only on OnCall's 200 "Ok.", which the server sends after the alert's commit.
    const acknowledged: string[] = [];
    let next = 0;
    let signalled = false;
    let stopped = false;
    void exited.then(() => (stopped = true));
    const sender = async () => {
      while (!stopped && next < 50_000) {
        const key = `posted ${next++}`;
        try {
          const res = await fetch(`${url}${INBOUND}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ groupKey: key, status: 'firing' }),
          });
          const text = await res.text();
          if (res.status === 200 && text === 'Ok.') acknowledged.push(key);
          else if (!signalled) throw new Error(`inbound alert refused before SIGTERM: ${res.status} ${text}`);
        } catch (err) {
          if (!signalled) throw err;
          return; // the server closed its listener: this sender is done
        }
        if (!signalled && acknowledged.length >= BEFORE_SIGNAL) {
          signalled = true;
          proc.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    const { code, signal } = await exited;

    expect(signalled).toBe(true);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('SIGTERM, shutting down');

    const db = openDatabase(`${data}.db`); // opens: the lock was released and the file is whole
    let state;
    try {
      state = readWholeOrganisation(db);
    } finally {
      db.close();
    }
    const groups = [...state.alertGroups.values()];
    const keys = new Set(groups.map((g) => g.groupingKey));
    expect(acknowledged.length).toBeGreaterThanOrEqual(BEFORE_SIGNAL);
    expect(acknowledged.filter((key) => !keys.has(key))).toEqual([]);
    for (let i = 0; i < DUE; i++) expect(keys.has(`due ${i}`)).toBe(true);
    // The scheduler's first slice runs when the timer starts, before the server listens, so some of
    // the due groups stepped; their progress was saved by the runtime's own commits.
    const stepped = groups.filter((g) => g.groupingKey?.startsWith('due ') && (g.escalation?.nextIndex ?? 0) > 0);
    expect(stepped.length).toBeGreaterThan(0);
  }, 180_000);
});
