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
});
