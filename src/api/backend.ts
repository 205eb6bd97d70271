/**
 * The contract between tools (and the REST facade) and a backend. One typed method per API
 * operation, grouped by resource. The memory engine and the HTTP client both implement it, return
 * the shapes in `types.ts`, and throw `ApiError` with OnCall's status and body.
 *
 * Request bodies are typed for callers, but implementations must treat them as untrusted JSON:
 * the REST facade passes client bodies straight through.
 */
import type { Page, PageQuery } from './pagination.js';
import type {
  AlertGroup,
  AlertGroupAction,
  AlertShape,
  ChainOnCall,
  EscalationChain,
  EscalationPolicy,
  FinalShift,
  Integration,
  OnCallShift,
  PolicyType,
  RoundRobinUser,
  Route,
  PersonalNotificationRule,
  Organization,
  SlackChannel,
  ResolutionNote,
  Schedule,
  ShiftSwap,
  Simulation,
  AlertSimulation,
  TimelineItem,
  Team,
  User,
  UserGroup,
  Webhook,
  WebhookResponse,
} from './types.js';

/** `PUT` demands the update serializer's required fields; `PATCH` accepts any subset. */
export type UpdateMode = 'put' | 'patch';

export interface EscalationChainQuery extends PageQuery {
  name?: string | undefined;
  team_id?: string | undefined;
}

export interface EscalationChainBody {
  name?: string;
  team_id?: string | null;
}

export interface EscalationPolicyQuery extends PageQuery {
  escalation_chain_id?: string | undefined;
}

export interface EscalationPolicyBody {
  escalation_chain_id?: string;
  type?: PolicyType | null;
  position?: number;
  manual_order?: boolean;
  important?: boolean;
  duration?: number | null;
  persons_to_notify?: string[] | null;
  persons_to_notify_next_each_time?: string[] | null;
  notify_on_call_from_schedule?: string | null;
  group_to_notify?: string | null;
  team_to_notify?: string | null;
  action_to_trigger?: string | null;
  notify_if_time_from?: string | null;
  notify_if_time_to?: string | null;
  num_alerts_in_window?: number | null;
  num_minutes_in_window?: number | null;
  severity?: string | null;
}

export interface IntegrationQuery extends PageQuery {
  name?: string | undefined;
  team_id?: string | undefined;
}

/** Routing settings of a route (also of an integration's default route). */
export interface RouteChannels {
  slack?: { channel_id?: string | null; enabled?: boolean | null } | null;
  telegram?: { id?: string | null; enabled?: boolean | null } | null;
  [backend: string]: unknown;
}

export interface IntegrationBody {
  type?: string;
  name?: string;
  description_short?: string | null;
  team_id?: string | null;
  templates?: Record<string, unknown>;
  default_route?: RouteChannels & { escalation_chain_id?: string | null };
}

export interface MaintenanceBody {
  mode?: string;
  duration?: number;
}

export interface RouteQuery extends PageQuery {
  integration_id?: string | undefined;
  routing_regex?: string | undefined;
}

export interface RouteBody extends RouteChannels {
  integration_id?: string;
  escalation_chain_id?: string | null;
  routing_type?: string;
  routing_regex?: string;
  position?: number;
  manual_order?: boolean;
}

export interface ScheduleQuery extends PageQuery {
  name?: string | undefined;
  team_id?: string | undefined;
}

export interface ScheduleBody {
  type?: string;
  name?: string;
  team_id?: string | null;
  time_zone?: string;
  shifts?: string[] | null;
  ical_url_primary?: string;
  ical_url_overrides?: string | null;
  enable_web_overrides?: boolean;
  slack?: { channel_id?: string | null; user_group_id?: string | null };
}

/** OnCall serves every item on one page; a live OnCall may still paginate, so `page` is accepted. */
export interface FinalShiftQuery extends PageQuery {
  start_date?: string;
  end_date?: string;
}

export interface ShiftQuery extends PageQuery {
  schedule_id?: string | undefined;
  name?: string | undefined;
  team_id?: string | undefined;
}

export interface ShiftBody {
  name?: string;
  type?: string;
  team_id?: string | null;
  time_zone?: string | null;
  level?: number;
  start?: string;
  duration?: number | string;
  rotation_start?: string;
  until?: string | null;
  frequency?: string | null;
  interval?: number | null;
  week_start?: string;
  by_day?: string[] | null;
  by_month?: number[] | null;
  by_monthday?: number[] | null;
  users?: string[] | null;
  rolling_users?: string[][] | null;
  start_rotation_from_user_index?: number | null;
  source?: string;
}

export interface SwapQuery extends PageQuery {
  schedule_id?: string | undefined;
  beneficiary?: string | undefined;
  benefactor?: string | undefined;
  starting_after?: string | undefined;
  open_only?: boolean | undefined;
}

export interface SwapBody {
  schedule?: string;
  swap_start?: string;
  swap_end?: string;
  description?: string | null;
  beneficiary?: string;
}

export interface OnCallWindow {
  days?: number | undefined;
}

export interface AlertGroupQuery extends PageQuery {
  id?: string | undefined;
  state?: string | undefined;
  team_id?: string | undefined;
  integration_id?: string | undefined;
  route_id?: string | undefined;
  started_at?: string | undefined;
  label?: string | string[] | undefined;
}

export interface AlertQuery extends PageQuery {
  id?: string | undefined;
  alert_group_id?: string | undefined;
  search?: string | undefined;
}

/** Direct paging (`POST /escalation`). */
export interface EscalationBody {
  title?: string | null;
  message?: string | null;
  source_url?: string | null;
  users?: Array<{ id: string; important: boolean }>;
  team?: string | null;
  important_team_escalation?: boolean;
  alert_group_id?: string | null;
}

export interface ResolutionNoteQuery extends PageQuery {
  alert_group_id?: string | undefined;
}

export interface ResolutionNoteBody {
  alert_group_id?: string;
  text?: string;
}

export interface WebhookBody {
  name?: string;
  url?: string;
  http_method?: string;
  trigger_type?: string;
  is_webhook_enabled?: boolean;
  team?: string | null;
  data?: string | null;
  username?: string | null;
  password?: string | null;
  authorization_header?: string | null;
  trigger_template?: string | null;
  headers?: string | null;
  forward_all?: boolean;
  integration_filter?: string[] | null;
}

export interface SlackChannelQuery extends PageQuery {
  channel_name?: string | undefined;
}

export interface PersonalNotificationRuleQuery extends PageQuery {
  user_id?: string | undefined;
  /** "true" or "false", as the query string carries it. */
  important?: string | undefined;
}

export interface PersonalNotificationRuleBody {
  user_id?: string;
  type?: string;
  important?: boolean;
  /** Seconds, or H:MM:SS. */
  duration?: number | string;
  position?: number;
  manual_order?: boolean;
}

export interface AlertSimulationOptions {
  payload: unknown;
  /** ISO instant the alert would arrive at (default now). */
  at?: string | undefined;
}

export interface SimulationOptions {
  /** ISO instant the alert group would start at (default now). */
  at?: string | undefined;
  /** Use everyone's important notification rules. */
  important?: boolean | undefined;
}

export interface UserQuery extends PageQuery {
  username?: string | undefined;
  email?: string | undefined;
  /** Role codes, repeatable: 0 admin, 1 editor, 2 viewer, 3 none. */
  roles?: string | string[] | undefined;
  /** "true": each user as id, grafana_id, email, username, role, is_phone_number_verified only. */
  short?: string | undefined;
}

export interface TeamQuery extends PageQuery {
  name?: string | undefined;
}

export interface UserGroupQuery extends PageQuery {
  slack_handle?: string | undefined;
}

export interface WebhookQuery extends PageQuery {
  name?: string | undefined;
  team_id?: string | undefined;
}

/**
 * What a backend that runs work of its own offers whoever hosts it (the embedded engine: its
 * escalation timer, outgoing webhooks, its data file). Hosts (the CLI, the REST facade) use only
 * this, never the engine's internals.
 */
export interface BackendLifecycle {
  /** Run the work that fell due while nothing ran, then keep running due work on a timer. */
  start(): void;
  /** Run the work that is due now, once (a one-shot command keeps no timer). */
  catchUp(): void;
  /**
   * Stop the timer, give requests in flight (webhooks) up to `graceMs` to finish, save what is
   * owed and release the data file. Resolves false when something could not be saved.
   */
  stop(graceMs: number): Promise<boolean>;
}

/**
 * Word that the backend's data changed. The embedded engine says so after every commit: a
 * request's, and the escalation runtime's own work on its timer (an alert group moving on, a
 * notification sent). It does not say what changed; readers re-read what they follow.
 */
export interface ChangeFeed {
  /** Call `listener` after each change (never inside it: it may be deferred); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** Inbound alerts (`POST /integrations/v1/<type>/<token>/`), for backends that take them. */
export interface InboundAlerts {
  /** The integration the URL names, compared in constant time over the token; undefined if none. */
  findIntegrationByToken(type: string, token: string): string | undefined;
  /**
   * Take an alert that arrived over HTTP: settles once it is stored (alerts arriving together share
   * one commit); rejects, with nothing applied, when it cannot be.
   */
  takeAlert(integrationId: string, payload: unknown): Promise<{ alertGroupId: string; created: boolean }>;
}

/** How a live connection stands (the HTTP backend's capability probe), for `doctor` and `check_access`. */
export interface AccessReport {
  ok: boolean;
  /** The first refusal, with OnCall's words, its cause and its fix. */
  problem?: string | undefined;
  apiUrl?: string | undefined;
  /** given (--api-url / ONCALL_API_URL) or discovered from the Grafana plugin settings. */
  source?: 'given' | 'discovered' | undefined;
  pluginId?: string | undefined;
  grafanaUrl?: string | undefined;
  scheme: 'raw' | 'bearer';
  tokenKind: 'service-account' | 'api-key';
  deployment: 'cloud' | 'self-hosted' | 'unknown';
  cloudEndpoints: 'present' | 'absent' | 'unknown';
  clockSkewMs?: number | undefined;
  requests: number;
  /** Tools whose fate depends on this connection (every other tool: the token's role decides). */
  tools: Array<{ tool: string; verdict: 'works' | 'computed locally' | 'refused' | 'not available'; why?: string | undefined }>;
}

/**
 * A throwaway copy of a backend's configuration to try writes on (dry runs): nothing done to it
 * reaches the organisation, pages anyone or calls a webhook. `limits` says what the copy lacks
 * (a live OnCall's schedules are copied as their final shifts, for instance).
 */
export interface Sandbox {
  backend: OnCallBackend;
  limits: string[];
}

export interface OnCallBackend {
  /** `memory` for the embedded engine, `http` for a live Grafana OnCall / Cloud IRM. */
  readonly kind: 'memory' | 'http';
  /** The embedded engine's start/stop; absent for a live OnCall (it runs elsewhere). */
  readonly lifecycle?: BackendLifecycle;
  /** The embedded engine takes inbound alerts; a live OnCall has its own endpoint. */
  readonly inbound?: InboundAlerts;
  /**
   * Changes as they happen: the embedded engine's commits. Absent for a live OnCall, which
   * publishes no change stream; readers that follow it poll instead.
   */
  readonly changes?: ChangeFeed;
  /** A live backend's capability probe (cached), with the given tools judged; absent on the engine. */
  access?(tools?: readonly string[]): Promise<AccessReport>;

  /**
   * The instant the backend answers "now" questions for (ms since the epoch): the engine's clock,
   * or for a live OnCall the present. Tools that say what "now" is, or look around it, read this,
   * never the host clock, so a virtual clock (tests, demos) is honoured end to end.
   */
  now(): number;

  /** A copy of the configuration for dry runs (see `Sandbox`); absent where none can be made. */
  sandbox?(): Promise<Sandbox>;

  escalationChains: {
    list(query: EscalationChainQuery): Promise<Page<EscalationChain>>;
    get(id: string): Promise<EscalationChain>;
    create(body: EscalationChainBody): Promise<EscalationChain>;
    update(id: string, body: EscalationChainBody, mode?: UpdateMode): Promise<EscalationChain>;
    delete(id: string): Promise<void>;
    currentOncall(id: string): Promise<ChainOnCall>;
    previousOncall(id: string, window: OnCallWindow): Promise<ChainOnCall>;
    nextOncall(id: string, window: OnCallWindow): Promise<ChainOnCall>;
    /** Who an escalation through this chain would notify, how and when; changes nothing. */
    simulate(id: string, options: SimulationOptions): Promise<Simulation>;
  };

  alertGroups: {
    list(query: AlertGroupQuery): Promise<Page<AlertGroup>>;
    get(id: string): Promise<AlertGroup>;
    /** Its history, oldest first. A live OnCall does not publish one: the HTTP backend returns []. */
    timeline(id: string): Promise<TimelineItem[]>;
    action(id: string, action: AlertGroupAction, body?: { delay?: unknown }): Promise<void>;
    delete(id: string, body?: unknown): Promise<void>;
  };

  alerts: {
    list(query: AlertQuery): Promise<Page<AlertShape>>;
  };

  /** Direct paging: pages real people. */
  escalation: {
    create(body: EscalationBody): Promise<AlertGroup>;
  };

  resolutionNotes: {
    list(query: ResolutionNoteQuery): Promise<Page<ResolutionNote>>;
    get(id: string): Promise<ResolutionNote>;
    create(body: ResolutionNoteBody): Promise<ResolutionNote>;
    update(id: string, body: ResolutionNoteBody, mode?: UpdateMode): Promise<ResolutionNote>;
    delete(id: string): Promise<void>;
  };

  /** The organisation the token belongs to. */
  organization: {
    /** `GET /info/`: the Grafana URL of the organisation. */
    info(): Promise<{ url: string }>;
    /** `GET /organizations/<any>/`: its id (the path id is ignored, as in OnCall). */
    get(): Promise<Organization>;
    slackChannels(query: SlackChannelQuery): Promise<Page<SlackChannel>>;
  };

  personalNotificationRules: {
    list(query: PersonalNotificationRuleQuery): Promise<Page<PersonalNotificationRule>>;
    get(id: string): Promise<PersonalNotificationRule>;
    create(body: PersonalNotificationRuleBody): Promise<PersonalNotificationRule>;
    update(id: string, body: PersonalNotificationRuleBody): Promise<PersonalNotificationRule>;
    delete(id: string): Promise<void>;
  };

  escalationPolicies: {
    list(query: EscalationPolicyQuery): Promise<Page<EscalationPolicy>>;
    get(id: string): Promise<EscalationPolicy>;
    create(body: EscalationPolicyBody): Promise<EscalationPolicy>;
    update(id: string, body: EscalationPolicyBody, mode?: UpdateMode): Promise<EscalationPolicy>;
    delete(id: string): Promise<void>;
    advanceRoundRobin(id: string): Promise<RoundRobinUser>;
  };

  integrations: {
    list(query: IntegrationQuery): Promise<Page<Integration>>;
    get(id: string): Promise<Integration>;
    create(body: IntegrationBody): Promise<Integration>;
    update(id: string, body: IntegrationBody, mode?: UpdateMode): Promise<Integration>;
    delete(id: string): Promise<void>;
    startMaintenance(id: string, body: MaintenanceBody): Promise<Integration>;
    stopMaintenance(id: string): Promise<Integration>;
    /**
     * Where an alert with this payload would go (route, chain, grouping) and the escalation it
     * would start, on the same routing function and runtime as a real alert; changes nothing.
     */
    simulateAlert(id: string, options: AlertSimulationOptions): Promise<AlertSimulation>;
  };

  routes: {
    list(query: RouteQuery): Promise<Page<Route>>;
    get(id: string): Promise<Route>;
    create(body: RouteBody): Promise<Route>;
    update(id: string, body: RouteBody, mode?: UpdateMode): Promise<Route>;
    delete(id: string): Promise<void>;
  };

  schedules: {
    list(query: ScheduleQuery): Promise<Page<Schedule>>;
    get(id: string): Promise<Schedule>;
    create(body: ScheduleBody): Promise<Schedule>;
    update(id: string, body: ScheduleBody, mode?: UpdateMode): Promise<Schedule>;
    delete(id: string): Promise<void>;
    finalShifts(id: string, query: FinalShiftQuery): Promise<Page<FinalShift>>;
  };

  onCallShifts: {
    list(query: ShiftQuery): Promise<Page<OnCallShift>>;
    get(id: string): Promise<OnCallShift>;
    create(body: ShiftBody): Promise<OnCallShift>;
    update(id: string, body: ShiftBody, mode?: UpdateMode): Promise<OnCallShift>;
    delete(id: string): Promise<void>;
  };

  shiftSwaps: {
    list(query: SwapQuery): Promise<Page<ShiftSwap>>;
    /**
     * One request by id. OnCall finds it among the swaps starting at or after `starting_after`
     * (default now), as for lists: a swap that has started is 404 unless an earlier instant is given.
     */
    get(id: string, query?: { starting_after?: string }): Promise<ShiftSwap>;
    create(body: SwapBody): Promise<ShiftSwap>;
    update(id: string, body: SwapBody, mode?: UpdateMode): Promise<ShiftSwap>;
    /** Withdraws the request (kept as deleted; it changes nobody's shifts). */
    delete(id: string): Promise<void>;
    take(id: string, body: { benefactor?: string }): Promise<ShiftSwap>;
  };

  users: {
    list(query: UserQuery): Promise<Page<User>>;
    get(id: string): Promise<User>;
    /** The user the API token belongs to. */
    current(): Promise<User>;
  };

  teams: {
    list(query: TeamQuery): Promise<Page<Team>>;
    get(id: string): Promise<Team>;
  };

  userGroups: {
    list(query: UserGroupQuery): Promise<Page<UserGroup>>;
  };

  webhooks: {
    list(query: WebhookQuery): Promise<Page<Webhook>>;
    get(id: string): Promise<Webhook>;
    create(body: WebhookBody): Promise<Webhook>;
    update(id: string, body: WebhookBody, mode?: UpdateMode): Promise<Webhook>;
    /** Steps that triggered it stay, triggering nothing. */
    delete(id: string): Promise<void>;
    /** What it sent and got back, newest first. */
    responses(id: string, query: PageQuery): Promise<Page<WebhookResponse>>;
  };
}
