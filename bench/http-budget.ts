/**
 * Upstream requests per tool call through the HTTP backend, on a 2,000-user organisation (the demo
 * plus generated users) behind the REST facade: what each call costs against OnCall's 300 requests
 * a minute. Cold: the first call on a fresh server (the name index empty); warm: the same call
 * again (names cached for their TTL). The count is the server's own per-call counter (the debug
 * log line), checked against the requests the facade received.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { randomBytes } from 'node:crypto';
import { VirtualClock } from '../src/engine/core/clock.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { HttpBackend } from '../src/http-backend/backend.js';
import { startRestApi } from '../src/rest/serve.js';
import { createServer } from '../src/server.js';
import { withUsers } from './generated-org.js';
import { row } from './stats.js';

const USERS = 2_000;

const CALLS: Array<[string, Record<string, unknown>]> = [
  ['get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' }],
  ['get_escalation_chain', { escalation_chain_id: 'sre critical' }],
  ['who_is_on_call', { target: 'sre critical' }],
  ['lint_oncall', {}],
  ['lint_oncall', { scope: 'Payments' }],
  ['current_oncall', { escalation_chain_id: 'FFENKG1U3EGBE' }],
  ['list_escalation_policies', { escalation_chain_id: 'FFENKG1U3EGBE' }],
  ['get_user', { user_id: 'alice' }],
  ['list_integrations', {}],
  ['list_alert_groups', {}],
  ['create_escalation_policy', { escalation_chain_id: 'F5JU6KJET33FE', type: 'notify_persons', persons_to_notify: ['bob'] }],
];

export async function benchHttpBudget(): Promise<Array<{ call: string; cold: number; warm: number }>> {
  const clock = VirtualClock.at('2026-03-24T12:00:00Z');
  const engine = new MemoryBackend({ state: withUsers(USERS), clock });
  const token = randomBytes(32).toString('hex');
  let received = 0;
  const api = await startRestApi({ backend: engine, token, rateLimit: 0, onRequest: () => received++ });
  const results: Array<{ call: string; cold: number; warm: number }> = [];
  try {
    for (const [name, args] of CALLS) {
      // A fresh server and backend per call: "cold" is this call with nothing cached.
      const http = new HttpBackend({ baseUrl: api.url, token, now: () => clock.now() });
      const lines: string[] = [];
      const server = createServer({ backend: http, log: () => {}, debug: (m) => lines.push(m) });
      const client = new Client({ name: 'bench', version: '1' });
      const [c, s] = InMemoryTransport.createLinkedPair();
      await Promise.all([client.connect(c), server.connect(s)]);
      const counts: number[] = [];
      for (let i = 0; i < 2; i++) {
        const before = received;
        const r = await client.callTool({ name, arguments: args });
        if (r.isError) throw new Error(`${name} failed during the benchmark`);
        const logged = Number(/: (\d+) upstream request/.exec(lines.at(-1) ?? '')?.[1]);
        if (logged !== received - before) throw new Error(`${name}: logged ${logged} requests, the API saw ${received - before}`);
        counts.push(logged);
      }
      results.push({ call: `${name} ${JSON.stringify(Object.values(args)[0] ?? '')}`, cold: counts[0]!, warm: counts[1]! });
      await client.close();
      await http.close();
    }
  } finally {
    await api.close();
  }
  console.log(`\nUpstream requests per tool call, HTTP backend, ${USERS.toLocaleString('en')} users (cold = fresh server, warm = again)`);
  console.log(row('', 'cold', 'warm'));
  for (const r of results) console.log(row(r.call, String(r.cold).padStart(4), String(r.warm).padStart(4)));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHttpBudget();
