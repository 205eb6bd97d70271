/**
 * What `dry_run: true` costs against the same write made for real, as the organisation grows: the
 * demo plus 10, 100 and 1,000 generated chains (three steps each, one route each). A dry run
 * copies the configuration, lints the whole organisation twice and simulates the affected chains,
 * so it grows with the organisation; the write itself does not. Printed: the dry run's p50 per
 * size with its growth exponent, each as a ratio of the real write's p50 on the demo in this run.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { demoState } from '../src/demo/state.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { createServer } from '../src/server.js';
import { printSweep } from './growth.js';
import { ms, percentile } from './stats.js';

const ALERTMANAGER = 'CQWPPTFIE6MK6';
const PRIMARY_ROTATION = 'SBM7DV7BKFUYU';

async function organisation(extraChains: number): Promise<MemoryBackend> {
  const backend = new MemoryBackend({ state: demoState() });
  for (let i = 0; i < extraChains; i++) {
    const chain = await backend.escalationChains.create({ name: `generated ${i}` });
    await backend.escalationPolicies.create({ escalation_chain_id: chain.id, type: 'notify_on_call_from_schedule', notify_on_call_from_schedule: PRIMARY_ROTATION });
    await backend.escalationPolicies.create({ escalation_chain_id: chain.id, type: 'wait', duration: 300 });
    await backend.escalationPolicies.create({ escalation_chain_id: chain.id, type: 'notify_persons', persons_to_notify: ['U7S8H84ARFTGN'] });
    await backend.routes.create({ integration_id: ALERTMANAGER, escalation_chain_id: chain.id, routing_regex: `generated-${i}` });
  }
  return backend;
}

async function timeCalls(backend: MemoryBackend, args: Record<string, unknown>, iterations: number): Promise<number> {
  const server = createServer({ backend, log: () => {} });
  const client = new Client({ name: 'bench', version: '1' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(c), server.connect(s)]);
  const samples: number[] = [];
  for (let i = 0; i <= iterations; i++) {
    const t = process.hrtime.bigint();
    const r = await client.callTool({ name: 'update_escalation_policy', arguments: args });
    if (r.isError) throw new Error('update_escalation_policy failed during the benchmark');
    if (i > 0) samples.push(Number(process.hrtime.bigint() - t) / 1e6); // the first call loads the names
  }
  await client.close();
  return percentile(samples, 50);
}

export async function benchDryRun(iterations = 30): Promise<void> {
  console.log(`\ndry_run against organisation size (update_escalation_policy on the default chain, in process, ${iterations} calls each)`);
  const change = { escalation_policy_id: 'E3GA6SJETWWJS', duration: 120 };
  const real = await timeCalls(await organisation(0), change, iterations);
  const points = [];
  for (const extra of [10, 100, 1_000]) {
    const backend = await organisation(extra);
    const p50 = await timeCalls(backend, { ...change, dry_run: true }, iterations);
    points.push({ size: backend.state.chains.size, value: p50 });
  }
  printSweep('dry run p50 by escalation chains', points, {
    unit: 'chains',
    baseline: { label: `the real write on the demo (${ms(real, 2)})`, value: real },
  });
}
