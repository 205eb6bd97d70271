/**
 * simulate_escalation against the number of chains in the organisation: the demo, and the demo plus
 * 1,000 and 10,000 generated chains (each a copy of the demo's default chain's policies, so every
 * generated chain names the demo's schedules and webhooks too). The same chain is simulated each
 * time; the engine runs on the copy simulate_escalation now makes (copyForChainSimulation: what the
 * chain reaches) and, in the same run, on the whole-configuration copy it used to make
 * (copyForSimulation, which dry runs still use). Printed: p50 per size as a ratio of the demo's, the
 * growth exponent over the sizes (the demo counted as its own number of chains), and p99.
 * `npx tsx bench/simulation.ts` runs this section alone.
 */
import { pathToFileURL } from 'node:url';
import { demoState } from '../src/demo/state.js';
import type { State } from '../src/engine/core/state.js';
import { copyForSimulation, simulateEscalation, simulateOn } from '../src/engine/simulation.js';
import { printSweep, type SweepPoint } from './growth.js';
import { ms, percentile } from './stats.js';

const CHAIN = 'F5JU6KJET33FE'; // the demo's default chain
const AT = '2026-03-24T10:00:00Z';

/** The demo plus `extra` chains, each with its own copies of the default chain's policies. */
function withChains(extra: number): State {
  const state = demoState();
  const template = [...state.policies.values()].filter((p) => p.chainId === CHAIN);
  for (let i = 0; i < extra; i++) {
    const chainId = `F${String(i).padStart(12, 'X')}`;
    state.chains.set(chainId, { id: chainId, name: `generated ${i}`, team_id: null });
    template.forEach((p, j) => {
      const id = `E${String(i * template.length + j).padStart(12, 'X')}`;
      state.policies.set(id, { ...structuredClone(p), id, chainId });
    });
  }
  return state;
}

function measure(run: () => unknown, iterations: number) {
  for (let i = 0; i < 20; i++) run(); // warm-up, not counted
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export async function benchSimulation(iterations = 200): Promise<void> {
  console.log(`\nsimulate_escalation against the organisation's chains (engine, in process, ${iterations} runs each)`);
  // A discarded pass of both on the demo first: whichever is measured first would otherwise also
  // pay for compiling the runtime.
  const demo = withChains(0);
  measure(() => simulateEscalation(demo, CHAIN, { at: AT }, 0), iterations);
  measure(() => simulateOn(copyForSimulation(demo), CHAIN, Date.parse(AT), false), iterations);
  const narrow: SweepPoint[] = [];
  const whole: SweepPoint[] = [];
  for (const extra of [0, 1_000, 10_000]) {
    const state = withChains(extra);
    const start = Date.parse(AT);
    const a = measure(() => simulateEscalation(state, CHAIN, { at: AT }, start), iterations);
    const b = measure(() => simulateOn(copyForSimulation(state), CHAIN, start, false), iterations);
    narrow.push({ size: state.chains.size, value: a.p50, extra: `p99 ${ms(a.p99, 3)}   ${state.policies.size.toLocaleString('en-US')} policies` });
    whole.push({ size: state.chains.size, value: b.p50, extra: `p99 ${ms(b.p99, 3)}` });
  }
  const opts = (points: SweepPoint[]) => ({ unit: 'chains', format: (v: number) => ms(v, 3), baseline: { label: 'the demo', value: points[0]!.value } });
  printSweep('p50, copy of what the chain reaches (simulate_escalation now)', narrow, opts(narrow));
  printSweep('p50, copy of the whole configuration (before; dry runs still copy it)', whole, opts(whole));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchSimulation();
