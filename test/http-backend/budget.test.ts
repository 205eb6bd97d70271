/**
 * The request budget: each tool call's upstream requests are counted (a debug line per call) and
 * the count is exact against what the API received; names are cached, so a warm call costs a few
 * requests; our own writes drop the cached names at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createServer } from '../../src/server.js';
import { IDS } from '../helpers.js';
import { type LiveOrg, liveOrg } from './live-profile.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('request budget', () => {
  it('a debug line per call with its upstream requests, equal to what the API received; warm calls are cheap', async () => {
    org = await liveOrg('cloud');
    const http = org.backend();
    const lines: string[] = [];
    const server = createServer({ backend: http, log: () => {}, debug: (m) => lines.push(m) });
    const client = new Client({ name: 'budget', version: '1' });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(c), server.connect(s)]);
    const call = async (name: string, args: Record<string, unknown>) => {
      const before = org!.requests.length;
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError).not.toBe(true);
      const m = /^oncall-mcp: (\w+): (\d+) upstream requests?$/.exec(lines.at(-1) ?? '');
      expect(m?.[1]).toBe(name);
      expect(Number(m?.[2])).toBe(org!.requests.length - before);
      return Number(m?.[2]);
    };
    const cold = await call('get_escalation_chain', { escalation_chain_id: 'sre critical' });
    const warm = await call('get_escalation_chain', { escalation_chain_id: 'sre critical' });
    expect(cold).toBeGreaterThan(warm);
    expect(warm).toBeLessThanOrEqual(3);

    // Our own write drops the cached names: the new chain is found by name at once, not after the TTL.
    await call('create_escalation_chain', { name: 'brand new chain' });
    const found = await client.callTool({ name: 'get_escalation_chain', arguments: { escalation_chain_id: 'brand new chain' } });
    expect(found.isError).not.toBe(true);
    await client.close();
  });

  it('concurrent calls are counted apart', async () => {
    org = await liveOrg('cloud');
    const lines: string[] = [];
    const server = createServer({ backend: org.backend(), log: () => {}, debug: (m) => lines.push(m) });
    const client = new Client({ name: 'budget', version: '1' });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(c), server.connect(s)]);
    await client.callTool({ name: 'get_escalation_chain', arguments: { escalation_chain_id: IDS.defaultChain } }); // warm up names
    lines.length = 0;
    const before = org.requests.length;
    await Promise.all(Array.from({ length: 5 }, () =>
      client.callTool({ name: 'get_escalation_chain', arguments: { escalation_chain_id: IDS.defaultChain } })));
    const sum = lines.map((l) => Number(/: (\d+) upstream/.exec(l)?.[1])).reduce((a, b) => a + b, 0);
    expect(lines).toHaveLength(5);
    expect(sum).toBe(org.requests.length - before);
    await client.close();
  });
});
