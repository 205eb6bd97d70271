/**
 * Secrets in text. An integration's URL carries its token (`/integrations/v1/<type>/<token>/`), and
 * so does an inbound-email address (`<token>@domain`): whoever has either can raise alerts that page
 * people. Tool text ends up in transcripts and logs, so every text block is masked in the wrapper;
 * the structured content keeps the real values (it is the API shape, and the way to get them).
 */

export const TOKEN_MASK = '****';

/** `…/integrations/v1/alertmanager/<token>/` (also `…/heartbeat/` after it). */
const INTEGRATION_URL = /(\/integrations\/v1\/[a-z_]+\/)([A-Za-z0-9_-]{8,})(?=\/|\b)/g;

export const MASKED_NOTE =
  'Integration tokens are masked (****) in this text; get_integration\'s structured content has the full `link` and `inbound_email`.';

export interface Masked {
  text: string;
  masked: boolean;
}

/**
 * Mask integration tokens: those in integration URLs by their shape, and the given `tokens` (such as
 * inbound-email local parts, which have no recognisable shape) wherever they appear.
 */
export function maskSecrets(text: string, tokens: Iterable<string> = []): Masked {
  let masked = false;
  let out = text.replace(INTEGRATION_URL, (_all, head: string) => {
    masked = true;
    return `${head}${TOKEN_MASK}`;
  });
  for (const token of tokens) {
    if (token.length < 8 || !out.includes(token)) continue; // a short value could be an ordinary word
    out = out.split(token).join(TOKEN_MASK);
    masked = true;
  }
  return { text: out, masked };
}

/** The tokens of integrations found in a tool's structured output (any depth), to mask in its text. */
export function tokensIn(value: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (depth > 6 || !value || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    for (const item of value) tokensIn(item, found, depth + 1);
    return found;
  }
  const record = value as Record<string, unknown>;
  const email = record.inbound_email;
  if (typeof email === 'string' && email.includes('@')) found.add(email.slice(0, email.indexOf('@')));
  const link = record.link;
  if (typeof link === 'string') {
    const token = /\/integrations\/v1\/[a-z_]+\/([^/]+)/.exec(link)?.[1];
    if (token) found.add(token);
  }
  for (const v of Object.values(record)) if (v && typeof v === 'object') tokensIn(v, found, depth + 1);
  return found;
}
