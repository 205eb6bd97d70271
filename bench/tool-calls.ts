/**
 * In-process tool-call latency through a real MCP Client and the SDK's InMemoryTransport (so
 * schema validation on both sides is included). The size of `tools/list` is in tokens.ts.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { demoState } from '../src/demo/state.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { createServer } from '../src/server.js';
import { ms, percentile, row } from './stats.js';

async function connected() {
  const backend = new MemoryBackend({ state: demoState() });
  const server = createServer({ backend, log: () => {} });
  const client = new Client({ name: 'bench', version: '1' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(c), server.connect(s)]);
  return client;
}

const CALLS: Array<[string, Record<string, unknown>]> = [
  ['get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' }],
  ['list_escalation_policies', {}],
  ['list_users', {}],
  ['update_escalation_policy', { escalation_policy_id: 'E3GA6SJETWWJS', duration: 120 }],
  ['advance_round_robin', { escalation_policy_id: 'E1VSUYR3PM58D' }],
];

export async function benchToolCalls(iterations: number): Promise<void> {
  const client = await connected();
  console.log(`\nin-process tool calls (MCP Client ↔ InMemoryTransport ↔ server; ${iterations} calls each)`);
  console.log(row('tool', 'p50', '     p99'));
  for (const [name, args] of CALLS) {
    for (let i = 0; i < 50; i++) await client.callTool({ name, arguments: args }); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const t = process.hrtime.bigint();
      const r = await client.callTool({ name, arguments: args });
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (r.isError) throw new Error(`${name} failed during the benchmark`);
    }
    console.log(row(name, ms(percentile(samples, 50), 3), ms(percentile(samples, 99), 3)));
  }
  await client.close();
}
