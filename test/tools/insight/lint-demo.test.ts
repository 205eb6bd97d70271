/**
 * lint_oncall on the demo organisation at the tests' clock (Tuesday 2026-03-24 12:00 UTC): the
 * defects the demo carries, read off src/demo/organisation.ts by hand.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connect, type Harness, IDS } from '../../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(() => h.close());

it('finds the demo\'s defects, errors first, each with a fix', async () => {
  const { data, text } = await h.ok('lint_oncall', {});
  type F = { rule: string; object: { id: string }; severity: string };
  const found = data.findings.map((f: F) => [f.severity, f.rule, f.object.id]);
  expect(found).toEqual([
    // The push-delivery route of "Grafana Alerting (mobile)" has no chain.
    ['error', 'route-without-chain', 'RPUSHNOCHAIN1'],
    // bob is paged as important by the default chain's step 5 and has no important rules.
    ['error', 'person-no-important-rules', IDS.bob],
    // judy's only important rule is a phone call; her number is not verified. SRE critical pages
    // the follow-the-sun schedule (she has its EMEA hours) as important.
    ['error', 'person-unreachable', 'U3URF6A6K69L1'],
    // Named by the Payments round robin (ivan, frank) and the Mobile team step (heidi): no rules.
    ['error', 'person-no-rules', 'U2PI83F3X2YCU'],
    ['error', 'person-no-rules', 'UQ1LKALUQ5M9B'],
    ['error', 'person-no-rules', 'UGG36F9GRAEQH'],
    // Payments business hours: 08:00-17:00 UTC gate before every step that pages.
    ['warning', 'time-gate-closes-paging', 'EWY1ZWX94B7WH'],
    // The status page webhook: the older of its two responses was a 503.
    ['info', 'webhook-failing', 'WH6IHJNK4PJAIV'],
  ]);
  expect(data.counts).toEqual({ error: 6, warning: 1, info: 1 });
  expect(text.split('\n')[0]).toContain('6 errors, 1 warning, 1 note');
  expect(text).toContain('fix: update_route route_id=RPUSHNOCHAIN1 escalation_chain_id=F2SD737PINQ8V');
});

it('a team scope keeps to the team: Payments', async () => {
  const { data } = await h.ok('lint_oncall', { scope: 'Payments' });
  expect(data.scope).toMatchObject({ kind: 'team', name: 'Payments' });
  const rules = data.findings.map((f: { rule: string; object: { id: string } }) => [f.rule, f.object.id]);
  expect(rules).toContainEqual(['time-gate-closes-paging', 'EWY1ZWX94B7WH']);
  expect(rules).not.toContainEqual(['route-without-chain', 'RPUSHNOCHAIN1']);
});
