/**
 * The REST facade's rate limits, modelled on OnCall's, on `rate-limiter-flexible`'s in-memory
 * limiter (one fixed window per key):
 *
 * - API requests per token per minute (OnCall's `public_api` scope: 300/min per user);
 * - inbound alerts per integration and per organisation per 5 minutes (OnCall documents 300 and 500);
 * - failed authentications per remote address per minute: an address that keeps presenting wrong
 *   API or integration tokens is refused before its next guess is even checked, so tokens cannot
 *   be brute-forced.
 *
 * Each answer is the wait in whole seconds (what OnCall's 429 body and `Retry-After` carry), or
 * undefined when the request may go ahead. A limit of 0 turns that limit off.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface ThrottleLimits {
  /** API requests per token per minute. */
  apiPerMinute: number;
  /** Inbound alerts per integration per 5 minutes. */
  alertsPerIntegration: number;
  /** Inbound alerts per organisation (every integration together) per 5 minutes. */
  alertsPerOrganization: number;
  /** Failed authentications per remote address per minute before the address is refused. */
  authFailuresPerMinute: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
  apiPerMinute: 300,
  alertsPerIntegration: 300,
  alertsPerOrganization: 500,
  authFailuresPerMinute: 30,
};

const MINUTE = 60;
const FIVE_MINUTES = 5 * 60;

export interface Throttles {
  /** Count one API request by this token; a wait when over the limit. */
  apiRequest(tokenKey: string): Promise<number | undefined>;
  /** Count one inbound alert to this integration (and to the organisation); a wait when over either. */
  alert(integrationId: string): Promise<number | undefined>;
  /** A wait when this address has failed authentication too often lately. */
  authBlocked(address: string): Promise<number | undefined>;
  /** Record a failed authentication from this address. */
  authFailed(address: string): Promise<void>;
}

export function createThrottles(limits: ThrottleLimits): Throttles {
  const limiter = (points: number, duration: number) =>
    points > 0 ? new RateLimiterMemory({ points, duration }) : undefined;
  const api = limiter(limits.apiPerMinute, MINUTE);
  const perIntegration = limiter(limits.alertsPerIntegration, FIVE_MINUTES);
  const perOrganization = limiter(limits.alertsPerOrganization, FIVE_MINUTES);
  const failures = limiter(limits.authFailuresPerMinute, MINUTE);

  return {
    apiRequest: (tokenKey) => take(api, tokenKey),
    // An integration over its own limit does not use up the organisation's budget as well.
    alert: async (integrationId) => (await take(perIntegration, integrationId)) ?? take(perOrganization, 'organization'),
    authBlocked: async (address) => {
      if (!failures) return undefined;
      const record = await failures.get(address);
      return record && record.consumedPoints >= failures.points ? seconds(record.msBeforeNext) : undefined;
    },
    authFailed: async (address) => {
      await take(failures, address);
    },
  };
}

async function take(limiter: RateLimiterMemory | undefined, key: string): Promise<number | undefined> {
  if (!limiter) return undefined;
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return seconds(rejection.msBeforeNext);
    throw rejection;
  }
}

/** Whole seconds, rounded up and at least 1 (OnCall rounds the wait up too). */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** OnCall's 429 body (DRF's Throttled). */
export const throttledBody = (wait: number) => ({ detail: `Request was throttled. Expected available in ${wait} seconds.` });
