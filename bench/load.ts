/**
 * Load over Streamable HTTP: many concurrent MCP sessions (real SDK clients, each its own session
 * and GET stream) calling tools against one in-process server on a loopback port. Client and
 * server share this process and its CPUs, so the figures are a floor, not a ceiling.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { demoState } from '../src/demo/state.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { createServer } from '../src/server.js';
import { serveHttp } from '../src/transports/http.js';
import { ms, percentile, row } from './stats.js';

/** Reads plus one idempotent write, so the mix stays the same however many calls run. */
const MIX: Array<[string, Record<string, unknown>]> = [
  ['get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' }],
  ['list_users', {}],
  ['list_escalation_policies', { escalation_chain_id: 'F5JU6KJET33FE' }],
  ['get_escalation_policy', { escalation_policy_id: 'E3GA6SJETWWJS' }],
  ['update_escalation_policy', { escalation_policy_id: 'E3GA6SJETWWJS', duration: 120 }],
];

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function benchLoad(sessions = 50, callsPerSession = 200, warmupCalls = 20): Promise<void> {
  const backend = new MemoryBackend({ state: demoState() });
  const handle = await serveHttp({
    createServer: () => createServer({ backend, log: () => {} }),
    port: 0,
    maxSessions: sessions + 10,
  });
  const clients = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const transport = new StreamableHTTPClientTransport(new URL(handle.url));
      const client = new Client({ name: 'bench-load', version: '1' });
      await client.connect(transport);
      return { client, transport };
    }),
  );

  let errors = 0;
  const run = async (calls: number, samples?: number[]) =>
    Promise.all(
      clients.map(async ({ client }, c) => {
        for (let i = 0; i < calls; i++) {
          const [name, args] = MIX[(c + i) % MIX.length]!;
          const t = process.hrtime.bigint();
          try {
            const result = await client.callTool({ name, arguments: args });
            if (result.isError) errors++;
          } catch {
            errors++;
          }
          samples?.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );

  await run(warmupCalls);
  const warmupErrors = errors;
  errors = 0;
  const before = process.memoryUsage();
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  await run(callsPerSession, samples);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = process.memoryUsage();

  const total = sessions * callsPerSession;
  console.log(
    `\nload: Streamable HTTP on loopback, ${sessions} concurrent sessions × ${callsPerSession} calls`
    + ` (${total} calls, in-process server, after ${warmupCalls} warm-up calls per session)`,
  );
  console.log(row('throughput', `${Math.round(total / seconds)} calls/s`, `(${seconds.toFixed(2)} s)`));
  console.log(row('latency p50 / p99', ms(percentile(samples, 50)), ms(percentile(samples, 99))));
  console.log(row('errors (must be 0)', String(errors + warmupErrors)));
  console.log(row('RSS after warm-up → after the run', `${mib(before.rss)} → ${mib(after.rss)}`));
  // Heap (not collected first) shows whether growth is live objects or allocator slack.
  console.log(row('JS heap used, same points', `${mib(before.heapUsed)} → ${mib(after.heapUsed)}`));
  console.log(row('sessions open on the server', String(handle.sessions().streamable)));

  await Promise.all(clients.map(({ transport }) => transport.terminateSession().catch(() => {})));
  await Promise.all(clients.map(({ client }) => client.close()));
  await handle.close();
  if (errors + warmupErrors) throw new Error(`${errors + warmupErrors} calls failed during the load benchmark`);
}
