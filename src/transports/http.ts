/**
 * MCP over HTTP on one port, built from the SDK's transports and its Express app:
 *
 * - `/mcp`: Streamable HTTP. Stateful by default (one McpServer per session, `mcp-session-id`,
 *   DELETE ends it); `stateless` makes a fresh server and transport per POST with plain JSON
 *   responses, so any replica behind a load balancer can answer any request.
 * - `GET /sse` + `POST /messages?sessionId=…`: the legacy HTTP+SSE transport for older clients.
 * - `GET /healthz`: liveness, no auth.
 *
 * Security: Host validation against DNS rebinding (the SDK's `createMcpExpressApp`), an Origin
 * check for browsers, an optional bearer token on every MCP route, the SDK app's JSON body limit
 * and a nesting cap, header and request timeouts, a session cap, sessions never used after
 * `initialize` closed within seconds and idle ones reaped. Error bodies never carry exception
 * text. `close()` drains: no new connections, in-flight calls get a bounded grace period, then
 * every session is closed.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isInitializeRequest,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type MessageExtraInfo,
} from '@modelcontextprotocol/sdk/types.js';
import { tooDeepMessage, valueTooDeep } from '../api/input-limits.js';
import { VERSION } from '../version.js';
import { HTTP_DEFAULTS } from './http-defaults.js';
import { type Logger, SILENT } from './log.js';
import { timeoutServerOptions } from './request-timeouts.js';
import { bearerChecker, isLoopbackHost, isWildcardHost, type Secret, urlHost } from './security.js';

/**
 * Largest request body accepted (413 above it). This is the JSON parser of the SDK's
 * `createMcpExpressApp` (Express's default, 100 KiB); MCP messages are far smaller.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;

const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface HttpOptions {
  /** A new, fully registered McpServer: one per session (stateful) or per request (stateless). */
  createServer: () => McpServer;
  host?: string;
  /** 0 picks any free port; read the chosen one from the handle. */
  port?: number;
  stateless?: boolean;
  /** When set, every MCP route needs `Authorization: Bearer <token>`. Required off loopback. */
  authToken?: Secret | undefined;
  /** Extra Host names to accept (hostnames, no port), added to the loopback names. */
  allowedHosts?: readonly string[];
  /** Extra browser origins to accept (`https://app.example.com`). */
  allowedOrigins?: readonly string[];
  maxSessions?: number;
  /** A session with no open request or stream for this long is closed. */
  sessionIdleMs?: number;
  /** A session that received no request besides `initialize` and opened no stream is closed after this long. */
  unusedSessionMs?: number;
  /** Time allowed to send the request headers (10 s). */
  headersTimeoutMs?: number;
  /** Time allowed to send the whole request, body included (30 s); past it, 408. */
  requestTimeoutMs?: number;
  /** How long `close()` lets in-flight calls finish before closing sessions anyway. */
  shutdownGraceMs?: number;
  log?: Logger;
  /** Monotonic milliseconds (tests move it to reap sessions without waiting). */
  now?: () => number;
}

export interface HttpHandle {
  /** The Streamable HTTP endpoint, e.g. `http://127.0.0.1:8765/mcp`. */
  url: string;
  /** Scheme, host and port, e.g. `http://127.0.0.1:8765`. */
  origin: string;
  port: number;
  /** Open sessions by transport. */
  sessions(): { streamable: number; sse: number };
  /**
   * Close every session idle for longer than `sessionIdleMs`, or unused for longer than
   * `unusedSessionMs`, now (also runs on a timer).
   */
  reapIdleSessions(): number;
  /** Graceful stop; resolves when the port is closed. Safe to call twice. */
  close(): Promise<void>;
}

/** What Express adds to a request that this module reads. */
type Req = IncomingMessage & { body?: unknown; query?: Record<string, unknown> };
type Next = (err?: unknown) => void;
type Handler = (req: Req, res: ServerResponse, next: Next) => void | Promise<void>;
type ErrorHandler = (err: unknown, req: Req, res: ServerResponse, next: Next) => void;
/** The part of the Express app used here (the project takes Express only through the SDK). */
interface App {
  (req: IncomingMessage, res: ServerResponse): void;
  use(handler: Handler | ErrorHandler): void;
  get(path: string, ...handlers: Handler[]): void;
  post(path: string, ...handlers: Handler[]): void;
  all(path: string, ...handlers: Handler[]): void;
  disable(setting: string): void;
}

interface Session {
  kind: 'streamable' | 'sse';
  server: McpServer;
  transport: StreamableHTTPServerTransport | SSEServerTransport;
  /** Requests and streams of this session still open: a session with any is never idle. */
  open: number;
  lastActive: number;
  createdAt: number;
  /**
   * Whether the client has done anything with the session beyond initialising it: sent another
   * request, or opened a stream. Until then the session expires after `unusedSessionMs`.
   */
  used: boolean;
  /** Ids of client requests received and not yet answered: what a graceful stop waits for. */
  pending: Set<string | number>;
}

export async function serveHttp(opts: HttpOptions): Promise<HttpHandle> {
  const host = opts.host ?? HTTP_DEFAULTS.host;
  const stateless = opts.stateless ?? false;
  const maxSessions = opts.maxSessions ?? HTTP_DEFAULTS.maxSessions;
  const idleMs = opts.sessionIdleMs ?? HTTP_DEFAULTS.sessionIdleMs;
  const unusedMs = opts.unusedSessionMs ?? HTTP_DEFAULTS.unusedSessionMs;
  const graceMs = opts.shutdownGraceMs ?? HTTP_DEFAULTS.shutdownGraceMs;
  const log = opts.log ?? SILENT;
  const now = opts.now ?? (() => performance.now());
  const loopback = isLoopbackHost(host);
  if (!loopback && !opts.authToken) {
    throw new Error(`refusing to serve MCP on ${host} without a bearer token (set MCP_AUTH_TOKEN)`);
  }
  const checkBearer = opts.authToken ? bearerChecker(opts.authToken) : undefined;

  // Loopback: the loopback names plus any extras. Elsewhere: only when names are given (plus the
  // bound address itself); otherwise any Host passes and the required token is the guard.
  const extraHosts = opts.allowedHosts ?? [];
  const allowedHosts = loopback
    ? unique([...LOOPBACK_HOSTNAMES, urlHost(host).toLowerCase(), ...extraHosts])
    : extraHosts.length
      ? unique([...extraHosts, ...(isWildcardHost(host) ? [] : [urlHost(host).toLowerCase()])])
      : undefined;
  const allowedOrigins = new Set(opts.allowedOrigins ?? []);

  const sessions = new Map<string, Session>();
  let initializing = 0; // stateful sessions created but not yet in the map (counted against the cap)
  let openRequests = 0; // non-GET requests in progress (a GET may be a stream that never ends)
  let draining = false;

  const app = createMcpExpressApp({ host, ...(allowedHosts ? { allowedHosts } : {}) }) as App;
  app.disable('x-powered-by');

  if (allowedHosts || allowedOrigins.size) {
    // Browsers send Origin; a page from elsewhere must not drive a local server. Non-browser
    // clients send none and pass.
    app.use((req: Req, res: ServerResponse, next: Next) => {
      const origin = req.headers.origin;
      if (origin === undefined || originAllowed(origin, allowedOrigins, allowedHosts ?? [])) return next();
      sendJson(res, 403, rpcError(-32000, `Invalid Origin: ${origin}`));
    });
  }

  // After the SDK's JSON parser: JSON.parse copes with deep input, the handlers after it may not
  // (a 20,000-level `result` overflowed the stack inside the SDK).
  app.use((req: Req, res: ServerResponse, next: Next) => {
    if (req.body === undefined || !valueTooDeep(req.body)) return next();
    sendJson(res, 400, rpcError(-32600, `Invalid Request: ${tooDeepMessage()}`));
  });

  app.get('/healthz', (_req, res) => {
    sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ok', name: 'oncall-mcp', version: VERSION });
  });

  const requireToken: Handler = (req, res, next) => {
    if (!checkBearer) return next();
    const verdict = checkBearer(req.headers.authorization);
    if (verdict === 'ok') return next();
    // RFC 6750: a challenge on every 401, `invalid_token` only when one was presented.
    const challenge = verdict === 'missing'
      ? 'Bearer realm="oncall-mcp"'
      : 'Bearer realm="oncall-mcp", error="invalid_token"';
    sendJson(
      res,
      401,
      {
        error: 'invalid_token',
        error_description: verdict === 'missing' ? 'send Authorization: Bearer <token>' : 'the bearer token is not valid',
      },
      { 'WWW-Authenticate': challenge },
    );
  };

  const atCapacity = (res: ServerResponse): boolean => {
    if (sessions.size + initializing < maxSessions) return false;
    log.warn(`oncall-mcp: session limit (${maxSessions}) reached; refusing a new session`);
    sendJson(res, 503, rpcError(-32000, `Too many open sessions (limit ${maxSessions}); try again later`), {
      'Retry-After': '30',
    });
    return true;
  };

  const track = (session: Session, res: ServerResponse) => {
    session.open++;
    session.lastActive = now();
    res.once('close', () => {
      session.open--;
      session.lastActive = now();
    });
  };

  const newSession = (kind: Session['kind'], transport: Session['transport']): Session => ({
    kind,
    transport,
    server: opts.createServer(),
    open: 0,
    lastActive: now(),
    createdAt: now(),
    // A legacy SSE session is its stream: it is in use from the start.
    used: kind === 'sse',
    pending: new Set(),
  });

  app.all('/mcp', requireToken, async (req, res) => {
    const sessionId = header(req, 'mcp-session-id');
    const existing = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (existing?.kind === 'sse') {
      return sendJson(res, 400, rpcError(-32000, 'Bad Request: this session belongs to the legacy SSE transport (POST /messages)'));
    }

    if (stateless) {
      if (req.method !== 'POST') {
        return sendJson(res, 405, rpcError(-32000, 'Method not allowed: this server is stateless, POST only'), {
          Allow: 'POST',
        });
      }
      const server = opts.createServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.once('close', () => void server.close());
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
      return;
    }

    if (sessionId !== undefined) {
      if (!existing) {
        return sendJson(res, 404, rpcError(-32001, 'Session not found: it ended or expired; initialize a new one'));
      }
      // A GET opens the session's stream for server messages: the client is using the session.
      if (req.method === 'GET') existing.used = true;
      track(existing, res);
      await (existing.transport as StreamableHTTPServerTransport).handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      return sendJson(res, 400, rpcError(-32000, 'Bad Request: no mcp-session-id header; start with an initialize request'));
    }
    if (atCapacity(res)) return;

    initializing++;
    let session: Session | undefined;
    let initialized: Session | undefined;
    try {
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => {
          sessions.set(id, session!);
          initialized = session;
          log.debug(`oncall-mcp: Streamable HTTP session opened (${sessions.size} open)`);
        },
      });
      // Inside the try: a factory that throws must not leave its slot counted as initializing.
      session = newSession('streamable', transport);
      // Set before connect(): the SDK chains its own close handler after this one.
      transport.onclose = () => {
        if (transport.sessionId !== undefined && sessions.delete(transport.sessionId)) {
          log.debug(`oncall-mcp: Streamable HTTP session closed (${sessions.size} open)`);
        }
      };
      await session.server.connect(transport);
      watchMessages(transport, session, log);
      track(session, res);
      await transport.handleRequest(req, res, req.body);
    } finally {
      initializing--;
      if (session && !initialized) await session.server.close();
    }
  });

  app.get('/sse', requireToken, async (_req, res) => {
    if (atCapacity(res)) return;
    const transport = new SSEServerTransport('/messages', res);
    const session = newSession('sse', transport);
    sessions.set(transport.sessionId, session);
    transport.onclose = () => {
      if (sessions.delete(transport.sessionId)) {
        log.debug(`oncall-mcp: SSE session closed (${sessions.size} open)`);
      }
    };
    // The stream itself keeps the session open until the client goes away.
    track(session, res);
    await session.server.connect(transport);
    watchMessages(transport, session, log);
    log.debug(`oncall-mcp: SSE session opened (${sessions.size} open)`);
  });

  app.post('/messages', requireToken, async (req, res) => {
    const sessionId = typeof req.query?.sessionId === 'string' ? req.query.sessionId : undefined;
    if (sessionId === undefined) {
      return sendJson(res, 400, rpcError(-32000, 'Bad Request: missing sessionId query parameter'));
    }
    const session = sessions.get(sessionId);
    if (!session) return sendJson(res, 404, rpcError(-32001, 'Session not found: open a new stream at GET /sse'));
    if (session.kind !== 'sse') {
      return sendJson(res, 400, rpcError(-32000, 'Bad Request: this session belongs to Streamable HTTP (/mcp)'));
    }
    // Checked here because the SDK's SSE transport answers these with its exception's text.
    if (!isJsonContentType(req.headers['content-type'])) {
      return sendJson(res, 415, rpcError(-32000, 'Unsupported Media Type: Content-Type must be application/json'));
    }
    if (!JSONRPCMessageSchema.safeParse(req.body).success) {
      return sendJson(res, 400, rpcError(-32600, 'Invalid Request: the body is not a JSON-RPC message'));
    }
    track(session, res);
    await (session.transport as SSEServerTransport).handlePostMessage(req, res, req.body);
  });

  app.use((_req: Req, res: ServerResponse) => {
    sendJson(res, 404, { error: 'not_found', routes: ['/mcp', '/sse', '/messages', '/healthz'] });
  });

  // Body-parser failures (too large, bad JSON) and anything a handler threw.
  app.use((err: unknown, req: Req, res: ServerResponse, _next: Next) => {
    const e = (err ?? {}) as { status?: number; type?: string };
    if (e.type === 'entity.too.large') {
      return sendJson(res, 413, rpcError(-32000, `Request body too large (limit ${BODY_LIMIT_BYTES / 1024} KiB)`));
    }
    if (e.type === 'entity.parse.failed') return sendJson(res, 400, rpcError(-32700, 'Parse error: invalid JSON'));
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendJson(res, e.status, rpcError(-32000, 'Bad Request'));
    }
    log.error(`oncall-mcp: ${req.method} ${pathOf(req)} failed: ${err instanceof Error ? err.message : String(err)}`);
    sendJson(res, 500, rpcError(-32603, 'Internal server error'));
  });

  const http = createHttpServer(timeoutServerOptions(opts.headersTimeoutMs, opts.requestTimeoutMs), (req, res) => {
    const started = performance.now();
    const counted = req.method !== 'GET';
    if (counted) openRequests++;
    res.once('close', () => {
      if (counted) openRequests--;
      // Method, path (no query: it may hold a session id), status, time. Never a header.
      log.info(`oncall-mcp: ${req.method} ${pathOf(req)} ${res.statusCode} ${(performance.now() - started).toFixed(1)} ms`);
    });
    if (draining) {
      res.setHeader('Connection', 'close');
      if (pathOf(req) === '/healthz') return sendJson(res, 503, { status: 'draining', name: 'oncall-mcp', version: VERSION });
      return sendJson(res, 503, rpcError(-32000, 'Server is shutting down'));
    }
    app(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? HTTP_DEFAULTS.port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (err) => log.error(`oncall-mcp: HTTP server error: ${err.message}`));

  const reapIdleSessions = (): number => {
    const t = now();
    let idle = 0;
    let unused = 0;
    for (const session of sessions.values()) {
      if (session.pending.size > 0) continue;
      if (!session.used && t - session.createdAt >= unusedMs) unused++;
      else if (session.open === 0 && session.lastActive <= t - idleMs) idle++;
      else continue;
      void session.server.close();
    }
    if (idle) log.info(`oncall-mcp: closed ${idle} idle session(s)`);
    if (unused) log.info(`oncall-mcp: closed ${unused} session(s) never used after initialize`);
    return idle + unused;
  };
  const reaper = setInterval(reapIdleSessions, Math.max(100, Math.min(60_000, idleMs / 2, unusedMs / 2)));
  reaper.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      clearInterval(reaper);
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      const calls = () => [...sessions.values()].reduce((n, s) => n + s.pending.size, 0);
      const busy = () => openRequests > 0 || calls() > 0;
      if (busy()) {
        log.info(`oncall-mcp: shutting down; waiting up to ${graceMs} ms for ${calls()} call(s) and ${openRequests} request(s)`);
      }
      const deadline = performance.now() + graceMs;
      while (busy() && performance.now() < deadline) await sleep(20);
      if (busy()) log.warn(`oncall-mcp: closing with calls still running after ${graceMs} ms`);
      await Promise.allSettled([...sessions.values()].map((s) => s.server.close()));
      http.closeAllConnections();
      await closed;
    })();
    return closing;
  };

  const { port } = http.address() as AddressInfo;
  const origin = `http://${urlHost(host)}:${port}`;
  return {
    url: `${origin}/mcp`,
    origin,
    port,
    sessions: () => {
      const all = [...sessions.values()];
      return { streamable: all.filter((s) => s.kind === 'streamable').length, sse: all.filter((s) => s.kind === 'sse').length };
    },
    reapIdleSessions,
    close,
  };
}

/**
 * Watch messages in and out of a session's transport (after `connect()`, which installs the SDK's
 * handlers): keep `pending` equal to the ids of client requests not yet answered, and mark the
 * session used at its first request other than `initialize`.
 */
function watchMessages(transport: Transport, session: Session, log: Logger): void {
  const { pending } = session;
  const receive = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage, extra?: MessageExtraInfo) => {
    if ('method' in message) {
      if ('id' in message) {
        pending.add(message.id);
        if (message.method !== 'initialize') session.used = true;
      } else if (message.method === 'notifications/cancelled') {
        pending.delete((message.params as { requestId?: string | number } | undefined)?.requestId ?? '');
      }
    }
    try {
      receive?.(message, extra);
    } catch (err) {
      // The SDK would put this error's text in the HTTP body: log it, and give it a plain one.
      log.error(`oncall-mcp: handling a message failed: ${err instanceof Error ? err.message : String(err)}`);
      if ('method' in message && 'id' in message) pending.delete(message.id);
      throw new Error('Internal server error');
    }
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    try {
      await send(message, options);
    } finally {
      if (!('method' in message) && 'id' in message && message.id !== undefined) pending.delete(message.id);
    }
  };
}

function originAllowed(origin: string, allowed: ReadonlySet<string>, hostnames: readonly string[]): boolean {
  if (allowed.has(origin)) return true;
  try {
    // A page served under an allowed Host name (any port) is this server's own site.
    return hostnames.includes(new URL(origin).hostname.toLowerCase());
  } catch {
    return false; // "null" and other opaque origins
  }
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJsonContentType(value: string | undefined): boolean {
  return (value ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!.slice(0, 200);
}

function rpcError(code: number, message: string) {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const unique = (items: readonly string[]) => [...new Set(items)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
