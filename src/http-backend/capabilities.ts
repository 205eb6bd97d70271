/**
 * What this connection can do, found out once and kept: where OnCall is and how it was found, the
 * token's kind and the header form, Cloud IRM or self-hosted OnCall (whether the Cloud-only
 * on-call endpoints answer), the server's clock. `doctor` and `check_access` print it; the tool
 * table says which tools work with this token, which are answered locally, and which cannot work.
 *
 * The probe costs at most three requests: the plugin settings (discovery, when there is no API
 * URL), the first page of escalation chains, and one chain's current_oncall.
 */
import { ApiError, describeErrorBody } from '../api/errors.js';
import type { HttpBackend } from './backend.js';
import type { ConnectionFacts } from './client.js';
import type { PluginId } from './discovery.js';

export type Deployment = 'cloud' | 'self-hosted' | 'unknown';

export interface Capabilities {
  ok: boolean;
  /** Why not, when not ok: the first refusal, with its cause and fix. */
  problem?: string | undefined;
  apiUrl?: string | undefined;
  source?: 'given' | 'discovered' | undefined;
  pluginId?: PluginId | undefined;
  grafanaUrl?: string | undefined;
  scheme: 'raw' | 'bearer';
  tokenKind: 'service-account' | 'api-key';
  deployment: Deployment;
  /** current/previous/next_oncall upstream: present (Cloud), absent (self-hosted: computed here), or unknown. */
  cloudEndpoints: 'present' | 'absent' | 'unknown';
  /** OnCall's clock minus ours, from its Date header (ms; Date has 1 s resolution). */
  clockSkewMs?: number | undefined;
  /** Requests the probe made. */
  requests: number;
}

export type Verdict = 'works' | 'computed locally' | 'refused' | 'not available';

export interface ToolVerdict {
  tool: string;
  verdict: Verdict;
  why?: string;
}

const SA_ACTIONS = 'OnCall refuses alert-group actions from service accounts; use an OnCall API key';
const SA_PAGING = 'direct paging takes an OnCall API key only';

/**
 * The tools whose fate depends on the connection. Every other tool is plain reads and writes of
 * configuration, which work for any token whose role allows them (OnCall's RBAC is not probed).
 */
export function toolVerdicts(caps: Capabilities, tools?: readonly string[]): ToolVerdict[] {
  const sa = caps.tokenKind === 'service-account';
  const absent = caps.cloudEndpoints === 'absent';
  const special: Record<string, Omit<ToolVerdict, 'tool'>> = {
    update_alert_group: sa
      ? { verdict: 'refused', why: `acknowledge/resolve/silence: ${SA_ACTIONS}` }
      : { verdict: 'works' },
    create_escalation: sa ? { verdict: 'refused', why: SA_PAGING } : { verdict: 'works' },
    simulate_escalation: {
      verdict: 'computed locally',
      why: sa
        ? 'a simulation of the live configuration; without personal notification rules (API keys only)'
        : 'a simulation of the live configuration, with the personal notification rules OnCall shows',
    },
    advance_round_robin: absent
      ? { verdict: 'not available', why: 'a Cloud IRM endpoint; self-hosted OnCall has none' }
      : { verdict: 'works' },
    get_alert_group: { verdict: 'works', why: 'without a timeline: OnCall does not publish alert-group logs' },
  };
  // grafana/oncall engine/apps/public_api/views/personal_notifications.py authenticates API keys
  // only: a service-account token is "Invalid token." there. (These tools arrive with main's
  // personal notification rules; doctor lists only the tools the server registers.)
  for (const name of ['list', 'create', 'update', 'delete'].map((verb) => `${verb}_personal_notification_rule${verb === 'list' ? 's' : ''}`)) {
    if (sa) special[name] = { verdict: 'refused', why: 'personal notification rules take an OnCall API key only' };
  }
  for (const name of ['current_oncall', 'previous_oncall', 'next_oncall']) {
    special[name] = absent
      ? { verdict: 'computed locally', why: 'from the chain, its steps and final shifts (self-hosted OnCall has no endpoint)' }
      : { verdict: 'works' };
  }
  return (tools ?? Object.keys(special)).map((tool) => ({ tool, ...(special[tool] ?? { verdict: 'works' as const }) }));
}

export async function probeCapabilities(backend: HttpBackend): Promise<Capabilities> {
  const client = backend.client;
  const before = client.requestCount;
  const known = client.staticFacts();
  const base: Capabilities = {
    ok: false,
    apiUrl: known.apiUrl,
    grafanaUrl: known.grafanaUrl,
    scheme: known.scheme,
    tokenKind: known.tokenKind,
    deployment: 'unknown',
    cloudEndpoints: backend.cloudEndpoints ?? 'unknown',
    requests: 0,
  };
  const fail = (err: unknown): Capabilities => ({
    ...base,
    problem: err instanceof ApiError ? describeErrorBody(err.body).join('; ') : String(err),
    requests: client.requestCount - before,
  });
  let facts: ConnectionFacts;
  try {
    facts = await client.facts();
  } catch (err) {
    return fail(err);
  }
  Object.assign(base, { apiUrl: facts.apiUrl, source: facts.source, pluginId: facts.pluginId });
  let chainId: string | undefined;
  try {
    const page = await backend.escalationChains.list({ page: 1 } as never);
    chainId = page.results[0]?.id;
  } catch (err) {
    return fail(err);
  }
  if (chainId && backend.cloudEndpoints === undefined) {
    // The endpoint itself, not the tool: on self-hosted OnCall the tool would compute the answer.
    try {
      await client.request('GET', `escalation_chains/${chainId}/current_oncall/`);
      backend.cloudEndpoints = 'present';
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) backend.cloudEndpoints = 'absent'; // the chain exists
    }
  }
  const after = await client.facts();
  const cloudEndpoints = backend.cloudEndpoints ?? 'unknown';
  return {
    ...base,
    ok: true,
    cloudEndpoints,
    // The endpoints decide; without a chain to ask about, Cloud IRM's host names are the hint.
    deployment: cloudEndpoints === 'present'
      ? 'cloud'
      : cloudEndpoints === 'absent'
        ? 'self-hosted'
        : /\.grafana\.net$/.test(new URL(facts.apiUrl).hostname) ? 'cloud' : 'unknown',
    // Date is truncated to the second: the middle of that second is the best estimate of OnCall's time.
    clockSkewMs: after.lastServerDate ? after.lastServerDate.server + 500 - after.lastServerDate.local : undefined,
    requests: client.requestCount - before,
  };
}
