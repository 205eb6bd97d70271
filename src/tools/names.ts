/**
 * Names for ids in tool text ("alice" rather than U4DNY931HHJS5), read from the backend's shared
 * directory index, so a tool call costs the same whatever the organisation's size. A kind that
 * cannot be loaded never fails the tool: the text just shows ids.
 */
import type { DirectoryIndex, RefKind } from './lookup/directory-index.js';

export type NameKind =
  | 'users'
  | 'teams'
  | 'userGroups'
  | 'webhooks'
  | 'chains'
  | 'schedules'
  | 'scheduleZones'
  | 'integrations'
  | 'shifts';

export type NameBook = Record<NameKind, ReadonlyMap<string, string>>;

const EMPTY: ReadonlyMap<string, string> = new Map();

const KIND_OF: Record<NameKind, RefKind> = {
  users: 'user',
  teams: 'team',
  userGroups: 'userGroup',
  webhooks: 'webhook',
  chains: 'chain',
  schedules: 'schedule',
  scheduleZones: 'schedule',
  integrations: 'integration',
  shifts: 'shift',
};

export class Names {
  constructor(readonly index: DirectoryIndex) {}

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
      integrations: EMPTY,
      shifts: EMPTY,
    };
    await Promise.all(
      kinds.map(async (kind) => {
        book[kind] = await this.index.nameMap(KIND_OF[kind], kind === 'scheduleZones' ? 'timeZone' : 'name');
      }),
    );
    return book;
  }
}
