/**
 * Finding the integration an inbound alert URL (`/integrations/v1/<type>/<token>/`) names. The
 * token is the URL's only secret, and the request is unauthenticated, so it is compared in
 * constant time: both sides are SHA-256 digests of equal length given to `timingSafeEqual`, so the
 * time taken says nothing about how much of a guess was right, nor about the token's length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { INTEGRATION_TYPE_INFO, shownType } from './integration-types.js';
import type { IntegrationRecord, State } from '../core/state.js';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Each record's token digest, remembered per record so a lookup hashes only the presented token. */
const digests = new WeakMap<IntegrationRecord, { token: string; digest: Buffer }>();

function tokenDigest(integration: IntegrationRecord): Buffer {
  const cached = digests.get(integration);
  if (cached?.token === integration.token) return cached.digest;
  const digest = sha256(integration.token);
  digests.set(integration, { token: integration.token, digest });
  return digest;
}

/**
 * The id of the live integration whose URL is `/integrations/v1/<type>/<token>/`, if any: the
 * token must match, the type must be the one the API shows for it (legacy types under their
 * successor's slug), and the type must receive alerts on a URL at all.
 */
export function findIntegrationByToken(state: State, type: string, token: string): string | undefined {
  const presented = sha256(token);
  for (const integration of state.integrations.values()) {
    if (!timingSafeEqual(tokenDigest(integration), presented)) continue;
    if (integration.deleted || !INTEGRATION_TYPE_INFO[integration.type]?.link) return undefined;
    return shownType(integration.type) === type ? integration.id : undefined;
  }
  return undefined;
}
