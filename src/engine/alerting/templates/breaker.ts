/**
 * A per-template circuit breaker. A template that blew its time, memory or stack budget
 * `threshold` times within `windowMs` fails at once, without running, for `openMs`: a hostile
 * saved route then costs one budget per alert only until it trips, not forever. The price is that
 * an expensive template also fails for payloads it would have handled while it is open; a failed
 * render already means "no match" / "no title" in OnCall, so that is what those alerts see.
 *
 * Time is the host's monotonic clock: the breaker meters the host's CPU, not engine time.
 */
export interface BreakerOptions {
  threshold: number;
  windowMs: number;
  openMs: number;
  /** Templates tracked at most; the least recently failed are forgotten first. */
  maxTracked: number;
  now: () => number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  threshold: 3,
  windowMs: 60_000,
  openMs: 60_000,
  maxTracked: 256,
  now: () => performance.now(),
};

interface Entry {
  failures: number[];
  openUntil: number;
}

export class Breaker {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: BreakerOptions = DEFAULT_BREAKER) {}

  /** Milliseconds until the template may run again, or 0 if it may run now. */
  blockedFor(key: string): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.openUntil - this.options.now());
  }

  failed(key: string): void {
    const { threshold, windowMs, openMs, maxTracked, now } = this.options;
    const at = now();
    const entry = this.entries.get(key) ?? { failures: [], openUntil: 0 };
    this.entries.delete(key);
    entry.failures = [...entry.failures.filter((t) => at - t < windowMs), at];
    if (entry.failures.length >= threshold) {
      entry.openUntil = at + openMs;
      entry.failures = [];
    }
    this.entries.set(key, entry);
    if (this.entries.size > maxTracked) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}
