/** Run the REST facade on a port (node's HTTP server through Hono's adapter). */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timeoutServerOptions } from '../transports/request-timeouts.js';
import { createRestApp, type RestOptions } from './app.js';

export interface RunningApi {
  url: string;
  /** The node HTTP server (tests read its sockets' byte counts). */
  server: Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Time allowed to send the request headers (10 s; REQUEST_TIMEOUTS). */
  headersTimeoutMs?: number;
  /** Time allowed to send the whole request, body included (30 s); past it, 408. */
  requestTimeoutMs?: number;
}

export function startRestApi(options: RestOptions & ServeOptions): Promise<RunningApi> {
  const app = createRestApp(options);
  const serverOptions = timeoutServerOptions(options.headersTimeoutMs, options.requestTimeoutMs);
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname: options.host ?? '127.0.0.1', port: options.port ?? 0, serverOptions },
      (info) => {
        const address = info as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve({
          url: `http://${host}:${address.port}`,
          server: server as Server,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    server.on('error', reject);
  });
}
