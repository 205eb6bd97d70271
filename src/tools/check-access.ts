/**
 * `check_access`: the first thing to run against a live OnCall. Where it is and how it was found,
 * how the token is sent and what kind it is, Cloud IRM or self-hosted, the clock, and which tools
 * cannot work (or are answered locally) with this connection, each with the reason and the fix.
 */
import * as z from 'zod';
import type { AccessReport } from '../api/backend.js';
import { defineTool, READ_ONLY } from './define.js';

const Verdict = z.object({
  tool: z.string(),
  verdict: z.enum(['works', 'computed locally', 'refused', 'not available']),
  why: z.string().optional(),
});

const CheckAccess = z.object({
  backend: z.enum(['embedded engine', 'live OnCall']),
  ok: z.boolean(),
  problem: z.string().optional().describe('The first refusal: OnCall\'s words, the cause and the fix.'),
  api_url: z.string().optional(),
  source: z.enum(['given', 'discovered']).optional().describe('given: --api-url / ONCALL_API_URL; discovered: from Grafana'),
  plugin_id: z.string().optional().describe('The Grafana app the API URL was discovered from: grafana-irm-app or grafana-oncall-app.'),
  grafana_url: z.string().optional(),
  auth: z.string().optional().describe('How the token is sent, e.g. "raw Authorization header + X-Grafana-URL".'),
  token_kind: z.enum(['service-account', 'api-key']).optional(),
  deployment: z.enum(['cloud', 'self-hosted', 'unknown']).optional(),
  clock_skew_seconds: z.number().optional().describe('OnCall\'s clock minus this server\'s, from its Date header.'),
  tools: z.array(Verdict).describe('Tools whose fate depends on this connection; every other tool: the token\'s role decides.'),
});
type CheckAccess = z.infer<typeof CheckAccess>;

export function accessResult(report: AccessReport): CheckAccess {
  const out: CheckAccess = {
    backend: 'live OnCall',
    ok: report.ok,
    auth: `${report.scheme === 'raw' ? 'raw' : 'Bearer'} Authorization header${report.grafanaUrl ? ' + X-Grafana-URL' : ''}`,
    token_kind: report.tokenKind,
    deployment: report.deployment,
    tools: report.tools.map((t) => ({ tool: t.tool, verdict: t.verdict, ...(t.why ? { why: t.why } : {}) })),
  };
  if (report.problem) out.problem = report.problem;
  if (report.apiUrl) out.api_url = report.apiUrl;
  if (report.source) out.source = report.source;
  if (report.pluginId) out.plugin_id = report.pluginId;
  if (report.grafanaUrl) out.grafana_url = report.grafanaUrl;
  if (report.clockSkewMs !== undefined) out.clock_skew_seconds = Math.round(report.clockSkewMs / 1000);
  return out;
}

const KIND = { 'service-account': 'Grafana service account (glsa_…)', 'api-key': 'OnCall API key' } as const;
const DEPLOYMENT = {
  'cloud': 'Grafana Cloud IRM (its current_oncall endpoint answers)',
  'self-hosted': 'self-hosted OnCall (no current_oncall endpoint)',
  'unknown': 'unknown (no escalation chain to ask about)',
} as const;

/** The report as lines (check_access's text and `oncall-mcp doctor`). */
export function formatAccess(out: CheckAccess): string {
  if (out.backend === 'embedded engine') return 'The embedded engine: every tool works; there is no connection to check.';
  const rows: Array<[string, string | undefined]> = [
    ['Grafana URL', out.grafana_url ?? '(none: X-Grafana-URL is not sent)'],
    ['discovery', out.source === 'discovered'
      ? `${out.plugin_id} plugin settings → jsonData.onCallApiUrl`
      : out.source === 'given' ? 'not needed: --api-url / ONCALL_API_URL given' : undefined],
    ['OnCall API URL', out.api_url],
    ['auth', out.auth],
    ['token kind', out.token_kind ? KIND[out.token_kind] : undefined],
    ['deployment', out.ok && out.deployment ? DEPLOYMENT[out.deployment] : undefined],
    ['clock skew', out.clock_skew_seconds === undefined ? undefined : `${out.clock_skew_seconds} s (from OnCall's Date header)`],
    ['connection', out.ok ? 'ok' : `FAILED: ${out.problem ?? 'unknown'}`],
  ];
  const lines = rows.filter((r): r is [string, string] => r[1] !== undefined).map(([k, v]) => `${k.padEnd(15)} ${v}`);
  if (out.ok) {
    lines.push('', 'Tools that depend on this connection (all others: the token\'s role decides):');
    const width = Math.max(22, ...out.tools.map((t) => t.tool.length));
    for (const t of out.tools) lines.push(`  ${t.tool.padEnd(width)} ${t.verdict.padEnd(17)} ${t.why ?? ''}`.trimEnd());
  }
  return lines.join('\n');
}

export const checkAccess = defineTool({
  name: 'check_access',
  toolset: 'directory',
  title: 'Check the connection to OnCall and what this token can do',
  description:
    'Run first on a live OnCall / Cloud IRM: the API URL and how it was found, token form and kind, Cloud or '
    + 'self-hosted, clock skew, and which tools fail or are computed locally, with the fix.',
  input: z.object({}),
  output: CheckAccess,
  annotations: READ_ONLY,
  async run(_args, { backend }) {
    if (!backend.access) return { backend: 'embedded engine' as const, ok: true, tools: [] };
    return accessResult(await backend.access());
  },
  text: (out) => formatAccess(out),
});
