/**
 * The engine's state: plain maps keyed by public id. Map insertion order is creation order,
 * which is the order OnCall lists most resources in. Records hold what the engine needs (secrets,
 * round-robin pointers, phone numbers); the API shapes are derived from them on the way out.
 */
import type { PolicyType, Team, User, UserGroup, Webhook } from '../api/types.js';

export type PhoneNumberStatus = 'available' | 'private' | 'not_configured';

export interface UserRecord extends User {
  /** The verified number, kept even when private; only shown when status is `available`. */
  phone_number: string | null;
  phone_number_status: PhoneNumberStatus;
}

export type TeamRecord = Team;

export interface UserGroupRecord extends UserGroup {
  /** Members, when known (Slack resolves them in OnCall); used by escalation and on-call queries. */
  members: string[];
}

/** Stored with real secrets; the API shape masks them. */
export type WebhookRecord = Webhook;

/** Schedules as far as the foundation needs them: something a policy can point at. */
export interface ScheduleRecord {
  id: string;
  name: string;
  team_id: string | null;
  type: 'web' | 'calendar' | 'ical';
  time_zone: string | null;
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

export interface OrganizationRecord {
  /** The org's Slack workspace id, or null when Slack is not connected. */
  slack_team_id: string | null;
  /** Grafana Incident enabled: makes `declare_incident` available (Cloud). */
  grafana_incident_enabled: boolean;
  /** Base URL of the Grafana instance, for permalinks. */
  grafana_url: string;
}

export interface State {
  organization: OrganizationRecord;
  users: Map<string, UserRecord>;
  teams: Map<string, TeamRecord>;
  userGroups: Map<string, UserGroupRecord>;
  webhooks: Map<string, WebhookRecord>;
  schedules: Map<string, ScheduleRecord>;
  chains: Map<string, ChainRecord>;
  policies: Map<string, PolicyRecord>;
}

export function emptyState(): State {
  return {
    organization: {
      slack_team_id: null,
      grafana_incident_enabled: false,
      grafana_url: 'http://localhost:3000',
    },
    users: new Map(),
    teams: new Map(),
    userGroups: new Map(),
    webhooks: new Map(),
    schedules: new Map(),
    chains: new Map(),
    policies: new Map(),
  };
}

/** Every id map, for collision checks when generating ids. */
export function idMaps(state: State): ReadonlyArray<Map<string, unknown>> {
  return [
    state.users,
    state.teams,
    state.userGroups,
    state.webhooks,
    state.schedules,
    state.chains,
    state.policies,
  ];
}
