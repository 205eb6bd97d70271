/**
 * Bounded, consistent text (issue #11, items 5 and 6 and the name filters of 2), through a real
 * MCP client on both backends: every tool's text within the budget, cut texts ending with an
 * argument that gets the rest, simulation and final-shift summaries, no integration token in any
 * text, errors that name their fix, and substring name filters.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectAll } from '../../src/api/pagination.js';
import { fitText, TEXT_BUDGET } from '../../src/tools/budget.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { type CallResult, connect, firstLine, type Harness, IDS, NOW } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(async () => {
  await h.close();
});

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** The last line of a cut text. */
const CUT = /\n\[Cut at 8 KB: \d+ more lines? left out\. (.+)\]$/;

type Args = Record<string, unknown>;
type Results = Map<string, CallResult>;

/**
 * One call per tool on the demo organisation, in an order where each write has something to work
 * on; later calls read ids from earlier results. Tools missing here (added later) are called with
 * no arguments, so their text is still checked.
 */
const CALLS: Array<[string, Args | ((r: Results) => Args)]> = [
  ['list_escalation_chains', {}],
  ['get_escalation_chain', { escalation_chain_id: IDS.defaultChain }],
  ['create_escalation_chain', { name: 'Text budget chain' }],
  ['update_escalation_chain', { escalation_chain_id: 'Text budget chain', name: 'Text budget chain 2' }],
  ['current_oncall', { escalation_chain_id: IDS.defaultChain }],
  ['previous_oncall', { escalation_chain_id: IDS.defaultChain }],
  ['next_oncall', { escalation_chain_id: IDS.defaultChain }],
  ['list_escalation_policies', {}],
  ['get_escalation_policy', { escalation_policy_id: IDS.waitPolicy }],
  ['create_escalation_policy', { escalation_chain_id: 'Text budget chain 2', type: 'wait', duration: 60 }],
  ['update_escalation_policy', (r) => ({ escalation_policy_id: r.get('create_escalation_policy')!.data.id, duration: 120 })],
  ['delete_escalation_policy', (r) => ({ escalation_policy_id: r.get('create_escalation_policy')!.data.id })],
  ['delete_escalation_chain', { escalation_chain_id: 'Text budget chain 2' }],
  ['advance_round_robin', { escalation_policy_id: IDS.roundRobinPolicy }],
  ['create_escalation', { users: [{ id: 'bob', important: false }], title: 'Text budget page' }],
  ['list_alert_groups', {}],
  ['get_alert_group', (r) => ({ alert_group_id: r.get('create_escalation')!.data.id })],
  ['update_alert_group', (r) => ({ alert_group_id: r.get('create_escalation')!.data.id, action: 'acknowledge' })],
  ['simulate_escalation', { escalation_chain_id: IDS.sreCritical, at: NOW }],
  ['list_integrations', {}],
  ['get_integration', { integration_id: 'CFRPV98RPR1U8' }],
  ['create_integration', { type: 'inbound_email', name: 'Text budget mail' }],
  ['update_integration', { integration_id: 'Text budget mail', description_short: 'for the text test' }],
  ['set_integration_maintenance', { integration_id: 'Text budget mail', mode: 'maintenance', duration: 3600 }],
  ['list_routes', {}],
  ['create_route', { integration_id: 'Text budget mail', escalation_chain_id: IDS.defaultChain, routing_regex: 'disk' }],
  ['update_route', (r) => ({ route_id: r.get('create_route')!.data.id, routing_regex: 'cpu' })],
  ['delete_route', (r) => ({ route_id: r.get('create_route')!.data.id })],
  ['delete_integration', { integration_id: 'Text budget mail' }],
  ['list_schedules', {}],
  ['get_schedule', { schedule_id: IDS.primaryRotation }],
  ['list_schedule_shifts', { schedule_id: 'Payments weekly', start_date: '2026-03-24', end_date: '2027-03-23' }],
  ['create_schedule', { type: 'calendar', name: 'Text budget schedule', time_zone: 'Europe/Berlin' }],
  ['update_schedule', { schedule_id: 'Text budget schedule', name: 'Text budget schedule 2' }],
  ['delete_schedule', { schedule_id: 'Text budget schedule 2' }],
  ['list_on_call_shifts', {}],
  ['create_on_call_shift', { name: 'Text budget shift', type: 'single_event', start: '2026-03-25T09:00:00', duration: 3600, users: ['alice'] }],
  ['update_on_call_shift', { on_call_shift_id: 'Text budget shift', duration: 7200 }],
  ['delete_on_call_shift', { on_call_shift_id: 'Text budget shift' }],
  ['create_shift_swap', {
    schedule: IDS.primaryRotation,
    swap_start: '2026-03-26T09:00:00Z',
    swap_end: '2026-03-26T12:00:00Z',
    beneficiary: 'alice',
  }],
  ['take_shift_swap', (r) => ({ shift_swap_id: r.get('create_shift_swap')!.data.id, benefactor: 'bob' })],
  ['list_shift_swaps', {}],
  ['list_users', {}],
  ['get_user', { user_id: 'alice' }],
  ['list_teams', {}],
  ['list_user_groups', {}],
  ['list_webhooks', {}],
];

async function callEveryTool(): Promise<Results> {
  const results: Results = new Map();
  for (const [name, args] of CALLS) {
    const r = await h.call(name, typeof args === 'function' ? args(results) : args);
    if (r.isError) throw new Error(`${name} failed: ${r.text}`);
    results.set(name, r);
  }
  for (const tool of ALL_TOOLS) if (!results.has(tool.name)) results.set(tool.name, await h.call(tool.name, {}));
  return results;
}

/** Every integration token the engine holds (URL tokens and inbound-email local parts). */
async function integrationTokens(): Promise<string[]> {
  const all = await collectAll((page) => h.backend.integrations.list({ page }));
  const tokens = all.flatMap((i) => [
    ...(i.link ? [/\/integrations\/v1\/[a-z_]+\/([^/]+)\//.exec(i.link)![1]!] : []),
    ...(i.inbound_email ? [i.inbound_email.split('@')[0]!] : []),
  ]);
  expect(tokens.length).toBeGreaterThanOrEqual(4);
  return tokens;
}

describe('the text budget', () => {
  it('every tool\'s text on the demo stays within 8 KB, and a cut text ends with its continuation', async () => {
    const results = await callEveryTool();
    for (const [name, r] of results) {
      expect(bytes(r.text), name).toBeLessThanOrEqual(TEXT_BUDGET);
      if (r.text.includes('[Cut at')) expect(r.text, name).toMatch(CUT);
    }
    // A year of final shifts was 57 KB of text: now a summary well inside the budget.
    expect(bytes(results.get('list_schedule_shifts')!.text)).toBeLessThan(TEXT_BUDGET);
  });

  it('a list over the budget is cut on a line and names a perpage and page that get the rest, which they do', async () => {
    for (let i = 0; i < 100; i++) {
      await h.backend.escalationChains.create({ name: `Chain ${String(i).padStart(3, '0')} ${'with a long descriptive name '.repeat(3)}` });
    }
    const all = await collectAll((page) => h.backend.escalationChains.list({ page }));
    const r = await h.ok('list_escalation_chains', { perpage: 100 });
    expect(r.data.results).toHaveLength(100); // the structured content is never cut
    expect(bytes(r.text)).toBeLessThanOrEqual(TEXT_BUDGET);
    const cut = CUT.exec(r.text);
    expect(cut, r.text.slice(-300)).not.toBeNull();
    const shown = r.text.split('\n').filter((line) => /^F\w{12} "/.test(line));
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(100);
    // Every shown line is whole: it is the line of the item at its position.
    shown.forEach((line, i) => expect(line.startsWith(`${all[i]!.id} "${all[i]!.name}"`)).toBe(true));
    const [, perpage, page] = /perpage=(\d+), page=(\d+)/.exec(cut![1]!)!.map(Number) as [number, number, number];
    const rest = await h.ok('list_escalation_chains', { perpage, page });
    const firstLeftOut = all[shown.length]!;
    expect(rest.data.results.map((c: { id: string }) => c.id)).toContain(firstLeftOut.id);
    expect(rest.text).toContain(`${firstLeftOut.id} "${firstLeftOut.name}"`);
  });

  it('a single line over the budget is shortened, and the footer survives', () => {
    const text = fitText(`${'x'.repeat(20_000)}\nsecond line`, () => 'The rest: page=2.', { footer: ['Note kept.'] });
    expect(bytes(text)).toBeLessThanOrEqual(TEXT_BUDGET);
    expect(text).toMatch(/^x+ …\nNote kept\.\n\[Cut at 8 KB: 1 more line left out\. The rest: page=2\.\]$/);
    expect(fitText('short', () => 'never')).toBe('short');
  });
});

describe('simulate_escalation: a summary first, every entry with detail', () => {
  it('the summary gives the first cycle step by step and "repeats N× every …" instead of every repeat', async () => {
    const summary = await h.ok('simulate_escalation', { escalation_chain_id: IDS.defaultChain, at: NOW });
    const timeline = summary.data.timeline as Array<{ at: string; text: string; step?: string }>;
    const repeats = timeline.filter((e) => e.step === 'repeat_escalation' && e.text.startsWith('Repeat escalation'));
    expect(repeats.length).toBe(5);
    const period = (Date.parse(repeats[1]!.at) - Date.parse(repeats[0]!.at)) / 1000;
    const m = /Then it repeats (\d+)× every (?:(\d+)m)?(\d+)s/.exec(summary.text);
    expect(m, summary.text).not.toBeNull();
    expect(Number(m![1])).toBe(5);
    expect(Number(m![2] ?? 0) * 60 + Number(m![3])).toBe(period);
    expect(summary.text).toContain('with the same steps each time');
    // The first cycle, up to the first repeat, is there line by line; the second repeat's line is not.
    const firstCycle = timeline.slice(1, timeline.indexOf(repeats[0]!) + 1);
    for (const e of firstCycle) expect(summary.text).toContain(e.text);
    expect(summary.text).not.toContain('Repeat escalation (2/5)');
    expect(summary.text).toMatch(/starting 2026-03-24 12:00:00 UTC: it finishes at 2026-03-24 \d\d:\d\d:\d\d UTC/);
    // Who is notified how often, counted from the structured timeline.
    const aliceTimes = timeline.filter((e) => e.text.startsWith('alice notified by')).length;
    expect(summary.text).toContain(`alice ${aliceTimes}×`);

    const detail = await h.ok('simulate_escalation', { escalation_chain_id: IDS.defaultChain, at: NOW, detail: true });
    expect(bytes(summary.text) * 2).toBeLessThan(bytes(detail.text));
    expect(detail.text).toContain('Repeat escalation (5/5)');
    expect(detail.text).toContain(`All ${timeline.length} entries:`);
    expect(detail.text).toContain('2026-03-24 12:00:01 UTC');
  });

  it('a round robin that moves on is a difference the summary names, cycle by cycle', async () => {
    const chain = (await h.backend.escalationChains.create({ name: 'rr text' })).id;
    await h.backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'notify_person_next_each_time', persons_to_notify_next_each_time: [IDS.alice, IDS.bob] });
    await h.backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'wait', duration: 600 });
    await h.backend.escalationPolicies.create({ escalation_chain_id: chain, type: 'repeat_escalation' });
    const r = await h.ok('simulate_escalation', { escalation_chain_id: 'rr text', at: NOW });
    const picks = (r.data.timeline as Array<{ text: string }>).filter((e) => e.text.startsWith('Round robin:')).map((e) => e.text);
    expect(new Set(picks).size).toBe(2);
    expect(r.text).toContain('with these differences:');
    // Cycles 2..5 (the last is shown apart) whose pick is not the first cycle's are named.
    picks.slice(1, 5).forEach((pick, i) => {
      if (pick !== picks[0]) expect(r.text).toMatch(new RegExp(`cycle ${i + 2} \\(from \\+[\\dhms]+\\): ${pick}`));
    });
  });

  it('a long detail is cut with the offset that lists the rest, and the parts add up to the whole timeline', async () => {
    const first = await h.ok('simulate_escalation', { escalation_chain_id: IDS.sreCritical, at: NOW, detail: true });
    const total = first.data.timeline.length as number;
    let text = first.text;
    const entryLines: string[] = [];
    for (let guard = 0; guard < 10; guard++) {
      expect(bytes(text)).toBeLessThanOrEqual(TEXT_BUDGET);
      entryLines.push(...text.split('\n').filter((line) => /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC /.test(line)));
      const cut = CUT.exec(text);
      if (!cut) break;
      const offset = Number(/detail=true, offset=(\d+)/.exec(cut[1]!)![1]);
      expect(offset).toBe(entryLines.length);
      text = (await h.ok('simulate_escalation', { escalation_chain_id: IDS.sreCritical, at: NOW, detail: true, offset })).text;
    }
    expect(first.text).toMatch(CUT);
    expect(entryLines).toHaveLength(total);
  });
});

describe('list_schedule_shifts: a year, summed up per person', () => {
  it('hours and stretches per person add up, at most 40 stretches are listed, and start_date gets the rest', async () => {
    const args = { schedule_id: 'Payments weekly', start_date: '2026-03-24', end_date: '2027-03-23' };
    const r = await h.ok('list_schedule_shifts', args);
    type Item = { user_pk: string; user_username: string; shift_start: string; shift_end: string };
    const items = r.data.results as Item[];
    expect(bytes(r.text)).toBeLessThan(TEXT_BUDGET);
    const hoursOf = (i: Item) => (Date.parse(i.shift_end) - Date.parse(i.shift_start)) / 3_600_000;
    const totalHours = items.reduce((sum, i) => sum + hoursOf(i), 0);
    const people = [...r.text.matchAll(/^ {2}(\w+) \((U\w{12})\): ([\d.]+) h in (\d+) stretch/gm)];
    expect(people.map((p) => p[2]).sort()).toEqual([...new Set(items.map((i) => i.user_pk))].sort());
    expect(people.reduce((sum, p) => sum + Number(p[3]), 0)).toBeCloseTo(totalHours, 0);
    for (const p of people) expect(Number(p[4])).toBe(items.filter((i) => i.user_pk === p[2]).length);
    const starts = [...new Set(items.map((i) => `${i.shift_start}|${i.shift_end}`))].map((k) => k.split('|')[0]!)
      .sort((a, b) => Date.parse(a) - Date.parse(b));
    expect(r.text).toContain(`Stretches (the first 40 of ${starts.length}):`);
    expect(r.text.split('\n').filter((line) => line.includes(' → '))).toHaveLength(40);
    const next = /The rest: the same call with start_date=(\S+)\.$/.exec(r.text);
    expect(next).not.toBeNull();
    const rest = await h.ok('list_schedule_shifts', { ...args, start_date: next![1] });
    expect(Date.parse(rest.data.results[0].shift_start)).toBe(Date.parse(starts[40]!));
    // Times in the schedule's zone beside UTC.
    expect(r.text).toMatch(/\d\d:\d\d UTC \((Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d Europe\/Berlin\)/);
  });
});

describe('integration tokens never reach text', () => {
  it('no tool\'s text holds a token, and the masked text says where the real URL is', async () => {
    const results = await callEveryTool();
    const tokens = await integrationTokens();
    for (const [name, r] of results) for (const token of tokens) expect(r.text, name).not.toContain(token);
    const list = results.get('list_integrations')!;
    expect(list.text).toMatch(/\/integrations\/v1\/alertmanager\/\*\*\*\*\//);
    expect(list.text).toContain('****@inbound.example.com');
    expect(list.text).toContain('the structured content has the full values (get_integration\'s `link` and `inbound_email`)');
    // The structured content keeps the API shape, token included.
    const grafana = await h.ok('get_integration', { integration_id: 'CFRPV98RPR1U8' });
    expect(tokens.some((t) => grafana.data.link.includes(t))).toBe(true);
  });
});

describe('errors that name their fix', () => {
  it('an override in a schedule without overrides names enable_web_overrides and update_schedule; the fix works', async () => {
    const override = (await h.ok('create_on_call_shift', {
      name: 'bob covers', type: 'override', team_id: 'SRE', start: '2026-03-24T11:00:00', time_zone: 'UTC', duration: 7200, users: ['bob'],
    })).data;
    const r = await h.call('update_schedule', { schedule_id: 'Primary Rotation', shifts: ['OB1JPAEKMUQHC', 'bob covers'] });
    expect(r.isError).toBe(true);
    expect(firstLine(r.text)).toBe('Invalid request: Shifts of type override are not supported in this schedule');
    expect(r.text).toContain(`"bob covers" (${override.id})`);
    expect(r.text).toContain('Fix: update_schedule with enable_web_overrides: true');
    expect((await h.backend.schedules.get(IDS.primaryRotation)).shifts).toEqual(['OB1JPAEKMUQHC']); // nothing changed
    await h.ok('update_schedule', { schedule_id: 'Primary Rotation', shifts: ['OB1JPAEKMUQHC', 'bob covers'], enable_web_overrides: true });
  });

  it('a team mismatch names the shift, both teams and update_on_call_shift; the fix works', async () => {
    const shift = (await h.ok('create_on_call_shift', {
      name: 'always carol', type: 'recurrent_event', team_id: 'Payments', start: '2026-03-01T00:00:00', duration: 86400,
      frequency: 'daily', users: ['carol'],
    })).data;
    const r = await h.call('update_schedule', { schedule_id: IDS.primaryRotation, shifts: ['OB1JPAEKMUQHC', shift.id] });
    expect(firstLine(r.text)).toBe('Invalid request: Shifts must be assigned to the same team as the schedule');
    expect(r.text).toContain(`shift "always carol" (${shift.id}) belongs to team "Payments" (TJC5XVRUILG7S)`);
    expect(r.text).toContain(`schedule "Primary Rotation" (${IDS.primaryRotation}) belongs to team "SRE" (${IDS.sreTeam})`);
    expect(r.text).toContain(`Fix: update_on_call_shift with on_call_shift_id "${shift.id}" and team_id "${IDS.sreTeam}"`);
    await h.ok('update_on_call_shift', { on_call_shift_id: shift.id, team_id: IDS.sreTeam });
    await h.ok('update_schedule', { schedule_id: IDS.primaryRotation, shifts: ['OB1JPAEKMUQHC', shift.id] });
  });

  it('started_at shows the exact range format with an example built from the value given, which works', async () => {
    const r = await h.call('list_alert_groups', { started_at: '2026-03-24' });
    expect(r.text.split('\n')).toEqual([
      'Invalid request: Invalid range value',
      'Given: started_at = "2026-03-24"',
      expect.stringContaining('Expected: a UTC range YYYY-MM-DDTHH:MM:SS_YYYY-MM-DDTHH:MM:SS'),
    ]);
    const example = /e\.g\. (\S+)$/.exec(r.text)![1]!;
    await h.ok('list_alert_groups', { started_at: example });
  });

  it('a duplicate name gives the existing object\'s id and name, and creates nothing', async () => {
    const before = (await h.backend.escalationChains.list({})).count;
    const chain = await h.call('create_escalation_chain', { name: 'default' });
    expect(firstLine(chain.text)).toBe('Invalid request: The fields organization, name must make a unique set.');
    expect(chain.text).toContain(`Fix: escalation chain "default" (${IDS.defaultChain}) already has this name`);
    expect(chain.text).toContain('update_escalation_chain');
    expect((await h.backend.escalationChains.list({})).count).toBe(before);
    const integration = await h.call('create_integration', { type: 'webhook', name: 'Grafana :blush:' });
    expect(integration.text).toContain('integration "Grafana :blush:" (CFRPV98RPR1U8) of no team already has this name');
    await h.ok('create_on_call_shift', { name: 'twice', type: 'single_event', start: '2026-03-25T09:00:00', duration: 60 });
    const shift = await h.call('create_on_call_shift', { name: 'twice', type: 'single_event', start: '2026-03-25T09:00:00', duration: 60 });
    expect(shift.text).toMatch(/Fix: on-call shift "twice" \(O\w{12}\) already has this name/);
  });

  it('a field error shows the value given and what the field takes', async () => {
    const r = await h.call('create_escalation_policy', { escalation_chain_id: 'default', type: 'wait', duration: 30 });
    expect(r.text.split('\n')).toEqual([
      'Invalid request: duration: Ensure this value is greater than or equal to 0:01:00.',
      'Given: duration = 30',
      'Expected: Seconds, 60 to 86400.',
    ]);
    const when = await h.call('create_on_call_shift', { name: 'x', type: 'single_event', start: '2026-03-25 09:00', duration: 60 });
    expect(when.text).toContain('Given: start = "2026-03-25 09:00"');
    expect(when.text).toContain('YYYY-MM-DDTHH:MM:SS');
  });

  it('arguments the schema refuses get the house style, not the SDK\'s -32602 text', async () => {
    const r = await h.call('get_escalation_chain', { escalation_chain_id: 5 });
    expect(r.isError).toBe(true);
    expect(firstLine(r.text)).toBe('Invalid arguments: escalation_chain_id: expected a string, got the number 5.');
    expect(r.text).toContain('Expected: Chain id or name.');
    expect(r.text).not.toMatch(/MCP error|-32602|Input validation error/);
    // An update tool's field is described "As in create." in tools/list; its error says what it takes.
    const update = await h.call('update_escalation_policy', { escalation_policy_id: 'E3GA6SJETWWJS', duration: 30 });
    expect(update.text).toContain('Expected: Seconds, 60 to 86400.');
    const many = await h.call('list_escalation_chains', { perpage: 500, page: 0 });
    expect(many.text.split('\n')).toEqual([
      'Invalid arguments:',
      '- page: expected a number at least 1, got the number 0.',
      '- perpage: expected a number at most 100, got the number 500.',
    ]);
    const missing = await h.call('simulate_escalation', {});
    expect(firstLine(missing.text)).toBe('Invalid arguments: escalation_chain_id: required, but missing.');
  });
});

describe('name filters match part of the name, case-insensitively', () => {
  it('list_integrations "Grafana" finds every integration whose name contains it, and says so', async () => {
    const all = await collectAll((page) => h.backend.integrations.list({ page }));
    const expected = all.filter((i) => i.name.toLowerCase().includes('grafana')).map((i) => i.id);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const r = await h.ok('list_integrations', { name: 'Grafana' });
    expect(r.data.results.map((i: { id: string }) => i.id)).toEqual(expected);
    expect(r.data.count).toBe(expected.length);
    expect(r.text).toMatch(new RegExp(`^${expected.length} integrations whose name contains "Grafana" \\(case-insensitive\\):`));
  });

  it('no match suggests the nearest names', async () => {
    const r = await h.ok('list_integrations', { name: 'grafanna' });
    expect(r.data.count).toBe(0);
    expect(r.text).toContain('0 integrations whose name contains "grafanna" (case-insensitive).');
    expect(r.text).toContain('Near matches: "Grafana :blush:" (CFRPV98RPR1U8)');
    const team = await h.ok('list_teams', { name: 'paymnts' });
    expect(team.text).toContain('Near matches: "Payments" (TJC5XVRUILG7S)');
  });

  it('pages through the matches honestly, and combines with the team filter', async () => {
    const users = await collectAll((page) => h.backend.users.list({ page }));
    const matches = users.filter((u) => u.username.includes('a') && u.email.includes('example.com')).map((u) => u.id);
    expect(matches.length).toBeGreaterThan(3);
    const second = await h.ok('list_users', { username: 'A', email: 'EXAMPLE.COM', perpage: 2, page: 2 });
    const pages = Math.ceil(matches.length / 2);
    expect(second.data).toMatchObject({ count: matches.length, page_size: 2, current_page_number: 2 });
    expect(second.data.total_pages).toBe(pages);
    expect(second.data.results.map((u: { id: string }) => u.id)).toEqual(matches.slice(2, 4));
    expect(second.text).toContain('whose username contains "A" and email contains "EXAMPLE.COM"');
    expect(second.text).toContain('more with page=3');
    const sre = await h.ok('list_schedules', { name: 'o', team_id: 'SRE' });
    const schedules = await collectAll((page) => h.backend.schedules.list({ page }));
    const sreWithO = schedules.filter((s) => s.team_id === IDS.sreTeam && s.name.toLowerCase().includes('o')).map((s) => s.id);
    expect(sre.data.results.map((s: { id: string }) => s.id)).toEqual(sreWithO);
    const chains = await h.ok('list_escalation_chains', { name: 'CRIT' });
    expect(chains.data.results.map((c: { id: string }) => c.id)).toEqual([IDS.sreCritical]);
    const hooks = await h.ok('list_webhooks', { name: 'incidents' });
    expect(hooks.data.results.map((w: { id: string }) => w.id)).toEqual([IDS.incidentsWebhook]);
  });
});

describe('names beside ids, one timestamp format', () => {
  it('alert groups, policies, schedule steps, routes and a paged team show names beside ids', async () => {
    const page = await h.ok('create_escalation', { team: 'SRE', title: 'names test' });
    expect(page.text).toContain(`team SRE (${IDS.sreTeam})`);
    expect(page.text).toMatch(/integration "[^"]+" \(C\w{12}\)/);
    const policies = await h.ok('list_escalation_policies', { escalation_chain_id: IDS.defaultChain });
    expect(policies.text).toContain(`chain "default" (${IDS.defaultChain}) [0] wait 1m`);
    expect(policies.text).toContain(`schedule "Primary Rotation" (${IDS.primaryRotation})`);
    const routes = await h.ok('list_routes', { integration_id: 'CFRPV98RPR1U8' });
    expect(routes.text).toContain('integration "Grafana :blush:" (CFRPV98RPR1U8) [default]');
    const schedule = await h.ok('get_schedule', { schedule_id: IDS.primaryRotation });
    expect(schedule.text).toMatch(/Shifts: "[^"]+" \(OB1JPAEKMUQHC\)/);
  });

  it('timelines use the same format as every other instant, with seconds', async () => {
    const paged = await h.ok('create_escalation', { users: [{ id: 'bob', important: false }] });
    h.advance(60);
    const group = await h.ok('get_alert_group', { alert_group_id: paged.data.id });
    const lines = group.text.split('\n').slice(2);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.filter((l) => l.startsWith('  '))) expect(line).toMatch(/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}\S/);
    expect(group.text).not.toMatch(/\d\d:\d\d:\d\dZ/); // the old `12:00:01Z` spelling
  });
});
