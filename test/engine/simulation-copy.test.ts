/**
 * simulate_escalation runs on a copy of only what the chain reaches (copyForChainSimulation), not
 * the whole configuration (copyForSimulation, which dry runs keep using). The narrow copy must not
 * change an answer: for every demo chain, at day and night instants, important or not, the run on it
 * equals the run on the whole copy. And the real state is left as it was (round-robin pointers too).
 */
import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { copyForChainSimulation, copyForSimulation, simulateEscalation, simulateOn } from '../../src/engine/simulation.js';

const INSTANTS = ['2026-03-24T10:00:00Z', '2026-03-24T23:30:00Z', '2026-03-28T03:00:00Z', '2026-07-01T12:00:00Z'];

describe('the copy simulate_escalation runs on', () => {
  it('gives the same simulation as the whole-configuration copy, for every demo chain', () => {
    const state = demoState();
    let compared = 0;
    for (const chainId of state.chains.keys()) {
      for (const at of INSTANTS) {
        for (const important of [false, true]) {
          const start = Date.parse(at);
          const narrow = simulateOn(copyForChainSimulation(state, chainId), chainId, start, important);
          const whole = simulateOn(copyForSimulation(state), chainId, start, important);
          expect(narrow).toEqual(whole);
          compared++;
        }
      }
    }
    expect(compared).toBe(state.chains.size * INSTANTS.length * 2);
  });

  it('holds the chain and what its policies reach, no other chain, and shares the directory', () => {
    const state = demoState();
    for (const [chainId] of state.chains) {
      const copy = copyForChainSimulation(state, chainId);
      expect([...copy.chains.keys()]).toEqual([chainId]);
      expect([...copy.policies.values()].every((p) => p.chainId === chainId)).toBe(true);
      const named = [...state.policies.values()].filter((p) => p.chainId === chainId);
      expect(copy.policies.size).toBe(named.length);
      for (const p of named) {
        if (p.scheduleId && state.schedules.has(p.scheduleId)) expect(copy.schedules.has(p.scheduleId)).toBe(true);
        if (p.webhookId && state.webhooks.has(p.webhookId)) expect(copy.webhooks.has(p.webhookId)).toBe(true);
      }
      // Copies, not the records themselves: the run may write them.
      for (const [id, p] of copy.policies) expect(p).not.toBe(state.policies.get(id));
      expect(copy.users).toBe(state.users);
      expect(copy.alertGroups.size).toBe(0);
    }
  });

  it('leaves the real configuration as it was, round-robin pointers included', () => {
    const state = demoState();
    const configuration = () =>
      JSON.stringify([state.policies, state.chains, state.schedules, state.shifts, state.webhooks].map((m) => [...m]));
    const before = configuration();
    for (const chainId of state.chains.keys()) {
      for (const at of INSTANTS) simulateEscalation(state, chainId, { at }, Date.parse(at));
    }
    expect(configuration()).toBe(before);
  });
});
