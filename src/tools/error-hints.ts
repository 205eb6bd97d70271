/**
 * OnCall's messages that hide their fix, and the fix. Each hint matches one OnCall message (the
 * engine and a live OnCall send the same words) and adds what the house style asks for: the field,
 * the value given, what is expected, and the tool or argument that fixes it. A hint may look
 * things up (the existing object with a duplicate name, the shift whose team differs); a lookup
 * that fails only leaves the hint out.
 */
import type { OnCallBackend } from '../api/backend.js';
import type { AnyTool } from './define.js';
import type { DirectoryIndex } from './lookup/directory-index.js';
import { ARG_REFS, KIND_WORDS } from './lookup/resolve.js';

export interface Hint {
  /** The argument the problem is about, when OnCall's message names none. */
  field?: string;
  given?: string;
  expected?: string;
  fix?: string;
}

export interface HintContext {
  tool: AnyTool;
  given: Record<string, unknown>;
  resolved: Record<string, unknown>;
  backend: OnCallBackend;
  index: DirectoryIndex;
  /** OnCall's message and the field it was about ('' for none). */
  message: string;
  field: string;
}

type HintRule = {
  match: RegExp;
  hint: (ctx: HintContext, m: RegExpExecArray) => Hint | undefined | Promise<Hint | undefined>;
};

const quote = (name: string, id: string) => `"${name}" (${id})`;

async function teamLabel(ctx: HintContext, id: string | null | undefined): Promise<string> {
  if (!id) return 'no team';
  const name = (await ctx.index.nameMap('team')).get(id);
  return name ? `team ${quote(name, id)}` : `team ${id}`;
}

const RANGE = 'YYYY-MM-DDTHH:MM:SS_YYYY-MM-DDTHH:MM:SS';

/** A started_at example built from what was given, when it holds a date. */
function rangeExample(given: unknown): string {
  const day = typeof given === 'string' ? /\d{4}-\d{2}-\d{2}/.exec(given)?.[0] : undefined;
  const d = day ?? '2026-03-24';
  return `${d}T00:00:00_${d}T23:59:59`;
}

/** The schedule the call is about and the team it will have (an update may change it). */
async function scheduleTeam(ctx: HintContext): Promise<{ label: string; teamId: string | null }> {
  const id = typeof ctx.resolved.schedule_id === 'string' ? ctx.resolved.schedule_id : undefined;
  const current = id ? await ctx.backend.schedules.get(id) : undefined;
  const teamId = 'team_id' in ctx.resolved ? ((ctx.resolved.team_id as string | null) ?? null) : (current?.team_id ?? null);
  const label = current ? `schedule ${quote(current.name, current.id)}` : 'the new schedule';
  return { label, teamId: teamId === 'null' ? null : teamId };
}

async function shiftsOf(ctx: HintContext) {
  const ids = Array.isArray(ctx.resolved.shifts) ? ctx.resolved.shifts.filter((s): s is string => typeof s === 'string') : [];
  const found = await Promise.all(ids.map((id) => ctx.backend.onCallShifts.get(id).catch(() => undefined)));
  return found.filter((s) => s !== undefined);
}

const RULES: HintRule[] = [
  {
    match: /^The fields organization, name must make a unique set\.$/,
    async hint(ctx) {
      const name = ctx.resolved.name;
      if (typeof name !== 'string') return undefined;
      const page = await ctx.backend.escalationChains.list({ name });
      const other = page.results.find((c) => c.name === name && c.id !== ctx.resolved.escalation_chain_id);
      if (!other) return { field: 'name', fix: 'choose a name no other escalation chain has (names are unique in the organisation).' };
      return {
        field: 'name',
        expected: 'a name no other escalation chain has (unique in the organisation, whatever the team)',
        fix: `escalation chain ${quote(other.name, other.id)} already has this name: choose another name, or change that chain with `
          + `update_escalation_chain (escalation_chain_id "${other.id}").`,
      };
    },
  },
  {
    match: /^An integration with this name already exists for this team$/,
    async hint(ctx) {
      const name = ctx.resolved.name;
      if (typeof name !== 'string') return undefined;
      const page = await ctx.backend.integrations.list({ name });
      const others = page.results.filter((i) => i.name === name && i.id !== ctx.resolved.integration_id);
      if (!others.length) return { field: 'name' };
      const which = await Promise.all(others.map(async (i) => `integration ${quote(i.name, i.id)} of ${await teamLabel(ctx, i.team_id)}`));
      return {
        field: 'name',
        expected: 'a name no other integration of the same team has',
        fix: `${which.join('; ')} already has this name: choose another name or another team_id, or change the existing one with `
          + `update_integration (integration_id "${others[0]!.id}").`,
      };
    },
  },
  {
    match: /^On-call shift with this name already exists$/,
    async hint(ctx) {
      const name = ctx.resolved.name;
      if (typeof name !== 'string') return undefined;
      const page = await ctx.backend.onCallShifts.list({ name });
      const other = page.results.find((s) => s.name === name && s.id !== ctx.resolved.on_call_shift_id);
      return {
        field: 'name',
        expected: 'a name no other on-call shift has (unique in the organisation)',
        fix: other
          ? `on-call shift ${quote(other.name, other.id)} already has this name: choose another name, or change that shift with `
          + `update_on_call_shift (on_call_shift_id "${other.id}").`
          : 'choose another name.',
      };
    },
  },
  {
    match: /^Shifts of type override are not supported in this schedule$/,
    async hint(ctx) {
      const overrides = (await shiftsOf(ctx)).filter((s) => s.type === 'override');
      const { label } = await scheduleTeam(ctx).catch(() => ({ label: 'the schedule' }));
      const names = overrides.map((s) => quote(s.name, s.id)).join(', ');
      const tool = ctx.tool.name === 'create_schedule' ? 'create_schedule' : 'update_schedule';
      return {
        field: 'shifts',
        given: `${names ? `override shift ${names} in shifts` : 'an override shift in shifts'}; ${label} does not allow overrides`,
        expected: 'override shifts only in a calendar schedule with enable_web_overrides true',
        fix: `${tool} with enable_web_overrides: true (in the same call as shifts), or leave the override out of shifts.`,
      };
    },
  },
  {
    match: /^Shifts must be assigned to the same team as the schedule$/,
    async hint(ctx) {
      const { label, teamId } = await scheduleTeam(ctx);
      const mismatched = (await shiftsOf(ctx)).filter((s) => (s.team_id ?? null) !== teamId);
      const scheduleTeamText = await teamLabel(ctx, teamId);
      if (!mismatched.length) return { field: 'shifts', expected: `shifts of ${scheduleTeamText}, the team of ${label}` };
      const described = await Promise.all(mismatched.map(async (s) => `shift ${quote(s.name, s.id)} belongs to ${await teamLabel(ctx, s.team_id)}`));
      const first = mismatched[0]!;
      return {
        field: 'shifts',
        given: `${described.join('; ')}; ${label} belongs to ${scheduleTeamText}`,
        expected: 'every shift in shifts has the schedule\'s team',
        fix: `update_on_call_shift with on_call_shift_id "${first.id}" and team_id ${teamId ? `"${teamId}"` : 'null'} `
          + `(the schedule's team)${mismatched.length > 1 ? ', and the same for the other shifts' : ''}; or give the schedule `
          + `the shift's team with update_schedule team_id.`,
      };
    },
  },
  {
    match: /^Invalid range value$/,
    hint: (ctx) => ({
      field: 'started_at',
      expected: `a UTC range ${RANGE} (start before end, both inclusive, no zone suffix), e.g. ${rangeExample(ctx.given.started_at)}`,
    }),
  },
  {
    match: /^Invalid datetime format, should be/,
    hint(ctx) {
      const field = (['start', 'rotation_start', 'until'] as const).find((f) => {
        const v = ctx.resolved[f];
        return typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v);
      });
      return {
        ...(field ? { field } : {}),
        expected: 'a wall-clock time YYYY-MM-DDTHH:MM:SS in the shift\'s time_zone, without a zone suffix or fraction, e.g. 2026-03-02T09:00:00',
      };
    },
  },
  {
    match: /^Field '(\w+)' is required for/,
    hint: (_ctx, m) => ({ field: m[1]!, fix: `add ${m[1]} to the call.` }),
  },
  {
    match: /^Web schedule update is not enabled through API$/,
    hint: () => ({
      fix: 'web schedules can only be changed in the Grafana OnCall UI. To manage one through the API, create a calendar schedule '
        + '(create_schedule type "calendar") with its shifts and point the escalation steps at it.',
    }),
  },
  {
    match: /^Unable to delete default filter$/,
    hint: () => ({
      fix: 'an integration always keeps its default route. Change where it sends alerts with update_route (escalation_chain_id, '
        + 'or null for none), or delete the whole integration with delete_integration.',
    }),
  },
  {
    match: /^Already on maintenance$/,
    hint: () => ({ fix: 'end it first with set_integration_maintenance mode "off", then start the new mode.' }),
  },
  {
    match: /^Cannot add responders for a resolved alert group$/,
    hint: () => ({
      fix: 'unresolve it first (update_alert_group action "unresolve"), or page into a new alert group (leave out alert_group_id).',
    }),
  },
  {
    match: /^Can't (\w+) an? (acknowledged|unacknowledged|resolved|unresolved|silenced|unsilenced) alert group$/,
    hint: (_ctx, m) =>
      m[2] === `${m[1]}d`
        ? { fix: `nothing to do: the alert group is already ${m[2]} (get_alert_group shows its state).` }
        : { fix: 'get_alert_group shows its state; change that first with update_alert_group.' },
  },
  {
    match: /^No team or user\(s\) specified$/,
    hint: () => ({
      expected: 'users ([{id or username, important}]) or team (a team name or id), not both',
      fix: 'add users or team to the call.',
    }),
  },
  {
    match: /^users and team are mutually exclusive$/,
    hint: () => ({ fix: 'page either users or a team in one call; make a second call for the other.' }),
  },
  {
    match: /^Only round-robin steps/,
    hint: () => ({
      field: 'escalation_policy_id',
      fix: 'get_escalation_chain shows each step\'s type; pass the id of a "round robin" (notify_person_next_each_time) step.',
    }),
  },
  {
    match: /^The round-robin queue has no users$/,
    hint: () => ({ fix: 'give the step its people with update_escalation_policy persons_to_notify_next_each_time.' }),
  },
  {
    match: /^The shift swap request is not in a state which allows it to be taken$/,
    hint: () => ({ fix: 'only open requests can be taken: list_shift_swaps with open_only: true shows them.' }),
  },
  {
    match: /^A shift swap request cannot be created and taken by the same user$/,
    hint: () => ({ field: 'benefactor', expected: 'a user other than the beneficiary', fix: 'pass another user as benefactor.' }),
  },
  {
    match: /^Invalid (beneficiary|benefactor) user ID$/,
    hint: (_ctx, m) => ({ field: m[1]!, fix: 'list_users shows users (a username or email works too).' }),
  },
  {
    match: /^Slack isn't connected to this workspace$/,
    hint: () => ({ fix: 'Slack is connected to OnCall in Grafana, not through this API; leave the Slack settings out.' }),
  },
  {
    match: /^Direct paging integrations can't be deleted$/,
    hint: () => ({ fix: 'nothing to delete: a team\'s Direct Paging integration exists as long as the team pages through it.' }),
  },
  {
    match: /^Invalid value for position field$/,
    hint: () => ({ field: 'position', expected: '0 for first, a higher number for later, or -1 for last' }),
  },
  {
    match: /^delay is required$/,
    hint: () => ({ field: 'delay', fix: 'add delay: seconds to silence for, or -1 (or 0) for until unsilenced.' }),
  },
  {
    match: /^Invalid escalation step type: step is Slack-specific$/,
    hint: () => ({ field: 'type', fix: 'notify_whole_channel needs Slack connected to OnCall; use another step type.' }),
  },
  {
    match: /^(Object does not exist|Select a valid choice\. That choice is not one of the available choices\.)$/,
    hint(ctx) {
      const kind = ARG_REFS[ctx.field.replace(/\[\d+\]/g, '')];
      return kind ? { fix: `${KIND_WORDS[kind].finder} shows valid ones (a name works too).` } : undefined;
    },
  },
];

/** The hint for one problem, if OnCall's message is one that hides its fix. */
export async function hintFor(ctx: HintContext): Promise<Hint | undefined> {
  for (const rule of RULES) {
    const m = rule.match.exec(ctx.message);
    if (m) return rule.hint(ctx, m);
  }
  return undefined;
}
