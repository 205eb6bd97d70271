/**
 * Configuration of the HTTP backend from flags and environment. The token comes only from
 * `ONCALL_API_TOKEN` or a file (`--token-file`), never from a flag value, and is never printed.
 */
import { readFileSync } from 'node:fs';
import type { AuthScheme } from '../http-backend/client.js';
import { UsageError } from './options.js';

export interface HttpBackendConfig {
  /** Absent: discovered from grafanaUrl's plugin settings on first use. */
  baseUrl?: string;
  token: string;
  authScheme?: AuthScheme;
  grafanaUrl?: string;
}

/** A URL for log lines: credentials inside it (`https://user:secret@host`) are masked. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (!url.username && !url.password) return raw;
    url.username = url.username ? '****' : '';
    url.password = url.password ? '****' : '';
    return url.toString().replace(/\/$/, raw.endsWith('/') ? '/' : '');
  } catch {
    return '[an unparsable URL]';
  }
}

export function readSecretFile(flag: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const value = text.trim();
  if (!value) throw new UsageError(`${flag} ${file}: the file is empty`);
  return value;
}

function checkUrl(flag: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UsageError(`${flag}: "${redactUrl(value)}" is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

export function httpBackendConfig(
  flags: {
    apiUrl?: string | undefined;
    grafanaUrl?: string | undefined;
    tokenFile?: string | undefined;
    authScheme?: string | undefined;
  },
  env: NodeJS.ProcessEnv,
): HttpBackendConfig {
  const rawApi = flags.apiUrl ?? env.ONCALL_API_URL;
  const rawGrafana = flags.grafanaUrl ?? env.GRAFANA_URL;
  if (!rawApi && !rawGrafana) {
    throw new UsageError(
      '--backend http needs where OnCall is: --grafana-url (GRAFANA_URL), e.g. https://your-stack.grafana.net, to '
      + 'discover it, or the OnCall API URL itself: --api-url (ONCALL_API_URL)',
    );
  }
  const baseUrl = rawApi ? checkUrl('--api-url (ONCALL_API_URL)', rawApi) : undefined;
  const grafanaUrl = rawGrafana ? checkUrl('--grafana-url (GRAFANA_URL)', rawGrafana) : undefined;
  // GRAFANA_SERVICE_ACCOUNT_TOKEN is the name grafana/mcp-grafana reads: the same token works here.
  const token = flags.tokenFile
    ? readSecretFile('--token-file', flags.tokenFile)
    : (env.ONCALL_API_TOKEN?.trim() || env.GRAFANA_SERVICE_ACCOUNT_TOKEN?.trim());
  if (!token) {
    throw new UsageError(
      '--backend http needs a token: set ONCALL_API_TOKEN (an OnCall API key or a Grafana service-account token, '
      + 'glsa_…), or put it in a file and pass --token-file FILE',
    );
  }
  if (!baseUrl && !token.startsWith('glsa_')) {
    throw new UsageError(
      '--grafana-url without --api-url discovers OnCall through Grafana, which needs a Grafana service-account token '
      + '(glsa_…); an OnCall API key is not one. Fix: use a service-account token, or also give --api-url (ONCALL_API_URL)',
    );
  }
  const scheme = flags.authScheme ?? env.ONCALL_MCP_AUTH_SCHEME;
  if (scheme !== undefined && scheme !== 'raw' && scheme !== 'bearer') {
    throw new UsageError(`--auth-scheme (ONCALL_MCP_AUTH_SCHEME) must be raw or bearer, not "${scheme}"`);
  }
  return {
    ...(baseUrl ? { baseUrl } : {}),
    token,
    ...(scheme ? { authScheme: scheme } : {}),
    ...(grafanaUrl ? { grafanaUrl } : {}),
  };
}
