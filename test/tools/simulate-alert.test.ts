/**
 * simulate_alert through a real MCP client on both backends: the demo's Alertmanager integration
 * routes a critical payload to its critical route (a regex over the payload as Python's json.dumps
 * writes it) and the SRE critical chain; a payments payload passes the first route and is taken
 * by the Jinja route; anything else by the default route. An alert with the grouping key of an
 * open group would join it and start nothing; a route without a chain and debug maintenance
 * notify nobody, and the answer says so. Nothing is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(async () => {
  await h.close();
});

const ALERTMANAGER = 'CQWPPTFIE6MK6';
const critical = { groupKey: 'g-critical', status: 'firing', commonLabels: { alertname: 'HighLatency', severity: 'critical' } };

describe('simulate_alert', () => {
  it('a critical payload is taken by the critical route and escalates through SRE critical; nothing is stored', async () => {
    const groupsBefore = h.backend.state.alertGroups.size;
    const alertsBefore = h.backend.state.alerts.size;
    const r = await h.ok('simulate_alert', { integration: 'Alertmanager (production)', payload: critical });
    expect(r.data.route).toMatchObject({
      route_id: 'R2M7RDCTWPA7U',
      position: 0,
      routing_type: 'regex',
      matched: true,
      escalation_chain_id: IDS.sreCritical,
    });
    expect(r.data.checked).toHaveLength(1);
    expect(r.data.grouping_key).toBe('g-critical'); // Alertmanager's default grouping: payload.groupKey
    expect(r.data.joins_alert_group).toBeNull();
    expect(r.data.resolves).toBe(false);
    expect(r.data.escalation.escalation_chain_id).toBe(IDS.sreCritical);
    expect(r.data.escalation.started_at).toBe('2026-03-24T12:00:00Z');
    expect(r.text).toContain('Taken by route [0] regex "\\"severity\\": \\"critical\\"" (R2M7RDCTWPA7U)');
    expect(r.text).toContain('chain "SRE critical"');
    expect(r.text).toContain('Simulated escalation through chain "SRE critical"');
    expect(h.backend.state.alertGroups.size).toBe(groupsBefore);
    expect(h.backend.state.alerts.size).toBe(alertsBefore);
  });

  it('a payments payload passes the regex route and the Jinja route renders True', async () => {
    const payload = { groupKey: 'g-pay', status: 'firing', commonLabels: { alertname: 'CardDeclines', team: 'payments' } };
    const r = await h.ok('simulate_alert', { integration: ALERTMANAGER, payload });
    expect(r.data.checked.map((c: { route_id: string; matched: boolean }) => [c.route_id, c.matched])).toEqual([
      ['R2M7RDCTWPA7U', false],
      ['RYHC2FR3NLNF1', true],
    ]);
    expect(r.data.route.saw).toContain('rendered "true"'); // Python would print True; both match
    expect(r.text).toContain('  not route [0] regex');
  });

  it('Python\'s JSON spacing decides a regex: without the space after the colon it does not match', async () => {
    // The payload is the same; the route's regex is written for JavaScript's JSON.stringify spacing.
    const route = h.backend.state.routes.get('R2M7RDCTWPA7U')!;
    route.routingRegex = '"severity":"critical"';
    const r = await h.ok('simulate_alert', { integration: ALERTMANAGER, payload: critical });
    expect(r.data.route.route_id).toBe('RAGGUDF5BU1B3'); // the default route
    expect(r.text).toContain('Regex routes search the payload as Python\'s json.dumps writes it');
    expect(r.text).toContain('"severity": "critical"');
  });

  it('an alert with an open group\'s grouping key joins it and starts no escalation', async () => {
    const fired = h.backend.receiveAlert(ALERTMANAGER, critical);
    const r = await h.ok('simulate_alert', { integration: ALERTMANAGER, payload: critical });
    expect(r.data.joins_alert_group).toBe(fired.alertGroupId);
    expect(r.data.escalation).toBeNull();
    expect(r.text).toContain(`It would join open alert group ${fired.alertGroupId}`);
    expect(r.text).toContain('No escalation would start: nobody would be notified by this alert.');
    const resolving = await h.ok('simulate_alert', { integration: ALERTMANAGER, payload: { ...critical, status: 'resolved' } });
    expect(resolving.data.resolves).toBe(true);
    expect(resolving.text).toContain('and resolve it');
  });

  it('a route with no chain, and debug maintenance, say that nobody would be notified', async () => {
    h.backend.state.routes.get('R2M7RDCTWPA7U')!.chainId = null;
    const noChain = await h.ok('simulate_alert', { integration: ALERTMANAGER, payload: critical });
    expect(noChain.data.escalation).toBeNull();
    expect(noChain.text).toContain('Route R2M7RDCTWPA7U has no escalation chain: the alert group would be created and nobody notified.');
    await h.ok('set_integration_maintenance', { integration_id: ALERTMANAGER, mode: 'debug', duration: 3600 });
    const debug = await h.ok('simulate_alert', { integration: ALERTMANAGER, payload: { ...critical, groupKey: 'other' } });
    expect(debug.data.maintenance).toEqual({ mode: 'debug', until: '2026-03-24T13:00:00Z' });
    expect(debug.text).toContain('debug maintenance until 2026-03-24T13:00:00Z');
    expect(debug.data.escalation).toBeNull();
  });

  it('at moves the arrival; a bad at names the field', async () => {
    const later = await h.ok('simulate_alert', { integration: ALERTMANAGER, payload: critical, at: '2026-03-28T03:00:00Z' });
    expect(later.data.at).toBe('2026-03-28T03:00:00Z');
    expect(later.data.escalation.started_at).toBe('2026-03-28T03:00:00Z');
    const bad = await h.call('simulate_alert', { integration: ALERTMANAGER, payload: critical, at: 'tomorrow' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('at: Use an ISO 8601 instant with its zone');
  });
});
