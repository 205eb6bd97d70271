/**
 * Names for ids in tool text ("alice" rather than U4DNY931HHJS5). Loaded lazily, at most once per
 * tool call, from the backend's list endpoints. A failure to load names never fails the tool: the
 * text just shows ids.
 */
import type { OnCallBackend } from '../api/backend.js';
import { collectAll } from '../api/pagination.js';

export type NameKind = 'users' | 'teams' | 'userGroups' | 'webhooks' | 'chains' | 'schedules' | 'scheduleZones';

export type NameBook = Record<NameKind, ReadonlyMap<string, string>>;

const EMPTY: ReadonlyMap<string, string> = new Map();

export class Names {
  private readonly loaded = new Map<NameKind, Promise<ReadonlyMap<string, string>>>();

  constructor(private readonly backend: OnCallBackend) {}

  /** The maps for the kinds asked for; the others are empty. */
  async book(...kinds: NameKind[]): Promise<NameBook> {
    const book: NameBook = {
      users: EMPTY,
      teams: EMPTY,
      userGroups: EMPTY,
      webhooks: EMPTY,
      chains: EMPTY,
      schedules: EMPTY,
      scheduleZones: EMPTY,
    };
    await Promise.all(
      kinds.map(async (kind) => {
        book[kind] = await this.load(kind);
      }),
    );
    return book;
  }

  private load(kind: NameKind): Promise<ReadonlyMap<string, string>> {
    let pending = this.loaded.get(kind);
    if (!pending) {
      pending = this.fetch(kind).catch(() => EMPTY);
      this.loaded.set(kind, pending);
    }
    return pending;
  }

  private async fetch(kind: NameKind): Promise<ReadonlyMap<string, string>> {
    const b = this.backend;
    switch (kind) {
      case 'users':
        return new Map((await collectAll((page) => b.users.list({ page }))).map((u) => [u.id, u.username]));
      case 'teams':
        return new Map((await collectAll((page) => b.teams.list({ page }))).map((t) => [t.id, t.name]));
      case 'userGroups':
        return new Map(
          (await collectAll((page) => b.userGroups.list({ page }))).map((g) => [g.id, `@${g.slack.handle}`]),
        );
      case 'webhooks':
        return new Map((await collectAll((page) => b.webhooks.list({ page }))).map((w) => [w.id, w.name]));
      case 'schedules':
        return new Map((await collectAll((page) => b.schedules.list({ page }))).map((s) => [s.id, s.name]));
      case 'scheduleZones':
        return new Map((await collectAll((page) => b.schedules.list({ page }))).map((s) => [s.id, s.time_zone ?? 'UTC']));
      case 'chains':
        return new Map(
          (await collectAll((page) => b.escalationChains.list({ page }))).map((c) => [c.id, c.name]),
        );
    }
  }
}
