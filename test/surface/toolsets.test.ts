/**
 * Self-sufficient toolsets: whatever --toolsets / --read-only selects, no description, instruction
 * or answer points to a tool the server does not list, and a selection can do what it advertises
 * (paging alone can page a person or a team found by name).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { selectTools } from '../../src/server.js';
import { TOOLSETS, type Toolset } from '../../src/tools/define.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { withoutTools } from '../../src/tools/references.js';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const mentioned = (text: string, names: readonly string[]) => names.filter((n) => new RegExp(`\\b${n}\\b`).test(text));

/** Calls that give texts pointing elsewhere: unknown ids and names, bad arguments, empty answers. */
const PROBES: Record<string, Array<Record<string, unknown>>> = {
  who_is_on_call: [{ target: 'nobody-by-that-name' }, { target: 'alice' }, { target: 'Payments business hours' }],
  get_escalation_chain: [{ escalation_chain_id: 'F000000000000' }, { escalation_chain_id: 'no such chain' }],
  create_escalation_chain: [{ name: 'default' }],
  current_oncall: [{ escalation_chain_id: 'Payments business hours' }],
  next_oncall: [{ escalation_chain_id: 'Payments business hours' }],
  create_escalation_policy: [{ escalation_chain_id: 'default', type: 'notify_persons' }, { escalation_chain_id: 'default', type: 'wait', duration: 30 }],
  advance_round_robin: [{ escalation_policy_id: IDS.waitPolicy }],
  create_escalation: [{ users: [{ id: 'nobody-by-that-name', important: false }] }, { team: 'SRE', title: 'probe' }],
  get_alert_group: [{ alert_group_id: 'I000000000000' }],
  update_alert_group: [{ alert_group_id: 'I000000000000', action: 'acknowledge' }],
  get_integration: [{ integration_id: 'no such integration' }],
  update_route: [{ route_id: 'R000000000000' }],
  get_schedule: [{ schedule_id: 'no such schedule' }],
  update_schedule: [{ schedule_id: 'Primary Rotation', shifts: ['OB1JPAEKMUQHC', 'Payments holiday cover'] }],
  take_shift_swap: [{ shift_swap_id: 'SSR000000000000', benefactor: 'alice' }],
  get_user: [{ user_id: 'nobody-by-that-name' }],
  list_users: [{ username: 'alise' }],
  list_teams: [{ name: 'nonexistent' }],
};

const SELECTIONS: Array<{ toolsets?: Toolset[]; readOnly?: boolean }> = [
  { readOnly: true },
  ...TOOLSETS.map((set) => ({ toolsets: [set] })),
  ...TOOLSETS.map((set) => ({ toolsets: [set], readOnly: true })),
  { toolsets: ['paging', 'schedules'] },
];

describe('no text points to a tool the server does not list', () => {
  it.each(SELECTIONS)('%j', async (selection) => {
    h = await connect(selection);
    const listed = (await h.client.listTools()).tools;
    const names = new Set(listed.map((t) => t.name));
    const absent = ALL_TOOLS.map((t) => t.name).filter((n) => !names.has(n));
    for (const tool of listed) {
      expect(mentioned(tool.description ?? '', absent), `${tool.name}'s description`).toEqual([]);
      expect(mentioned(JSON.stringify(tool.inputSchema), absent), `${tool.name}'s input schema`).toEqual([]);
    }
    expect(mentioned(h.client.getInstructions() ?? '', absent), 'instructions').toEqual([]);
    let probed = 0;
    for (const tool of listed) {
      for (const args of [{}, ...(PROBES[tool.name] ?? [])]) {
        const r = await h.call(tool.name, args);
        probed++;
        expect(mentioned(r.text, absent), `${tool.name} ${JSON.stringify(args)}: ${r.text}`).toEqual([]);
      }
    }
    expect(probed).toBeGreaterThanOrEqual(listed.length);
  });

  it('every selection lists what it names, so a description may name only its own toolset (write tools: in writes)', () => {
    for (const tool of ALL_TOOLS) {
      for (const other of ALL_TOOLS) {
        if (other === tool || !new RegExp(`\\b${other.name}\\b`).test(tool.description)) continue;
        expect(other.toolset, `${tool.name} names ${other.name}`).toBe(tool.toolset);
        if (tool.annotations.readOnlyHint) expect(other.annotations.readOnlyHint, `${tool.name} names ${other.name}`).toBe(true);
      }
    }
  });
});

describe('a toolset can do what it advertises', () => {
  it('paging alone pages a person and a team by name, and acknowledges by what it answered', async () => {
    h = await connect({ toolsets: ['paging'] });
    expect(selectTools({ toolsets: ['paging'] }).some((t) => t.toolset === 'directory')).toBe(false);
    const person = await h.ok('create_escalation', { users: [{ id: 'alice', important: false }], title: 'disk full' });
    expect(person.text).toMatch(/^Paged alice/);
    const team = await h.ok('create_escalation', { team: 'sre', title: 'db down' });
    expect(team.data.id).toMatch(/^I/);
    const acked = await h.ok('update_alert_group', { alert_group_id: team.data.id, action: 'acknowledge' });
    expect(acked.text).toMatch(/acknowledged/i);
  });

  it('an unknown name suggests the near ones without sending the agent to a missing lookup tool', async () => {
    h = await connect({ toolsets: ['paging'] });
    const r = await h.call('create_escalation', { users: [{ id: 'alise', important: false }] });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('Did you mean alice');
    expect(r.text).not.toContain('list_users');
  });
});

describe('withoutTools', () => {
  const filter = withoutTools(['list_users', 'update_route', 'get_alert_group']);

  it('drops the parenthetical, sentence or clause that names one, keeping the line\'s label', () => {
    expect(filter('Unknown user ids dropped from users: U1 (list_users shows ids).')).toBe('Unknown user ids dropped from users: U1.');
    expect(filter('There is no user "bob". Did you mean bo (U1)? list_users shows them all.')).toBe('There is no user "bob". Did you mean bo (U1)?');
    expect(filter('Fix: get_alert_group shows its state; change that first with update_alert_group.')).toBe(
      'Fix: change that first with update_alert_group.',
    );
    expect(filter('Given: x\nFix: give them a chain with update_route (escalation_chain_id).\nDone.')).toBe('Given: x\nDone.');
    expect(filter('Nothing to drop here.')).toBe('Nothing to drop here.');
    expect(filter('update_route_x is another name')).toBe('update_route_x is another name');
  });
});
