/**
 * The HTTP client for Grafana OnCall / Cloud IRM API v1: one keep-alive undici pool per origin,
 * the token in the Authorization header, and retries with backoff only where a retry cannot do
 * harm: GET, PUT and DELETE, on 429 (honouring Retry-After) and 502/503/504 or network errors. A
 * POST may page a person, so it is never retried. The token never appears in an error, a log line
 * or a result.
 *
 * The token is sent raw by default, as every client Grafana ships does (grafana/amixr-api-go-client
 * client.go sets `Authorization: <token>`; the OnCall plugin's own curl example does the same):
 * OnCall's GrafanaServiceAccountAuthentication recognises a service-account token only when the
 * header *starts with* `glsa_`, and ApiTokenAuthentication strips no `Bearer` prefix
 * (grafana/oncall engine/apps/auth_token/auth.py). `--auth-scheme bearer` still wins.
 *
 * Without an API URL, the URL is discovered from the Grafana URL on first use (discovery.ts).
 */
import { Pool } from 'undici';
import { ApiError, type ApiErrorBody, type MissingObject } from '../api/errors.js';
import { noteUpstreamRequest } from '../api/request-budget.js';
import { type Discovered, discoverOnCallApi, type PluginId } from './discovery.js';
import { explainRefusal, type RequestFacts, SYNCING } from './refusals.js';

export type AuthScheme = 'raw' | 'bearer';

export interface ClientOptions {
  /** e.g. https://oncall.example.com (API paths are appended: /api/v1/…). Without it: discovered. */
  baseUrl?: string | undefined;
  token: string;
  /** Default: raw, for both OnCall API keys and Grafana service-account tokens (glsa_…). */
  authScheme?: AuthScheme | undefined;
  /** Sent as X-Grafana-URL; with no baseUrl, also where the OnCall API URL is discovered. */
  grafanaUrl?: string | undefined;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxRetries?: number;
  /** Longest Retry-After we are willing to wait before giving up. */
  maxRetryAfterMs?: number;
  /** Base of exponential backoff (tests make it small). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Stands in for discovery (tests of what depends on it); default: discovery.ts. */
  discover?: typeof discoverOnCallApi;
}

/** How the client reaches OnCall, for `doctor`, `check_access` and the capability probe. */
export interface ConnectionFacts {
  apiUrl: string;
  /** How the API URL was found: given (--api-url / ONCALL_API_URL) or discovered from Grafana. */
  source: 'given' | 'discovered';
  pluginId?: PluginId | undefined;
  grafanaUrl?: string | undefined;
  scheme: AuthScheme;
  tokenKind: 'service-account' | 'api-key';
  /** The last Date header seen from OnCall (or Grafana) and the local time it arrived (ms). */
  lastServerDate?: { server: number; local: number } | undefined;
}

const RETRYABLE_METHODS = new Set(['GET', 'PUT', 'DELETE']);
/** Far above any page OnCall sends (50 items); a larger answer is not OnCall's, and is not buffered. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export interface RequestOptions {
  query?: Record<string, unknown>;
  body?: unknown;
  /** What a 404 means, for an actionable error. */
  missing?: MissingObject;
}

interface Connection {
  pool: Pool;
  prefix: string;
  facts: ConnectionFacts;
}

/** The token's kind from its form: Grafana service-account tokens start with glsa_. */
export function tokenKindOf(token: string): 'service-account' | 'api-key' {
  return token.startsWith('glsa_') ? 'service-account' : 'api-key';
}

export class HttpClient {
  private connection: Promise<Connection> | undefined;
  private readonly authorization: string;
  private readonly scheme: AuthScheme;
  private readonly tokenKind: 'service-account' | 'api-key';
  private readonly opts: Required<Omit<ClientOptions, 'grafanaUrl' | 'authScheme' | 'baseUrl' | 'discover' | 'token'>>;
  private readonly given: ClientOptions;
  private lastDate: { server: number; local: number } | undefined;
  /** Upstream requests sent (every attempt counts), for the per-call request budget. */
  requestCount = 0;

  constructor(options: ClientOptions) {
    if (!options.baseUrl && !options.grafanaUrl) {
      throw new Error('HttpClient needs baseUrl (the OnCall API URL) or grafanaUrl (to discover it)');
    }
    if (options.baseUrl) new URL(options.baseUrl); // fail now on a malformed URL, not on first use
    this.given = { ...options, token: '' };
    this.scheme = options.authScheme ?? 'raw';
    this.tokenKind = tokenKindOf(options.token);
    this.authorization = this.scheme === 'bearer' ? `Bearer ${options.token}` : options.token;
    const token = options.token;
    this.discoverWith = () =>
      (options.discover ?? discoverOnCallApi)({
        grafanaUrl: options.grafanaUrl!,
        token,
        timeoutMs: this.opts.headersTimeoutMs,
      });
    this.opts = {
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      backoffMs: options.backoffMs ?? 250,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
  }

  private readonly discoverWith: () => Promise<Discovered>;

  /** The connection, discovering the API URL on first use; a failed discovery is tried again next call. */
  private connect(): Promise<Connection> {
    if (!this.connection) {
      const attempt = this.open();
      this.connection = attempt;
      attempt.catch(() => {
        if (this.connection === attempt) this.connection = undefined;
      });
    }
    return this.connection;
  }

  private async open(): Promise<Connection> {
    let apiUrl = this.given.baseUrl;
    let pluginId: PluginId | undefined;
    if (!apiUrl) {
      const found = await this.discoverWith();
      apiUrl = found.apiUrl;
      pluginId = found.pluginId;
      if (found.serverDate !== undefined) this.lastDate = { server: found.serverDate, local: Date.now() };
    }
    const url = new URL(apiUrl);
    const pool = new Pool(url.origin, {
      connections: 16,
      connect: { timeout: this.opts.connectTimeoutMs },
      headersTimeout: this.opts.headersTimeoutMs,
      bodyTimeout: this.opts.bodyTimeoutMs,
    });
    return {
      pool,
      prefix: url.pathname.replace(/\/+$/, ''),
      facts: {
        apiUrl: apiUrl.replace(/\/+$/, ''),
        source: this.given.baseUrl ? 'given' : 'discovered',
        pluginId,
        grafanaUrl: this.given.grafanaUrl,
        scheme: this.scheme,
        tokenKind: this.tokenKind,
      },
    };
  }

  /** How OnCall is reached (discovering it if needed). Throws what discovery throws. */
  async facts(): Promise<ConnectionFacts> {
    const { facts } = await this.connect();
    return { ...facts, lastServerDate: this.lastDate };
  }

  /** The facts of a request, for explaining a refusal. */
  requestFacts(method: string, path: string): RequestFacts {
    return { method, path, scheme: this.scheme, tokenKind: this.tokenKind, grafanaUrl: this.given.grafanaUrl };
  }

  /** What is known without a request (for messages when discovery itself failed). */
  staticFacts(): Omit<ConnectionFacts, 'apiUrl' | 'source'> & { apiUrl?: string | undefined } {
    return {
      apiUrl: this.given.baseUrl,
      grafanaUrl: this.given.grafanaUrl,
      scheme: this.scheme,
      tokenKind: this.tokenKind,
    };
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    try {
      await (await connection).pool.close();
    } catch {
      // discovery failed: there is no pool to close
    }
  }

  /** Call the API; returns the parsed JSON (or undefined for an empty body); throws ApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { pool, prefix } = await this.connect();
    const target = `${prefix}/api/v1/${path}${queryString(options.query)}`;
    const headers: Record<string, string> = {
      'authorization': this.authorization,
      'accept': 'application/json',
      'user-agent': 'oncall-mcp',
    };
    // Sent always when known: OnCall finds a service account's organisation by it (without it Cloud
    // wants X-Grafana-Instance-ID); ApiTokenAuthentication ignores it.
    if (this.given.grafanaUrl) headers['x-grafana-url'] = this.given.grafanaUrl;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const retryable = RETRYABLE_METHODS.has(method);
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let text: string;
      let retryAfter: string | string[] | undefined;
      try {
        this.requestCount++;
        noteUpstreamRequest();
        const response = await pool.request({ method: method as 'GET', path: target, headers, body: body ?? null });
        status = response.statusCode;
        retryAfter = response.headers['retry-after'];
        const date = response.headers.date;
        const server = typeof date === 'string' ? Date.parse(date) : Number.NaN;
        if (!Number.isNaN(server)) this.lastDate = { server, local: Date.now() };
        text = await readCapped(response.body, MAX_RESPONSE_BYTES);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        // A network failure: only idempotent requests may go again (the POST may have arrived).
        if (retryable && attempt < this.opts.maxRetries) {
          await this.opts.sleep(this.backoff(attempt));
          continue;
        }
        const code = (err as { code?: string }).code ?? 'network error';
        throw new ApiError(502, { detail: `Could not reach Grafana OnCall (${code}) for ${method} /api/v1/${path}` });
      }
      if (status < 400) return parseSuccess<T>(text, status, method, path);
      const errBody = errorBody(text, status);
      // "Organization being synced" comes without Retry-After: back off a bounded number of times,
      // for reads only (brief, and the organisation is not there to take a write yet).
      const syncing = status === 429 && typeof errBody === 'object' && errBody.detail === SYNCING;
      if (syncing && method === 'GET' && attempt < this.opts.maxRetries) {
        await this.opts.sleep(this.backoff(attempt));
        continue;
      }
      if (!syncing && retryable && RETRYABLE_STATUS.has(status) && attempt < this.opts.maxRetries) {
        const wait = status === 429 ? retryAfterMs(retryAfter) : undefined;
        if (wait === undefined || wait <= this.opts.maxRetryAfterMs) {
          await this.opts.sleep(wait ?? this.backoff(attempt));
          continue;
        }
      }
      const facts: RequestFacts = {
        method,
        path: path.split('?')[0]!,
        scheme: this.scheme,
        tokenKind: this.tokenKind,
        grafanaUrl: this.given.grafanaUrl,
      };
      const explained = explainRefusal(status, errBody, facts);
      // A 429 not retried here (a POST, or a wait too long) keeps its Retry-After for the tool's text.
      const retryAt = status === 429 ? retryInstant(retryAfter) : undefined;
      throw new ApiError(status, explained ?? errBody, status === 404 ? options.missing : undefined, retryAt);
    }
  }

  private backoff(attempt: number): number {
    const base = this.opts.backoffMs * 2 ** attempt;
    return Math.min(base + Math.random() * base, 5_000);
  }
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** `Retry-After` as seconds or an HTTP date. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `Retry-After` as the instant (epoch ms) it names: a delay in seconds from now, or an HTTP date. */
function retryInstant(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Date.now() + Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/** The API's error body; an unexpected one (an HTML error page) is summarised, not passed on raw. */
function errorBody(text: string, status: number): ApiErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && (typeof parsed === 'object' || typeof parsed === 'string')) return parsed as ApiErrorBody;
  } catch {
    // not JSON
  }
  return { detail: `Grafana OnCall answered HTTP ${status} without an API error body` };
}

/** The body as text, refusing (and no longer reading) one larger than `limit` bytes. */
async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new ApiError(502, { detail: `Grafana OnCall's answer is larger than ${limit} bytes; it was not read` });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A success body is JSON (or empty); anything else is an upstream fault, named as such. */
function parseSuccess<T>(text: string, status: number, method: string, path: string): T {
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(502, {
      detail: `Grafana OnCall answered HTTP ${status} to ${method} /api/v1/${path} with a body that is not JSON`,
    });
  }
}
