/**
 * Inbound alerts taken in batches: every alert that arrives within one turn of the event loop is
 * applied and committed together, once, before any of their senders is answered (group commit).
 *
 * Why: with the SQLite store a commit is a transaction that waits for the disk (`synchronous=FULL`),
 * most of a millisecond here, so one commit per alert capped ingestion near a thousand alerts a
 * second however little else each alert cost. Sixteen senders in flight now share one wait.
 *
 * What does not change:
 * - an alert is answered only once the commit that holds it has returned, so "Ok." still means
 *   stored; a commit that fails rolls memory back to the last commit point (the store does that)
 *   and every alert of the batch is answered with its error: none of them was applied;
 * - nothing reads an alert before it is committed: the batch is applied and committed in one
 *   synchronous step (a `setImmediate` callback), so no request, tool call or escalation step runs
 *   between an alert's arrival in memory and its commit;
 * - alerts are applied in the order they arrived; one alert's failure (its integration deleted
 *   meanwhile, a bug) is its own, the others are still applied and committed.
 */

export interface IntakeResult {
  alertGroupId: string;
  created: boolean;
}

interface Waiting {
  apply: () => IntakeResult;
  resolve: (result: IntakeResult) => void;
  reject: (err: unknown) => void;
}

export class AlertIntake {
  private queue: Waiting[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    /** The commit that holds a batch: throws (memory rolled back) when it cannot be saved. */
    private readonly commit: () => void,
    /** Work after a committed batch (due escalation steps when the server's timer is not running). */
    private readonly after: () => void = () => {},
  ) {}

  /** Queue `apply` (which changes memory, without committing) for this turn's batch. */
  take(apply: () => IntakeResult): Promise<IntakeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ apply, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Apply and commit what is queued now (shutdown calls it so no taken alert is left waiting). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    const applied: Array<{ waiting: Waiting; result: IntakeResult }> = [];
    for (const waiting of batch) {
      try {
        applied.push({ waiting, result: waiting.apply() });
      } catch (err) {
        waiting.reject(err);
      }
    }
    if (!applied.length) return;
    try {
      this.commit();
    } catch (err) {
      for (const { waiting } of applied) waiting.reject(err);
      return;
    }
    for (const { waiting, result } of applied) waiting.resolve(result);
    this.after();
  }
}
