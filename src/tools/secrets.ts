/**
 * Secrets in text. An integration's URL carries its token (`/integrations/v1/<type>/<token>/`), and
 * so does an inbound-email address (`<token>@domain`): whoever has either can raise alerts that page
 * people. Tool text ends up in transcripts and logs, so every text block is masked in the wrapper;
 * the structured content keeps the real values (it is the API shape, and the way to get them).
 */

export const TOKEN_MASK = '****';

/** `…/integrations/v1/alertmanager/<token>/` (also `…/heartbeat/` after it). */
const INTEGRATION_URL = /(\/integrations\/v1\/[a-z_]+\/)([A-Za-z0-9_-]{8,})(?=\/|\b)/g;

/** Any http(s) URL in text, up to whitespace or a closing bracket or quote. */
const ANY_URL = /\bhttps?:\/\/[^\s"'<>()]+/g;
/** A path segment or query value this long and plain is a credential, not a name (Slack hook paths). */
const LONG_OPAQUE = /^[A-Za-z0-9_-]{20,}$/;
const SECRET_PARAM = /token|key|secret|sig|signature|password|passwd|auth|code/i;

/**
 * Credentials other URLs carry (a webhook's `https://user:pass@…`, a Slack incoming-webhook path, a
 * `?token=` query): masked in text the same way.
 */
function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = url.username ? TOKEN_MASK : '';
    url.password = url.password ? TOKEN_MASK : '';
    changed = true;
  }
  const segments = url.pathname.split('/').map((seg) => (LONG_OPAQUE.test(seg) ? TOKEN_MASK : seg));
  if (segments.join('/') !== url.pathname) {
    url.pathname = segments.join('/');
    changed = true;
  }
  for (const [key, value] of [...url.searchParams]) {
    if (SECRET_PARAM.test(key) || LONG_OPAQUE.test(value)) {
      url.searchParams.set(key, TOKEN_MASK);
      changed = true;
    }
  }
  return changed ? decodeURI(url.toString()) : raw;
}

export const MASKED_NOTE =
  'Tokens and credentials in URLs are masked (****) in this text; the structured content has the full values '
  + '(get_integration\'s `link` and `inbound_email`).';

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
  out = out.replace(ANY_URL, (url) => {
    const shown = maskUrl(url);
    if (shown !== url) masked = true;
    return shown;
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
