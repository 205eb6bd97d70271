/**
 * A Grafana that knows one thing: the settings of the OnCall app plugin. It is what lets tests
 * (and the README's `doctor` runs) exercise discovery without a real Grafana. Each rule says
 * where it comes from; nothing else of Grafana is imitated.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GrafanaDoubleOptions {
  /** The installed OnCall plugin: Cloud stacks run grafana-irm-app, older installs grafana-oncall-app. */
  pluginId: 'grafana-irm-app' | 'grafana-oncall-app';
  /** jsonData.onCallApiUrl: where the plugin reaches the OnCall engine. */
  onCallApiUrl: string;
  /** The service-account token Grafana accepts. */
  token: string;
}

export interface RunningGrafana {
  url: string;
  /** Requests seen, as `METHOD path` (tests assert the lookup order). */
  requests: string[];
  close(): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function startGrafanaDouble(options: GrafanaDoubleOptions): Promise<RunningGrafana> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    // Grafana's HTTP API takes a service-account token as `Authorization: Bearer <token>`: that is
    // how grafana/amixr-api-go-client (client.go, fetchOnCallURLFromPlugin) and grafana/mcp-grafana
    // (tools/oncall.go, getOnCallURLFromSettings through its Grafana transport) ask for the settings.
    const auth = req.headers.authorization ?? '';
    const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!presented || !timingSafeEqual(digest(presented), digest(options.token))) {
      // Grafana refuses a request without valid credentials with 401 (the text varies by version).
      send(401, { message: 'Unauthorized' });
      return;
    }
    const match = /^\/api\/plugins\/([^/?]+)\/settings\/?(\?.*)?$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) {
      send(404, { message: 'Not found' });
      return;
    }
    if (match[1] !== options.pluginId) {
      // grafana/grafana pkg/api/plugins.go, GetPluginSettingByID: an id that is not installed.
      send(404, { message: 'Plugin not found, no installed plugin with that id' });
      return;
    }
    // The settings DTO carries the app's jsonData; the OnCall plugin keeps its engine URL in
    // jsonData.onCallApiUrl (grafana/oncall grafana-plugin/pkg/plugin/settings.go; read by
    // grafana/mcp-grafana tools/oncall.go).
    send(200, {
      name: options.pluginId === 'grafana-irm-app' ? 'IRM' : 'OnCall',
      type: 'app',
      id: options.pluginId,
      enabled: true,
      pinned: true,
      jsonData: { onCallApiUrl: options.onCallApiUrl, stackId: 5, orgId: 100 },
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
