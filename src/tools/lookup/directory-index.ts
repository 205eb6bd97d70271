/**
 * An index of the organisation's named objects (users, teams, schedules, chains, integrations, user
 * groups, webhooks, on-call shifts): what lets a tool print a name beside every id and accept a name where an id
 * goes, without loading every user on every call.
 *
 * One index per backend, shared by every session's server. Each kind loads on first use (all pages,
 * once) and stays until it may be stale:
 * - on the embedded engine, the backend's `revision()` says when anything was committed; users,
 *   teams and user groups never change there after start, so only the other kinds reload;
 * - on a live backend, a kind is reloaded after a TTL (other people edit the organisation too);
 * - after any write through a tool, the kinds a tool can change are dropped at once.
 * A kind that fails to load (no permission, a network error) is an empty map, retried next call.
 */
import type { OnCallBackend } from '../../api/backend.js';
import { collectAll, type Page } from '../../api/pagination.js';

export const REF_KINDS = ['user', 'team', 'schedule', 'chain', 'integration', 'userGroup', 'webhook', 'shift'] as const;
export type RefKind = (typeof REF_KINDS)[number];

/** Kinds no tool can change; the others are dropped after every write. */
const FIXED_KINDS: ReadonlySet<RefKind> = new Set(['user', 'team', 'userGroup']);

export interface Entry {
  id: string;
  /** What text shows: a username, a chain name, `@handle` for a user group. */
  name: string;
  /** Other spellings that identify it: an email, a Slack handle without `@`, a full name. */
  aliases: readonly string[];
  /** Schedules: their time zone. Users: their time zone. */
  timeZone?: string | null;
  /** Teams a user belongs to; the team of a chain, schedule or integration. */
  teamIds?: readonly string[];
  /** Users: their role (viewers and `none` cannot be notified). */
  role?: string;
  /** Users: which channels they can receive (for whether their notification rules reach them). */
  phoneVerified?: boolean;
  slackLinked?: boolean;
}

interface Loaded {
  entries: readonly Entry[];
  byId: ReadonlyMap<string, Entry>;
  at: number;
  revision: number | undefined;
  ok: boolean;
  maps: Map<'name' | 'timeZone', ReadonlyMap<string, string>>;
  spellings?: ReadonlyMap<string, readonly Entry[]>;
}

export interface DirectoryIndexOptions {
  /** How long a loaded kind is trusted on a backend without `revision()`; 0 = reload every call. */
  ttlMs?: number;
  now?: () => number;
}

/** What the index asks of a backend: the list endpoints, and optionally a commit counter. */
export type IndexedBackend = Pick<
  OnCallBackend,
  'users' | 'teams' | 'schedules' | 'escalationChains' | 'integrations' | 'userGroups' | 'webhooks' | 'onCallShifts'
> & { revision?: () => number };

export class DirectoryIndex {
  private readonly loaded = new Map<RefKind, Promise<Loaded>>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Upstream list requests made so far (debug logs and the benchmark read it). */
  requests = 0;

  constructor(
    private readonly backend: IndexedBackend,
    options: DirectoryIndexOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? (() => Date.now());
  }

  async entries(kind: RefKind): Promise<readonly Entry[]> {
    return (await this.get(kind)).entries;
  }

  async byId(kind: RefKind): Promise<ReadonlyMap<string, Entry>> {
    return (await this.get(kind)).byId;
  }

  /** Entries by every lower-cased spelling (name and aliases), built once per load. */
  async bySpelling(kind: RefKind): Promise<ReadonlyMap<string, readonly Entry[]>> {
    const loaded = await this.get(kind);
    if (!loaded.spellings) {
      const map = new Map<string, Entry[]>();
      for (const entry of loaded.entries) {
        for (const spelling of new Set([entry.name, ...entry.aliases].map((x) => x.toLowerCase()).filter(Boolean))) {
          const list = map.get(spelling);
          if (list) list.push(entry);
          else map.set(spelling, [entry]);
        }
      }
      loaded.spellings = map;
    }
    return loaded.spellings;
  }

  /** id → name (or, for `timeZone`, id → time zone), built once per load. */
  async nameMap(kind: RefKind, of: 'name' | 'timeZone' = 'name'): Promise<ReadonlyMap<string, string>> {
    const loaded = await this.get(kind);
    let map = loaded.maps.get(of);
    if (!map) {
      map = new Map(loaded.entries.map((e) => [e.id, of === 'name' ? e.name : (e.timeZone ?? 'UTC')]));
      loaded.maps.set(of, map);
    }
    return map;
  }

  /** False when the kind could not be loaded (so absence from it proves nothing). */
  async loadedOk(kind: RefKind): Promise<boolean> {
    return (await this.get(kind)).ok;
  }

  /** Load the kind again now (an id it lacks may be newer than the load) and return its ids. */
  async reloaded(kind: RefKind): Promise<ReadonlyMap<string, Entry>> {
    const current = await this.get(kind);
    if (this.backend.revision && (FIXED_KINDS.has(kind) || current.revision === this.backend.revision())) {
      return current.byId; // the engine says nothing changed since the load
    }
    const load = this.load(kind);
    this.loaded.set(kind, load);
    return (await load).byId;
  }

  /** Forget what writes can change (after a tool wrote something). */
  invalidateWritable(): void {
    for (const kind of REF_KINDS) if (!FIXED_KINDS.has(kind)) this.loaded.delete(kind);
  }

  private async get(kind: RefKind): Promise<Loaded> {
    const pending = this.loaded.get(kind);
    if (pending) {
      const current = await pending;
      if (this.fresh(kind, current)) return current;
      if (this.loaded.get(kind) !== pending) return this.get(kind); // someone else is reloading it
    }
    const load = this.load(kind);
    this.loaded.set(kind, load);
    return load;
  }

  private fresh(kind: RefKind, loaded: Loaded): boolean {
    if (!loaded.ok) return false;
    const revision = this.backend.revision?.();
    if (revision !== undefined) return FIXED_KINDS.has(kind) || revision === loaded.revision;
    return this.now() - loaded.at < this.ttlMs;
  }

  private async load(kind: RefKind): Promise<Loaded> {
    const revision = this.backend.revision?.();
    const at = this.now();
    try {
      const entries = await this.fetch(kind);
      return { entries, byId: new Map(entries.map((e) => [e.id, e])), at, revision, ok: true, maps: new Map() };
    } catch {
      return { entries: [], byId: new Map(), at, revision, ok: false, maps: new Map() };
    }
  }

  private async all<T>(list: (page: number) => Promise<Page<T>>): Promise<T[]> {
    return collectAll(async (page) => {
      this.requests++;
      return list(page);
    });
  }

  private async fetch(kind: RefKind): Promise<Entry[]> {
    const b = this.backend;
    switch (kind) {
      case 'user':
        return (await this.all((page) => b.users.list({ page }))).map((u) => ({
          id: u.id,
          name: u.username,
          aliases: [u.email],
          timeZone: u.timezone,
          teamIds: u.teams,
          role: u.role,
          phoneVerified: u.is_phone_number_verified,
          slackLinked: u.slack !== null,
        }));
      case 'team':
        return (await this.all((page) => b.teams.list({ page }))).map((t) => ({ id: t.id, name: t.name, aliases: [] }));
      case 'userGroup':
        return (await this.all((page) => b.userGroups.list({ page }))).map((g) => ({
          id: g.id,
          name: `@${g.slack.handle}`,
          aliases: [g.slack.handle, g.slack.name],
        }));
      case 'webhook':
        return (await this.all((page) => b.webhooks.list({ page }))).map((w) => ({
          id: w.id,
          name: w.name,
          aliases: [],
          teamIds: w.team ? [w.team] : [],
        }));
      case 'schedule':
        return (await this.all((page) => b.schedules.list({ page }))).map((s) => ({
          id: s.id,
          name: s.name,
          aliases: [],
          timeZone: s.time_zone ?? 'UTC',
          teamIds: s.team_id ? [s.team_id] : [],
        }));
      case 'chain':
        return (await this.all((page) => b.escalationChains.list({ page }))).map((c) => ({
          id: c.id,
          name: c.name,
          aliases: [],
          teamIds: c.team_id ? [c.team_id] : [],
        }));
      case 'integration':
        return (await this.all((page) => b.integrations.list({ page }))).map((i) => ({
          id: i.id,
          name: i.name,
          aliases: [],
          teamIds: i.team_id ? [i.team_id] : [],
        }));
      case 'shift':
        return (await this.all((page) => b.onCallShifts.list({ page }))).map((s) => ({
          id: s.id,
          name: s.name,
          aliases: [],
          teamIds: s.team_id ? [s.team_id] : [],
        }));
    }
  }
}

const indexes = new WeakMap<object, DirectoryIndex>();

/** The index of a backend, made on first use and shared by every server over it. */
export function indexFor(backend: IndexedBackend, options?: DirectoryIndexOptions): DirectoryIndex {
  let index = indexes.get(backend);
  if (!index) {
    index = new DirectoryIndex(backend, options);
    indexes.set(backend, index);
  }
  return index;
}
