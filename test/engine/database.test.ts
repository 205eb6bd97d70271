/**
 * The database store's safety net: after random operations of every kind (configuration, alerts,
 * every alert-group action, notes, paging, maintenance, the runtime's own steps and webhooks),
 * the database holds exactly what memory holds. A change that is not marked, or not compared,
 * leaves the database behind memory and fails here. With only two resolved groups allowed to
 * stay in memory, groups are archived and brought back all the time, and every list must answer
 * as an engine holding everything in memory answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import type { State } from '../../src/engine/core/state.js';
import { exportData, importData } from '../../src/engine/storage/data-file.js';
import { readWholeOrganisation } from '../../src/engine/storage/database.js';
import { dataFileChunks } from '../../src/engine/storage/transfer.js';
import { historyRows } from '../../src/engine/storage/database.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { IDS } from '../helpers.js';
import { removeTempDirs, reopen, storeWith } from '../storage-helpers.js';

afterEach(removeTempDirs);

/** A small deterministic PRNG, so a failure replays with its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)]! };
}

/** Memory laid over the database: every resident record replaces its stored copy. */
function memoryOverDatabase(stored: State, memory: State): State {
  const overlay: State = { ...stored };
  for (const [key, value] of Object.entries(memory)) {
    if (key === 'alertGroups' || key === 'alerts' || key === 'resolutionNotes' || key === 'webhookResponses') continue;
    (overlay as unknown as Record<string, unknown>)[key] = value;
  }
  overlay.alertGroups = new Map([...stored.alertGroups, ...memory.alertGroups]);
  overlay.alerts = new Map([...stored.alerts, ...memory.alerts]);
  overlay.resolutionNotes = new Map([...stored.resolutionNotes, ...memory.resolutionNotes]);
  return overlay;
}

const ACTIONS = ['acknowledge', 'unacknowledge', 'resolve', 'unresolve', 'silence', 'unsilence'] as const;

async function allPages<T>(list: (page: number) => Promise<{ results: T[]; total_pages: number }>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const r = await list(page);
    out.push(...r.results);
    if (page >= r.total_pages) return out;
  }
}

/** What the lists answer, for comparing an engine with archived history with one that has it all in memory. */
async function lists(backend: MemoryBackend, groupIds: string[], integrations: string[]) {
  const perpage = 7;
  const queries = [
    {},
    { state: 'resolved' },
    { state: 'new' },
    { state: 'acknowledged' },
    { team_id: IDS.sreTeam },
    { team_id: 'null' },
    { integration_id: integrations[0] },
    { id: groupIds[0] },
    { started_at: '2026-03-24T12:00:00_2026-03-24T14:00:00' },
  ];
  const groups = [];
  for (const q of queries) groups.push(await allPages((page) => backend.alertGroups.list({ ...q, page, perpage })));
  const alerts = [];
  for (const q of [{}, { alert_group_id: groupIds[1] }, { search: 'DISK' }, { search: 'é' }]) {
    alerts.push(await allPages((page) => backend.alerts.list({ ...q, page, perpage })));
  }
  const notes = [];
  for (const q of [{}, { alert_group_id: groupIds[2] }]) {
    notes.push(await allPages((page) => backend.resolutionNotes.list({ ...q, page, perpage })));
  }
  const timelines = [];
  for (const id of groupIds.slice(0, 5)) timelines.push(await backend.alertGroups.timeline(id).catch(() => 'gone'));
  return { groups, alerts, notes, timelines };
}

describe('the database store', () => {
  it('after random operations of every kind, the database equals memory, and lists equal an all-in-memory engine', async () => {
    const rng = random(12);
    const clock = VirtualClock.at('2026-03-24T12:00:00Z');
    const { store, state, file } = storeWith(demoState(), { residentResolvedGroups: 2 });
    const backend = new MemoryBackend({ state, clock, store });
    const chains: string[] = [IDS.defaultChain, IDS.sreCritical];
    const policies: string[] = [IDS.waitPolicy, IDS.roundRobinPolicy];
    const integrations: string[] = ['CQWPPTFIE6MK6', 'CQRN9ZVPXA396'];
    const groupIds: string[] = [];
    const notes: string[] = [];
    const deletedGroups: string[] = [];
    const users = [IDS.alice, IDS.bob, IDS.carol, IDS.dave];
    const ignore400 = (err: unknown) => {
      if ((err as { status?: number }).status !== 400 && (err as { status?: number }).status !== 404) throw err;
    };
    const operations: Array<() => Promise<unknown> | unknown> = [
      async () => chains.push((await backend.escalationChains.create({ name: `chain ${rng.int(1e9)}` })).id),
      () => backend.escalationChains.update(rng.pick(chains), { name: `renamed ${rng.int(1e9)}` }).catch(ignore400),
      async () => {
        const chain = rng.pick(chains);
        const type = rng.pick(['wait', 'notify_persons', 'notify_person_next_each_time', 'trigger_webhook', 'repeat_escalation']);
        const body = type === 'wait'
          ? { type, duration: rng.pick([60, 300, 900]) }
          : type === 'trigger_webhook'
            ? { type, action_to_trigger: IDS.incidentsWebhook }
            : type === 'repeat_escalation'
              ? { type }
              : { type, persons_to_notify: [rng.pick(users)], persons_to_notify_next_each_time: [rng.pick(users)] };
        const create = { escalation_chain_id: chain, ...body } as Parameters<MemoryBackend['escalationPolicies']['create']>[0];
        policies.push((await backend.escalationPolicies.create(create)).id);
      },
      () => backend.escalationPolicies.update(rng.pick(policies), { type: 'wait', duration: 120 }).catch(ignore400),
      () => backend.escalationPolicies.delete(policies.splice(rng.int(policies.length), 1)[0]!).catch(ignore400),
      () => backend.escalationPolicies.advanceRoundRobin(rng.pick(policies)).catch(ignore400),
      async () => {
        const created = await backend.integrations.create({ type: 'webhook', default_route: { escalation_chain_id: rng.pick(chains) } });
        integrations.push(created.id);
      },
      () => backend.integrations.startMaintenance(rng.pick(integrations), { mode: rng.pick(['maintenance', 'debug']), duration: 3600 }).catch(ignore400),
      () => backend.integrations.stopMaintenance(rng.pick(integrations)).catch(ignore400),
      () => backend.routes.create({ integration_id: rng.pick(integrations), routing_regex: `disk${rng.int(9)}`, escalation_chain_id: rng.pick(chains) }).catch(ignore400),
      () => backend.schedules.create({ name: `schedule ${rng.int(1e9)}`, type: 'web', time_zone: 'UTC' }).catch(ignore400),
      () => {
        const payload = rng.next() < 0.2
          ? { title: `Disk ${rng.int(3)} full`, n: rng.int(3), state: 'ok' }
          : { title: rng.pick(['Disk full', 'CPU hot', 'Latence élevée']), n: rng.int(3) };
        const { alertGroupId, created } = backend.receiveAlert(rng.pick(integrations), payload);
        if (created) groupIds.push(alertGroupId);
      },
      () => groupIds.length
        && backend.alertGroups
          .action(rng.pick(groupIds), rng.pick(ACTIONS), { delay: rng.pick([60, -1]) })
          .catch(ignore400),
      () => groupIds.length && backend.alertGroups.action(rng.pick(groupIds), 'resolve').catch(ignore400),
      async () => {
        if (!groupIds.length) return;
        const id = rng.pick(groupIds);
        const mode = rng.next() < 0.5 ? 'wipe' : 'delete';
        await backend.alertGroups.delete(id, { mode }).catch(ignore400);
        if (mode === 'delete') deletedGroups.push(id);
      },
      async () => {
        if (!groupIds.length) return;
        const note = await backend.resolutionNotes.create({ alert_group_id: rng.pick(groupIds), text: `note ${rng.int(1e9)}` }).catch(ignore400);
        if (note) notes.push(note.id);
      },
      () => notes.length && backend.resolutionNotes.update(rng.pick(notes), { text: `edited ${rng.int(1e9)}` }).catch(ignore400),
      () => notes.length && backend.resolutionNotes.delete(notes.splice(rng.int(notes.length), 1)[0]!).catch(ignore400),
      () => backend.escalation.create({
        users: [{ id: rng.pick(users), important: rng.next() < 0.5 }],
        ...(groupIds.length && rng.next() < 0.5 ? { alert_group_id: rng.pick(groupIds) } : { title: `page ${rng.int(1e9)}` }),
      }).then((g) => { if (!groupIds.includes(g.id)) groupIds.push(g.id); }).catch(ignore400),
      async () => {
        backend.runtime.advanceTo(clock, clock.now() + rng.pick([1, 30, 60, 300, 900, 3600]) * 1000);
        await backend.webhookSender.settled();
      },
    ];

    // Alerts and resolutions come more often than the rest, so history grows and gets archived.
    const [alert, resolve, advance] = [11, 13, 19];
    const weighted = [...operations.keys(), alert, alert, alert, resolve, resolve, resolve, advance];
    for (let step = 0; step < 500; step++) {
      const op = rng.pick(weighted);
      await operations[op]!();
      const stored = readWholeOrganisation(store.db);
      const what = `step ${step}, operation ${op}`;
      expect(exportData(memoryOverDatabase(stored, backend.state)), what).toEqual(exportData(stored));
      for (const id of deletedGroups) expect(stored.alertGroups.has(id), `${what}: deleted group ${id}`).toBe(false);
      const resident = backend.state.webhookResponses.length;
      expect(stored.webhookResponses.slice(stored.webhookResponses.length - resident), what)
        .toEqual(backend.state.webhookResponses);
    }
    // Groups really were archived and brought back.
    const stored = readWholeOrganisation(store.db);
    expect(stored.alertGroups.size).toBeGreaterThan(backend.state.alertGroups.size + 10);
    expect(stored.webhookResponses.length).toBeGreaterThan(0);

    // Lists over archived history answer as an engine with everything in memory does.
    const everything = new MemoryBackend({ state: stored, clock });
    expect(await lists(backend, groupIds, integrations)).toEqual(await lists(everything, groupIds, integrations));

    // A restart loads only what must be in memory, and answers the same.
    const before = await lists(backend, groupIds, integrations);
    store.close();
    const again = reopen(file);
    const restarted = new MemoryBackend({ state: again.state, clock, store: again.store });
    expect(restarted.state.alertGroups.size).toBeLessThan(stored.alertGroups.size);
    expect(await lists(restarted, groupIds, integrations)).toEqual(before);

    // The streamed export is the data file of the whole organisation, and it imports back to the same.
    const exported = [...dataFileChunks(readConfigurationOf(again.store.db), (kind) => historyRows(again.store.db, kind))].join('');
    expect(exported).toBe(`${JSON.stringify(exportData(stored), null, 2)}\n`);
    expect(exportData(importData(JSON.parse(exported)))).toEqual(exportData(stored));
    again.store.close();
  }, 60_000);
});

function readConfigurationOf(db: Parameters<typeof readWholeOrganisation>[0]): State {
  const whole = readWholeOrganisation(db);
  return { ...whole, alertGroups: new Map(), alerts: new Map(), resolutionNotes: new Map(), webhookResponses: [] };
}
