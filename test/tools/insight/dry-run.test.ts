/**
 * `dry_run: true` on config writes, through a real MCP client on both backends (this file runs in
 * the memory and the http projects): the organisation is exported before and after each dry run
 * and must be byte-for-byte the same; the preview of who the next alert pages and the lint
 * findings added or cleared are checked against what the real call then does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportData } from '../../../src/engine/storage/data-file.js';
import { BACKEND_UNDER_TEST, connect, type Harness, IDS } from '../../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(async () => {
  await h.close();
});

const exported = () => JSON.stringify(exportData(h.backend.state));
const findingsOf = (lint: { findings: Array<{ rule: string; severity: string; object: { id: string } }> }) =>
  lint.findings.map((f) => `${f.rule} ${f.severity} ${f.object.id}`).sort();

const SRE_FOLLOW_THE_SUN = 'S2JTNQV85CX6H';
const ALERTMANAGER_CRITICAL_ROUTE = 'R2M7RDCTWPA7U';
const FIRST_SRE_CRITICAL_STEP = 'EECKGKSZGNHYX';

describe('dry_run changes nothing', () => {
  const calls: Array<[string, Record<string, unknown>]> = [
    ['create_escalation_chain', { name: 'Dry chain' }],
    ['update_escalation_chain', { escalation_chain_id: IDS.sreCritical, name: 'Renamed' }],
    ['delete_escalation_chain', { escalation_chain_id: IDS.sreCritical }],
    ['create_escalation_policy', { escalation_chain_id: IDS.defaultChain, type: 'notify_persons', persons_to_notify: ['carol'] }],
    ['update_escalation_policy', { escalation_policy_id: IDS.waitPolicy, duration: 600 }],
    ['delete_escalation_policy', { escalation_policy_id: FIRST_SRE_CRITICAL_STEP }],
    ['create_route', { integration_id: 'CQWPPTFIE6MK6', routing_regex: 'db', escalation_chain_id: IDS.defaultChain }],
    ['update_route', { route_id: 'RPUSHNOCHAIN1', escalation_chain_id: IDS.defaultChain }],
    ['delete_route', { route_id: ALERTMANAGER_CRITICAL_ROUTE }],
    ['create_schedule', { type: 'calendar', name: 'Dry schedule', time_zone: 'UTC' }],
    ['delete_schedule', { schedule_id: SRE_FOLLOW_THE_SUN }],
    ['create_shift_swap', { schedule: IDS.primaryRotation, swap_start: '2026-03-25T12:00:00Z', swap_end: '2026-03-25T18:00:00Z', beneficiary: 'alice' }],
    ['take_shift', { user_id: 'frank', schedule_id: SRE_FOLLOW_THE_SUN, until: '2026-03-24T18:00:00Z' }],
  ];
  for (const [tool, args] of calls) {
    it(`${tool}: the organisation is the same afterwards, and the answer says it is a dry run`, async () => {
      const before = exported();
      const r = await h.ok(tool, { ...args, dry_run: true });
      expect(exported()).toBe(before);
      expect(r.data.dry_run.changed).toBe(false);
      expect(r.text.split('\n')[0]).toBe('DRY RUN: nothing was changed. Tried on a copy of the organisation, the call would do this:');
      expect(r.text).not.toContain('Acts as'); // nobody's name goes on a change that was not made
    });
  }

  it('a dry run that the write itself refuses gives the write\'s error and changes nothing', async () => {
    const before = exported();
    const r = await h.call('create_escalation_policy', { escalation_chain_id: IDS.defaultChain, type: 'notify_persons', dry_run: true });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('persons_to_notify');
    expect(exported()).toBe(before);
  });

  it('an on-call shift edit is tried too (on a live organisation the copy lacks the shift, and says so)', async () => {
    const shifts = (await h.ok('list_on_call_shifts', { schedule_id: SRE_FOLLOW_THE_SUN })).data.results;
    // The layer judy is on call from now (who_is_on_call says she is).
    const shift = shifts.find((s: { users?: string[] }) => s.users?.includes('U3URF6A6K69L1'));
    const before = exported();
    const r = await h.call('update_on_call_shift', { on_call_shift_id: shift.id, users: ['frank'], dry_run: true });
    expect(exported()).toBe(before);
    if (BACKEND_UNDER_TEST === 'http') {
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^DRY RUN NOT POSSIBLE: the copy of the organisation has no such object /);
      expect(r.text).toContain('either it does not exist, or the copy lacks it');
      expect(r.text).toContain('copied as their final shifts');
    } else {
      expect(r.isError, r.text).toBe(false);
      const chain = r.data.dry_run.paging.find((p: { object: { id: string } }) => p.object.id === IDS.sreCritical);
      expect(chain.differs).toBe(true);
    }
  });
});

describe('dry_run says what the change does to pages and to lint', () => {
  it('deleting a chain: each of its routes would page nobody, lint gains route-without-chain for each, as the real delete then shows', async () => {
    const dry = await h.ok('delete_escalation_chain', { escalation_chain_id: IDS.sreCritical, dry_run: true });
    const routes = dry.data.routes_left_without_chain.map((r: { route_id: string }) => r.route_id).sort();
    expect(routes).toHaveLength(3);
    const paging = dry.data.dry_run.paging;
    expect(paging.map((p: { object: { id: string } }) => p.object.id).sort()).toEqual(routes);
    for (const p of paging) {
      expect(p.object.kind).toBe('route');
      expect(p.before.escalation_chain_id).toBe(IDS.sreCritical);
      expect(p.before.targeted_user_ids.length).toBeGreaterThan(0);
      expect(p.after.escalation_chain_id).toBeNull();
      expect(p.after.targeted_user_ids).toEqual([]);
      expect(p.differs).toBe(true);
    }
    const added = dry.data.dry_run.lint.added.filter((f: { rule: string }) => f.rule === 'route-without-chain');
    expect(added.map((f: { object: { id: string } }) => f.object.id).sort()).toEqual(routes);
    expect(dry.text).toMatch(/after: {2}no escalation chain: nobody is paged/);

    // The real delete, then lint: the findings it adds are the dry run's. (A live organisation's
    // copy has no notification rules, so findings about people's rules are compared on the engine only.)
    const before = (await h.ok('lint_oncall', {})).data;
    await h.ok('delete_escalation_chain', { escalation_chain_id: IDS.sreCritical });
    const after = (await h.ok('lint_oncall', {})).data;
    const had = new Set(findingsOf(before));
    const comparable = (keys: string[]) => (BACKEND_UNDER_TEST === 'http' ? keys.filter((k) => !k.startsWith('person-')) : keys);
    const gained = findingsOf(after).filter((k) => !had.has(k));
    expect(comparable(gained)).toEqual(comparable(findingsOf({ findings: dry.data.dry_run.lint.added })));
    if (BACKEND_UNDER_TEST === 'memory') expect(after.counts).toEqual(dry.data.dry_run.lint.after);
  });

  it('the lint fix for a route without a chain, dry-run: the finding is cleared and the route would page', async () => {
    const lint = await h.ok('lint_oncall', {});
    const finding = lint.data.findings.find((f: { rule: string; object: { id: string } }) =>
      f.rule === 'route-without-chain' && f.object.id === 'RPUSHNOCHAIN1');
    const [fix] = finding.fix;
    const dry = await h.ok(fix.tool, { ...fix.arguments, dry_run: true });
    expect(dry.data.dry_run.lint.removed.map((f: { rule: string; object: { id: string } }) => `${f.rule} ${f.object.id}`))
      .toContain('route-without-chain RPUSHNOCHAIN1');
    const [route] = dry.data.dry_run.paging;
    expect(route.object).toMatchObject({ kind: 'route', id: 'RPUSHNOCHAIN1' });
    expect(route.before.escalation_chain_id).toBeNull();
    expect(route.after.escalation_chain_id).toBe(fix.arguments.escalation_chain_id);
    expect(route.after.steps.length).toBeGreaterThan(0);
    expect(dry.text).toContain('- cleared: ERROR route');
  });

  it('removing a chain\'s first step: the next alert would no longer page whoever the step paged first', async () => {
    const dry = await h.ok('delete_escalation_policy', { escalation_policy_id: FIRST_SRE_CRITICAL_STEP, dry_run: true });
    const [chain] = dry.data.dry_run.paging;
    expect(chain.object).toMatchObject({ kind: 'escalation_chain', id: IDS.sreCritical });
    expect(chain.before.steps[0].text).toMatch(/^On call in "SRE follow-the-sun"/);
    expect(chain.after.steps[0].text).not.toMatch(/^On call in "SRE follow-the-sun"/);
    expect(chain.after.steps.length).toBe(chain.before.steps.length - 1);
    // The step still exists, and a real simulation still starts with it.
    const sim = await h.ok('simulate_escalation', { escalation_chain_id: IDS.sreCritical, detail: true });
    expect(sim.data.timeline.find((e: { step?: string }) => e.step)?.policy_id).toBe(FIRST_SRE_CRITICAL_STEP);
  });

  it('an edit that changes nobody\'s page says so and lists no finding change', async () => {
    const dry = await h.ok('update_escalation_chain', { escalation_chain_id: IDS.sreCritical, name: 'SRE critical' });
    expect(dry.text).not.toContain('DRY RUN');
    const same = await h.ok('update_escalation_chain', { escalation_chain_id: IDS.sreCritical, name: 'SRE critical', dry_run: true });
    expect(same.data.dry_run.paging).toMatchObject([{ differs: false }]);
    expect(same.data.dry_run.lint.added).toEqual([]);
    expect(same.data.dry_run.lint.removed).toEqual([]);
    expect(same.text).toContain('the next alert would page the same as now');
  });

  // A live organisation's copy lacks people's notification rules (its limits say so), so only the
  // engine's copy has the same findings as the organisation.
  it.skipIf(BACKEND_UNDER_TEST === 'http')('findings of the copy match the organisation\'s own lint before the change', async () => {
    const lint = await h.ok('lint_oncall', {});
    const dry = await h.ok('create_escalation_chain', { name: 'Dry chain', dry_run: true });
    expect(dry.data.dry_run.lint.before).toEqual(lint.data.counts);
  });
});
