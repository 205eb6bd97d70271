/**
 * Build the backend the options ask for: a live Grafana OnCall over HTTP, or the embedded engine
 * with the demo organisation, a data file, or a database.
 */
import type { OnCallBackend } from '../api/backend.js';
import { DEMO_ORGANISATION } from '../demo/organisation.js';
import { EngineOpenError, openEngine } from '../engine/index.js';
import { httpBackendConfig, redactUrl } from './http-config.js';
import type { Options } from './options.js';
import { UsageError } from './options.js';

export interface BuiltBackend {
  backend: OnCallBackend;
  /** One line for the log: where the data comes from. */
  source: string;
}

export async function buildBackend(
  options: Pick<
    Options,
    'data' | 'persist' | 'publicUrl' | 'backend' | 'apiUrl' | 'tokenFile' | 'authScheme' | 'webhookAllow'
  > & { db?: string | undefined; grafanaUrl?: string | undefined },
  log: (m: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BuiltBackend> {
  if (options.backend === 'http') {
    const config = httpBackendConfig(options, env);
    const { HttpBackend } = await import('../http-backend/backend.js'); // undici only when needed
    const where = config.baseUrl
      ? redactUrl(config.baseUrl)
      : `the URL the OnCall plugin of ${redactUrl(config.grafanaUrl!)} names (discovered on first use)`;
    return { backend: new HttpBackend(config), source: `Grafana OnCall at ${where}` };
  }
  try {
    return openEngine({
      seed: DEMO_ORGANISATION,
      data: options.data,
      persist: options.persist,
      db: options.db,
      publicUrl: options.publicUrl,
      webhookAllow: options.webhookAllow,
      log,
    });
  } catch (err) {
    if (err instanceof EngineOpenError) throw new UsageError(err.message);
    throw err;
  }
}
