/**
 * Which request headers carry credentials: they are masked wherever a request is recorded and
 * never follow a redirect to another origin. Besides the standard ones, any header whose name
 * says token, secret, key, password, auth or session counts, since webhook configurations put API
 * keys in headers of their own naming (`X-Api-Key`, `X-Auth-Token`, `PRIVATE-TOKEN`).
 */
const STANDARD = new Set(['authorization', 'proxy-authorization', 'cookie']);
const SECRET_WORDS = /token|secret|api[-_]?key|access[-_]?key|passw|auth|session|signature/i;

export function isCredentialHeader(name: string): boolean {
  return STANDARD.has(name.toLowerCase()) || SECRET_WORDS.test(name);
}

export const MASK = '****';

/** The headers as JSON with every credential's value replaced by the mask. */
export function maskedHeaders(headers: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isCredentialHeader(k) ? MASK : v])),
  );
}
