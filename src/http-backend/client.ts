/**
 * The HTTP client for Grafana OnCall / Cloud IRM API v1: one keep-alive undici pool per origin,
 * the token in the Authorization header (raw for OnCall API keys, `Bearer` for Cloud service
 * accounts), and retries with backoff only where a retry cannot do harm: GET, PUT and DELETE, on
 * 429 (honouring Retry-After) and 502/503/504 or network errors. A POST may page a person, so it
 * is never retried. The token never appears in an error, a log line or a result.
 */
import { Pool } from 'undici';
import { ApiError, type ApiErrorBody, type MissingObject } from '../api/errors.js';

export type AuthScheme = 'raw' | 'bearer';

export interface ClientOptions {
  /** e.g. https://oncall.example.com (API paths are appended: /api/v1/…). */
  baseUrl: string;
  token: string;
  /** Default: bearer for Grafana service-account tokens (glsa_…), raw for OnCall API keys. */
  authScheme?: AuthScheme;
  /** Sent as X-Grafana-URL (Cloud IRM / service accounts). */
  grafanaUrl?: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxRetries?: number;
  /** Longest Retry-After we are willing to wait before giving up. */
  maxRetryAfterMs?: number;
  /** Base of exponential backoff (tests make it small). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
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

export class HttpClient {
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly authorization: string;
  private readonly opts: Required<Omit<ClientOptions, 'grafanaUrl' | 'authScheme'>> & { grafanaUrl?: string };

  constructor(options: ClientOptions) {
    const url = new URL(options.baseUrl);
    this.prefix = url.pathname.replace(/\/+$/, '');
    const scheme = options.authScheme ?? (options.token.startsWith('glsa_') ? 'bearer' : 'raw');
    this.authorization = scheme === 'bearer' ? `Bearer ${options.token}` : options.token;
    this.opts = {
      baseUrl: options.baseUrl,
      token: '',
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      backoffMs: options.backoffMs ?? 250,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      ...(options.grafanaUrl ? { grafanaUrl: options.grafanaUrl } : {}),
    };
    this.pool = new Pool(url.origin, {
      connections: 16,
      connect: { timeout: this.opts.connectTimeoutMs },
      headersTimeout: this.opts.headersTimeoutMs,
      bodyTimeout: this.opts.bodyTimeoutMs,
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Call the API; returns the parsed JSON (or undefined for an empty body); throws ApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const target = `${this.prefix}/api/v1/${path}${queryString(options.query)}`;
    const headers: Record<string, string> = {
      'authorization': this.authorization,
      'accept': 'application/json',
      'user-agent': 'oncall-mcp',
    };
    if (this.opts.grafanaUrl) headers['x-grafana-url'] = this.opts.grafanaUrl;
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
        const response = await this.pool.request({ method: method as 'GET', path: target, headers, body: body ?? null });
        status = response.statusCode;
        retryAfter = response.headers['retry-after'];
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
      if (retryable && RETRYABLE_STATUS.has(status) && attempt < this.opts.maxRetries) {
        const wait = status === 429 ? retryAfterMs(retryAfter) : undefined;
        if (wait === undefined || wait <= this.opts.maxRetryAfterMs) {
          await this.opts.sleep(wait ?? this.backoff(attempt));
          continue;
        }
      }
      throw new ApiError(status, errorBody(text, status), status === 404 ? options.missing : undefined);
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
