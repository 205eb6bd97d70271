/**
 * `oncall-mcp api`: serve the OnCall-compatible REST API over the configured backend. Its own
 * token comes from ONCALL_MCP_API_TOKEN or --api-token-file; without one, a random token is made
 * and printed once to stderr (the only time a token is ever printed, and only one made up here).
 */
import { randomBytes } from 'node:crypto';
import type { OnCallBackend } from '../api/backend.js';
import { startRestApi } from '../rest/serve.js';
import { HTTP_DEFAULTS } from '../transports/http-defaults.js';
import { readSecretFile } from './http-config.js';
import type { ApiLimits } from './options.js';

export interface ApiCommandOptions {
  host: string;
  port: number;
  tokenFile?: string | undefined;
  limits?: ApiLimits;
}

export async function runApi(
  backend: OnCallBackend,
  options: ApiCommandOptions,
  env: NodeJS.ProcessEnv,
  log: (m: string) => void,
): Promise<void> {
  let token = options.tokenFile ? readSecretFile('--api-token-file', options.tokenFile) : env.ONCALL_MCP_API_TOKEN?.trim();
  if (!token) {
    token = randomBytes(32).toString('hex');
    log(`oncall-mcp api: no ONCALL_MCP_API_TOKEN set; generated an API token for this run: ${token}`);
  }
  backend.lifecycle?.start();
  const api = await startRestApi({
    backend,
    token,
    host: options.host,
    port: options.port,
    log,
    ...options.limits,
    // Only the embedded engine takes inbound alerts; over a live OnCall the endpoint is a 404.
    ...(backend.inbound ? { inboundAlerts: backend.inbound } : {}),
  });
  log(`oncall-mcp api: serving the OnCall API v1 at ${api.url}/api/v1/`);
  const stop = async (signal: string) => {
    log(`oncall-mcp api: ${signal}, shutting down`);
    await api.close();
    const saved = (await backend.lifecycle?.stop(HTTP_DEFAULTS.shutdownGraceMs)) ?? true;
    process.exit(saved ? 0 : 1);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
