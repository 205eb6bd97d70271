/** Run the REST facade on a port (node's HTTP server through Hono's adapter). */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createRestApp, type RestOptions } from './app.js';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export function startRestApi(options: RestOptions & { host?: string; port?: number }): Promise<RunningApi> {
  const app = createRestApp(options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host ?? '127.0.0.1', port: options.port ?? 0 }, (info) => {
      const address = info as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.on('error', reject);
  });
}
