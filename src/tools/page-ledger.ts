/**
 * One page per intent. An agent that retries a page (its client timed out, it lost the answer, it
 * ran the same plan twice) must not page the same people twice, so the paging tool sends through
 * this ledger:
 *
 * - with an `idempotency_key`, a later call with the same key (within KEY_WINDOW_MS) gets the first
 *   call's page back and sends nothing; the same key with a different page is refused;
 * - without a key, an identical page (same targets, title, message, link) within
 *   IDENTICAL_WINDOW_MS is folded the same way, unless the caller says `force`;
 * - a call that arrives while the first is still in flight (asking the human, waiting for OnCall)
 *   waits for it and gets its outcome: concurrent duplicates fold too.
 *
 * A page refused by OnCall or declined by the human leaves no trace (the next call sends). A page
 * whose outcome is unknown does: a retry is refused until the agent has looked for it.
 *
 * The ledger lives in the server process, one per backend, shared by every session; it is memory
 * only (a restart forgets it, which is why the text says how to check for an earlier page).
 */
import { outcomeUnknown } from './errors.js';

export const KEY_WINDOW_MS = 10 * 60_000;
export const IDENTICAL_WINDOW_MS = 60_000;

type Outcome<T> = { state: 'sent'; value: T } | { state: 'unknown' };

interface Claim<T> {
  key: string | undefined;
  fingerprint: string;
  /** When it settled (ms); undefined while in flight. */
  settledAt: number | undefined;
  /** The first call's outcome; rejects when it failed without sending (then duplicates fail alike). */
  outcome: Promise<Outcome<T>>;
}

export type LedgerAnswer<T> =
  | { kind: 'sent'; value: T }
  | { kind: 'duplicate'; by: 'idempotency_key' | 'identical_page'; value: T; firstAt: number }
  | { kind: 'duplicate_unknown'; by: 'idempotency_key' | 'identical_page'; firstAt: number }
  | { kind: 'key_reused'; firstAt: number | undefined };

export class PageLedger<T> {
  private readonly byKey = new Map<string, Claim<T>>();
  private readonly byFingerprint = new Map<string, Claim<T>>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /**
   * Send once: `send` runs only when no earlier call covers this one. A key, when given, says what
   * counts as the same page; an identical page without a key is the same within the short window.
   */
  async once(
    opts: { key: string | undefined; fingerprint: string; force: boolean },
    send: () => Promise<T>,
  ): Promise<LedgerAnswer<T>> {
    this.prune();
    const earlier = opts.key !== undefined
      ? this.byKey.get(opts.key)
      : opts.force ? undefined : this.byFingerprint.get(opts.fingerprint);
    if (earlier) {
      const by = opts.key !== undefined ? 'idempotency_key' : 'identical_page';
      if (earlier.fingerprint !== opts.fingerprint) return { kind: 'key_reused', firstAt: earlier.settledAt };
      const outcome = await earlier.outcome; // rethrows the first call's failure
      const firstAt = earlier.settledAt ?? this.now();
      return outcome.state === 'sent'
        ? { kind: 'duplicate', by, value: outcome.value, firstAt }
        : { kind: 'duplicate_unknown', by, firstAt };
    }

    let settle!: (outcome: Outcome<T>) => void;
    let fail!: (err: unknown) => void;
    const claim: Claim<T> = {
      key: opts.key,
      fingerprint: opts.fingerprint,
      settledAt: undefined,
      outcome: new Promise<Outcome<T>>((resolve, reject) => {
        settle = resolve;
        fail = reject;
      }),
    };
    claim.outcome.catch(() => {}); // only waiting duplicates care; nobody else must see it as unhandled
    if (opts.key !== undefined) this.byKey.set(opts.key, claim);
    this.byFingerprint.set(opts.fingerprint, claim);
    try {
      const value = await send();
      claim.settledAt = this.now();
      settle({ state: 'sent', value });
      return { kind: 'sent', value };
    } catch (err) {
      claim.settledAt = this.now();
      if (outcomeUnknown(err)) {
        settle({ state: 'unknown' }); // kept: it may have paged someone
      } else {
        this.forget(claim); // refused or declined: nothing was sent, the next call may send
        fail(err);
      }
      throw err;
    }
  }

  private forget(claim: Claim<T>): void {
    if (claim.key !== undefined && this.byKey.get(claim.key) === claim) this.byKey.delete(claim.key);
    if (this.byFingerprint.get(claim.fingerprint) === claim) this.byFingerprint.delete(claim.fingerprint);
  }

  /** Drop settled claims past their window; claims still in flight stay whatever their age. */
  private prune(): void {
    const now = this.now();
    for (const [key, claim] of this.byKey) {
      if (claim.settledAt !== undefined && now - claim.settledAt >= KEY_WINDOW_MS) this.byKey.delete(key);
    }
    for (const [fingerprint, claim] of this.byFingerprint) {
      if (claim.settledAt !== undefined && now - claim.settledAt >= IDENTICAL_WINDOW_MS) {
        this.byFingerprint.delete(fingerprint);
      }
    }
  }
}

const ledgers = new WeakMap<object, PageLedger<unknown>>();

/** The ledger of a backend: every session of this process pages through the same one. */
export function ledgerFor<T>(backend: object): PageLedger<T> {
  let ledger = ledgers.get(backend);
  if (!ledger) {
    ledger = new PageLedger<unknown>();
    ledgers.set(backend, ledger);
  }
  return ledger as PageLedger<T>;
}
