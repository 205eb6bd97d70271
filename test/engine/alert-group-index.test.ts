/**
 * The alert-group index against a scan of the records: after random alerts (recurring grouping
 * keys), acknowledgements, resolves and unresolves, silences and deletes through the engine, the
 * open group an alert would join and the list filtered by state and integration are what a scan
 * over every group says.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_GROUP_ACTIONS } from '../../src/api/types.js';
import { demoState } from '../../src/demo/state.js';
import { openGroupWithKey } from '../../src/engine/alerting/alerts.js';
import { stateOf } from '../../src/engine/core/alert-group-index.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { collectAll } from '../../src/api/pagination.js';

function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

describe('alert-group index', () => {
  it('agrees with a scan after 600 random operations', async () => {
    const clock = VirtualClock.at('2026-03-24T12:00:00Z');
    const engine = new MemoryBackend({ state: demoState(), clock });
    const state = engine.state;
    const integrations = [...state.integrations.values()].filter((i) => i.type === 'alertmanager' || i.type === 'grafana_alerting');
    const rand = lcg(11);
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
    for (let i = 0; i < 600; i++) {
      const roll = rand(10);
      const groups = [...state.alertGroups.values()].filter((g) => !g.wiped);
      if (roll < 5 || !groups.length) {
        const integration = integrations[rand(integrations.length)]!;
        engine.receiveAlert(integration.id, { groupKey: keys[rand(keys.length)], ruleId: keys[rand(keys.length)], status: 'firing' });
      } else if (roll < 9) {
        const group = groups[rand(groups.length)]!;
        const action = ALERT_GROUP_ACTIONS[rand(ALERT_GROUP_ACTIONS.length)]!;
        await engine.alertGroups.action(group.id, action, action === 'silence' ? { delay: -1 } : undefined).catch(() => {});
      } else {
        const group = groups[rand(groups.length)]!;
        await engine.alertGroups.delete(group.id).catch(() => {});
      }
      clock.set(clock.now() + 1000);
    }
    const all = [...state.alertGroups.values()];
    for (const integration of integrations) {
      for (const key of [...keys, JSON.stringify({ none: true })]) {
        const scanned = all.find((g) => g.integrationId === integration.id && g.groupingKey === key
          && !g.resolved && !g.maintenanceOf && !g.wiped);
        expect(openGroupWithKey(state, integration.id, key)?.id, `${integration.id} ${key}`).toBe(scanned?.id);
      }
    }
    // The API's filter calls a firing group `new`.
    for (const s of ['firing', 'acknowledged', 'silenced', 'resolved'] as const) {
      for (const integration of integrations) {
        const filter = s === 'firing' ? 'new' : s;
        const query = { state: filter, integration_id: integration.id };
        const listed = await collectAll((page) => engine.alertGroups.list({ ...query, page }));
        const scanned = all.filter((g) => g.integrationId === integration.id && !g.wiped && stateOf(g) === s)
          .map((g) => g.id).sort();
        expect(listed.map((g) => g.id).sort(), `${s} ${integration.id}`).toEqual(scanned);
      }
    }
    // The random run did reach every state, or the comparison above proved little.
    expect(new Set(all.map(stateOf))).toEqual(new Set(['firing', 'acknowledged', 'silenced', 'resolved']));
  });
});
