/**
 * The outgoing-address policy on its own: which addresses and names a webhook may reach, and how
 * `--webhook-allow` entries widen that. The end-to-end behaviour is in test/hostile/webhooks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { OutgoingPolicy, parseAllowEntry } from '../../src/engine/runtime/outgoing/address-policy.js';

const strict = new OutgoingPolicy();
const refused = (address: string, policy = strict) => !policy.checkAddress(address, address).ok;

describe('only globally routable unicast passes by default', () => {
  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82b::200e',
    '::ffff:8.8.8.8', // IPv4-mapped form of a public address
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
  ])('%s is allowed', (address) => {
    expect(refused(address)).toBe(false);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.1.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.10', 'documentation'],
    ['203.0.113.10', 'documentation'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:10.0.0.1', 'IPv4-mapped form of 10.0.0.1'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated form of 127.0.0.1'],
    ['64:ff9b::127.0.0.1', 'NAT64 form of 127.0.0.1'],
    ['64:ff9b:1::1', 'local-use NAT64'],
    ['2002:c0a8:101::1', '6to4 form of 192.168.1.1'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['::127.0.0.1', 'not a global unicast'], // the deprecated IPv4-compatible form
    ['4000::1', 'not a global unicast'], // outside 2000::/3, unallocated
  ])('%s is refused (%s)', (address, why) => {
    const verdict = strict.checkAddress(address, address);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toContain(why);
  });

  it.each(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192', '::ffff:169.254.169.254'])(
    'metadata address %s is refused even when its range is allowed',
    (address) => {
      const wide = new OutgoingPolicy(['169.254.0.0/16', '100.64.0.0/10', '192.0.0.0/24', 'fd00::/8', '::ffff:0:0/96']);
      const verdict = wide.checkAddress(address, address);
      expect(verdict).toEqual({ ok: false, reason: expect.stringContaining('cloud metadata address (never allowed)') });
    },
  );
});

describe('host names', () => {
  it.each([
    ['hooks.example.com', 'hooks.example.com is a reserved example domain'],
    ['EXAMPLE.org', 'example.org is a reserved example domain'],
    ['a.b.example.net.', 'a.b.example.net is a reserved example domain'],
    ['status.example', 'status.example is a reserved example domain'],
    ['ci.test', 'ci.test is a reserved test domain'],
    ['nowhere.invalid', 'nowhere.invalid is a reserved invalid domain'],
  ])('%s is withheld: %s', (host, reason) => {
    expect(strict.checkHost(new URL(`https://${host}/`).hostname)).toEqual({ action: 'withhold', reason });
  });

  it.each(['example.com.evil.net', 'myexample.com', 'testing.dev', 'hooks.slack.com'])('%s is an ordinary name', (host) => {
    expect(strict.checkHost(host)).toEqual({ action: 'connect' });
  });

  it('localhost names and metadata names are refused before DNS', () => {
    expect(strict.checkHost('localhost')).toMatchObject({ action: 'refuse', reason: expect.stringContaining('--webhook-allow localhost') });
    expect(strict.checkHost('api.localhost')).toMatchObject({ action: 'refuse' });
    for (const name of ['metadata.google.internal', 'metadata.google.internal.', 'metadata', 'instance-data']) {
      expect(strict.checkHost(name)).toMatchObject({ action: 'refuse', reason: expect.stringContaining('metadata') });
    }
  });
});

describe('--webhook-allow entries', () => {
  const allow = new OutgoingPolicy(['127.0.0.1', '10.0.0.0/8', 'fd00:1::/32', 'hooks.internal', '*.svc.cluster.local', 'localhost']);

  it('an address or CIDR lets exactly that space through', () => {
    expect(refused('127.0.0.1', allow)).toBe(false);
    expect(refused('::ffff:127.0.0.1', allow)).toBe(false); // the same address, mapped
    expect(refused('127.0.0.2', allow)).toBe(true);
    expect(refused('10.255.0.1', allow)).toBe(false);
    expect(refused('11.0.0.1', allow)).toBe(false); // public anyway
    expect(refused('172.16.0.1', allow)).toBe(true);
    expect(refused('fd00:1:ffff::1', allow)).toBe(false);
    expect(refused('fd00:2::1', allow)).toBe(true);
  });

  it('a host name lets that name through to whatever it resolves to; *.domain only its subdomains', () => {
    expect(allow.checkAddress('hooks.internal', '192.168.7.7')).toEqual({ ok: true });
    expect(allow.checkAddress('hooks.internal.', '192.168.7.7')).toEqual({ ok: true });
    expect(allow.checkAddress('other.internal', '192.168.7.7').ok).toBe(false);
    expect(allow.checkAddress('api.svc.cluster.local', '192.168.7.7')).toEqual({ ok: true });
    expect(allow.checkAddress('svc.cluster.local', '192.168.7.7').ok).toBe(false);
    expect(allow.checkHost('localhost')).toEqual({ action: 'connect' });
    expect(allow.checkAddress('hooks.internal', '169.254.169.254').ok).toBe(false);
  });

  it.each(['10.0.0.0/8', 'fd00::/8', '192.168.1.1', '::1', '[::1]', 'hooks.internal', '*.svc.cluster.local', 'HOOKS.Internal.'])(
    'accepts %s',
    (item) => {
      expect(parseAllowEntry(item)).not.toHaveProperty('problem');
    },
  );

  it.each(['10.0.0.0/33', '10/8', '10.1', '1.2.3.4.5', 'hooks internal', 'a..b', '-a.b', '*', '*.', 'http://x', 'x:80'])(
    'refuses %s',
    (item) => {
      expect(parseAllowEntry(item)).toHaveProperty('problem');
    },
  );
});
