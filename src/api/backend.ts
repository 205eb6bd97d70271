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
  EscalationChain,
  EscalationPolicy,
  PolicyType,
  RoundRobinUser,
  Team,
  User,
  UserGroup,
  Webhook,
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

export interface UserQuery extends PageQuery {
  username?: string | undefined;
  email?: string | undefined;
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

export interface OnCallBackend {
  /** `memory` for the embedded engine, `http` for a live Grafana OnCall / Cloud IRM. */
  readonly kind: 'memory' | 'http';

  escalationChains: {
    list(query: EscalationChainQuery): Promise<Page<EscalationChain>>;
    get(id: string): Promise<EscalationChain>;
    create(body: EscalationChainBody): Promise<EscalationChain>;
    update(id: string, body: EscalationChainBody, mode?: UpdateMode): Promise<EscalationChain>;
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

  users: {
    list(query: UserQuery): Promise<Page<User>>;
    get(id: string): Promise<User>;
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
  };
}
