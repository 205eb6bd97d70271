/**
 * Self-hosted OnCall has no current/previous/next_oncall (src/rest/profiles.ts, CLOUD_ONLY): the
 * HTTP backend answers them itself, with the engine over a snapshot of the chain's live
 * configuration and the schedules' final shifts, and says so. The answer must be the one the
 * organisation's own engine gives (the facade's engine is the "live" OnCall here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IDS } from '../helpers.js';
import { type LiveOrg, liveOrg } from './live-profile.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

type Answer = { users: Array<{ id: string }>; shifts: Array<{ users: string[] }> };
const people = (out: Answer) => ({
  users: out.users.map((u) => u.id).sort(),
  shifts: out.shifts.map((s) => ({ ...s, users: [...s.users].sort() })),
});

describe('self-hosted: on-call answers computed locally', () => {
  it('current_oncall through MCP, from GRAFANA_URL and a glsa_ token: the engine\'s answer, labelled', async () => {
    org = await liveOrg('self-hosted');
    const mcp = await org.mcp();
    for (const chain of [IDS.defaultChain, IDS.sreCritical]) {
      const out = await mcp.call('current_oncall', { escalation_chain_id: chain });
      expect(out.isError, out.text).toBe(false);
      expect(out.data.computed).toMatch(/^Computed locally by oncall-mcp: this OnCall has no current_oncall endpoint/);
      expect(out.text).toContain('Computed locally by oncall-mcp');
      const truth = await org.engine.escalationChains.currentOncall(chain);
      expect(people(out.data)).toEqual(people(truth));
    }
    // Someone is on call in the demo organisation: the comparison is not of two empty answers.
    expect((await org.engine.escalationChains.currentOncall(IDS.sreCritical)).count).toBeGreaterThan(0);
    // The endpoint is tried once; after that the backend knows it is absent and goes straight to the snapshot.
    expect(org.requests.filter((r) => r.includes('/current_oncall'))).toHaveLength(1);
    await mcp.close();
  });

  it('next_oncall and previous_oncall agree with the engine too', async () => {
    org = await liveOrg('self-hosted');
    const http = org.backend();
    for (const chain of [IDS.defaultChain, IDS.sreCritical]) {
      const next = await http.escalationChains.nextOncall(chain, { days: 7 });
      expect(people(next)).toEqual(people(await org.engine.escalationChains.nextOncall(chain, { days: 7 })));
      expect(next.computed).toContain('no next_oncall endpoint');
      const previous = await http.escalationChains.previousOncall(chain, { days: 7 });
      expect(people(previous)).toEqual(people(await org.engine.escalationChains.previousOncall(chain, { days: 7 })));
    }
  });

  it('on Cloud the endpoint answers, and nothing is computed', async () => {
    org = await liveOrg('cloud');
    const out = await org.backend().escalationChains.currentOncall(IDS.sreCritical);
    expect(out.computed).toBeUndefined();
    expect(org.requests.some((r) => r.includes('final_shifts'))).toBe(false);
  });
});
