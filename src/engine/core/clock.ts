/**
 * Time source for the engine. Nothing in the engine reads `Date.now()` directly, so tests drive
 * the engine on a virtual clock and replay OnCall's timelines to the second.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class VirtualClock implements Clock {
  constructor(private current: number) {}

  static at(iso: string): VirtualClock {
    return new VirtualClock(Date.parse(iso));
  }

  now(): number {
    return this.current;
  }

  set(ms: number): void {
    this.current = ms;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
