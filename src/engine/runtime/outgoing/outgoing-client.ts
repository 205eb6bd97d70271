/**
 * Sends one outgoing request (a webhook delivery) through the address guard.
 *
 * - The URL's host is judged first (`OutgoingPolicy.checkHost`): placeholder names are withheld,
 *   loopback and metadata names and non-global IP literals refused, before any DNS or socket.
 * - Names are resolved by our own lookup inside undici's connector, which refuses the connection
 *   if any resolved address is not allowed, so the address checked is the address connected to
 *   (a DNS answer that changes between a check and the connect cannot slip past). The socket's
 *   remote address is checked once more when it connects.
 * - Redirects are followed by hand, as Python `requests` follows them for OnCall (301/302/303/307/
 *   308; 301 POST, 302 and 303 become GET and lose the body), each hop judged afresh. We stop
 *   after MAX_REDIRECTS (requests allows 30) and drop credentials on any change of origin
 *   (requests keeps them on an http→https upgrade of the same host; a new origin is a new party).
 * - Every phase has its 10 s timeout, the whole delivery a deadline, and the response body is
 *   read only up to the recorded size.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import type * as Undici from 'undici';
import type { Agent, buildConnector, Dispatcher } from 'undici';
import type { OutgoingPolicy } from './address-policy.js';
import { isCredentialHeader } from './credentials.js';

export const TIMEOUT_MS = 10_000;
export const DEADLINE_MS = 30_000;
export const MAX_REDIRECTS = 10;
export const MAX_CONTENT_CHARS = 10_000;

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export type Delivery =
  | { kind: 'answered'; statusCode: number; content: string }
  /** Not sent: the host is a placeholder (a reserved example or test name). */
  | { kind: 'withheld'; reason: string }
  /** Not sent (or a redirect not followed): the guard refused the destination. */
  | { kind: 'refused'; reason: string }
  /** Sent but no usable answer: connection error, timeout, too many redirects. */
  | { kind: 'failed'; reason: string };

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** DNS for outgoing requests; tests inject one to stand in for a rebinding or internal name. */
export type Resolver = (hostname: string, family: number) => Promise<ResolvedAddress[]>;

export interface OutgoingClientOptions {
  policy: OutgoingPolicy;
  resolve?: Resolver;
  /** The whole delivery, redirects and body included. */
  deadlineMs?: number;
}

const systemResolver: Resolver = (hostname, family) => dnsLookup(hostname, { all: true, family });

/** A refusal raised inside the connector; its message is the guard's reason, safe to record. */
class RefusedConnection extends Error {
  override readonly name = 'RefusedConnection';
}

class DeadlineExceeded extends Error {
  override readonly name = 'TimeoutError';
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export class OutgoingClient {
  private agent: Agent | undefined;
  private undici: typeof Undici | undefined;
  private readonly resolve: Resolver;
  private readonly deadlineMs: number;

  constructor(private readonly options: OutgoingClientOptions) {
    this.resolve = options.resolve ?? systemResolver;
    this.deadlineMs = options.deadlineMs ?? DEADLINE_MS;
  }

  async send(request: OutgoingRequest): Promise<Delivery> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { kind: 'refused', reason: 'the URL is not a valid absolute URL' };
    }
    const first = this.judge(url);
    if (first.action !== 'connect') return { kind: first.action === 'withhold' ? 'withheld' : 'refused', reason: first.reason };

    // undici loads on the first webhook actually sent, not at startup (it is most of the import time).
    const undici = (this.undici ??= await import('undici')); // a dynamic import() resolves on every call
    const agent = (this.agent ??= this.createAgent(undici));
    // One timer per delivery, cleared when it ends (AbortSignal.timeout would live its full 30 s).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineExceeded()), this.deadlineMs);
    timer.unref();
    try {
      return await this.follow(undici, agent, url, request, deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends, and follows redirects by hand, each hop judged again. */
  private async follow(
    undici: typeof Undici,
    agent: Agent,
    firstUrl: URL,
    request: OutgoingRequest,
    signal: AbortSignal,
  ): Promise<Delivery> {
    let url = firstUrl;
    let { method } = request;
    let headers = { ...request.headers };
    let body = request.body;
    for (let hop = 0; ; hop++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await undici.request(url, {
          dispatcher: agent,
          method: method as Dispatcher.HttpMethod,
          headers,
          body: method === 'GET' || method === 'HEAD' ? undefined : (body ?? undefined),
          headersTimeout: TIMEOUT_MS,
          bodyTimeout: TIMEOUT_MS,
          signal,
        });
      } catch (err) {
        return this.failure(err, hop > 0 ? url : undefined);
      }
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.statusCode) || typeof location !== 'string') {
        try {
          return { kind: 'answered', statusCode: response.statusCode, content: await readCapped(response.body) };
        } catch (err) {
          return this.failure(err);
        }
      }
      discard(response.body); // a redirect's body is never read
      if (hop === MAX_REDIRECTS) return { kind: 'failed', reason: `stopped after ${MAX_REDIRECTS} redirects` };
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return { kind: 'failed', reason: 'redirected to an invalid URL' };
      }
      const verdict = this.judge(next);
      if (verdict.action !== 'connect') {
        return { kind: 'refused', reason: `redirect to ${shownOrigin(next)} not followed: ${verdict.reason}` };
      }
      if (response.statusCode !== 307 && response.statusCode !== 308) {
        if (method !== 'HEAD' && (response.statusCode !== 301 || method === 'POST')) method = 'GET';
        body = null;
        headers = without(headers, (k) => ['content-length', 'content-type', 'transfer-encoding'].includes(k.toLowerCase()));
      }
      if (next.origin !== url.origin) headers = without(headers, (k) => isCredentialHeader(k) || k.toLowerCase() === 'host');
      url = next;
    }
  }

  /** Closes idle connections; a later send opens new ones. */
  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    await agent?.close();
  }

  private judge(url: URL): ReturnType<OutgoingPolicy['checkHost']> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { action: 'refuse', reason: `only http and https URLs are sent, not ${url.protocol}` };
    }
    if (url.username || url.password) {
      return { action: 'refuse', reason: 'the URL must not carry a user name or password (set the webhook\'s username and password)' };
    }
    return this.options.policy.checkHost(url.hostname);
  }

  private failure(err: unknown, redirectTarget?: URL): Delivery {
    if (err instanceof RefusedConnection) {
      return {
        kind: 'refused',
        reason: redirectTarget ? `redirect to ${shownOrigin(redirectTarget)} not followed: ${err.message}` : err.message,
      };
    }
    return { kind: 'failed', reason: describeFailure(err, this.deadlineMs) };
  }

  private createAgent(undici: typeof Undici): Agent {
    const { policy } = this.options;
    const resolve = this.resolve;
    const lookup: LookupFunction = (hostname, options, callback) => {
      resolve(hostname, Number(options.family) || 0).then(
        (addresses) => {
          if (!addresses.length) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          // One refused address refuses the name: a mix of public and internal answers is a rebinding tell.
          for (const { address } of addresses) {
            const verdict = policy.checkAddress(hostname, address);
            if (!verdict.ok) throw new RefusedConnection(verdict.reason);
          }
          if (options.all) callback(null, addresses);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
      ).catch((err: NodeJS.ErrnoException) => callback(err, ''));
    };
    const base = undici.buildConnector({ timeout: TIMEOUT_MS, lookup });
    const connect: buildConnector.connector = (opts, callback) => {
      // net.connect skips the lookup for IP literals: judge them here, before any packet is sent.
      if (isIP(opts.hostname)) {
        const verdict = policy.checkAddress(opts.hostname, opts.hostname);
        if (!verdict.ok) return callback(new RefusedConnection(verdict.reason), null);
      }
      base(opts, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('no socket'), null);
        const verdict = policy.checkAddress(opts.hostname, (socket as Socket).remoteAddress ?? '');
        if (verdict.ok) return callback(null, socket);
        socket.destroy();
        callback(new RefusedConnection(verdict.reason), null);
      });
    };
    return new undici.Agent({ connect, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  }
}

/** Where a redirect pointed, without its path and query (they may carry tokens): the origin, or the scheme. */
const shownOrigin = (url: URL) => (url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol);

function without(headers: Record<string, string>, drop: (name: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !drop(k)));
}

/**
 * An undici body destroyed before its end emits RequestAbortedError; with no listener that would be
 * an uncaught exception, so a listener is attached first.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/** The body as text, reading no further than the recorded size (the rest is never buffered). */
async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  body.on('error', () => {}); // leaving early destroys the body; the iterator itself reports real errors
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (text.length >= MAX_CONTENT_CHARS) break; // leaving the loop destroys the stream
  }
  if (text.length < MAX_CONTENT_CHARS) text += decoder.decode();
  return text.slice(0, MAX_CONTENT_CHARS);
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** A failure as a plain phrase, from the error's code: never the library's own message or stack. */
export function describeFailure(err: unknown, deadlineMs: number): string {
  const e = err as { code?: unknown; name?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const name = typeof e?.name === 'string' ? e.name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return `no complete answer within ${seconds(deadlineMs)}`;
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect within ${seconds(TIMEOUT_MS)}`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `no response within ${seconds(TIMEOUT_MS)}`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `the response stalled for ${seconds(TIMEOUT_MS)}`;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'the host name does not resolve';
    case 'EAI_AGAIN':
      return 'the host name could not be resolved right now (DNS)';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was closed before an answer';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    case 'UND_ERR_INVALID_ARG':
    case 'ERR_INVALID_CHAR':
    case 'ERR_INVALID_HTTP_TOKEN':
      return 'the request is not valid HTTP (check the webhook\'s headers and method)';
    default:
      if (code && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO/.test(code)) return `TLS failed (${code})`;
      return code && /^[A-Z0-9_]+$/.test(code) ? `the request failed (${code})` : 'the request failed';
  }
}
