/**
 * Finding the OnCall API from a Grafana URL, the way Grafana's own clients do: the OnCall app
 * plugin keeps its engine URL in `jsonData.onCallApiUrl` of its settings
 * (`GET {grafana}/api/plugins/<plugin id>/settings`; grafana/mcp-grafana tools/oncall.go,
 * grafana/amixr-api-go-client client.go). Cloud stacks run the IRM app (`grafana-irm-app`);
 * self-hosted installs may still run the OnCall app (`grafana-oncall-app`), so both are tried in
 * that order. The token goes to Grafana as `Bearer`, which is how Grafana's HTTP API takes a
 * service-account token (amixr's fetchOnCallURLFromPlugin does the same).
 */
import { request } from 'undici';
import { ApiError } from '../api/errors.js';

export const PLUGIN_IDS = ['grafana-irm-app', 'grafana-oncall-app'] as const;
export type PluginId = (typeof PLUGIN_IDS)[number];

export interface Discovered {
  apiUrl: string;
  pluginId: PluginId;
  /** Grafana's Date header (ms), for the clock-skew check; undefined when it sent none. */
  serverDate?: number | undefined;
}

export interface DiscoveryOptions {
  grafanaUrl: string;
  token: string;
  timeoutMs?: number;
}

/** Grafana's plugin settings are a few kilobytes; anything far larger is not Grafana's answer. */
const MAX_SETTINGS_BYTES = 1024 * 1024;

export async function discoverOnCallApi(options: DiscoveryOptions): Promise<Discovered> {
  const grafana = options.grafanaUrl.replace(/\/+$/, '');
  const timeout = options.timeoutMs ?? 15_000;
  const outcomes: string[] = [];
  for (const pluginId of PLUGIN_IDS) {
    const where = `${grafana}/api/plugins/${pluginId}/settings`;
    let status: number;
    let text: string;
    let date: string | string[] | undefined;
    try {
      const res = await request(where, {
        method: 'GET',
        headers: { 'authorization': `Bearer ${options.token}`, 'accept': 'application/json', 'user-agent': 'oncall-mcp' },
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = res.statusCode;
      date = res.headers.date;
      text = await readCapped(res.body);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'network error';
      throw new ApiError(502, {
        detail: `Could not reach Grafana at ${safeUrl(grafana)} (${code}) to discover the OnCall API URL. `
          + 'Fix: check --grafana-url (GRAFANA_URL), or give the OnCall API URL itself with --api-url (ONCALL_API_URL).',
      });
    }
    if (status === 401 || status === 403) {
      throw new ApiError(403, {
        detail: `Grafana at ${safeUrl(grafana)} refused the token (HTTP ${status}) when asked for the ${pluginId} plugin `
          + 'settings. Cause: discovery needs a Grafana service-account token (glsa_…) of this stack with access to the '
          + 'plugin (plugins.app:access); an OnCall API key is not a Grafana credential. Fix: use a service-account '
          + 'token of this stack, or give the OnCall API URL with --api-url (ONCALL_API_URL).',
      });
    }
    if (status === 404) {
      outcomes.push(`${pluginId}: not installed`);
      continue;
    }
    if (status !== 200) {
      outcomes.push(`${pluginId}: HTTP ${status}`);
      continue;
    }
    const apiUrl = onCallApiUrl(text);
    if (!apiUrl) {
      outcomes.push(`${pluginId}: installed, but its settings have no jsonData.onCallApiUrl`);
      continue;
    }
    const parsedDate = typeof date === 'string' ? Date.parse(date) : Number.NaN;
    return { apiUrl, pluginId, serverDate: Number.isNaN(parsedDate) ? undefined : parsedDate };
  }
  throw new ApiError(404, {
    detail: `Grafana at ${safeUrl(grafana)} has no OnCall plugin to discover the API URL from (${outcomes.join('; ')}). `
      + 'Fix: check --grafana-url (GRAFANA_URL) names the stack that runs IRM/OnCall, or give the OnCall API URL '
      + 'with --api-url (ONCALL_API_URL).',
  });
}

function onCallApiUrl(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { jsonData?: { onCallApiUrl?: unknown } };
    const value = parsed?.jsonData?.onCallApiUrl;
    if (typeof value !== 'string' || !value) return undefined;
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return value.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** A URL for messages: any user:password inside it masked. */
export function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = url.username ? '****' : '';
      url.password = url.password ? '****' : '';
    }
    return url.toString().replace(/\/$/, '');
  } catch {
    return '[an unparsable URL]';
  }
}

async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(): unknown }): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_SETTINGS_BYTES) {
      body.destroy();
      return '';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
