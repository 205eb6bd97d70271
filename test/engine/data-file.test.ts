import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { DEMO_ORGANISATION } from '../../src/demo/organisation.js';
import { DataFileError, exportData, importData } from '../../src/engine/storage/data-file.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';

function problemsOf(json: unknown): string[] {
  try {
    importData(json);
  } catch (err) {
    if (err instanceof DataFileError) return err.problems;
    throw err;
  }
  return [];
}

describe('data file', () => {
  it('the demo organisation loads through the same checks as a user file', () => {
    expect(problemsOf(DEMO_ORGANISATION)).toEqual([]);
    const state = demoState();
    expect(state.users.size).toBeGreaterThanOrEqual(8);
    expect(state.teams.size).toBeGreaterThanOrEqual(3);
    expect(state.chains.size).toBeGreaterThanOrEqual(3);
    const types = new Set([...state.policies.values()].map((p) => p.type));
    expect(types.size).toBe(14);
  });

  it('round-trips: export → import → export is stable, round-robin pointers included', async () => {
    const backend = new MemoryBackend({ state: demoState() });
    await backend.escalationPolicies.advanceRoundRobin('E1VSUYR3PM58D');
    const once = exportData(backend.state);
    expect(once.engine.round_robin).toEqual({ E1VSUYR3PM58D: 'UBYAGXFGDZJEM' });
    const twice = exportData(importData(JSON.parse(JSON.stringify(once))));
    expect(twice).toEqual(once);
  });

  it('reports every problem with its JSON path', () => {
    const problems = problemsOf({
      teams: [{ id: 'TAAAAAAAAAAAA', name: 'A' }],
      users: [
        { id: 'UAAAAAAAAAAAA', email: 'a@x', username: 'a', teams: ['TNOPE'] },
        { id: 'UBBBBBBBBBBBB', email: 5, username: 'b' },
      ],
      escalation_chains: [
        { id: 'FAAAAAAAAAAAA', name: 'x' },
        { id: 'FBBBBBBBBBBBB', name: 'x' },
      ],
      escalation_policies: [
        {
          id: 'EAAAAAAAAAAAA',
          escalation_chain_id: 'FAAAAAAAAAAAA',
          position: 0,
          type: 'wait',
          duration: 30,
        },
      ],
    });
    expect(problems).toEqual(['users[1].email: Invalid input: expected string, received number']);
  });

  it('reports reference and rule problems after the shapes are right', () => {
    const problems = problemsOf({
      teams: [{ id: 'TAAAAAAAAAAAA', name: 'A' }],
      users: [{ id: 'UAAAAAAAAAAAA', email: 'a@x', username: 'a', teams: ['TNOPE'] }],
      escalation_chains: [
        { id: 'FAAAAAAAAAAAA', name: 'x' },
        { id: 'FBBBBBBBBBBBB', name: 'x', team_id: 'TNOPE' },
      ],
      escalation_policies: [
        {
          id: 'EAAAAAAAAAAAA',
          escalation_chain_id: 'FAAAAAAAAAAAA',
          position: 0,
          type: 'wait',
          duration: 30,
        },
        { id: 'EBBBBBBBBBBBB', escalation_chain_id: 'FAAAAAAAAAAAA', position: 0, type: 'bogus' },
        { id: 'ECCCCCCCCCCCC', escalation_chain_id: 'FNOPE', position: 1, type: 'resolve' },
        {
          id: 'EDDDDDDDDDDDD',
          escalation_chain_id: 'FAAAAAAAAAAAA',
          position: 2,
          type: 'notify_persons',
          persons_to_notify: ['UAAAAAAAAAAAA', 'UGHOST'],
        },
        { id: 'EAAAAAAAAAAAA', escalation_chain_id: 'FAAAAAAAAAAAA', position: 3, type: 'resolve' },
      ],
      engine: { round_robin: { ENOPE: 'UAAAAAAAAAAAA' } },
    });
    expect(problems).toEqual([
      'users[0].teams[0]: unknown team TNOPE',
      'escalation_chains[1].name: duplicate chain name "x"',
      'escalation_chains[1].team_id: unknown team TNOPE',
      'escalation_policies[0].duration: Ensure this value is greater than or equal to 0:01:00.',
      'escalation_policies[1].position: another policy of this chain has position 0',
      'escalation_policies[1].type: Invalid escalation step type',
      'escalation_policies[2].escalation_chain_id: unknown escalation chain FNOPE',
      'escalation_policies[3].persons_to_notify[1]: unknown user UGHOST',
      'escalation_policies[4].id: duplicate id EAAAAAAAAAAAA',
      'engine.round_robin.ENOPE: unknown escalation policy',
    ]);
  });

  it('rejects unknown top-level sections (a typo would otherwise lose data)', () => {
    expect(problemsOf({ escalation_chain: [] })).toEqual(['(root): Unrecognized key: "escalation_chain"']);
  });
});
