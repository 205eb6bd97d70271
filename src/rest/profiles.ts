/**
 * Test profiles of the REST facade: answer the way Grafana Cloud IRM or a self-hosted Grafana
 * OnCall answers, so the HTTP backend can be tested against the refusals real users meet. Without
 * a profile the facade stays lenient (either header form, no Grafana headers), as before.
 *
 * Every rule below was read in OnCall's source (grafana/oncall at 3666186, January 2026) or in the
 * clients Grafana ships; each says where. Cloud IRM runs the same engine code as the open-source
 * release with the Cloud licence setting, so the rules differ only where the code branches on it.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { ALERT_GROUP_ACTIONS } from '../api/types.js';

export const REST_PROFILES = ['cloud', 'self-hosted'] as const;
export type RestProfile = (typeof REST_PROFILES)[number];

export interface ProfileOptions {
  profile: RestProfile;
  /** A Grafana service-account token (`glsa_…`) the organisation accepts. */
  serviceAccountToken?: string;
  /** The Grafana URL the organisation is registered under (what X-Grafana-URL must name). */
  grafanaUrl?: string;
  /** Cloud: the stack id X-Grafana-Instance-ID may name instead of X-Grafana-URL. */
  instanceId?: string;
  /**
   * How many service-account requests are answered "Organization being synced" before the
   * organisation is found (a first contact from a new Grafana URL). Default 0.
   */
  syncingRequests?: number;
}

/** A refusal: status and body, exactly as OnCall sends them. */
export interface Refusal {
  status: 403 | 404 | 429;
  body: { detail: string };
}

/** Who a request authenticated as. */
export type Caller = { kind: 'api-key' } | { kind: 'service-account' };

const digest = (value: string) => createHash('sha256').update(value).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * grafana/oncall engine/apps/auth_token/models/service_account_token.py: GRAFANA_SA_PREFIX.
 * engine/apps/auth_token/auth.py, GrafanaServiceAccountAuthentication.authenticate: the check is
 * `auth.startswith("glsa_")` on the whole header, so `Bearer glsa_…` is not a service-account
 * token; it falls through to ApiTokenAuthentication, which fails it with "Invalid token.".
 */
export const SERVICE_ACCOUNT_PREFIX = 'glsa_';

const INVALID: Refusal = { status: 403, body: { detail: 'Invalid token.' } };

/**
 * Views whose `authentication_classes` is `(ApiTokenAuthentication,)` only
 * (grafana/oncall engine/apps/public_api/views/escalation.py, personal_notifications.py, info.py,
 * phone_notifications.py, action.py): a service-account token there is "Invalid token.".
 */
const API_KEY_ONLY = /^\/api\/v1\/(escalation|personal_notification_rules|info|make_call|send_sms|actions)(\/|$)/;

/**
 * grafana/oncall engine/apps/public_api/views/alert_groups.py: each state action raises
 * Forbidden("Service accounts are not allowed to <action> alert groups") before it looks the
 * alert group up.
 */
const ACTION_PATH = new RegExp(`^/api/v1/alert_groups/[^/]+/(${ALERT_GROUP_ACTIONS.join('|')})/?$`);

/**
 * Endpoints the open-source public API does not have: grafana/oncall
 * engine/apps/public_api/views/escalation_chains.py and escalation_policies.py define no
 * current_oncall / previous_oncall / next_oncall / advance_round_robin actions (Cloud IRM
 * documents them), so self-hosted OnCall routes them to its 404.
 */
const CLOUD_ONLY = new RegExp(
  '^/api/v1/(escalation_chains/[^/]+/(current_oncall|previous_oncall|next_oncall)'
  + '|escalation_policies/[^/]+/advance_round_robin)/?$',
);

/** This project's own extensions (alert-group timeline, simulation): no live OnCall has them. */
const EXTENSIONS = new RegExp(
  '^/api/v1/(alert_groups/[^/]+/oncall_mcp_timeline|escalation_chains/[^/]+/oncall_mcp_simulate'
  + '|integrations/[^/]+/oncall_mcp_simulate_alert)/?$',
);

export const NOT_FOUND: Refusal = { status: 404, body: { detail: 'Not found.' } };

export class ProfileRules {
  private syncing: number;

  /** `options` is read on every request (a test may learn the Grafana URL after the start). */
  constructor(
    private readonly options: ProfileOptions,
    private readonly apiToken: string,
  ) {
    this.syncing = options.syncingRequests ?? 0;
  }

  /** A path this profile does not serve at all (checked after authentication, as Django routes). */
  absent(path: string): boolean {
    if (EXTENSIONS.test(path)) return true;
    return this.options.profile === 'self-hosted' && CLOUD_ONLY.test(path);
  }

  /**
   * Authenticate as OnCall's public API does, in its order: GrafanaServiceAccountAuthentication
   * first, then ApiTokenAuthentication (grafana/oncall engine/apps/auth_token/auth.py).
   */
  authenticate(path: string, method: string, header: (name: string) => string | undefined): Caller | Refusal {
    const auth = header('authorization') ?? '';
    // GrafanaServiceAccountAuthentication: an empty header is "Invalid token." right away.
    if (!auth) return INVALID;
    if (auth.startsWith(SERVICE_ACCOUNT_PREFIX) && !API_KEY_ONLY.test(path)) {
      const refused = this.serviceAccount(auth, header);
      if (refused) return refused;
      if (method === 'POST' && ACTION_PATH.test(path)) {
        const action = ACTION_PATH.exec(path)![1];
        return { status: 403, body: { detail: `Service accounts are not allowed to ${action} alert groups` } };
      }
      return { kind: 'service-account' };
    }
    // ApiTokenAuthentication: the header is the raw key; nothing strips a `Bearer ` prefix
    // (ApiAuthToken.validate_token_string receives the whole header).
    return same(auth, this.apiToken) ? { kind: 'api-key' } : INVALID;
  }

  /** GrafanaServiceAccountAuthentication.get_organization, then ServiceAccountToken.validate_token. */
  private serviceAccount(auth: string, header: (name: string) => string | undefined): Refusal | undefined {
    const url = header('x-grafana-url');
    if (url) {
      // validate_url(), then `url.rstrip("/")` and a lookup by Organization.grafana_url. An
      // unknown URL triggers setup_organization() and, while no organisation exists for it,
      // `exceptions.Throttled(detail="Organization being synced, please retry.")`: a 429 without
      // a wait, so DRF adds no Retry-After.
      const known = this.options.grafanaUrl?.replace(/\/+$/, '');
      if (url.replace(/\/+$/, '') !== known || this.syncing > 0) {
        if (this.syncing > 0) this.syncing--;
        return { status: 429, body: { detail: 'Organization being synced, please retry.' } };
      }
    } else if (this.options.profile === 'cloud') {
      // settings.LICENSE == CLOUD_LICENSE_NAME: the stack id from X-Grafana-Instance-ID, or
      // AuthenticationFailed(f"Missing {X_GRAFANA_INSTANCE_ID}") (a 403: no auth challenge).
      const instance = header('x-grafana-instance-id');
      if (!instance) return { status: 403, body: { detail: 'Missing X-Grafana-Instance-ID' } };
      if (instance !== this.options.instanceId) return { status: 403, body: { detail: 'Organization not found.' } };
    }
    // Self-hosted without X-Grafana-URL: the one organisation from SELF_HOSTED_SETTINGS slugs.
    const expected = this.options.serviceAccountToken;
    if (!expected || !same(auth, expected)) return INVALID;
    return undefined;
  }
}

export function isRefusal(value: Caller | Refusal): value is Refusal {
  return 'status' in value;
}
