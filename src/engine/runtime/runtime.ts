/**
 * The runtime: finds the work that is due across alert groups (escalation steps, personal
 * notification rules, the end of a timed silence) and runs it in time order. All of it lives in
 * the alert group records as plain data, so a persisted state resumes where it stopped.
 *
 * Time comes from the engine clock. Tests move a virtual clock with `advanceTo`; the server runs a
 * timer (`startTimer`) that wakes up when the next piece of work is due. Pending groups are kept in
 * a priority queue by due instant (due-queue.ts), so finding the next work does not grow with the
 * number of escalating groups, and a run commits once, however many steps it took.
 */
import type { VirtualClock } from '../core/clock.js';
import type { EngineContext } from '../core/context.js';
import { RESTART_DELAY, restartEscalation, runEscalationStep, type WebhookTrigger } from './escalation-steps.js';
import { runPersonalStep } from './personal-notifications.js';
import type { AlertGroupRecord } from '../core/state.js';
import { markChanged } from '../core/history.js';
import { record } from '../alerting/timeline.js';
import { DueQueue } from './due-queue.js';

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

/** Steps a timer-driven run takes before it lets the event loop in (signals, requests, I/O). */
const STEPS_PER_SLICE = 500;
/** And the longest it holds the event loop, whichever comes first. */
const SLICE_MS = 20;
/**
 * The timer waits at least this long after a slice before the next one, so work falling due
 * continuously (an alert storm's new groups, each due a second after it came) runs in batches with
 * one commit each instead of a commit per step; it bounds how late a step runs by as much.
 */
const MIN_SLICE_GAP_MS = 5;

export class Runtime {
  /** Groups with work, by when their earliest work is due (see due-queue.ts). */
  private readonly queue = new DueQueue();
  private timer: NodeJS.Timeout | undefined;
  private timerEnabled = false;
  /** A slice ended with work still due: the next one, after the event loop. */
  private resumeScheduled: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: EngineContext,
    readonly triggerWebhook: WebhookTrigger,
  ) {
    for (const group of ctx.state.alertGroups.values()) this.track(group);
  }

  /**
   * Call after changing (or deleting) a group: keeps the queue (and the timer) right, and marks the
   * group changed for the store.
   */
  touch(group: AlertGroupRecord): void {
    markChanged(this.ctx.state, 'alertGroups', group.id);
    this.track(group);
    if (this.timerEnabled) this.armTimer();
  }

  private track(group: AlertGroupRecord): void {
    this.queue.set(group.id, this.ctx.state.alertGroups.has(group.id) ? (nextWork(group)?.at ?? null) : null);
  }

  /** How many alert groups have work queued. */
  get pendingGroups(): number {
    return this.queue.size;
  }

  /**
   * The group due first with its work. The queue's instant is checked against the record, so a
   * group changed without `touch` (a rollback restoring it) is requeued rather than run wrongly.
   */
  private head(): { group: AlertGroupRecord; work: Work } | undefined {
    for (;;) {
      const top = this.queue.peek();
      if (!top) return undefined;
      const group = this.ctx.state.alertGroups.get(top.id);
      const work = group && nextWork(group);
      if (group && work && work.at === top.at) return { group, work };
      this.queue.set(top.id, group && work ? work.at : null);
    }
  }

  /** When the next piece of work is due, or null. */
  nextDue(): number | null {
    return this.head()?.work.at ?? null;
  }

  /**
   * Run work due at or before now, including work that running it makes due now, in time order,
   * with one commit for the run. Without the timer (tests, a one-shot call) it runs everything due;
   * with it (the server) one slice, and the rest after the event loop has had its turn.
   */
  runDue(): number {
    if (!this.timerEnabled) return this.runSteps(MAX_STEPS_PER_RUN, undefined);
    return this.slice();
  }

  /** True while the server's timer runs due work (then a request need not run it itself). */
  get timerRunning(): boolean {
    return this.timerEnabled;
  }

  /** Run up to `maxSteps` due steps (stopping after `maxMs`), then commit once; returns the steps run. */
  private runSteps(maxSteps: number, maxMs: number | undefined): number {
    const { clock } = this.ctx;
    const started = maxMs === undefined ? 0 : performance.now();
    let steps = 0;
    for (; steps < maxSteps; steps++) {
      if (maxMs !== undefined && steps > 0 && performance.now() - started >= maxMs) break;
      const now = clock.now();
      const chosen = this.head();
      if (!chosen || chosen.work.at > now) break;
      this.onStep?.(chosen.work.at, now);
      try {
        this.run(chosen.group, chosen.work, now);
      } catch (err) {
        this.failed(chosen.group, chosen.work, now, err);
      }
      markChanged(this.ctx.state, 'alertGroups', chosen.group.id);
      this.track(chosen.group);
    }
    if (steps > 0) this.ctx.commitBackground(['policies']); // a round robin's pointer
    return steps;
  }

  /** Told of every step the runtime runs: when it was due and when it ran (the benchmark's lateness). */
  onStep: ((dueAt: number, ranAt: number) => void) | undefined;

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

  /**
   * Run due work on a real timer from now on (the server). Work runs in slices with the event loop
   * let in between, so a signal or a request is served within a slice however much is due. The
   * timer never keeps the process alive alone.
   */
  startTimer(): void {
    this.timerEnabled = true;
    this.slice();
  }

  stopTimer(): void {
    this.timerEnabled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.resumeScheduled) clearTimeout(this.resumeScheduled);
    this.resumeScheduled = undefined;
  }

  /** One slice of due work, then the next slice after the event loop, or the timer for what is next. */
  private slice(): number {
    const steps = this.runSteps(STEPS_PER_SLICE, SLICE_MS);
    this.lastSliceEnd = performance.now();
    const next = this.nextDue();
    if (this.timerEnabled && next !== null && next <= this.ctx.clock.now()) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.armedAt = null;
      // A zero timer, not setImmediate: an unref'd immediate does not wake a loop blocked in poll, so
      // it could wait for the next unrelated timer.
      this.resumeScheduled ??= setTimeout(() => {
        this.resumeScheduled = undefined;
        if (this.timerEnabled) this.slice();
      }, 0).unref();
    } else {
      this.armTimer();
    }
    return steps;
  }

  /** The timer for the queue's head (a slice already waiting for the event loop takes care of it). */
  private armTimer(): void {
    if (this.resumeScheduled) return;
    const next = this.nextDue();
    if (next === null) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.armedAt = null;
      return;
    }
    const gap = this.lastSliceEnd + MIN_SLICE_GAP_MS - performance.now();
    const delay = Math.min(Math.max(next - this.ctx.clock.now(), gap, 0), MAX_TIMER);
    // Re-arming on every alert would churn timers: keep one that already fires then (to the ms,
    // measured on the host's monotonic time, as a shifted clock may have moved).
    const firesAt = performance.now() + delay;
    if (this.timer && this.armedAt !== null && Math.abs(this.armedAt - firesAt) < 1) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = firesAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAt = null;
      this.slice();
    }, delay);
    this.timer.unref();
  }

  /** When the last slice ended, on `performance.now()`'s scale. */
  private lastSliceEnd = Number.NEGATIVE_INFINITY;
  /** When the armed timer fires, on `performance.now()`'s scale. */
  private armedAt: number | null = null;
}
