/**
 * simulate_escalation on a live organisation: the engine's runtime over a snapshot of the live
 * configuration, labelled, and nothing changed upstream. The "live" OnCall is the facade's engine
 * (self-hosted profile: no simulation endpoint, as on any real OnCall).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IDS } from '../helpers.js';
import { type LiveOrg, liveOrg } from './live-profile.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('simulation of live configuration', () => {
  it('simulate_escalation answers, labelled, with only reads upstream', async () => {
    org = await liveOrg('self-hosted');
    const mcp = await org.mcp();
    const out = await mcp.call('simulate_escalation', { escalation_chain_id: IDS.sreCritical, detail: true });
    expect(out.isError, out.text).toBe(false);
    expect(out.data.computed).toMatch(/^A simulation of the live configuration by oncall-mcp/);
    expect(out.data.computed).toContain('OnCall serves them to API keys only');
    expect(out.text).toContain('A simulation of the live configuration');
    // The escalation steps are the organisation's own: the same step events as its engine simulates.
    const truth = await org.engine.escalationChains.simulate(IDS.sreCritical, {});
    const steps = (t: { timeline: Array<{ event: string; at?: unknown }> }) =>
      t.timeline.filter((e) => !e.event.startsWith('personal')).map((e) => e.event);
    expect(steps(out.data).length).toBeGreaterThan(0);
    expect(steps(out.data).slice(0, 3)).toEqual(steps(truth).slice(0, 3));
    expect(org.requests.filter((r) => !r.startsWith('GET ') && !r.includes('oncall_mcp_simulate'))).toEqual([]);
    await mcp.close();
  });

  it('simulate_alert routes over the fetched integration and routes, says what it cannot know, and only reads', async () => {
    org = await liveOrg('self-hosted');
    const mcp = await org.mcp();
    const payload = { groupKey: 'g1', status: 'firing', commonLabels: { alertname: 'HighLatency', severity: 'critical' } };
    const out = await mcp.call('simulate_alert', { integration: 'CQWPPTFIE6MK6', payload });
    expect(out.isError, out.text).toBe(false);
    expect(out.data.route).toMatchObject({ route_id: 'R2M7RDCTWPA7U', escalation_chain_id: IDS.sreCritical });
    expect(out.data.joins_alert_group).toBeNull();
    expect(out.text).toContain('cannot be read from this OnCall (its API does not show grouping keys)');
    expect(out.data.escalation.computed).toMatch(/^A simulation of the live configuration by oncall-mcp/);
    // The same route as the organisation's own engine picks.
    const truth = await org.engine.integrations.simulateAlert('CQWPPTFIE6MK6', { payload });
    expect(out.data.route).toEqual(truth.route);
    expect(org.requests.filter((r) => !r.startsWith('GET ') && !r.includes('oncall_mcp_simulate'))).toEqual([]);
    await mcp.close();
  });
});
