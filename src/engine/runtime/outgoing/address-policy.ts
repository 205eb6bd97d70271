/**
 * Which addresses a webhook may reach. Only globally routable unicast passes by default: the
 * engine sends what an unauthenticated alert's payload can shape, with the webhook's credentials
 * attached, so it must not become a way into loopback services, the private network or a cloud
 * metadata service. Address classes come from ipaddr.js (its IANA special-purpose registry);
 * `--webhook-allow` entries (host names, addresses, CIDRs) let chosen internal targets through.
 */
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type * as IpAddr from 'ipaddr.js';
import { bareHostName, isLoopbackName, isMetadataName, reservedNameReason } from './host-names.js';

// ipaddr.js is CommonJS exporting one object, which ESM cannot import by name.
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;
type IPv4 = IpAddr.IPv4;
type IPv6 = IpAddr.IPv6;
type Address = IPv4 | IPv6;

/** The flag a refusal points at, so the fix is in the message. */
export const ALLOW_FLAG = '--webhook-allow';

/** Cloud metadata endpoints (AWS IMDS and ECS/EKS credentials, Alibaba, Oracle): never allowed. */
const METADATA_ADDRESSES = new Set(
  ['169.254.169.254', '169.254.170.2', '169.254.170.23', 'fd00:ec2::254', 'fd00:ec2::23', '100.100.100.200', '192.0.0.192']
    .map((a) => parseAddress(a).toNormalizedString()),
);

/** ipaddr.js range names as a sentence can use them. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  private: 'a private (RFC 1918) address',
  reserved: 'a reserved or documentation address',
  benchmarking: 'a benchmarking address',
  uniqueLocal: 'a unique-local IPv6 address',
  deprecatedSiteLocal: 'a site-local IPv6 address',
  teredo: 'a Teredo tunnel address',
};

/**
 * IANA's global unicast block. ipaddr.js calls everything outside its special ranges "unicast",
 * including unallocated space and the deprecated IPv4-compatible form (`::127.0.0.1`), which
 * could still be routed somewhere local.
 */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

const v4FromParts = (high: number, low: number) =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** The IPv4 address inside a mapped, translated, NAT64 or 6to4 address, with the form's name. */
function embeddedIPv4(address: IPv6): { inner: IPv4; form: string } | null {
  const p = address.parts;
  switch (address.range() as string) {
    case 'ipv4Mapped':
      return { inner: v4FromParts(p[6]!, p[7]!), form: 'an IPv4-mapped form' };
    case 'rfc6145':
      return { inner: v4FromParts(p[6]!, p[7]!), form: 'an IPv4-translated form' };
    case 'rfc6052':
      return address.match(NAT64_WELL_KNOWN) ? { inner: v4FromParts(p[6]!, p[7]!), form: 'a NAT64 form' } : null;
    case '6to4':
      return { inner: v4FromParts(p[1]!, p[2]!), form: 'a 6to4 form' };
    default:
      return null;
  }
}

/**
 * An address as the socket layer means it. IPv6 text goes through the WHATWG URL parser first:
 * ipaddr.js reads `::10.0.0.1` (IPv4-compatible, ::a00:1) as `::ffff:10.0.0.1` (IPv4-mapped).
 * IPv4 must be four decimal parts (net.isIP), as DNS and URL.hostname give it. Throws when not an address.
 */
function parseAddress(text: string): Address {
  const bare = text.replace(/%.*$/, '');
  switch (isIP(bare)) {
    case 6:
      return ipaddr.IPv6.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
    case 4:
      return ipaddr.IPv4.parse(bare);
    default:
      throw new Error('not an IP address');
  }
}

// node:net's check first: ipaddr.js answers "no" by throwing, which costs a stack trace per name.
const isAddress = (text: string) => isIP(text.replace(/%.*$/, '')) !== 0;

/** Why this address is not globally routable unicast, or null when it is. */
export function nonGlobalReason(address: Address): string | null {
  if (address.kind() === 'ipv6') {
    const v6 = address as IPv6;
    const embedded = embeddedIPv4(v6);
    if (embedded) {
      const inner = nonGlobalReason(embedded.inner);
      return inner ? `${embedded.form} of ${embedded.inner.toString()}, ${inner}` : null;
    }
    const range = v6.range() as string;
    if (range === 'rfc6052') return 'a local-use NAT64 address';
    if (range !== 'unicast') return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
    return v6.match(IPV6_GLOBAL_UNICAST) ? null : 'not a global unicast IPv6 address';
  }
  const range = (address as IPv4).range() as string;
  if (range === 'unicast') return null;
  return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
}

/** The address with any embedded IPv4 taken out: what a metadata or CIDR check should compare. */
function unwrapped(address: Address): Address {
  if (address.kind() === 'ipv6') return embeddedIPv4(address as IPv6)?.inner ?? address;
  return address;
}

const isMetadataAddress = (address: Address) =>
  [address, unwrapped(address)].some((a) => METADATA_ADDRESSES.has(a.toNormalizedString()));

type AllowEntry =
  | { kind: 'name'; name: string }
  | { kind: 'subdomains'; domain: string }
  | { kind: 'range'; range: [Address, number] };

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

/**
 * One `--webhook-allow` item: a host name (`hooks.internal`), its subdomains (`*.svc.cluster.local`),
 * an address (`127.0.0.1`, `::1`, `[::1]`) or a CIDR (`10.0.0.0/8`). Returns the problem as text.
 */
export function parseAllowEntry(raw: string): AllowEntry | { problem: string } {
  const item = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (item.includes('/')) {
    const [base = '', bits = ''] = item.split('/');
    const max = base.includes(':') ? 128 : 32;
    if (!isAddress(base) || !/^\d{1,3}$/.test(bits) || Number(bits) > max) {
      return { problem: `"${raw}" is not a CIDR (e.g. 10.0.0.0/8 or fd00::/8)` };
    }
    return { kind: 'range', range: [parseAddress(base), Number(bits)] };
  }
  if (isAddress(item)) {
    const address = parseAddress(item);
    return { kind: 'range', range: [address, address.kind() === 'ipv4' ? 32 : 128] };
  }
  const wildcard = item.startsWith('*.');
  const name = bareHostName(wildcard ? item.slice(2) : item);
  // All-numeric names are addresses URL parsers would rewrite (`10.1` is 10.0.0.1): refuse them.
  if (!HOST_NAME.test(name) || /^[\d.]+$/.test(name)) {
    return { problem: `"${raw}" is not a host name, *.domain, IP address or CIDR` };
  }
  return wildcard ? { kind: 'subdomains', domain: name } : { kind: 'name', name };
}

export type HostVerdict =
  | { action: 'connect' }
  /** A placeholder name: nothing is sent, what would have been sent is recorded. */
  | { action: 'withhold'; reason: string }
  | { action: 'refuse'; reason: string };

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

export class OutgoingPolicy {
  private readonly entries: AllowEntry[];

  /** `allow`: the `--webhook-allow` items; a bad one throws (the CLI has already reported it). */
  constructor(allow: readonly string[] = []) {
    this.entries = allow.map((raw) => {
      const entry = parseAllowEntry(raw);
      if ('problem' in entry) throw new Error(`${ALLOW_FLAG}: ${entry.problem}`);
      return entry;
    });
  }

  /** The first decision, from the URL's host alone (before DNS; IP literals are decided here). */
  checkHost(hostname: string): HostVerdict {
    const host = bareHostName(hostname);
    if (isAddress(host)) {
      const verdict = this.checkAddress(host, host);
      return verdict.ok ? { action: 'connect' } : { action: 'refuse', reason: verdict.reason };
    }
    if (isMetadataName(host)) return { action: 'refuse', reason: `${host} is a cloud metadata service (never allowed)` };
    if (this.allowsName(host)) return { action: 'connect' };
    if (isLoopbackName(host)) {
      return { action: 'refuse', reason: `${host} is this machine (a loopback name); allow it with ${ALLOW_FLAG} ${host}` };
    }
    const reserved = reservedNameReason(host);
    return reserved ? { action: 'withhold', reason: reserved } : { action: 'connect' };
  }

  /**
   * An address about to be connected to: the literal in the URL or what `hostname` resolved to.
   * Metadata addresses are refused even when allowed; the rest pass if global or allowed.
   */
  checkAddress(hostname: string, rawAddress: string): AddressVerdict {
    const host = bareHostName(hostname);
    let address: Address;
    try {
      address = parseAddress(rawAddress);
    } catch {
      return { ok: false, reason: `${host} resolved to "${rawAddress}", which is not an IP address` };
    }
    const shown = address.toString();
    const literal = host === rawAddress || host === shown;
    const subject = literal ? `${shown} is` : `${host} resolves to ${shown},`;
    if (isMetadataAddress(address)) return { ok: false, reason: `${subject} a cloud metadata address (never allowed)` };
    if (!literal && this.allowsName(host)) return { ok: true };
    if (this.allowsAddress(address)) return { ok: true };
    const why = nonGlobalReason(address);
    if (!why) return { ok: true };
    return { ok: false, reason: `${subject} ${why}; allow it with ${ALLOW_FLAG} ${literal ? unwrapped(address).toString() : host}` };
  }

  private allowsName(host: string): boolean {
    return this.entries.some((e) =>
      (e.kind === 'name' && e.name === host) || (e.kind === 'subdomains' && host.endsWith(`.${e.domain}`)));
  }

  private allowsAddress(address: Address): boolean {
    const candidates = [address, unwrapped(address)];
    return this.entries.some((e) =>
      e.kind === 'range' && candidates.some((a) => a.kind() === e.range[0].kind() && a.match(e.range)));
  }
}
