/**
 * No token appears in any tool result, error text or log line: every tool is called through the
 * HTTP backend with both good and bad arguments, and everything that comes back is searched.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { startRestApi } from '../../src/rest/serve.js';
import { createServer } from '../../src/server.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

const GOOD_ARGS: Record<string, Record<string, unknown>> = {
  get_escalation_chain: { escalation_chain_id: 'F5JU6KJET33FE' },
  current_oncall: { escalation_chain_id: 'F5JU6KJET33FE' },
  next_oncall: { escalation_chain_id: 'F5JU6KJET33FE' },
  get_user: { user_id: 'U4DNY931HHJS5' },
  get_integration: { integration_id: 'CFRPV98RPR1U8' },
  get_schedule: { schedule_id: 'SBM7DV7BKFUYU' },
  create_escalation: { users: [{ id: 'U7S8H84ARFTGN', important: false }] },
  simulate_escalation: { escalation_chain_id: 'F5JU6KJET33FE' },
};

describe('secrets', () => {
  it('the API token never appears in results, errors or logs', async () => {
    const token = `tok-${randomBytes(24).toString('hex')}`;
    const state = demoState();
    state.webhooks.get('WH77K37JNKW24V')!.authorization_header = `Bearer ${token}`; // a stored secret too
    const engine = new MemoryBackend({ state, clock: VirtualClock.at('2026-03-24T12:00:00Z') });
    const logs: string[] = [];
    const api = await startRestApi({ backend: engine, token, rateLimit: 0, log: (m) => logs.push(m) });
    const http = new HttpBackend({ baseUrl: api.url, token, backoffMs: 1 });
    const server = createServer({ backend: http, log: (m) => logs.push(m) });
    const client = new Client({ name: 'leak-test', version: '1' });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(c), server.connect(s)]);
    const seen: string[] = [];
    try {
      for (const tool of ALL_TOOLS) {
        for (const args of [GOOD_ARGS[tool.name] ?? {}, { escalation_chain_id: 'FNOPE', user_id: 'UNOPE', integration_id: 'CNOPE' }]) {
          const result = await client.callTool({ name: tool.name, arguments: args });
          seen.push(JSON.stringify(result));
        }
      }
      const wrong = new HttpBackend({ baseUrl: api.url, token: `${token}-wrong`, backoffMs: 1 });
      seen.push(String(await wrong.users.list({}).catch((e: unknown) => e)));
      await wrong.close();
    } finally {
      await client.close();
      await http.close();
      await api.close();
    }
    expect(seen.length).toBeGreaterThan(ALL_TOOLS.length);
    expect(seen.some((text) => text.includes('"isError":true'))).toBe(true);
    for (const text of [...seen, ...logs]) expect(text).not.toContain(token);
  });
});
