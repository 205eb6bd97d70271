/** Run the REST facade on a port (node's HTTP server through Hono's adapter). */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRestApp, type RestOptions } from './app.js';

export interface RunningApi {
  url: string;
  /** The node HTTP server (tests read its sockets' byte counts). */
  server: Server;
  close(): Promise<void>;
}

/**
 * How long a client may take to send a request: its headers, and the whole request with its body.
 * Node answers 408 and closes the connection past either, so a slow sender cannot hold a
 * connection, or a half-read body, open for long. (Node's own defaults are 60 s and 5 minutes.)
 */
export const REQUEST_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000 } as const;

export interface ServeOptions {
  host?: string;
  port?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** Node's server options for those timeouts; the check runs often enough to honour them. */
export function timeoutServerOptions(headersMs: number, requestMs: number) {
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(headersMs, requestMs);
  return {
    headersTimeout,
    requestTimeout: requestMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, headersTimeout / 4)),
  };
}

export function startRestApi(options: RestOptions & ServeOptions): Promise<RunningApi> {
  const app = createRestApp(options);
  const serverOptions = timeoutServerOptions(
    options.headersTimeoutMs ?? REQUEST_TIMEOUTS.headersMs,
    options.requestTimeoutMs ?? REQUEST_TIMEOUTS.requestMs,
  );
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
