/** Defaults of the HTTP transport, in a module of their own so the CLI can show them without loading it. */
export const HTTP_DEFAULTS = {
  host: '127.0.0.1',
  port: 8765,
  maxSessions: 100,
  /** A session with nothing open for this long is closed. */
  sessionIdleMs: 30 * 60_000,
  /**
   * A session never used after `initialize` (no other request, no stream opened) is closed after
   * this long: bare initializes must not hold the session slots for the idle timeout.
   */
  unusedSessionMs: 15_000,
  /** How long a graceful stop lets in-flight calls finish. */
  shutdownGraceMs: 5_000,
} as const;
