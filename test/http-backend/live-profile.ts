/**
 * A "live" organisation for the HTTP backend's tests: the REST facade in a Cloud IRM or
 * self-hosted profile (src/rest/profiles.ts), a Grafana double that serves the OnCall plugin's
 * settings (src/rest/grafana-double.ts), and an MCP client talking to a server whose backend is
 * the HTTP backend, configured from a Grafana URL and a token alone.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { randomBytes } from 'node:crypto';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import type { ClientOptions } from '../../src/http-backend/client.js';
import { type RunningGrafana, startGrafanaDouble } from '../../src/rest/grafana-double.js';
import type { ProfileOptions, RestProfile } from '../../src/rest/profiles.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';
import { createServer } from '../../src/server.js';
import { NOW } from '../helpers.js';

export interface LiveOrg {
  profile: RestProfile;
  engine: MemoryBackend;
  clock: VirtualClock;
  api: RunningApi;
  grafana: RunningGrafana;
  /** The organisation's tokens: a Grafana service-account token and an OnCall API key. */
  serviceAccountToken: string;
  apiKey: string;
  /** API requests the facade received, as `METHOD /path`. */
  requests: string[];
  /** An HTTP backend with these options over the org (defaults: Grafana URL + service-account token). */
  backend(options?: Partial<ClientOptions>): HttpBackend;
  /** An MCP client over a server whose backend is `backend(options)`. */
  mcp(options?: Partial<ClientOptions>): Promise<{
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read structured results freely.
    call(name: string, args?: Record<string, unknown>): Promise<{ isError: boolean; text: string; data: any }>;
    backend: HttpBackend;
    listTools: Client['listTools'];
    logs: string[];
    close(): Promise<void>;
  }>;
  close(): Promise<void>;
}

export const PLUGIN_OF: Record<RestProfile, 'grafana-irm-app' | 'grafana-oncall-app'> = {
  'cloud': 'grafana-irm-app',
  'self-hosted': 'grafana-oncall-app',
};

export async function liveOrg(
  profile: RestProfile,
  extra: Partial<Omit<ProfileOptions, 'profile'>> & { users?: number } = {},
): Promise<LiveOrg> {
  const clock = VirtualClock.at(NOW);
  const state = demoState();
  const engine = new MemoryBackend({ state, clock });
  const serviceAccountToken = `glsa_${randomBytes(16).toString('hex')}_${randomBytes(4).toString('hex')}`;
  const apiKey = randomBytes(32).toString('hex');
  const requests: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  // The Grafana double must know the API URL and the facade must know the Grafana URL: start the
  // facade first and give it the Grafana URL by reference once the double is up.
  const profileOptions: ProfileOptions = { profile, serviceAccountToken, instanceId: '5', ...extra };
  const api = await startRestApi({
    backend: engine,
    token: apiKey,
    rateLimit: 0,
    profile: profileOptions,
    onRequest: (method, path) => requests.push(`${method} ${path}`),
  });
  const grafana = await startGrafanaDouble({
    pluginId: PLUGIN_OF[profile],
    onCallApiUrl: api.url,
    token: serviceAccountToken,
  });
  profileOptions.grafanaUrl ??= grafana.url; // ProfileRules reads it on every request
  const backend = (options: Partial<ClientOptions> = {}) => {
    const http = new HttpBackend({
      grafanaUrl: grafana.url,
      token: serviceAccountToken,
      backoffMs: 1,
      now: () => clock.now(),
      ...options,
    });
    closers.push(() => http.close());
    return http;
  };
  return {
    profile,
    engine,
    clock,
    api,
    grafana,
    serviceAccountToken,
    apiKey,
    requests,
    backend,
    async mcp(options = {}) {
      const http = backend(options);
      const logs: string[] = [];
      const server = createServer({ backend: http, log: (m) => logs.push(m) });
      const client = new Client({ name: 'live-profile', version: '1' });
      const [c, s] = InMemoryTransport.createLinkedPair();
      await Promise.all([client.connect(c), server.connect(s)]);
      return {
        backend: http,
        listTools: (...args) => client.listTools(...args),
        logs,
        async call(name, args = {}) {
          const result = await client.callTool({ name, arguments: args });
          const content = result.content as Array<{ type: string; text: string }>;
          return { isError: result.isError === true, text: content.map((x) => x.text).join('\n'), data: result.structuredContent };
        },
        close: () => client.close(),
      };
    },
    async close() {
      for (const close of closers) await close();
      await api.close();
      await grafana.close();
    },
  };
}
