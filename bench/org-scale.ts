/**
 * Tool-call cost against organisation size: the demo with 10, 1,000 and 10,000 users, the same
 * calls through a real MCP client. Names in text and names in arguments come from the shared
 * directory index, so after the first call (which loads it) a call should cost the same at any
 * size; before the index, get_escalation_chain loaded every user on every call (0.3 ms at 10 users,
 * 1.4 s at 10,000). Printed per call: the warm p50 at each size with its ratio to the 10-user size,
 * the first call and the warm p99, and the growth exponent of the p50 over the sizes (bench/growth.ts).
 * `npx tsx bench/org-scale.ts` runs this section alone.
 */
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { createServer } from '../src/server.js';
import { withUsers } from './generated-org.js';
import { printSweep } from './growth.js';
import { ms, percentile } from './stats.js';

const CALLS: Array<[string, Record<string, unknown>]> = [
  ['get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' }],
  ['get_escalation_chain', { escalation_chain_id: 'sre critical' }], // a name, resolved by the index
  ['create_escalation_policy', { escalation_chain_id: 'F5JU6KJET33FE', type: 'notify_persons', persons_to_notify: ['bob'] }],
];

async function measure(users: number, iterations: number) {
  const backend = new MemoryBackend({ state: withUsers(users) });
  const server = createServer({ backend, log: () => {} });
  const client = new Client({ name: 'bench', version: '1' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(c), server.connect(s)]);
  const out: Array<{ label: string; first: number; p50: number; p99: number }> = [];
  for (const [name, args] of CALLS) {
    const time = async () => {
      const t = process.hrtime.bigint();
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${name} failed during the benchmark`);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    const first = await time();
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) samples.push(await time());
    out.push({ label: `${name} ${JSON.stringify(Object.values(args)[0])}`, first, p50: percentile(samples, 50), p99: percentile(samples, 99) });
  }
  await client.close();
  return out;
}

export async function benchOrgScale(iterations = 300): Promise<void> {
  console.log(`\ntool calls against organisation size (in process, ${iterations} warm calls each; a write reloads chains, never users)`);
  const sizes = [10, 1_000, 10_000];
  const results = new Map<number, Awaited<ReturnType<typeof measure>>>();
  // A discarded pass first: otherwise the 10-user size, measured first, also pays for compiling the
  // code, and the fitted exponent comes out negative.
  await measure(sizes[0]!, iterations);
  for (const size of sizes) results.set(size, await measure(size, iterations));
  const base = results.get(10)!;
  // One sweep per call: its warm p50 at each size, the exponent fitted over the sizes (0: the call
  // costs the same whatever the number of users), each size as a ratio of the 10-user p50.
  base.forEach((call, i) => {
    printSweep(`${call.label}: warm p50`, sizes.map((size) => {
      const r = results.get(size)![i]!;
      return { size, value: r.p50, extra: `first ${ms(r.first, 1)}   p99 ${ms(r.p99, 3)}` };
    }), { unit: 'users', format: (v) => ms(v, 3), baseline: { label: 'the 10-user p50', value: call.p50 } });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchOrgScale();
