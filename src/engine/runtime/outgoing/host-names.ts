/**
 * What a webhook's host name says before any DNS lookup: names reserved for examples and tests
 * (RFC 2606, RFC 6761), names that mean this machine, and the cloud metadata services' names.
 * Host names reach here as `URL.hostname` gives them: lower case, IDNs in punycode.
 */

/** Without the root dot: `hooks.example.com.` is the same name as `hooks.example.com`. */
export function bareHostName(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

const within = (name: string, domain: string) => name === domain || name.endsWith(`.${domain}`);

/** RFC 2606 second-level names and RFC 2606 / 6761 top-level names, with what each is for. */
const RESERVED_DOMAINS: ReadonlyArray<readonly [string, string]> = [
  ['example.com', 'example'],
  ['example.net', 'example'],
  ['example.org', 'example'],
  ['example', 'example'],
  ['test', 'test'],
  ['invalid', 'invalid'],
];

/**
 * Why nobody should be contacted at this name (it is a placeholder, as in the demo organisation),
 * or null. `hooks.example.com is a reserved example domain`.
 */
export function reservedNameReason(hostname: string): string | null {
  const name = bareHostName(hostname);
  const hit = RESERVED_DOMAINS.find(([domain]) => within(name, domain));
  return hit ? `${name} is a reserved ${hit[1]} domain` : null;
}

/** `localhost` and its subdomains are this machine (RFC 6761 §6.3), whatever DNS would say. */
export function isLoopbackName(hostname: string): boolean {
  return within(bareHostName(hostname), 'localhost');
}

/**
 * The metadata services' names on AWS, GCP and Azure-like clouds. They hand out instance
 * credentials, so a request there is never sent, allow-list or not.
 */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

export function isMetadataName(hostname: string): boolean {
  return METADATA_NAMES.has(bareHostName(hostname));
}
