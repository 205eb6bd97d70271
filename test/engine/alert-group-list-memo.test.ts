/**
 * The alert-group list keeps its filtered, sorted matches between pages (alert-groups.ts,
 * ListMemo). The same query asked again after each kind of change must answer as if nothing were
 * kept: a new alert, an acknowledgement, a resolution, a deletion, an integration moved to another
 * team, groups paged out to the database. A change made without its mark (an engine bug) is caught
 * by the tests' verification rather than served stale.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { removeTempDirs, storeWith } from '../storage-helpers.js';

afterEach(removeTempDirs);

const ALERTMANAGER = 'CQWPPTFIE6MK6';

function engine(store?: ReturnType<typeof storeWith>) {
  return new MemoryBackend({ state: store?.state ?? demoState(), store: store?.store, clock: VirtualClock.at('2026-03-24T12:00:00Z') });
}

const ids = async (backend: MemoryBackend, query: Record<string, string> = {}) =>
  (await backend.alertGroups.list({ perpage: '100', ...query } as never)).results.map((g) => g.id);

describe('the alert-group list after changes, query unchanged', () => {
  it('follows new alerts, acknowledgements, resolutions and deletions', async () => {
    const backend = engine();
    const a = backend.receiveAlert(ALERTMANAGER, { groupKey: 'a', status: 'firing' }).alertGroupId;
    expect(await ids(backend, { state: 'new' })).toEqual([a]);
    const b = backend.receiveAlert(ALERTMANAGER, { groupKey: 'b', status: 'firing' }).alertGroupId;
    expect(await ids(backend, { state: 'new' })).toEqual([a, b]);
    await backend.alertGroups.action(a, 'acknowledge');
    expect(await ids(backend, { state: 'new' })).toEqual([b]);
    expect(await ids(backend, { state: 'acknowledged' })).toEqual([a]);
    await backend.alertGroups.action(b, 'resolve');
    expect(await ids(backend, { state: 'new' })).toEqual([]);
    expect(await ids(backend, { state: 'resolved' })).toEqual([b]);
    await backend.alertGroups.delete(b, { mode: 'delete' });
    expect(await ids(backend, { state: 'resolved' })).toEqual([]);
    expect(await ids(backend)).toEqual([a]);
  });

  it('follows an integration moved to another team (the team filter reads integrations)', async () => {
    const backend = engine();
    const a = backend.receiveAlert(ALERTMANAGER, { groupKey: 'a', status: 'firing' }).alertGroupId;
    const team = backend.state.integrations.get(ALERTMANAGER)!.team_id;
    const other = [...backend.state.teams.keys()].find((t) => t !== team)!;
    expect(await ids(backend, { team_id: other })).toEqual([]);
    await backend.integrations.update(ALERTMANAGER, { team_id: other } as never);
    expect(await ids(backend, { team_id: other })).toEqual([a]);
  });

  it('still lists groups the store pages out to the database', async () => {
    const stored = storeWith(demoState(), { residentResolvedGroups: 2 });
    const backend = engine(stored);
    const made: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = backend.receiveAlert(ALERTMANAGER, { groupKey: `k${i}`, status: 'firing' }).alertGroupId;
      made.push(id);
      expect((await ids(backend, { state: 'resolved' })).length).toBe(i);
      await backend.alertGroups.action(id, 'resolve');
    }
    expect(backend.state.alertGroups.size).toBeLessThan(6); // some are only in the database now
    expect((await ids(backend, { state: 'resolved' })).sort()).toEqual([...made].sort());
    stored.store.close();
  });

  it('a group changed without its mark is an engine bug the tests catch, not a stale answer', async () => {
    expect(process.env.ONCALL_MCP_VERIFY_COMMITS).toBe('1');
    const backend = engine();
    const a = backend.receiveAlert(ALERTMANAGER, { groupKey: 'a', status: 'firing' }).alertGroupId;
    expect(await ids(backend, { state: 'new' })).toEqual([a]);
    backend.state.alertGroups.get(a)!.resolved = true; // no markChanged: what no engine code may do
    await expect(ids(backend, { state: 'new' })).rejects.toThrow(/engine bug: an alert group changed without a mark/);
  });
});
