/**
 * The HTTP backend against the REST facade on a loopback port: listing 10,000 alert groups page by
 * page versus the bounded-concurrency helper, and the facade's request rate.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { collectAll, PAGE_CONCURRENCY } from '../src/api/pagination.js';
import { demoState } from '../src/demo/state.js';
import { addAlert, blankGroup } from '../src/engine/alerting/alerts.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { HttpBackend } from '../src/http-backend/backend.js';
import { startRestApi } from '../src/rest/serve.js';
import { ms, percentile, row, timed } from './stats.js';

const GROUPS = 10_000;
/** Pages in flight compared with one at a time; collectAll's default (PAGE_CONCURRENCY) is marked. */
const CONCURRENCIES = [4, 8, 16];

function withAlertGroups(count: number) {
  const state = demoState();
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const group = blankGroup(`I${String(i).padStart(12, 'B')}`, 'CQWPPTFIE6MK6', 'RAGGUDF5BU1B3', start + i * 60_000);
    group.title = `alert ${i}`;
    state.alertGroups.set(group.id, group);
    addAlert(state, group, { n: i, status: 'firing' }, group.createdAt, `A${String(i).padStart(12, 'C')}`);
  }
  return state;
}

export async function benchHttpBackend(): Promise<void> {
  const engine = new MemoryBackend({ state: withAlertGroups(GROUPS) });
  const token = randomBytes(32).toString('hex');
  const api = await startRestApi({ backend: engine, token, rateLimit: 0 });
  // The same API with 20 ms added to every answer, as a remote OnCall's round trip would.
  const remote = await startRestApi({ backend: engine, token, rateLimit: 0, simulatedLatencyMs: 20 });
  const http = new HttpBackend({ baseUrl: api.url, token });
  const far = new HttpBackend({ baseUrl: remote.url, token });
  try {
    console.log(`\n${GROUPS} alert groups through the HTTP backend and the REST facade (100 per page, median of 3)`);
    console.log(row('', 'one page at a time', ...CONCURRENCIES.map((c) => `${c} in flight${c === PAGE_CONCURRENCY ? ' (default)' : ''}`)));
    for (const [label, backend] of [
      ['loopback, same process', http],
      ['+20 ms per request (a remote API)', far],
    ] as const) {
      const list = (page: number) => backend.alertGroups.list({ page, perpage: 100 });
      // The first listing also warms connections and code; it is not counted.
      const count = (await collectAll(list)).length;
      if (count !== GROUPS) throw new Error(`listed ${count} alert groups, expected ${GROUPS}`);
      const sequential = await timed(() => collectAll(list, { concurrency: 1 }));
      const figures: string[] = [];
      for (const concurrency of CONCURRENCIES) {
        const t = await timed(() => collectAll(list, { concurrency }));
        figures.push(`${ms(t, 0)} (${(sequential / t).toFixed(1)}×)`);
      }
      console.log(row(label, ms(sequential, 0).padStart(18), ...figures));
    }

    const requests = 2000;
    const latencies: number[] = [];
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next++ < requests) {
          const t = process.hrtime.bigint();
          await http.teams.list({});
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`\nREST facade: ${requests} GET /api/v1/teams/, 16 in flight`);
    console.log(row('requests/s', `${Math.round(requests / seconds)}`));
    console.log(row('latency p50 / p99', `${ms(percentile(latencies, 50), 2)} / ${ms(percentile(latencies, 99), 2)}`));
  } finally {
    await Promise.all([http.close(), far.close()]);
    await Promise.all([api.close(), remote.close()]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchHttpBackend();
