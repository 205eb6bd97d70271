/**
 * The compact text every tool returns beside its structured content: the ids and names an agent
 * needs, one line per item. All formatting lives here, none in the tool handlers.
 */
import { formatSeconds } from '../api/durations.js';
import type { Page } from '../api/pagination.js';
import type {
  AlertGroup,
  ChainOnCall,
  EscalationChain,
  EscalationPolicy,
  Integration,
  OnCallShift,
  Route,
  Schedule,
  ShiftSwap,
  Team,
  TimelineItem,
  User,
  UserGroup,
  Webhook,
} from '../api/types.js';
import type { NameBook } from './names.js';

function named(map: ReadonlyMap<string, string>, id: string | null | undefined): string {
  if (!id) return '(not set)';
  const name = map.get(id);
  return name ? `${name} (${id})` : id;
}

/** `"Primary Rotation" (SBM7DV7BKFUYU)`: quoted, since schedule and chain names have spaces. */
function quoted(map: ReadonlyMap<string, string>, id: string | null | undefined): string {
  if (!id) return '(not set)';
  const name = map.get(id);
  return name ? `"${name}" (${id})` : id;
}

const scheduleRef = (names: NameBook, id: string | null | undefined) => quoted(names.schedules, id);

/** `chain "default" (F5JU6KJET33FE)`, for the chain a policy belongs to. */
export function chainOf(names: NameBook, id: string): string {
  return `chain ${quoted(names.chains, id)}`;
}

/** `integration "Grafana :blush:" (CFRPV98RPR1U8)`. */
export function integrationRef(names: NameBook, id: string): string {
  return `integration ${quoted(names.integrations, id)}`;
}

function namedList(map: ReadonlyMap<string, string>, ids: readonly string[]): string {
  if (!ids.length) return '(nobody)';
  return ids.map((id) => map.get(id) ?? id).join(', ');
}

/**
 * A page header: `3 escalation chains (page 1 of 2, 50 per page; next: page=2)`. `qualifier` says
 * how the list was filtered: `whose name contains "grafana"`.
 */
export function formatPage<T>(page: Page<T>, noun: string, line: (item: T) => string, qualifier?: string): string {
  const head = `${page.count} ${noun}${qualifier ? ` ${qualifier}` : ''}${page.total_pages > 1 ? ` (page ${page.current_page_number} of ${page.total_pages}${page.current_page_number < page.total_pages ? `; more with page=${page.current_page_number + 1}` : ''})` : ''}`;
  if (!page.results.length) return `${head}.`;
  return [`${head}:`, ...page.results.map(line)].join('\n');
}

export function formatChain(chain: EscalationChain, names: NameBook): string {
  return `${chain.id} "${chain.name}" team: ${chain.team_id ? named(names.teams, chain.team_id) : 'none'}`;
}

/** What one step does, in words: `notify persons: alice, bob (important)`. */
export function describePolicy(p: EscalationPolicy, names: NameBook): string {
  const imp = p.important ? ' (important)' : '';
  switch (p.type) {
    case null:
      return 'no type set (does nothing)';
    case 'wait':
      return p.duration == null ? 'wait (duration not set: 5m default)' : `wait ${formatSeconds(p.duration)}`;
    case 'notify_persons':
      return `notify persons: ${namedList(names.users, p.persons_to_notify ?? [])}${imp}`;
    case 'notify_person_next_each_time':
      return `round robin, one each time: ${namedList(names.users, p.persons_to_notify_next_each_time ?? [])}${imp}`;
    case 'notify_on_call_from_schedule':
      return `notify who is on call in schedule ${scheduleRef(names, p.notify_on_call_from_schedule)}${imp}`;
    case 'notify_next_on_call_from_schedule':
      return `notify who is next on call in schedule ${scheduleRef(names, p.notify_on_call_from_schedule)}${imp}`;
    case 'notify_user_group':
      return `notify user group ${named(names.userGroups, p.group_to_notify)}${imp}`;
    case 'notify_team_members':
      return `notify all members of team ${named(names.teams, p.team_to_notify)}${imp}`;
    case 'trigger_webhook':
      return `trigger webhook ${named(names.webhooks, p.action_to_trigger)}`;
    case 'resolve':
      return 'resolve the alert group (escalation stops)';
    case 'notify_whole_channel':
      return 'notify everyone in the route\'s Slack channel';
    case 'notify_if_time_from_to':
      return `continue only between ${p.notify_if_time_from ?? '?'} and ${p.notify_if_time_to ?? '?'} UTC (else wait for the window)`;
    case 'notify_if_num_alerts_in_window':
      return `continue only after more than ${p.num_alerts_in_window ?? '?'} alerts in ${p.num_minutes_in_window ?? '?'} min (else pause)`;
    case 'repeat_escalation':
      return 'repeat from the first step (at most 5 times)';
    case 'declare_incident':
      return `declare an incident${p.severity ? ` (severity ${p.severity})` : ''}`;
  }
}

export function formatPolicyLine(p: EscalationPolicy, names: NameBook): string {
  return `[${p.position}] ${describePolicy(p, names)}  (${p.id})`;
}

export function formatPolicy(p: EscalationPolicy, names: NameBook): string {
  return `${p.id} in ${chainOf(names, p.escalation_chain_id)}, position ${p.position}: ${describePolicy(p, names)}`;
}

export function formatChainWithPolicies(
  chain: EscalationChain & { policies: EscalationPolicy[] },
  names: NameBook,
): string {
  const steps = chain.policies.length
    ? chain.policies.map((p) => `  ${formatPolicyLine(p, names)}`)
    : ['  (no steps: alerts routed here notify nobody)'];
  return [`${formatChain(chain, names)}, ${chain.policies.length} steps in order:`, ...steps].join('\n');
}

export function formatUser(u: User, names: NameBook): string {
  const teams = u.teams.length ? `, teams: ${namedList(names.teams, u.teams)}` : '';
  return `${u.id} ${u.username} <${u.email}> ${u.role}, tz ${u.timezone ?? 'unset'}${u.is_phone_number_verified ? ', phone verified' : ''}${u.slack ? ', slack' : ''}${teams}`;
}

export function formatTeam(t: Team): string {
  return `${t.id} ${t.name}${t.email ? ` <${t.email}>` : ''}`;
}

export function formatUserGroup(g: UserGroup): string {
  return `${g.id} @${g.slack.handle} "${g.slack.name}" (slack ${g.slack.id})`;
}

export function formatWebhook(w: Webhook): string {
  return `${w.id} "${w.name}" ${w.http_method} ${w.url} on ${w.trigger_type}${w.is_webhook_enabled ? '' : ' (disabled)'}`;
}

function chainRef(names: NameBook, id: string | null): string {
  if (!id) return 'no escalation chain (nobody is notified)';
  const name = names.chains.get(id);
  return name ? `chain "${name}" (${id})` : `chain ${id}`;
}

export function formatIntegration(i: Integration, names: NameBook): string {
  const parts = [
    `${i.id} "${i.name}" (${i.type})`,
    `team ${i.team_id ? named(names.teams, i.team_id) : 'none'}`,
    `default route → ${chainRef(names, i.default_route.escalation_chain_id)}`,
  ];
  if (i.link) parts.push(`receives alerts at ${i.link}`);
  if (i.inbound_email) parts.push(`receives email at ${i.inbound_email}`);
  if (i.maintenance_mode) parts.push(`in ${i.maintenance_mode} mode until ${i.maintenance_end_at ? formatInstant(i.maintenance_end_at, null) : '(no end)'}`);
  return parts.join('; ');
}

export function describeRoute(r: Route, names: NameBook): string {
  if (r.is_the_last_route) return `[default] every other alert → ${chainRef(names, r.escalation_chain_id)}`;
  const how = r.routing_type === 'regex' ? 'payload matches regex' : 'template renders true';
  return `[${r.position}] ${how} ${JSON.stringify(r.routing_regex)} → ${chainRef(names, r.escalation_chain_id)}`;
}

export function formatRouteLine(r: Route, names: NameBook): string {
  return `${describeRoute(r, names)}  (${r.id})`;
}

export function formatIntegrationWithRoutes(i: Integration & { routes: Route[] }, names: NameBook): string {
  return [
    `${formatIntegration(i, names)}`,
    'Routes, tried in order (the first match wins):',
    ...i.routes.map((r) => `  ${formatRouteLine(r, names)}`),
  ].join('\n');
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The one way text shows an instant: `2026-03-24 09:00 UTC (Tue 10:00 Europe/Berlin)`, the local
 * part only when the relevant zone (a schedule's, a user's) is not UTC. `seconds` for timelines,
 * whose steps are seconds apart: `2026-03-24 09:00:05 UTC`.
 */
export function formatInstant(iso: string, zone: string | null | undefined, opts: { seconds?: boolean } = {}): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  const secs = opts.seconds ? `:${pad(d.getUTCSeconds())}` : '';
  const utc = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${secs} UTC`;
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return utc;
  return `${utc} (${localFormat(zone, !!opts.seconds).format(d)} ${zone})`;
}

/** Building an Intl formatter costs far more than using one; a year of shifts needs two zones. */
const LOCAL_FORMATS = new Map<string, Intl.DateTimeFormat>();

function localFormat(zone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${seconds}`;
  let format = LOCAL_FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' as const } : {}),
      hourCycle: 'h23',
    });
    if (LOCAL_FORMATS.size > 500) LOCAL_FORMATS.clear(); // zones come from data; keep it bounded
    LOCAL_FORMATS.set(key, format);
  }
  return format;
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** ISO instants inside free text (an engine timeline line, say) in the same format. */
export function humanizeInstants(text: string, zone?: string | null): string {
  return text.replace(ISO_INSTANT, (iso) => formatInstant(iso, zone));
}

/** A wall-clock time of a shift definition (`2026-03-02T09:00:00` in its zone): `2026-03-02 09:00 Europe/Berlin`. */
function formatWallClock(local: string, zone: string | null): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?/.exec(local);
  const when = m ? `${m[1]} ${m[2]}${m[3] && m[3] !== '00' ? `:${m[3]}` : ''}` : local;
  return `${when} ${zone ?? '(schedule zone)'}`;
}

export function formatSchedule(s: Schedule, names: NameBook): string {
  const zone = s.time_zone ? `, ${s.time_zone}` : '';
  const team = s.team_id ? `, team ${named(names.teams, s.team_id)}` : '';
  return `${s.id} "${s.name}" (${s.type}${zone})${team}; on call now: ${namedList(names.users, s.on_call_now)}`;
}

export function formatShift(shift: OnCallShift, names: NameBook): string {
  const who = shift.rolling_users
    ? shift.rolling_users.map((g) => g.map((id) => names.users.get(id) ?? id).join('+')).join(' → ')
    : namedList(names.users, shift.users ?? []);
  const every = shift.frequency
    ? ` every ${shift.interval && shift.interval > 1 ? `${shift.interval} ` : ''}${shift.frequency}${shift.by_day ? ` on ${shift.by_day.join(',')}` : ''}`
    : '';
  const level = shift.level ? `, level ${shift.level}` : '';
  return `${shift.id} "${shift.name}" ${shift.type}: from ${formatWallClock(shift.start, shift.time_zone)} for ${formatSeconds(shift.duration)}${every}${level}; ${who}`;
}

export function formatSwap(s: ShiftSwap, names: NameBook): string {
  const taker = s.benefactor ? ` taken by ${named(names.users, s.benefactor)}` : '';
  const zone = names.scheduleZones.get(s.schedule);
  return `${s.id} ${s.status}: ${named(names.users, s.beneficiary)} gives away ${formatInstant(s.swap_start, zone)} → ${formatInstant(s.swap_end, zone)} in schedule ${scheduleRef(names, s.schedule)}${taker}`;
}

export function formatChainOnCall(result: ChainOnCall, names: NameBook, empty: string): string {
  if (!result.count) return empty;
  const people = result.users.map(
    (u) => `${u.username} (${u.id}, tz ${u.timezone ?? 'unset'}, phone ${u.phone_number_status === 'available' ? u.phone_number : u.phone_number_status.replace('_', ' ')})`,
  );
  const shifts = result.shifts.map((s) => {
    const zone = names.scheduleZones.get(s.schedule_id);
    return `  ${s.schedule_name} (${s.schedule_id}): ${formatInstant(s.shift_start, zone)} → ${formatInstant(s.shift_end, zone)}: ${namedList(names.users, s.users)}`;
  });
  return [`${result.count} ${result.count === 1 ? 'person' : 'people'}: ${people.join('; ')}`, ...(shifts.length ? ['Shifts:', ...shifts] : [])].join('\n');
}

export function formatAlertGroup(g: AlertGroup, names: NameBook): string {
  const by = (id: string | null) => (id ? ` by ${names.users.get(id) ?? id}` : '');
  const status =
    g.state === 'acknowledged'
      ? `acknowledged${by(g.acknowledged_by)}`
      : g.state === 'resolved'
        ? `resolved${by(g.resolved_by)}`
        : g.state;
  const team = g.team_id ? `, team ${named(names.teams, g.team_id)}` : '';
  return `${g.id} ${status}: "${g.title ?? '(no title)'}", ${g.alerts_count} alert(s), started ${formatInstant(g.created_at, null)}, ${integrationRef(names, g.integration_id)}${team}`;
}

/** The names an alert group's line needs. */
export const ALERT_GROUP_NAMES = ['users', 'integrations', 'teams'] as const;

/** One timeline line per entry: `  2026-03-24 12:00:05 UTC  Wait 1m`. */
export function formatTimeline(items: readonly TimelineItem[]): string[] {
  return items.map((e) => `  ${formatInstant(e.at, null, { seconds: true })}  ${humanizeInstants(e.text)}`);
}
