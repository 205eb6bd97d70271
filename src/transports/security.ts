/**
 * Small security helpers for the HTTP transport, kept free of SDK imports so the CLI can use them
 * while parsing options without loading any transport.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * A secret string that never prints itself: `String()`, template literals, `JSON.stringify` and
 * `util.inspect` all show `[redacted]`, so an options object can be logged without leaking it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The value itself: call only where it is compared, never where it could be printed. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}

export type BearerVerdict = 'ok' | 'missing' | 'invalid';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * A checker for `Authorization: Bearer <token>` headers. Both sides are hashed first so that
 * `timingSafeEqual` always compares 32 equal-length bytes: the time taken reveals neither the
 * token nor its length.
 */
export function bearerChecker(token: Secret): (authorization: string | undefined) => BearerVerdict {
  const expected = sha256(token.reveal());
  return (authorization) => {
    if (authorization === undefined || authorization === '') return 'missing';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) return 'invalid';
    return timingSafeEqual(sha256(match[1]!), expected) ? 'ok' : 'invalid';
  };
}

/** `localhost`, 127.0.0.0/8 and ::1: the addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The "every interface" addresses. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** A host as it appears in a URL or a Host header: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
