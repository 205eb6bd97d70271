/**
 * Test harness: a real MCP Client connected to the real server over the SDK's InMemoryTransport,
 * on a memory backend with the demo organisation (or a given state) and a virtual clock.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { type ElicitRequest, ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { OnCallBackend } from '../src/api/backend.js';
import { demoState } from '../src/demo/state.js';
import { VirtualClock } from '../src/engine/core/clock.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import type { State } from '../src/engine/core/state.js';
import type { WebhookSenderOptions } from '../src/engine/runtime/webhook-sender.js';
import { randomBytes } from 'node:crypto';
import { HttpBackend } from '../src/http-backend/backend.js';
import { startRestApi } from '../src/rest/serve.js';
import { createServer, type ServerOptions } from '../src/server.js';

/**
 * The parity suite: with ONCALL_TEST_BACKEND=http every tool call goes MCP client → server →
 * HTTP backend → the REST facade on a loopback port → the same engine. Tests still reach the
 * engine directly (`h.backend`) to set up state and move the clock.
 */
export const BACKEND_UNDER_TEST = process.env.ONCALL_TEST_BACKEND === 'http' ? 'http' : 'memory';

export interface CallResult {
  isError: boolean;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read structured results freely.
  data: any;
}

export interface Harness {
  client: Client;
  backend: MemoryBackend;
  clock: VirtualClock;
  call(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  /** Move the virtual clock forward, running every escalation step and notification on its instant. */
  advance(seconds: number): void;
  /** Move the virtual clock to an instant (ISO). */
  advanceTo(iso: string): void;
  /** Call and fail the test if the tool returned an error. */
  ok(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  close(): Promise<void>;
}

export const NOW = '2026-03-24T12:00:00Z';

export interface ConnectOptions extends Omit<Partial<ServerOptions>, 'backend'> {
  state?: State;
  clock?: VirtualClock;
  webhooks?: WebhookSenderOptions;
  /** The client declares MCP elicitation and answers every request with this. */
  elicit?: (params: ElicitRequest['params']) => ElicitResult | Promise<ElicitResult>;
  /** What the tools talk to, given the backend under test (e.g. one without the engine's extras). */
  wrapBackend?: (backend: OnCallBackend) => OnCallBackend;
}

export async function connect(opts: ConnectOptions = {}): Promise<Harness> {
  const { webhooks, elicit, wrapBackend, ...serverOpts } = opts;
  const clock = opts.clock ?? VirtualClock.at(NOW);
  const backend = new MemoryBackend({ state: opts.state ?? demoState(), clock, ...(webhooks ? { webhooks } : {}) });
  const logs: string[] = [];
  let toolBackend: MemoryBackend | HttpBackend = backend;
  let stopHttp = async () => {};
  if (BACKEND_UNDER_TEST === 'http') {
    const token = randomBytes(32).toString('hex');
    const api = await startRestApi({
      backend,
      token,
      rateLimit: 0,
      log: (m) => logs.push(m),
    });
    const http = new HttpBackend({ baseUrl: api.url, token, backoffMs: 1, now: () => clock.now() });
    toolBackend = http;
    stopHttp = async () => {
      await http.close();
      await api.close();
    };
  }
  const server = createServer({
    backend: wrapBackend ? wrapBackend(toolBackend) : toolBackend,
    log: (m) => logs.push(m),
    ...serverOpts,
  });
  const client = new Client({ name: 'test', version: '1' }, elicit ? { capabilities: { elicitation: {} } } : {});
  if (elicit) client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params));
  const [c, s] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(c), server.connect(s)]);

  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallResult> => {
    const result = await client.callTool({ name, arguments: args });
    const content = result.content as Array<{ type: string; text: string }>;
    return {
      isError: result.isError === true,
      text: content.map((c) => c.text).join('\n'),
      data: result.structuredContent,
    };
  };
  return {
    client,
    backend,
    clock,
    call,
    advance: (seconds) => backend.runtime.advanceTo(clock, clock.now() + seconds * 1000),
    advanceTo: (iso) => backend.runtime.advanceTo(clock, Date.parse(iso)),
    async ok(name, args) {
      const result = await call(name, args);
      if (result.isError) throw new Error(`${name} failed: ${result.text}`);
      return result;
    },
    close: async () => {
      await client.close();
      await stopHttp();
    },
  };
}

/** Seed and demo ids used across tests. */
export const IDS = {
  defaultChain: 'F5JU6KJET33FE',
  sreCritical: 'FFENKG1U3EGBE',
  waitPolicy: 'E3GA6SJETWWJS',
  roundRobinPolicy: 'E5JJTU52M5YM4',
  alice: 'U4DNY931HHJS5',
  bob: 'U7S8H84ARFTGN',
  carol: 'UBYAGXFGDZJEM',
  dave: 'U5L1V3H4UM7ZV',
  sreTeam: 'TAAM1K1NNEHAG',
  primaryRotation: 'SBM7DV7BKFUYU',
  sreLeads: 'GS7FRV1NTLWNF',
  incidentsWebhook: 'WH77K37JNKW24V',
} as const;

/** The problem line of an error text (the house style adds Given / Expected / Fix lines after it). */
export const firstLine = (text: string): string => text.split('\n')[0] ?? '';
