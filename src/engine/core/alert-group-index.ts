/**
 * Indexes over the resident alert groups, so finding the open group of a grouping key (every
 * inbound alert) and the list filters cost in proportion to what they return, not to history.
 *
 * The index is kept beside the state, keyed by it (the state stays plain data, as in history.ts),
 * and follows the same change marks the store does: every change to an alert group is already
 * marked with `markChanged` (the store depends on it), and the mark also queues the group here.
 * Queued groups are re-read from the map before the next lookup, so a change made after its mark
 * (a field set after `addAlert`) is still seen. What changes the map without a mark (the store
 * archiving or restoring a group, a rollback) calls `indexChanged`. As a last guard, a lookup
 * whose view of the map's size disagrees with the map rebuilds the index from a scan, and every
 * answer is checked against the record before it is returned.
 */
import type { AlertGroupRecord, State } from './state.js';

/** The state an alert group is shown in; the list's state filter names the same four. */
export type GroupStateName = 'firing' | 'acknowledged' | 'silenced' | 'resolved';

export function stateOf(g: AlertGroupRecord): GroupStateName {
  if (g.resolved) return 'resolved';
  if (g.acknowledged) return 'acknowledged';
  if (g.silenced) return 'silenced';
  return 'firing';
}

/** An ordinary group new alerts of its grouping key join: open, not a maintenance collector, not wiped. */
export function takesAlerts(g: AlertGroupRecord): boolean {
  return !g.resolved && !g.maintenanceOf && !g.wiped && g.groupingKey !== null;
}

/** The open group that collects an integration's alerts while it is in maintenance. */
export function collectsMaintenance(g: AlertGroupRecord): boolean {
  return g.maintenanceOf !== null && !g.resolved;
}

/** What the index last recorded about one group, so a change can take it out of the right sets. */
interface Facts {
  rank: number;
  integrationId: string;
  state: GroupStateName;
  /** The grouping-key slot it holds, when it takes alerts. */
  openKey: string | undefined;
  /** The integration it collects for, while it is an open maintenance group. */
  collectorOf: string | undefined;
}

const keyOf = (integrationId: string, groupingKey: string) => `${integrationId}\u0000${groupingKey}`;

function sameFacts(facts: Facts, g: AlertGroupRecord): boolean {
  return facts.integrationId === g.integrationId
    && facts.state === stateOf(g)
    && facts.openKey === (takesAlerts(g) ? keyOf(g.integrationId, g.groupingKey!) : undefined)
    && facts.collectorOf === (collectsMaintenance(g) ? g.maintenanceOf! : undefined);
}

/** Ids kept in creation rank order (small lists: one open group per key, as a rule). */
function insertByRank(list: string[], id: string, rank: number, facts: Map<string, Facts>): void {
  let i = list.length;
  while (i > 0 && facts.get(list[i - 1]!)!.rank > rank) i--;
  list.splice(i, 0, id);
}

function removeFrom<K>(map: Map<K, string[]>, key: K, id: string): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) map.delete(key);
}

function setOf<K>(map: Map<K, Set<string>>, key: K): Set<string> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

export class AlertGroupIndex {
  private readonly facts = new Map<string, Facts>();
  private readonly openByKey = new Map<string, string[]>();
  private readonly collectors = new Map<string, string[]>();
  private readonly byState = new Map<GroupStateName, Set<string>>();
  private readonly byIntegration = new Map<string, Set<string>>();
  private readonly queued = new Set<string>();
  private nextRank = 0;

  constructor(private readonly groups: Map<string, AlertGroupRecord>) {
    this.rebuild();
  }

  /** The map this index describes (a state whose map was replaced needs a new index). */
  describes(groups: Map<string, AlertGroupRecord>): boolean {
    return this.groups === groups;
  }

  /** Re-read this group before the next lookup. */
  queue(id: string): void {
    this.queued.add(id);
  }

  /** The first (oldest) group that takes alerts of this integration and grouping key. */
  openGroup(integrationId: string, groupingKey: string): AlertGroupRecord | undefined {
    this.settle();
    for (const id of this.openByKey.get(keyOf(integrationId, groupingKey)) ?? []) {
      const g = this.groups.get(id);
      if (g && takesAlerts(g) && g.integrationId === integrationId && g.groupingKey === groupingKey) return g;
    }
    return undefined;
  }

  /** The open maintenance group of an integration, oldest first. */
  maintenanceCollectors(integrationId: string): AlertGroupRecord[] {
    this.settle();
    return (this.collectors.get(integrationId) ?? [])
      .map((id) => this.groups.get(id))
      .filter((g): g is AlertGroupRecord => g !== undefined && collectsMaintenance(g))
      .filter((g) => g.maintenanceOf === integrationId);
  }

  /**
   * Resident groups that may match the given filters, in creation order: the smallest of the
   * indexed sets the filters name, or every group when none is named. The caller still applies
   * its filters (the sets only narrow what it looks at).
   */
  candidates(filter: {
    state?: GroupStateName | undefined;
    integrationIds?: readonly string[] | undefined;
  }): AlertGroupRecord[] {
    this.settle();
    const options: string[][] = [];
    if (filter.state !== undefined) options.push([...(this.byState.get(filter.state) ?? [])]);
    if (filter.integrationIds !== undefined) {
      const ids: string[] = [];
      for (const integrationId of new Set(filter.integrationIds)) {
        for (const id of this.byIntegration.get(integrationId) ?? []) ids.push(id);
      }
      options.push(ids);
    }
    if (!options.length) return [...this.groups.values()];
    const smallest = options.reduce((a, b) => (b.length < a.length ? b : a));
    const found: Array<{ g: AlertGroupRecord; rank: number }> = [];
    for (const id of smallest) {
      const g = this.groups.get(id);
      if (g) found.push({ g, rank: this.facts.get(id)!.rank });
    }
    return found.sort((a, b) => a.rank - b.rank).map((f) => f.g);
  }

  /** Bring queued groups up to date; rebuild when the map changed in a way no mark announced. */
  private settle(): void {
    for (const id of this.queued) this.refresh(id);
    this.queued.clear();
    if (this.facts.size !== this.groups.size) this.rebuild();
  }

  private rebuild(): void {
    for (const map of [this.openByKey, this.collectors, this.byState, this.byIntegration, this.facts]) map.clear();
    this.queued.clear();
    this.nextRank = 0;
    for (const g of this.groups.values()) this.add(g, this.nextRank++);
  }

  private refresh(id: string): void {
    const before = this.facts.get(id);
    const g = this.groups.get(id);
    if (before && g && sameFacts(before, g)) return; // most marks change nothing indexed (a step ran)
    if (before) this.remove(id, before);
    if (g) this.add(g, before?.rank ?? this.nextRank++);
  }

  private add(g: AlertGroupRecord, rank: number): void {
    const facts: Facts = {
      rank,
      integrationId: g.integrationId,
      state: stateOf(g),
      openKey: takesAlerts(g) ? keyOf(g.integrationId, g.groupingKey!) : undefined,
      collectorOf: collectsMaintenance(g) ? g.maintenanceOf! : undefined,
    };
    this.facts.set(g.id, facts);
    setOf(this.byState, facts.state).add(g.id);
    setOf(this.byIntegration, facts.integrationId).add(g.id);
    if (facts.openKey !== undefined) {
      let list = this.openByKey.get(facts.openKey);
      if (!list) this.openByKey.set(facts.openKey, (list = []));
      insertByRank(list, g.id, rank, this.facts);
    }
    if (facts.collectorOf !== undefined) {
      let list = this.collectors.get(facts.collectorOf);
      if (!list) this.collectors.set(facts.collectorOf, (list = []));
      insertByRank(list, g.id, rank, this.facts);
    }
  }

  private remove(id: string, facts: Facts): void {
    this.facts.delete(id);
    this.byState.get(facts.state)?.delete(id);
    const ofIntegration = this.byIntegration.get(facts.integrationId);
    ofIntegration?.delete(id);
    if (ofIntegration && !ofIntegration.size) this.byIntegration.delete(facts.integrationId);
    if (facts.openKey !== undefined) removeFrom(this.openByKey, facts.openKey, id);
    if (facts.collectorOf !== undefined) removeFrom(this.collectors, facts.collectorOf, id);
  }
}

const indexes = new WeakMap<State, AlertGroupIndex>();

/** The state's index, built from a scan the first time it is asked for. */
export function alertGroupIndex(state: State): AlertGroupIndex {
  let index = indexes.get(state);
  if (!index || !index.describes(state.alertGroups)) {
    index = new AlertGroupIndex(state.alertGroups);
    indexes.set(state, index);
  }
  return index;
}

/**
 * Say that a resident alert group was created, changed, removed or replaced (what `markChanged`
 * does for every group, and the store for what it archives or restores). Free before the first lookup.
 */
export function indexChanged(state: State, id: string): void {
  changeCounts.set(state, (changeCounts.get(state) ?? 0) + 1);
  indexes.get(state)?.queue(id);
}

const changeCounts = new WeakMap<State, number>();

/**
 * How many times a resident alert group has been said to change (`indexChanged`): what a cache of
 * a list over alert groups checks, with the map's identity and size as a guard for changes made
 * without a mark.
 */
export function alertGroupChanges(state: State): number {
  return changeCounts.get(state) ?? 0;
}
