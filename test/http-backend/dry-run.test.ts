/**
 * Dry runs against a live organisation (the REST facade in the Cloud IRM profile, over its own
 * engine): the copy is read with GETs only, the organisation is the same afterwards, and the
 * answer says what the copy lacked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exportData } from '../../src/engine/storage/data-file.js';
import { IDS } from '../helpers.js';
import { type LiveOrg, liveOrg } from './live-profile.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('dry_run on a live organisation', () => {
  it('deleting a chain and taking a shift are tried on a copy read with GETs only; nothing upstream changes', async () => {
    org = await liveOrg('cloud');
    const mcp = await org.mcp();
    const before = JSON.stringify(exportData(org.engine.state));
    org.requests.length = 0;
    const del = await mcp.call('delete_escalation_chain', { escalation_chain_id: IDS.sreCritical, dry_run: true });
    expect(del.isError, del.text).toBe(false);
    type Preview = { after: { escalation_chain_id: string | null } };
    const after = del.data.dry_run.paging.map((p: Preview) => p.after.escalation_chain_id);
    expect(after).toEqual([null, null, null]); // the chain's three routes would escalate to nobody
    expect(del.text).toContain('The copy: people\'s notification rules are not copied');
    const take = await mcp.call('take_shift', { user_id: 'frank', schedule_id: 'S2JTNQV85CX6H', until: '2026-03-24T18:00:00Z', dry_run: true });
    expect(take.isError, take.text).toBe(false);
    expect(take.data.verified).toBe(true);
    expect(org.requests.length).toBeGreaterThan(0);
    expect(org.requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
    expect(JSON.stringify(exportData(org.engine.state))).toBe(before);
    await mcp.close();
  });
});
