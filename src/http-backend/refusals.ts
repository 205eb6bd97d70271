/**
 * OnCall's known refusals, each turned into its cause and its fix. The texts matched are OnCall's
 * own (grafana/oncall engine/apps/auth_token/auth.py, engine/apps/public_api/views/alert_groups.py);
 * the status and OnCall's words are kept, the explanation is added after them. Nothing here may
 * quote the token: only its kind and the header form are named.
 */
import type { ApiErrorBody } from '../api/errors.js';

export interface RequestFacts {
  method: string;
  /** The API path after /api/v1/, without the query. */
  path: string;
  scheme: 'raw' | 'bearer';
  tokenKind: 'service-account' | 'api-key';
  grafanaUrl: string | undefined;
}

export const SYNCING = 'Organization being synced, please retry.';

/** Endpoints OnCall serves to API keys only (their views list ApiTokenAuthentication alone). */
const API_KEY_ONLY = /^(escalation|personal_notification_rules|info|make_call|send_sms|actions)(\/|$)/;

function detailOf(body: ApiErrorBody): string | undefined {
  if (typeof body === 'string') return body;
  return typeof body.detail === 'string' ? body.detail : undefined;
}

/** The body with the explanation added, or undefined when the refusal is not a known one. */
export function explainRefusal(status: number, body: ApiErrorBody, facts: RequestFacts): ApiErrorBody | undefined {
  const detail = detailOf(body);
  if (detail === undefined) return undefined;
  const why = explanation(status, detail, facts);
  return why ? { detail: `${detail} ${why}` } : undefined;
}

function explanation(status: number, detail: string, f: RequestFacts): string | undefined {
  const sa = f.tokenKind === 'service-account';
  if (status === 403 && detail === 'Invalid token.') {
    if (f.scheme === 'bearer') {
      return 'Cause: the token was sent as "Authorization: Bearer …"; OnCall compares the whole header, so it '
        + `recognises ${sa ? 'a glsa_ service-account token' : 'an API key'} only when sent raw. `
        + 'Fix: drop --auth-scheme bearer (ONCALL_MCP_AUTH_SCHEME); the default sends the token raw.';
    }
    if (sa && API_KEY_ONLY.test(f.path)) {
      return `Cause: ${f.method} /api/v1/${f.path} accepts only an OnCall API key (a user's token): a service account `
        + 'cannot page or act as a person. Fix: use an OnCall API key (OnCall → Settings → API tokens) for this.';
    }
    if (sa) {
      return 'Cause: OnCall does not know this service-account token for the organisation X-Grafana-URL names '
        + `(${f.grafanaUrl ?? 'none sent'}): revoked, of another stack, or mistyped. Fix: check ONCALL_API_TOKEN / `
        + '--token-file and that --grafana-url (GRAFANA_URL) is the stack the token belongs to.';
    }
    return 'Cause: OnCall knows no API key like this one (revoked, of another instance, or mistyped). Fix: check '
      + 'ONCALL_API_TOKEN / --token-file, or use a Grafana service-account token (glsa_…) with --grafana-url.';
  }
  if (status === 403 && detail === 'Missing X-Grafana-Instance-ID') {
    return 'Cause: a service-account token was sent without X-Grafana-URL, and Cloud IRM then needs the stack\'s '
      + 'instance id. Fix: set --grafana-url (GRAFANA_URL) to the stack URL, e.g. https://your-stack.grafana.net.';
  }
  if (status === 403 && detail === 'Organization not found.') {
    return 'Cause: OnCall has no organisation for the Grafana this token came with. Fix: set --grafana-url '
      + '(GRAFANA_URL) to the exact URL of the stack the token belongs to.';
  }
  if (status === 403 && detail.startsWith('Service accounts are not allowed to')) {
    return 'Cause: OnCall refuses alert-group actions (acknowledge, resolve, silence and their undo) from a '
      + 'service account, because they are done by a person. Fix: use an OnCall API key (a user\'s token) for this '
      + 'server, or act in the OnCall UI.';
  }
  if (status === 429 && detail === SYNCING) {
    return `Cause: OnCall is still creating the organisation for ${f.grafanaUrl ?? 'this Grafana'} (the first request `
      + 'from a Grafana URL starts that; a URL that is not exactly the stack\'s never completes). Fix: wait a minute '
      + 'and retry; if it persists, check --grafana-url (GRAFANA_URL) is the stack URL exactly as Grafana shows it.'
      + (f.method === 'GET' ? '' : ' Writes are not retried automatically.');
  }
  return undefined;
}

/**
 * The refusal OnCall would send a service account for this request, given before it is sent: the
 * rule is OnCall's (alert-group actions: views/alert_groups.py; direct paging: views/escalation.py
 * takes API keys only), and not sending spares a request that can only fail.
 */
export function serviceAccountRefusal(facts: RequestFacts, action?: string): ApiErrorBody {
  const detail = action ? `Service accounts are not allowed to ${action} alert groups` : 'Invalid token.';
  return {
    detail: `${detail} ${explanation(403, detail, facts) ?? ''} (oncall-mcp did not send the request: OnCall refuses `
      + 'it for every service-account token.)',
  };
}
