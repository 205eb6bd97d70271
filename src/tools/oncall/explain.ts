/**
 * Why `current_oncall`, `previous_oncall` or `next_oncall` came back empty, for their text: their
 * structured output keeps seed 002's shape, so the reasons are worked out beside it, from the same
 * chain preview and schedule answers `who_is_on_call` uses.
 */
import type { OnCallBackend } from '../../api/backend.js';
import { collectAll } from '../../api/pagination.js';
import { targetOf } from '../../api/step-types.js';
import { formatInstant } from '../format.js';
import type { DirectoryIndex } from '../lookup/directory-index.js';
import { previewChain } from './chain-preview.js';
import { answerForSchedule, isoZ, loadStretches } from './schedule-answer.js';

const DAY = 86_400_000;

export interface Explanation {
  /** Lines that say why, each a sentence. */
  reasons: string[];
  /** The zone local times are shown in. */
  zone: string | null;
}

async function chainName(index: DirectoryIndex, chainId: string): Promise<string> {
  return (await index.byId('chain')).get(chainId)?.name ?? chainId;
}

/** Why an alert through the chain would notify nobody now, and when it would. */
export async function whyNobodyNow(
  backend: OnCallBackend,
  index: DirectoryIndex,
  chainId: string,
  now: number,
): Promise<Explanation> {
  const via = await previewChain(backend, index, { id: chainId, name: await chainName(index, chainId) }, now);
  const reasons = via.reasons.filter((r) => r.code !== 'round_robin').map((r) => r.message);
  if (via.next.length && via.from) {
    const who = via.next.map((p) => p.username).join(', ');
    reasons.push(`From ${formatInstant(via.from, via.time_zone)} it would notify ${via.next.some((p) => p.maybe) ? `one of ${who}` : who}.`);
  }
  if (!reasons.length) reasons.push('Its steps resolve to nobody who can be notified right now (who_is_on_call shows each step).');
  return { reasons, zone: via.time_zone };
}

/** The first schedule a chain's steps use, as `previous_oncall` / `next_oncall` read it. */
async function firstSchedule(backend: OnCallBackend, index: DirectoryIndex, chainId: string) {
  const policies = await collectAll((page) => backend.escalationPolicies.list({ escalation_chain_id: chainId, page }));
  const step = policies
    .sort((a, b) => a.position - b.position)
    .find((p) => targetOf(p, 'schedule'));
  if (!step) return undefined;
  const id = targetOf(step, 'schedule')!;
  const entry = (await index.byId('schedule')).get(id);
  return { id, name: entry?.name ?? id, timeZone: entry?.timeZone ?? null };
}

/** Why there is no previous or next shift within `days`. */
export async function whyNoShift(
  backend: OnCallBackend,
  index: DirectoryIndex,
  chainId: string,
  now: number,
  days: number,
  direction: 'previous' | 'next',
): Promise<Explanation> {
  const name = await chainName(index, chainId);
  const schedule = await firstSchedule(backend, index, chainId);
  if (!schedule) {
    const teamId = (await index.byId('chain')).get(chainId)?.teamIds?.[0];
    const team = teamId ? (await index.byId('team')).get(teamId)?.name : undefined;
    const hint = team ? ` who_is_on_call with target "${team}" shows the team's schedules.` : '';
    return {
      reasons: [
        `Chain "${name}" has no step that uses a schedule, so it has no shifts: it notifies the same people (or the next in a round robin) whenever it runs.${hint}`,
      ],
      zone: null,
    };
  }
  const when = (ms: number | string) => formatInstant(typeof ms === 'string' ? ms : isoZ(ms), schedule.timeZone);
  if (direction === 'next') {
    const answer = await answerForSchedule(backend, schedule, now);
    if (answer.from && answer.next.length) {
      const who = answer.next.map((p) => p.username).join(', ');
      const beyond = Date.parse(answer.from) - now > days * DAY;
      const reason = beyond
        ? `In "${schedule.name}" the next change is at ${when(answer.from)} (${who}), beyond the ${days} days asked for${days < 30 ? '; days goes up to 30' : ''}.`
        : `In "${schedule.name}" nobody else comes on within ${days} days: after a gap, the same people (${who}) are on call again from ${when(answer.from)}.`;
      return { reasons: [reason], zone: schedule.timeZone };
    }
    return { reasons: answer.reasons.map((r) => r.message), zone: schedule.timeZone };
  }
  const start = now - days * DAY;
  const loaded = await loadStretches(backend, schedule.id, start, days);
  const earlier = loaded.stretches.filter((s) => s.start < now);
  if (!earlier.length) {
    return { reasons: [`Nobody was on call in "${schedule.name}" in the last ${days} days (since ${when(start)}).`], zone: schedule.timeZone };
  }
  const people = [...new Set(earlier.flatMap((s) => s.users))].map((id) => loaded.people.get(id)?.username ?? id);
  return {
    reasons: [`In "${schedule.name}" no one else was on call in the last ${days} days (since ${when(start)}): only ${people.join(', ')}, as now${days < 30 ? '; days goes up to 30' : ''}.`],
    zone: schedule.timeZone,
  };
}
