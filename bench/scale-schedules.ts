/**
 * Final schedules and on-call answers against schedule size (issue 17).
 *
 * - The final schedule of a window (the items `GET /schedules/<id>/final_shifts` returns, built by
 *   `finalShiftItems`, which is not capped at 365 days) swept over final events: 10 layers × 36
 *   days, 10 × 365, 100 × 365 and 100 × 730. "new window" is the first time a window is asked
 *   (nothing kept yet; the code already compiled), "repeat" the same window again.
 * - `current_oncall` on a chain of 20 schedule steps, each schedule 10 layers with 30 overrides,
 *   in the engine and through the MCP tool (in process), against the demo chain's call measured in
 *   the same run. The clock moves a second between calls, as a real one would, so no answer is
 *   reused merely because "now" stayed put.
 * - `who_is_on_call` for one of those schedules, and the size of `list_schedule_shifts` for a year.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { demoState } from '../src/demo/state.js';
import { VirtualClock } from '../src/engine/core/clock.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { finalShiftItems } from '../src/engine/schedules/schedules.js';
import { createServer } from '../src/server.js';
import { printSweep, type SweepPoint } from './growth.js';
import { LAYERED_CHAIN_ID, layeredOrganisation, layeredScheduleId } from './layered-org.js';
import { ms, percentile, row } from './stats.js';

const DAY = 86_400_000;
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');

function elapsed(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

function timeSync(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return elapsed(t);
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return elapsed(t);
}

const SIZES = [
  { layers: 10, days: 36 },
  { layers: 10, days: 365 },
  { layers: 100, days: 365 },
  { layers: 100, days: 730 },
];

async function finalScheduleSweep(): Promise<void> {
  const clock = VirtualClock.at('2026-06-15T12:00:00Z');
  // The process's first final schedule: its code not compiled yet (what a fresh server's first
  // list_schedule_shifts for a year pays once).
  const coldState = layeredOrganisation({ schedules: 1, layers: 10 });
  const coldSchedule = coldState.schedules.get(layeredScheduleId(0))!;
  const year = (state: typeof coldState, schedule: typeof coldSchedule, from: number, days: number) =>
    finalShiftItems(state, schedule, from, from + days * DAY, clock.now());
  const cold = timeSync(() => year(coldState, coldSchedule, YEAR_START, 365));
  // Compile the code paths on other windows before measuring anything.
  for (let i = 0; i < 30; i++) year(coldState, coldSchedule, YEAR_START + i * DAY, 30);

  console.log('\nfinal schedule of a window against final events (finalShiftItems, what final_shifts returns)');
  console.log(`  first call of the process (code not yet compiled), 10 layers × 365 days: ${ms(cold, 1)}`);
  const firsts: SweepPoint[] = [];
  const repeats: SweepPoint[] = [];
  for (const { layers, days } of SIZES) {
    const state = layeredOrganisation({ schedules: 1, layers });
    const schedule = state.schedules.get(layeredScheduleId(0))!;
    let events = 0;
    const newWindow: number[] = [];
    const runs = layers * days > 10_000 ? 5 : 15;
    for (let i = 0; i < runs; i++) {
      // A window not asked before: one day later each time.
      const from = YEAR_START + i * DAY;
      newWindow.push(timeSync(() => (events = year(state, schedule, from, days).length)));
    }
    const repeat: number[] = [];
    for (let i = 0; i < 200; i++) repeat.push(timeSync(() => year(state, schedule, YEAR_START, days)));
    const label = `${layers} layers × ${days} days`;
    firsts.push({ size: events, value: percentile(newWindow, 50), extra: `p99 ${ms(percentile(newWindow, 99), 2)}  ${label}` });
    repeats.push({ size: events, value: percentile(repeat, 50), extra: `p99 ${ms(percentile(repeat, 99), 3)}  ${label}` });
  }
  const base = firsts[1]!;
  printSweep('new window (p50)', firsts, { unit: 'final events', baseline: { label: '10×365', value: base.value } });
  printSweep('repeat of the same window (p50)', repeats, { unit: 'final events', format: (v) => ms(v, 3) });
}

async function connectTools(backend: MemoryBackend) {
  const server = createServer({ backend, log: () => {} });
  const client = new Client({ name: 'bench', version: '1' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(c), server.connect(s)]);
  return client;
}

async function callTool(client: Client, name: string, args: Record<string, unknown>) {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name} failed during the benchmark: ${JSON.stringify(r.content)}`);
  return r;
}

interface Figures {
  first: number;
  p50: number;
  p99: number;
}

async function measure(iterations: number, clock: VirtualClock, call: () => Promise<unknown>): Promise<Figures> {
  const first = await timeAsync(call);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    clock.advance(1000);
    samples.push(await timeAsync(call));
  }
  return { first, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

function printFigures(label: string, f: Figures, baseline?: Figures): void {
  const ratio = baseline ? `   ${(f.p50 / baseline.p50).toFixed(1)}× the demo call` : '';
  console.log(row(label, `first ${ms(f.first, 2)}`, `warm p50 ${ms(f.p50, 3)}`, `p99 ${ms(f.p99, 3)}${ratio}`));
}

async function onCallAnswers(iterations: number): Promise<void> {
  const clock = VirtualClock.at('2026-06-15T12:00:00Z');
  const demoClock = VirtualClock.at('2026-03-24T12:00:00Z');
  const demo = new MemoryBackend({ state: demoState(), clock: demoClock });
  const demoClient = await connectTools(demo);
  const backend = new MemoryBackend({
    state: layeredOrganisation({ schedules: 20, layers: 10, overrides: 30, overridesFrom: '2026-06-01' }),
    clock,
  });
  const client = await connectTools(backend);
  console.log(`\ncurrent_oncall, chain of 20 schedule steps (10 layers + 30 overrides each); ${iterations} warm calls, clock +1 s per call`);
  const demoEngine = await measure(iterations, demoClock, () => demo.escalationChains.currentOncall('F5JU6KJET33FE'));
  const demoTool = await measure(iterations, demoClock, () => callTool(demoClient, 'current_oncall', { escalation_chain_id: 'F5JU6KJET33FE' }));
  const engine = await measure(iterations, clock, () => backend.escalationChains.currentOncall(LAYERED_CHAIN_ID));
  const tool = await measure(iterations, clock, () => callTool(client, 'current_oncall', { escalation_chain_id: LAYERED_CHAIN_ID }));
  printFigures('engine: demo chain "sre critical" (baseline)', demoEngine);
  printFigures('engine: 20 schedule steps', engine, demoEngine);
  printFigures('tool: demo chain (baseline)', demoTool);
  printFigures('tool: 20 schedule steps', tool, demoTool);

  const who = await measure(iterations, clock, () => callTool(client, 'who_is_on_call', { target: layeredScheduleId(3), kind: 'schedule' }));
  const chainWho = await measure(iterations, clock, () => callTool(client, 'who_is_on_call', { target: LAYERED_CHAIN_ID, kind: 'escalation_chain' }));
  printFigures('who_is_on_call: one schedule of them', who);
  printFigures('who_is_on_call: the 20-step chain', chainWho);

  // What a year of final shifts costs the agent: the text is cut at the budget, the structured
  // content holds the first 1,000 final shifts and everyone's totals.
  const year = await callTool(client, 'list_schedule_shifts', { schedule_id: layeredScheduleId(0), start_date: '2026-01-01', end_date: '2026-12-31' });
  const text = (year.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('');
  const structured = JSON.stringify(year.structuredContent ?? {});
  console.log(row('list_schedule_shifts for a year: text', `${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`, `structured content ${(Buffer.byteLength(structured) / 1024).toFixed(0)} KiB`));
  await Promise.all([client.close(), demoClient.close()]);
}

export async function benchScaleSchedules(iterations = 300): Promise<void> {
  await finalScheduleSweep();
  await onCallAnswers(iterations);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScaleSchedules();
