/**
 * Finds what `who_is_on_call`'s free-text `target` means, across teams, schedules, escalation
 * chains, integrations and users, through the shared directory index (no list request per call).
 *
 * The rule, in order:
 * 1. an id of any of those kinds is that object;
 * 2. otherwise names (and usernames, emails) equal to the text, case-insensitively; if none, names
 *    that contain it;
 * 3. one match is the answer. Several: when one of them is a team and every other belongs to that
 *    team, the team (its answer covers its schedules and chains). Otherwise, for exact matches, the
 *    most specific kind wins (user, schedule, chain, integration, team) if it has exactly one match;
 *    the others are listed as `also_matches`. Anything else is ambiguous: an error lists the
 *    candidates with their ids, because guessing who is on call is worse than asking;
 * 4. nothing: an error suggesting the closest names of every kind.
 */
import { ApiError } from '../../api/errors.js';
import type { DirectoryIndex, Entry, RefKind } from '../lookup/directory-index.js';
import { suggestions } from '../lookup/resolve.js';
import type { Ref, TargetKind } from './types.js';

const REF_KIND: Record<TargetKind, RefKind> = {
  team: 'team',
  schedule: 'schedule',
  escalation_chain: 'chain',
  integration: 'integration',
  user: 'user',
};

/** Most specific first: a person, then what says who is on call, then what leads there. */
const SPECIFICITY: readonly TargetKind[] = ['user', 'schedule', 'escalation_chain', 'integration', 'team'];

const WORD: Record<TargetKind, string> = {
  team: 'team',
  schedule: 'schedule',
  escalation_chain: 'escalation chain',
  integration: 'integration',
  user: 'user',
};

export interface Found {
  kind: TargetKind;
  entry: Entry;
  also: Ref[];
}

interface Match {
  kind: TargetKind;
  entry: Entry;
}

const refOf = (m: Match): Ref => ({ kind: m.kind, id: m.entry.id, name: m.entry.name });
const describe = (m: Match) => `${WORD[m.kind]} "${m.entry.name}" (${m.entry.id})`;

function refuse(message: string): never {
  throw new ApiError(400, { target: [message] });
}

const spellingsOf = (e: Entry) => [e.name, ...e.aliases].map((s) => s.toLowerCase());

/** Names or aliases equal to the text (`@handle` or `handle`), case-insensitive. */
function equal(entries: readonly Entry[], text: string): Entry[] {
  const wanted = text.toLowerCase();
  const bare = wanted.replace(/^@/, '');
  return entries.filter((e) => spellingsOf(e).some((s) => s === wanted || s === bare));
}

function containing(entries: readonly Entry[], text: string): Entry[] {
  const wanted = text.toLowerCase().replace(/^@/, '');
  return entries.filter((e) => [e.name, ...e.aliases].some((s) => s.toLowerCase().includes(wanted)));
}

/** The team every other match belongs to, if one of the matches is that team. */
function coveringTeam(matches: readonly Match[]): Match | undefined {
  const teams = matches.filter((m) => m.kind === 'team');
  if (teams.length !== 1) return undefined;
  const team = teams[0]!;
  return matches.every((m) => m === team || m.entry.teamIds?.includes(team.entry.id)) ? team : undefined;
}

export async function findTarget(index: DirectoryIndex, raw: string, only?: TargetKind): Promise<Found> {
  const text = raw.trim();
  if (!text) refuse('give a team, schedule, escalation chain, integration or user: a name (e.g. "Payments") or an id.');
  const kinds = only ? [only] : SPECIFICITY;
  const entries = new Map<TargetKind, readonly Entry[]>(
    await Promise.all(kinds.map(async (k) => [k, await index.entries(REF_KIND[k])] as const)),
  );

  // Only a value shaped like an id is worth reloading a kind for (an object newer than the index).
  const idShaped = /^[A-Z]{1,2}[A-Z0-9]{11,13}$/.test(text);
  for (const kind of kinds) {
    const known = (await index.byId(REF_KIND[kind])).get(text);
    const entry = known ?? (idShaped ? (await index.reloaded(REF_KIND[kind])).get(text) : undefined);
    if (entry) return { kind, entry, also: [] };
  }

  const matching = (find: (entries: readonly Entry[], text: string) => Entry[]): Match[] =>
    kinds.flatMap((kind) => find(entries.get(kind)!, text).map((entry) => ({ kind, entry })));
  let matches = matching(equal);
  const exact = matches.length > 0;
  if (!exact) matches = matching(containing);

  if (matches.length === 1) return { ...matches[0]!, also: [] };
  if (matches.length > 1) {
    const team = coveringTeam(matches);
    if (team) return { ...team, also: matches.filter((m) => m !== team).map(refOf) };
    if (exact) {
      const kind = SPECIFICITY.find((k) => matches.some((m) => m.kind === k))!;
      const best = matches.filter((m) => m.kind === kind);
      if (best.length === 1) return { ...best[0]!, also: matches.filter((m) => m !== best[0]).map(refOf) };
    }
    const shown = matches.slice(0, 10).map(describe).join(', ');
    const more = matches.length > 10 ? ` and ${matches.length - 10} more` : '';
    refuse(`"${text}" ${exact ? 'is the name of' : 'is part of the names of'} ${matches.length} objects: ${shown}${more}. Give one of their ids (or the full name, or \`kind\`).`);
  }

  const near = kinds
    .flatMap((kind) => suggestions(entries.get(kind)!, text).map((entry) => ({ kind, entry })))
    .slice(0, 5);
  const words = kinds.map((k) => WORD[k]);
  const what = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words[0];
  const hint = near.length ? ` Did you mean ${near.map(describe).join(', ')}?` : '';
  refuse(`nothing matches "${text}": no ${what} has that id, name${kinds.includes('user') ? ', username or email' : ''}, or a name containing it.${hint} list_teams, list_schedules and list_users show what there is.`);
}
