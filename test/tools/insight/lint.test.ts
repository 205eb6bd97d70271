/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are edited as plain JSON. */
/**
 * lint_oncall on purpose-built organisations: each test adds exactly one defect to a clean
 * organisation, finds it, runs the fix calls the finding gives through the MCP client, and finds
 * nothing left. Expected objects and times are read from the fixture, not from the code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { importData } from '../../../src/engine/storage/data-file.js';
import { connect, type Harness } from '../../helpers.js';
import { cleanOrganisation, L } from './lint-fixture.js';

let h: Harness;
afterEach(() => h?.close());

type Org = any;
interface Finding {
  rule: string;
  severity: string;
  object: { kind: string; id: string; name: string };
  problem: string;
  fix: Array<{ tool: string; arguments: Record<string, unknown> }>;
}

/** Put a step first in the Ops chain, the others after it. */
function first(o: Org, step: Record<string, unknown>) {
  o.escalation_policies.unshift({ escalation_chain_id: L.chain, position: 0, ...step });
  o.escalation_policies.forEach((p: any, i: number) => (p.position = i));
}

async function open(change: (org: Org) => void = () => {}) {
  const org = cleanOrganisation();
  change(org);
  h = await connect({ state: importData(org) });
}

async function lint(args: Record<string, unknown> = {}): Promise<{ findings: Finding[]; text: string; data: any }> {
  const r = await h.ok('lint_oncall', args);
  return { findings: r.data.findings, text: r.text, data: r.data };
}

/** Run a finding's fix calls in order; a schedule's new override goes into its current shifts. */
async function applyFix(f: Finding) {
  expect(f.fix.length).toBeGreaterThan(0);
  let created: string | undefined;
  for (const c of f.fix) {
    const args = { ...c.arguments };
    if (c.tool === 'update_schedule' && created) {
      const current = (await h.ok('get_schedule', { schedule_id: args.schedule_id })).data.shifts;
      args.shifts = [...current, created];
    }
    const r = await h.ok(c.tool, args);
    if (c.tool === 'create_on_call_shift') created = r.data.id;
  }
}

/** The one finding of `rule`, then the fix, then a clean organisation. */
async function findFixClean(rule: string, objectId: string, severity: string) {
  const before = await lint();
  expect(before.findings.map((f) => [f.rule, f.object.id])).toEqual([[rule, objectId]]);
  const finding = before.findings[0]!;
  expect(finding.severity).toBe(severity);
  expect(before.text).toContain(objectId);
  expect(before.text).toContain(`fix: ${finding.fix[0]!.tool}`);
  await applyFix(finding);
  const after = await lint();
  expect(after.findings).toEqual([]);
  return finding;
}

describe('lint_oncall', () => {
  it('a clean organisation has no findings, and says what it checked', async () => {
    await open();
    const { data, text } = await lint();
    expect(data.findings).toEqual([]);
    expect(data.counts).toEqual({ error: 0, warning: 0, info: 0 });
    // 1 integration, its default route, 1 chain, 1 schedule, ann and ben.
    expect(data.checked).toMatchObject({ integrations: 1, routes: 1, escalation_chains: 1, schedules: 1, people: 2 });
    expect(text).toContain('no findings');
  });

  it('a route with no chain: the fix gives it the integration\'s default chain', async () => {
    await open((o) => {
      o.routes.push({ id: 'ROPSNOCHAIN01', integration_id: L.integration, escalation_chain_id: null, routing_type: 'regex', routing_regex: 'disk', position: 0 });
    });
    const f = await findFixClean('route-without-chain', 'ROPSNOCHAIN01', 'error');
    expect(f.fix).toEqual([{ tool: 'update_route', arguments: { route_id: 'ROPSNOCHAIN01', escalation_chain_id: L.chain } }]);
  });

  it('a routed chain that notifies nobody (only a wait) is an error; the fix adds a schedule step', async () => {
    await open((o) => {
      o.escalation_chains.push({ id: 'FOPSNOBODY001', name: 'Nobody', team_id: L.team });
      o.escalation_policies.push({ id: 'ENOBODYWAIT01', escalation_chain_id: 'FOPSNOBODY001', position: 0, type: 'wait', duration: 600 });
      o.routes.push({ id: 'ROPSNOBODY001', integration_id: L.integration, escalation_chain_id: 'FOPSNOBODY001', routing_type: 'regex', routing_regex: 'x', position: 0 });
    });
    const f = await findFixClean('chain-notifies-nobody', 'FOPSNOBODY001', 'error');
    expect(f.problem).toBe('has no step that names anyone to notify');
  });

  it('a chain that resolves before it pages anyone', async () => {
    await open((o) => {
      first(o, { id: 'EOPSRESOLVE01', type: 'resolve' });
    });
    const before = await lint();
    expect(before.findings.map((f) => [f.rule, f.object.id])).toEqual([['chain-notifies-nobody', L.chain]]);
    expect(before.findings[0]!.problem).toContain('resolves');
    // A step that pages put in front of the resolve.
    await applyFix(before.findings[0]!);
    expect((await lint()).findings).toEqual([]);
  });

  it('a step naming only a viewer: the fix names a team member who can be paged', async () => {
    await open((o) => {
      o.escalation_policies[2].persons_to_notify = [L.vic];
    });
    const before = await lint();
    const rules = before.findings.map((f) => [f.rule, f.object.id]);
    expect(rules).toContainEqual(['step-target-missing', L.pageLead]);
    const finding = before.findings.find((f) => f.rule === 'step-target-missing')!;
    expect(finding.severity).toBe('error');
    expect(finding.problem).toContain(L.vic);
    await applyFix(finding);
    expect((await lint()).findings).toEqual([]);
  });

  it('a step whose schedule was deleted', async () => {
    await open((o) => {
      o.schedules.push({ id: 'SOPSDOOMED001', name: 'Doomed', type: 'calendar', team_id: L.team, time_zone: 'UTC', shifts: [] });
      o.escalation_policies[0].notify_on_call_from_schedule = 'SOPSDOOMED001';
    });
    await h.ok('delete_schedule', { schedule_id: 'SOPSDOOMED001' });
    await findFixClean('step-target-missing', L.pageRotation, 'error');
  });

  it('repeat_escalation with no wait before it; the fix puts a wait in front', async () => {
    await open((o) => {
      o.escalation_policies.splice(1, 2, { id: 'EOPSREPEAT001', escalation_chain_id: L.chain, position: 1, type: 'repeat_escalation' });
    });
    const f = await findFixClean('repeat-without-wait', 'EOPSREPEAT001', 'error');
    expect(f.fix[0]).toMatchObject({ tool: 'create_escalation_policy', arguments: { type: 'wait', escalation_chain_id: L.chain } });
  });

  it('a time gate whose window is empty never opens', async () => {
    await open((o) => {
      first(o, { id: 'EOPSGATEZERO1', type: 'notify_if_time_from_to', notify_if_time_from: '10:00:00Z', notify_if_time_to: '10:00:00Z' });
    });
    await findFixClean('time-gate-never-open', 'EOPSGATEZERO1', 'error');
  });

  it('a time gate in front of every paging step; the fix moves it after the first page', async () => {
    await open((o) => {
      first(o, { id: 'EOPSGATEDAY01', type: 'notify_if_time_from_to', notify_if_time_from: '09:00:00Z', notify_if_time_to: '17:00:00Z' });
    });
    const before = await lint();
    expect(before.findings.map((f) => [f.rule, f.object.id])).toEqual([['time-gate-closes-paging', 'EOPSGATEDAY01']]);
    // Closed 17:00 to 09:00: 16 hours a day.
    expect(before.findings[0]!.problem).toContain('09:00:00Z–17:00:00Z');
    expect(before.text).toContain('for 16 h a day');
    await applyFix(before.findings[0]!);
    expect((await lint()).findings).toEqual([]);
    const steps = (await h.ok('list_escalation_policies', { escalation_chain_id: L.chain })).data.results.map((p: any) => p.type);
    expect(steps.indexOf('notify_on_call_from_schedule')).toBeLessThan(steps.indexOf('notify_if_time_from_to'));
  });

  it('a rotation that ends in two days leaves a gap; an override closes it', async () => {
    // The test clock is 2026-03-24 12:00 UTC; the daily shift's last start is 2026-03-26 00:00, so
    // from 2026-03-27 00:00 nobody is on call until the end of the 7-day window.
    await open((o) => {
      o.on_call_shifts[0].until = '2026-03-26T00:00:00';
    });
    const f = await findFixClean('schedule-gap', L.schedule, 'warning');
    expect(f.problem).toContain('2026-03-27 00:00');
    expect(f.fix[0]).toMatchObject({ tool: 'create_on_call_shift', arguments: { type: 'override', start: '2026-03-27T00:00:00', duration: 4.5 * 86400 } });
  });

  it('a schedule with nobody on call in the window', async () => {
    await open((o) => {
      o.on_call_shifts[0].until = '2026-02-01T00:00:00';
    });
    const before = await lint();
    expect(before.findings.map((f) => [f.rule, f.object.id])).toEqual([['schedule-nobody-on-call', L.schedule]]);
    await applyFix(before.findings[0]!);
    expect((await lint()).findings).toEqual([]);
  });

  it('someone on call with no notification rules at all', async () => {
    await open((o) => {
      delete o.users[0].notification_rules;
    });
    const f = await findFixClean('person-no-rules', L.ann, 'error');
    expect(f.fix.map((c) => c.arguments.important)).toEqual([false, true]);
  });

  it('the lead, paged as important, with no important rules', async () => {
    await open((o) => {
      o.users[1].notification_rules = { default: [{ type: 'notify_by_phone_call' }], important: [] };
    });
    await findFixClean('person-no-important-rules', L.ben, 'error');
  });

  it('rules only by SMS without a verified phone number reach nobody', async () => {
    await open((o) => {
      Object.assign(o.users[0], {
        is_phone_number_verified: false,
        phone_number: null,
        phone_number_status: 'not_configured',
        notification_rules: { default: [{ type: 'notify_by_sms' }], important: [{ type: 'notify_by_mobile_app_critical' }] },
      });
    });
    const f = await findFixClean('person-unreachable', L.ann, 'error');
    expect(f.problem).toContain('verified phone number');
  });

  it('a personal wait longer than the chain waits before its next page (grafana/oncall #934)', async () => {
    await open((o) => {
      o.users[0].notification_rules = { default: [{ type: 'notify_by_slack' }, { type: 'wait', duration: 1800 }, { type: 'notify_by_phone_call' }], important: [{ type: 'notify_by_phone_call' }] };
      o.users[0].slack = { user_id: 'UANNSLACK', team_id: 'TSLACK' };
      o.organization.slack_team_id = 'TSLACK';
    });
    const before = await lint();
    expect(before.findings.map((f) => [f.rule, f.object.id])).toEqual([['personal-wait-outlasts-step', L.ann]]);
    // ann's phone call comes after 30 min; the chain's wait before the lead is 5 min.
    expect(before.findings[0]!.problem).toContain('only after 30 min');
    expect(before.findings[0]!.problem).toContain('after 5 min');
    expect(before.findings[0]!.fix[0]).toMatchObject({ tool: 'update_personal_notification_rule', arguments: { duration: 300 } });
    await applyFix(before.findings[0]!);
    expect((await lint()).findings).toEqual([]);
  });

  it('a webhook step whose latest request failed', async () => {
    await open((o) => {
      o.webhooks.push({ id: L.webhook, name: 'Status page', is_webhook_enabled: true, team: L.team, url: 'https://status.example.com/hook', http_method: 'POST', trigger_type: 'escalation', forward_all: true });
      o.escalation_policies.push({ id: 'EOPSHOOKSTEP1', escalation_chain_id: L.chain, position: 3, type: 'trigger_webhook', action_to_trigger: L.webhook });
      o.engine = {
        round_robin: {},
        webhook_responses: [
          { webhookId: L.webhook, at: Date.parse('2026-03-24T11:00:00Z'), url: 'https://status.example.com/hook', trigger: 'escalation', requestHeaders: '{}', requestData: '{}', statusCode: 502, content: 'Bad Gateway', eventData: '{}' },
        ],
      };
    });
    const { findings, text } = await lint();
    expect(findings.map((f) => [f.rule, f.object.id, f.severity])).toEqual([['webhook-failing', L.webhook, 'warning']]);
    expect(findings[0]!.problem).toContain('502');
    expect(text).toContain('status.example.com');
    // The call it gives shows the failure.
    const shown = await h.ok(findings[0]!.fix[0]!.tool, findings[0]!.fix[0]!.arguments);
    expect(shown.text).toContain('502');
  });

  it('a disabled webhook on a step', async () => {
    await open((o) => {
      o.webhooks.push({ id: L.webhook, name: 'Status page', is_webhook_enabled: false, team: L.team, url: 'https://status.example.com/hook', http_method: 'POST', trigger_type: 'escalation', forward_all: true });
      o.escalation_policies.push({ id: 'EOPSHOOKSTEP1', escalation_chain_id: L.chain, position: 3, type: 'trigger_webhook', action_to_trigger: L.webhook });
    });
    await findFixClean('step-webhook-disabled', 'EOPSHOOKSTEP1', 'warning');
  });

  it('an integration left in maintenance for more than 12 hours', async () => {
    await open();
    await h.ok('set_integration_maintenance', { integration_id: L.integration, mode: 'maintenance', duration: 3 * 86400 });
    h.advance(11 * 3600);
    expect((await lint()).findings).toEqual([]);
    h.advance(2 * 3600);
    const f = await findFixClean('integration-long-maintenance', L.integration, 'warning');
    expect(f.problem).toContain('maintenance mode for 13 h');
  });

  it('a scope by name keeps to what it leads to, and a user is not a scope', async () => {
    await open((o) => {
      o.integrations.push({ id: 'COTHEROTHER01', name: 'Other', type: 'webhook', team_id: null, token: 'OtherTokenOtherTokenOthe1', default_route: { id: 'ROTHERDEFAUL1', escalation_chain_id: null } });
    });
    expect((await lint()).findings.map((f) => f.object.id)).toEqual(['ROTHERDEFAUL1']);
    const ops = await lint({ scope: 'Ops alerts' });
    expect(ops.findings).toEqual([]);
    expect(ops.data.scope).toEqual({ kind: 'integration', id: L.integration, name: 'Ops alerts' });
    expect((await lint({ scope: 'Other' })).findings.map((f) => f.rule)).toEqual(['route-without-chain']);
    const user = await h.call('lint_oncall', { scope: 'ann' });
    expect(user.isError).toBe(true);
    expect(user.text).toContain('is a user');
  });
});
