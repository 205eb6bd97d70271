/**
 * Configuration of the HTTP backend from flags and environment. The token comes only from
 * `ONCALL_API_TOKEN` or a file (`--token-file`), never from a flag value, and is never printed.
 */
import { readFileSync } from 'node:fs';
import type { AuthScheme } from '../http-backend/client.js';
import { UsageError } from './options.js';

export interface HttpBackendConfig {
  baseUrl: string;
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

export function httpBackendConfig(
  flags: { apiUrl?: string | undefined; tokenFile?: string | undefined; authScheme?: string | undefined },
  env: NodeJS.ProcessEnv,
): HttpBackendConfig {
  const baseUrl = flags.apiUrl ?? env.ONCALL_API_URL;
  if (!baseUrl) {
    throw new UsageError('--backend http needs the OnCall API URL: --api-url or ONCALL_API_URL, e.g. https://oncall-prod-us-central-0.grafana.net/oncall');
  }
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UsageError(`--api-url (ONCALL_API_URL): "${redactUrl(baseUrl)}" is not an http(s) URL`);
  }
  const token = flags.tokenFile ? readSecretFile('--token-file', flags.tokenFile) : env.ONCALL_API_TOKEN?.trim();
  if (!token) {
    throw new UsageError('--backend http needs an API token: set ONCALL_API_TOKEN, or put it in a file and pass --token-file FILE');
  }
  const scheme = flags.authScheme ?? env.ONCALL_MCP_AUTH_SCHEME;
  if (scheme !== undefined && scheme !== 'raw' && scheme !== 'bearer') {
    throw new UsageError(`--auth-scheme (ONCALL_MCP_AUTH_SCHEME) must be raw or bearer, not "${scheme}"`);
  }
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    token,
    ...(scheme ? { authScheme: scheme } : {}),
    ...(env.GRAFANA_URL ? { grafanaUrl: env.GRAFANA_URL } : {}),
  };
}
