/**
 * The engine's state: plain maps keyed by public id. Map insertion order is creation order,
 * which is the order OnCall lists most resources in. Records hold what the engine needs (secrets,
 * round-robin pointers, phone numbers); the API shapes are derived from them on the way out.
 */
import type { PolicyType, Team, User, UserGroup, Webhook } from '../../api/types.js';

export type PhoneNumberStatus = 'available' | 'private' | 'not_configured';

/** A personal notification rule (semantics.md §5): notify by a channel, or wait. */
export interface NotificationRule {
  /** Public id, "N…". */
  id: string;
  /** OnCall's `order` within the user's default or important list (gaps allowed). */
  order: number;
  type: string; // 'wait' or 'notify_by_<channel>'
  /** Seconds, for `wait`. */
  duration?: number;
}

export interface UserRecord extends User {
  /** The verified number, kept even when private; only shown when status is `available`. */
  phone_number: string | null;
  phone_number_status: PhoneNumberStatus;
  /** Personal notification rules, per importance, each list kept sorted by `order`. */
  notification_rules: { default: NotificationRule[]; important: NotificationRule[] };
}

export type TeamRecord = Team;

export interface UserGroupRecord extends UserGroup {
  /** Members, when known (Slack resolves them in OnCall); used by escalation and on-call queries. */
  members: string[];
}

/** Stored with real secrets; the API shape masks them. */
export type WebhookRecord = Webhook;

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export const WEEKDAYS: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
export type ShiftType = 'single_event' | 'recurrent_event' | 'rolling_users' | 'override';
export type ShiftFrequency = 'hourly' | 'daily' | 'weekly' | 'monthly';

/** An on-call shift (OnCall's CustomOnCallShift), in the API's terms. */
export interface ShiftRecord {
  id: string;
  name: string;
  team_id: string | null;
  type: ShiftType;
  /** web shifts are expanded in UTC; api/terraform ones in their zone (semantics.md §2.1). */
  source: 'web' | 'api' | 'terraform';
  time_zone: string | null;
  level: number;
  /** `YYYY-MM-DDTHH:MM:SS`, wall clock in the shift's zone (UTC for web shifts). */
  start: string;
  /** Seconds. */
  duration: number;
  rotation_start: string;
  until: string | null;
  frequency: ShiftFrequency | null;
  interval: number | null;
  week_start: Weekday;
  by_day: Weekday[] | null;
  by_month: number[] | null;
  by_monthday: number[] | null;
  users: string[];
  rolling_users: string[][] | null;
  start_rotation_from_user_index: number | null;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  team_id: string | null;
  type: 'web' | 'calendar' | 'ical';
  time_zone: string | null;
  /** The schedule's shifts (web: its own; calendar: linked), overrides included. */
  shifts: string[];
  ical_url_primary: string | null;
  ical_url_overrides: string | null;
  enable_web_overrides: boolean;
  slack: { channel_id: string | null; user_group_id: string | null };
}

/** A shift swap request (semantics.md §3.1). */
export interface SwapRecord {
  id: string;
  schedule: string;
  swap_start: number;
  swap_end: number;
  description: string | null;
  beneficiary: string;
  benefactor: string | null;
  created_at: number;
  updated_at: number;
  deleted: boolean;
}

export interface ChainRecord {
  id: string;
  name: string;
  team_id: string | null;
}

export interface PolicyRecord {
  id: string;
  chainId: string;
  order: number;
  /** null only after `PUT {"type": null}`. */
  type: PolicyType | null;
  /** The important variant of a notify step. */
  important: boolean;
  duration: number | null;
  /** One list serves notify_persons and round robin, as in OnCall (kept when switching between them). */
  userIds: string[];
  scheduleId: string | null;
  userGroupId: string | null;
  teamId: string | null;
  webhookId: string | null;
  /** `HH:MM:SS`, UTC time of day. */
  timeFrom: string | null;
  timeTo: string | null;
  numAlertsInWindow: number | null;
  numMinutesInWindow: number | null;
  severity: string | null;
  /** Round robin: the user notified last (OnCall's `last_notified_user`), or null. */
  roundRobinLastUserId: string | null;
}

/** How an integration type behaves (semantics.md §4.1). */
export type StoredIntegrationType = string;

export interface MaintenanceRecord {
  mode: 'maintenance' | 'debug';
  startedAt: number;
  endAt: number;
}

export interface IntegrationRecord {
  id: string;
  name: string;
  description_short: string | null;
  team_id: string | null;
  /** The stored slug, which may be a legacy one (shown as its new slug). */
  type: StoredIntegrationType;
  /** The secret part of the integration's URL and inbound email address. */
  token: string;
  /** Every template key, null meaning the type's default. */
  templates: TemplateValues;
  maintenance: MaintenanceRecord | null;
  /** Soft delete: hidden from the API, alert groups keep pointing at it. */
  deleted: boolean;
  created_at: number;
}

export type TemplateValues = Record<string, string | null | Record<string, string | null>>;

export interface ChannelRouting {
  id: string | null;
  enabled: boolean;
}

export interface RouteRecord {
  id: string;
  integrationId: string;
  chainId: string | null;
  routingType: 'regex' | 'jinja2';
  /** null only on the default route. */
  routingRegex: string | null;
  order: number;
  isDefault: boolean;
  slack: { channel_id: string | null; enabled: boolean };
  telegram: ChannelRouting;
  /** Per messaging backend slug. */
  backends: Record<string, ChannelRouting>;
}

export interface SlackChannelRecord {
  slack_id: string;
  name: string;
}

export interface TelegramChannelRecord {
  id: string;
  name: string;
}

/**
 * A frozen copy of one escalation step, taken when an escalation (re)starts: the policy's settings
 * (its round-robin pointer becomes this snapshot's own) plus how often a repeat step has repeated.
 */
export type SnapshotStep = Omit<PolicyRecord, 'id' | 'chainId' | 'order'> & {
  policyId: string;
  repeatCount: number;
};

/** An alert group's escalation: its snapshot and where it is. */
export interface EscalationRun {
  /** Bumped on every (re)start, so work scheduled for an older run is ignored. */
  token: number;
  chainId: string | null;
  steps: SnapshotStep[];
  /** Index (not order value) of the next step to run. */
  nextIndex: number;
  /** When that step runs; null when nothing is scheduled. */
  nextAt: number | null;
  /** Held by the alert-count gate until a new alert arrives. */
  paused: boolean;
  finished: boolean;
  /** Step importance forced on (an important page or simulation). */
  forceImportant: boolean;
}

/** One user's personal notification chain for one alert group. */
export interface PersonalRun {
  token: number;
  important: boolean;
  ruleIndex: number;
  nextAt: number | null;
  /** Direct pages notify even when the group is acknowledged or silenced. */
  directPage: boolean;
  startedAt: number;
}

export type TimelineEvent =
  | 'registered'
  | 'route_assigned'
  | 'escalation_triggered'
  | 'escalation_failed'
  | 'escalation_finished'
  | 'notification'
  | 'personal_wait'
  | 'personal_finished'
  | 'direct_paging'
  | 'webhook'
  | 'incident_declared'
  | 'acknowledged'
  | 'unacknowledged'
  | 'resolved'
  | 'unresolved'
  | 'silenced'
  | 'unsilenced'
  | 'resolution_note';

export interface TimelineEntry {
  at: number;
  event: TimelineEvent;
  text: string;
  policyId?: string;
  step?: string;
  userId?: string;
  authorId?: string | null;
  channel?: string;
  important?: boolean;
}

export interface AlertGroupRecord {
  id: string;
  integrationId: string;
  routeId: string | null;
  createdAt: number;
  title: string | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  acknowledged: boolean;
  resolved: boolean;
  resolvedAt: number | null;
  resolvedBy: string | null;
  silenced: boolean;
  silencedAt: number | null;
  /** null with `silenced`: silenced forever. */
  silencedUntil: number | null;
  rootAlertGroupId: string | null;
  /** The special group that collects alerts while its integration is in maintenance. */
  maintenanceOf: string | null;
  wiped: boolean;
  escalation: EscalationRun | null;
  personal: Record<string, PersonalRun>;
  timeline: TimelineEntry[];
  /** Grouping key of the alerts collected here. */
  groupingKey: string | null;
  /** The group's alerts, oldest first. */
  alertIds: string[];
}

export interface AlertRecord {
  id: string;
  alertGroupId: string;
  createdAt: number;
  payload: unknown;
}

export interface ResolutionNoteRecord {
  id: string;
  alertGroupId: string;
  author: string | null;
  source: 'Web' | 'Slack' | 'Mobile App';
  createdAt: number;
  text: string;
}

export interface WebhookResponseRecord {
  webhookId: string;
  at: number;
  url: string;
  trigger: string;
  requestHeaders: string;
  requestData: string | null;
  statusCode: number | null;
  content: string;
  eventData: string;
}

/** The id an organisation gets when its data file gives none (well-formed, never random). */
export const DEFAULT_ORGANIZATION_ID = 'OEMBEDDEDENG1';

export interface OrganizationRecord {
  /** Public id ("O…"), what `/organizations/<any>/` answers. */
  id: string;
  /** The org's Slack workspace id, or null when Slack is not connected. */
  slack_team_id: string | null;
  /** Grafana Incident enabled: makes `declare_incident` available (Cloud). */
  grafana_incident_enabled: boolean;
  /** Base URL of the Grafana instance, for permalinks. */
  grafana_url: string;
  /** Messaging backends configured on the server (template and route keys), e.g. email, msteams. */
  messaging_backends: string[];
  /** Domain of integrations' inbound email addresses. */
  inbound_email_domain: string;
  slack_channels: SlackChannelRecord[];
  telegram_channels: TelegramChannelRecord[];
  /** Whose API token the embedded engine acts for (pages, acknowledgements): a user id. */
  api_user_id: string | null;
}

export interface State {
  organization: OrganizationRecord;
  users: Map<string, UserRecord>;
  teams: Map<string, TeamRecord>;
  userGroups: Map<string, UserGroupRecord>;
  webhooks: Map<string, WebhookRecord>;
  schedules: Map<string, ScheduleRecord>;
  shifts: Map<string, ShiftRecord>;
  swaps: Map<string, SwapRecord>;
  chains: Map<string, ChainRecord>;
  policies: Map<string, PolicyRecord>;
  integrations: Map<string, IntegrationRecord>;
  routes: Map<string, RouteRecord>;
  alertGroups: Map<string, AlertGroupRecord>;
  alerts: Map<string, AlertRecord>;
  resolutionNotes: Map<string, ResolutionNoteRecord>;
  webhookResponses: WebhookResponseRecord[];
  counters: {
    /** Every integration the org ever had, deleted and maintenance ones included (default names). */
    integrationsCreated: number;
  };
}

export function emptyState(): State {
  return {
    organization: {
      id: DEFAULT_ORGANIZATION_ID,
      slack_team_id: null,
      grafana_incident_enabled: false,
      grafana_url: 'http://localhost:3000',
      messaging_backends: [...DEFAULT_MESSAGING_BACKENDS],
      inbound_email_domain: DEFAULT_INBOUND_EMAIL_DOMAIN,
      slack_channels: [],
      telegram_channels: [],
      api_user_id: null,
    },
    users: new Map(),
    teams: new Map(),
    userGroups: new Map(),
    webhooks: new Map(),
    schedules: new Map(),
    shifts: new Map(),
    swaps: new Map(),
    chains: new Map(),
    policies: new Map(),
    integrations: new Map(),
    routes: new Map(),
    alertGroups: new Map(),
    alerts: new Map(),
    resolutionNotes: new Map(),
    webhookResponses: [],
    counters: { integrationsCreated: 0 },
  };
}

/** The backends of the seed documents (Grafana Cloud): email and MS Teams templates and route keys. */
export const DEFAULT_MESSAGING_BACKENDS = ['email', 'msteams'] as const;
export const DEFAULT_INBOUND_EMAIL_DOMAIN = 'inbound.oncall.example.com';

/** Every id map, for collision checks when generating ids. */
export function idMaps(state: State): ReadonlyArray<Map<string, unknown>> {
  return [
    state.users,
    state.teams,
    state.userGroups,
    state.webhooks,
    state.schedules,
    state.shifts,
    state.swaps,
    state.chains,
    state.policies,
    state.integrations,
    state.routes,
    state.alertGroups,
    state.alerts,
    state.resolutionNotes,
  ];
}
