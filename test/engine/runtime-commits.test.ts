/**
 * The scheduler commits once per run, not once per alert group: many groups due at once are
 * stepped by one run (or one slice of the server's timer) and saved by one background commit, one
 * SQLite transaction. The engine runs on the real database store, wrapped only to count the commits
 * that reach it; the database is then reopened to check that the one commit wrote every group.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engine/core/clock.js';
import type { StateStore } from '../../src/engine/core/context.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { NOW } from '../helpers.js';
import { removeTempDirs, reopen, storeWith } from '../storage-helpers.js';

/** The demo's Alertmanager integration: its default route escalates through a demo chain. */
const INTEGRATION = 'CQWPPTFIE6MK6';
const GROUPS = 1_200;

afterEach(removeTempDirs);

/** The engine on a real SQLite store, with every commit that reaches the store counted by kind. */
function engineOnCountedStore() {
  const { store, state, file } = storeWith();
  const counts = { save: 0, saveInBackground: 0 };
  const counted: StateStore = {
    save: (s, changed) => {
      counts.save++;
      store.save(s, changed);
    },
    saveInBackground: (s, changed) => {
      counts.saveInBackground++;
      store.saveInBackground(s, changed);
    },
    flush: () => store.flush(),
    get saved() {
      return store.saved;
    },
    close: () => store.close(),
  };
  const clock = VirtualClock.at(NOW);
  const backend = new MemoryBackend({ state, clock, store: counted });
  backend.runtime.onError = (message) => {
    throw new Error(message);
  };
  const ids: string[] = [];
  // Each alert is a request commit of its own; none has work due yet (the first step is 1 s later).
  for (let i = 0; i < GROUPS; i++) ids.push(backend.receiveAlert(INTEGRATION, { groupKey: `due ${i}`, status: 'firing' }).alertGroupId);
  expect(counts).toEqual({ save: GROUPS, saveInBackground: 0 });
  counts.save = 0;
  let steps = 0;
  backend.runtime.onStep = () => steps++;
  let feed = 0;
  backend.changes.subscribe(() => feed++);
  // Every group's first step is now due at once.
  clock.advance(60_000);
  return { backend, counts, ids, file, steps: () => steps, feed: () => feed };
}

const steppedIn = (file: string, ids: string[]) => {
  const { store, state } = reopen(file);
  try {
    return ids.filter((id) => (state.alertGroups.get(id)?.escalation?.nextIndex ?? 0) > 0).length;
  } finally {
    store.close();
  }
};

describe('the scheduler commits once per run', () => {
  it('a run over 1,200 due groups is one background commit, and that commit saved all of them', async () => {
    const { backend, counts, ids, file, steps, feed } = engineOnCountedStore();
    const ran = backend.runtime.runDue();
    expect(ran).toBe(steps());
    expect(ran).toBeGreaterThanOrEqual(GROUPS); // every group's first step (and what they started)
    expect(counts).toEqual({ save: 0, saveInBackground: 1 });
    await Promise.resolve(); // the change feed is told in a microtask after the commit
    expect(feed()).toBe(1);
    await backend.lifecycle.stop(0);
    expect(steppedIn(file, ids)).toBe(GROUPS);
  });

  it('one slice of the server timer is one commit, however many groups it stepped', async () => {
    const { backend, counts, ids, file, steps } = engineOnCountedStore();
    // startTimer runs the first slice at once (500 steps at most, or 20 ms); stopping the timer
    // before the event loop turns keeps the slices after it from running.
    backend.lifecycle.start();
    backend.runtime.stopTimer();
    expect(steps()).toBeGreaterThan(1);
    expect(steps()).toBeLessThanOrEqual(500);
    expect(counts).toEqual({ save: 0, saveInBackground: 1 });
    await backend.lifecycle.stop(0);
    expect(steppedIn(file, ids)).toBe(steps());
  });
});
