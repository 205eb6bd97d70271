/**
 * The runtime: finds the work that is due across alert groups (escalation steps, personal
 * notification rules, the end of a timed silence) and runs it in time order. All of it lives in
 * the alert group records as plain data, so a persisted state resumes where it stopped.
 *
 * Time comes from the engine clock. Tests move a virtual clock with `advanceTo`; the server runs a
 * timer (`startTimer`) that wakes up when the next piece of work is due.
 */
import type { VirtualClock } from '../core/clock.js';
import type { EngineContext } from '../core/context.js';
import { RESTART_DELAY, restartEscalation, runEscalationStep, type WebhookTrigger } from './escalation-steps.js';
import { runPersonalStep } from './personal-notifications.js';
import type { AlertGroupRecord } from '../core/state.js';
import { markChanged } from '../core/history.js';
import { record } from '../alerting/timeline.js';

type Work = { at: number; kind: 'unsilence' } | { at: number; kind: 'escalation' } | { at: number; kind: 'personal'; userId: string };

const MAX_TIMER = 2 ** 31 - 1;
/** A guard against a runaway loop of work due at one instant (a bug, never a normal chain). */
const MAX_STEPS_PER_RUN = 1_000_000;

/** True when the runtime still has work for this group (so it must stay in memory). */
export function hasPendingWork(group: AlertGroupRecord): boolean {
  return nextWork(group) !== undefined;
}

/** The earliest piece of work an alert group has, if any. */
function nextWork(group: AlertGroupRecord): Work | undefined {
  let best: Work | undefined;
  const consider = (work: Work) => {
    if (!best || work.at < best.at) best = work;
  };
  if (group.silenced && group.silencedUntil !== null && !group.resolved && !group.acknowledged) {
    consider({ at: group.silencedUntil, kind: 'unsilence' });
  }
  if (group.escalation?.nextAt != null) consider({ at: group.escalation.nextAt, kind: 'escalation' });
  for (const userId of Object.keys(group.personal).sort()) {
    const at = group.personal[userId]?.nextAt;
    if (at != null) consider({ at, kind: 'personal', userId });
  }
  return best;
}

export class Runtime {
  /** Groups that may have work; kept small so finding the next piece of work stays cheap. */
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerEnabled = false;

  constructor(
    private readonly ctx: EngineContext,
    readonly triggerWebhook: WebhookTrigger,
  ) {
    for (const group of ctx.state.alertGroups.values()) this.track(group);
  }

  /**
   * Call after changing (or deleting) a group: keeps the pending set (and the timer) right, and
   * marks the group changed for the store.
   */
  touch(group: AlertGroupRecord): void {
    markChanged(this.ctx.state, 'alertGroups', group.id);
    this.track(group);
  }

  private track(group: AlertGroupRecord): void {
    if (nextWork(group)) this.pending.add(group.id);
    else this.pending.delete(group.id);
    if (this.timerEnabled) this.armTimer();
  }

  /** When the next piece of work is due, or null. */
  nextDue(): number | null {
    let at: number | null = null;
    for (const id of this.pending) {
      const group = this.ctx.state.alertGroups.get(id);
      const work = group && nextWork(group);
      if (!work) {
        this.pending.delete(id);
        continue;
      }
      if (at === null || work.at < at) at = work.at;
    }
    return at;
  }

  /** Run all work due at or before now, including work that running it makes due now. */
  runDue(): number {
    const { state, clock } = this.ctx;
    let steps = 0;
    for (; steps < MAX_STEPS_PER_RUN; steps++) {
      const now = clock.now();
      let chosen: { group: AlertGroupRecord; work: Work } | undefined;
      for (const id of this.pending) {
        const group = state.alertGroups.get(id);
        const work = group && nextWork(group);
        if (group && work && work.at <= now && (!chosen || work.at < chosen.work.at)) chosen = { group, work };
      }
      if (!chosen) break;
      try {
        this.run(chosen.group, chosen.work, now);
      } catch (err) {
        this.failed(chosen.group, chosen.work, now, err);
      }
      this.touch(chosen.group);
    }
    if (steps > 0) this.ctx.commitBackground();
    return steps;
  }

  private run(group: AlertGroupRecord, work: Work, now: number): void {
    const { state } = this.ctx;
    if (work.kind === 'unsilence') {
      group.silenced = false;
      group.silencedAt = null;
      group.silencedUntil = null;
      record(group, { at: now, event: 'unsilenced', text: 'Silence ended' });
      restartEscalation(state, group, now, RESTART_DELAY);
    } else if (work.kind === 'escalation') {
      runEscalationStep(state, group, now, this.triggerWebhook);
    } else {
      runPersonalStep(state, group, work.userId, now);
    }
  }

  /**
   * A piece of work that threw (a bug, never a normal outcome) is dropped and recorded on its alert
   * group, so one bad step cannot stop the server or every other escalation.
   */
  private failed(group: AlertGroupRecord, work: Work, now: number, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    if (work.kind === 'escalation' && group.escalation) group.escalation.nextAt = null;
    if (work.kind === 'personal' && group.personal[work.userId]) group.personal[work.userId]!.nextAt = null;
    if (work.kind === 'unsilence') group.silencedUntil = null;
    // The timeline is shown to agents: it says what happened, the log keeps the exception.
    record(group, { at: now, event: 'escalation_failed', text: 'Internal error: this step was skipped (details are in the server log)' });
    this.onError?.(`oncall-mcp: ${work.kind} work of alert group ${group.id} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
  }

  /** Where failures are reported (stderr in the server); set by whoever runs the engine. */
  onError: ((message: string) => void) | undefined = (message) => process.stderr.write(`${message}\n`);

  /** Move a virtual clock forward to `target`, running every piece of work at its own instant. */
  advanceTo(clock: VirtualClock, target: number): void {
    for (;;) {
      const next = this.nextDue();
      if (next === null || next > target) break;
      if (next > clock.now()) clock.set(next);
      this.runDue();
    }
    if (target > clock.now()) clock.set(target);
  }

  /** Run due work on a real timer from now on (the server). The timer never keeps the process alive alone. */
  startTimer(): void {
    this.timerEnabled = true;
    this.runDue();
    this.armTimer();
  }

  stopTimer(): void {
    this.timerEnabled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    const next = this.nextDue();
    if (next === null) return;
    const delay = Math.min(Math.max(next - this.ctx.clock.now(), 0), MAX_TIMER);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runDue();
      this.armTimer();
    }, delay);
    this.timer.unref();
  }
}
