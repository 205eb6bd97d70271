/**
 * "Who would be paged for the next alert" through one chain, on whatever backend it is asked of
 * (a dry run asks it of its copy, before and after the change): the escalation runtime's own
 * simulation of an alert group starting now, cut to its first cycle (up to the first repeat), and
 * the people it reaches. Comparing two of these is what tells a human what a config edit does to
 * their pages.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../../api/backend.js';
import { ApiError } from '../../api/errors.js';
import { formatSeconds } from '../../api/durations.js';
import { integer, type TimelineItem } from '../../api/types.js';

/** More than this many step lines in the first cycle are counted, not listed. */
const STEP_CAP = 12;

export const NextAlert = z.object({
  escalation_chain_id: z.string().nullable().describe('null: no chain, so the alert escalates to nobody'),
  escalation_chain_name: z.string().nullable(),
  steps: z
    .array(z.object({ after_seconds: integer(), text: z.string() }))
    .describe('The first cycle\'s steps, seconds after the alert group starts'),
  steps_not_shown: integer(),
  targeted_user_ids: z.array(z.string()).describe('People the first cycle\'s steps reach (their rules run)'),
  notified_user_ids: z.array(z.string()).describe('Of those, people a rule actually notifies in the first cycle'),
  first_notification_after_seconds: integer().nullable().describe('null: nobody is notified in the first cycle'),
});
export type NextAlert = z.infer<typeof NextAlert>;

const isStep = (e: TimelineItem) =>
  e.event === 'escalation_triggered' || e.event === 'escalation_finished' || e.event === 'escalation_failed'
  || (e.event === 'webhook' && !!e.policy_id);

/** The next alert through `chainId` (null: a route without a chain), simulated on `backend` now. */
export async function nextAlertThrough(backend: OnCallBackend, chainId: string | null): Promise<NextAlert> {
  if (chainId === null) return nobody(null, null);
  let name: string | null = null;
  try {
    name = (await backend.escalationChains.get(chainId)).name;
  } catch (err) {
    // A route pointing at a chain that is gone escalates to nobody, as OnCall's does.
    if (err instanceof ApiError && err.status === 404) return nobody(chainId, null);
    throw err;
  }
  const sim = await backend.escalationChains.simulate(chainId, {});
  const start = Date.parse(sim.started_at);
  const after = (e: TimelineItem) => Math.max(0, Math.round((Date.parse(e.at) - start) / 1000));
  // The first cycle: everything before the first repeat (the repeat step itself included).
  const repeatAt = sim.timeline.findIndex((e) => e.step === 'repeat_escalation');
  const cycle = repeatAt < 0 ? sim.timeline : sim.timeline.slice(0, repeatAt + 1);
  const steps = cycle.filter(isStep).map((e) => ({ after_seconds: after(e), text: e.text }));
  const targeted = new Set<string>();
  const notified = new Set<string>();
  let first: number | null = null;
  for (const e of cycle) {
    if (!e.user_id) continue;
    targeted.add(e.user_id);
    if (e.event !== 'notification') continue;
    notified.add(e.user_id);
    first ??= after(e);
  }
  return {
    escalation_chain_id: chainId,
    escalation_chain_name: name,
    steps: steps.slice(0, STEP_CAP),
    steps_not_shown: Math.max(0, steps.length - STEP_CAP),
    targeted_user_ids: [...targeted],
    notified_user_ids: [...notified],
    first_notification_after_seconds: first,
  };
}

function nobody(chainId: string | null, name: string | null): NextAlert {
  return {
    escalation_chain_id: chainId,
    escalation_chain_name: name,
    steps: [],
    steps_not_shown: 0,
    targeted_user_ids: [],
    notified_user_ids: [],
    first_notification_after_seconds: null,
  };
}

/** Whether two previews would page differently (steps, or whom the rules notify). */
export function pagesDiffer(a: NextAlert | null, b: NextAlert | null): boolean {
  if (!a || !b) return a !== b;
  const key = (x: NextAlert) =>
    JSON.stringify([x.escalation_chain_id, x.steps, x.steps_not_shown, [...x.notified_user_ids].sort()]);
  return key(a) !== key(b);
}

/** One line per step, `+1m  Round robin: notifying alice`; or why nobody is paged. */
export function formatNextAlert(p: NextAlert | null, gone: string): string[] {
  if (!p) return [gone];
  if (p.escalation_chain_id === null) return ['no escalation chain: nobody is paged'];
  const chain = p.escalation_chain_name === null
    ? `chain ${p.escalation_chain_id}, which does not exist: nobody is paged`
    : `chain "${p.escalation_chain_name}" (${p.escalation_chain_id})`;
  if (p.escalation_chain_name === null) return [chain];
  if (!p.steps.length) return [`${chain}: no steps, nobody is paged`];
  const lines = [`${chain}${p.notified_user_ids.length || p.targeted_user_ids.length ? '' : ': its steps reach nobody'}`];
  for (const s of p.steps) lines.push(`  +${formatSeconds(s.after_seconds)}  ${s.text}`);
  if (p.steps_not_shown) lines.push(`  and ${p.steps_not_shown} more steps`);
  return lines;
}
