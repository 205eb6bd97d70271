/**
 * An OnCall-compatible REST API (`/api/v1/…`) over any `OnCallBackend`: OnCall's paths (trailing
 * slash optional), methods, statuses (201 create, 200 update, 204 delete, 200 direct paging, 405,
 * 404), error bodies and pagination, behind token auth (raw or `Bearer`, 403 otherwise).
 *
 * Two extensions serve this project's own HTTP backend and say so in their paths: the alert-group
 * timeline and escalation simulation. A live OnCall has neither.
 *
 * Everything that arrives is untrusted, so each request is checked cheapest first and its body is
 * read last: auth (and the failed-auth limit), then the rate limit, then the body, capped in size
 * and nesting. A request refused before its body was read is answered with `Connection: close`,
 * so the client stops sending and the server never reads what it would only throw away.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { InboundAlerts, OnCallBackend, UpdateMode } from '../api/backend.js';
import { ApiError } from '../api/errors.js';
import { jsonTextTooDeep, MAX_BODY_BYTES, MAX_JSON_DEPTH, tooDeepMessage } from '../api/input-limits.js';
import { ALERT_GROUP_ACTIONS, type AlertGroupAction } from '../api/types.js';
import { type BodyRead, formFields, readCappedBody, readCappedStream } from './body.js';
import { isRefusal, type ProfileOptions, ProfileRules } from './profiles.js';
import { createThrottles, DEFAULT_THROTTLE_LIMITS, throttledBody } from './throttle.js';

export interface RestOptions {
  backend: OnCallBackend;
  /** The API token clients must send. */
  token: string;
  /** Requests per minute per token (OnCall: 300); 0 turns the limit off. */
  rateLimit?: number;
  /** Inbound alerts per integration per 5 minutes (OnCall: 300); 0 turns the limit off. */
  alertRateLimit?: number;
  /** Inbound alerts per organisation per 5 minutes (OnCall: 500); 0 turns the limit off. */
  organizationAlertRateLimit?: number;
  /** Failed authentications per remote address per minute before it is refused (30); 0 = off. */
  authFailureLimit?: number;
  /** Largest request body in bytes (OnCall/Django: 1 MiB); larger is a 413. */
  maxBodyBytes?: number;
  /** Inbound alerts (`POST /integrations/v1/<type>/<token>/`), when the backend can take them. */
  inboundAlerts?: InboundAlerts;
  log?: (line: string) => void;
  /** Added to every API answer, to stand in for a network round trip (benchmarks). */
  simulatedLatencyMs?: number;
  /**
   * Behave like Grafana Cloud IRM or self-hosted OnCall (header forms, Grafana headers,
   * service-account refusals, endpoints that exist): see profiles.ts. Default: lenient.
   */
  profile?: ProfileOptions;
  /** Called once per API request that reached authentication (benchmarks count upstream requests). */
  onRequest?: (method: string, path: string) => void;
}

/** Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which caps OnCall's request bodies. */
export const DEFAULT_MAX_BODY_BYTES = MAX_BODY_BYTES;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time token check; both the raw form and `Bearer <token>` are accepted. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : header;
  return timingSafeEqual(digest(presented), digest(token));
}

type Handler = (c: Context<AppEnv>) => Promise<Response>;

/** The facade has one API token, so every authenticated request counts against one key. */
const API_TOKEN_KEY = 'api-token';

/** OnCall adds `RateLimit-Reset` to its 429s except on these views (semantics.md §1.5). */
const NO_RATELIMIT_RESET = /^\/api\/v1\/(teams|escalation)(\/|$)/;

/**
 * What a request's first steps hand the next: the integration an inbound URL named, and the body
 * as `limitBody` read it (absent for GET and HEAD, which carry none).
 */
type AppEnv = { Variables: { integrationId: string; body: BodyRead } };

export function createRestApp(options: RestOptions): Hono<AppEnv> {
  const { backend } = options;
  const app = new Hono<AppEnv>({ strict: false });
  const throttles = createThrottles({
    apiPerMinute: options.rateLimit ?? DEFAULT_THROTTLE_LIMITS.apiPerMinute,
    alertsPerIntegration: options.alertRateLimit ?? DEFAULT_THROTTLE_LIMITS.alertsPerIntegration,
    alertsPerOrganization: options.organizationAlertRateLimit ?? DEFAULT_THROTTLE_LIMITS.alertsPerOrganization,
    authFailuresPerMinute: options.authFailureLimit ?? DEFAULT_THROTTLE_LIMITS.authFailuresPerMinute,
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // The body is read last, after auth and the rate limits, and never past the cap.
  const limitBody: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const tooLarge = () => refuse(c, 413, { detail: `Request body is larger than ${maxBodyBytes} bytes.` });
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding') && Number(declared) > maxBodyBytes) return tooLarge();
    const read = await readBody(c, maxBodyBytes);
    if (!read.ok && read.reason === 'too-large') return tooLarge();
    c.set('body', read);
    await next();
  };

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body as object, err.status as ContentfulStatusCode);
    // The detail goes to the log only: an HTTP body never carries exception text or a stack.
    options.log?.(`oncall-mcp api: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return c.json({ detail: 'Internal server error.' }, 500);
  });
  app.notFound((c) => c.json({ detail: 'Not found.' }, 404));

  const throttled = (c: Context, wait: number, resetHeader: boolean) => {
    c.header('Retry-After', String(wait));
    if (resetHeader) c.header('RateLimit-Reset', String(wait));
    return refuse(c, 429, throttledBody(wait));
  };

  // Inbound alerts are authenticated by the integration token in their URL, not by the API token.
  // The integration is found before a byte of the body is read: a wrong token costs nothing.
  const inboundPath = '/integrations/v1/:type/:token';
  const findIntegration: MiddlewareHandler<AppEnv> = async (c, next) => {
    const inbound = options.inboundAlerts;
    if (!inbound) return refuse(c, 404, { detail: 'Not found.' });
    const address = remoteAddress(c);
    const blocked = await throttles.authBlocked(address);
    if (blocked !== undefined) return throttled(c, blocked, false);
    const integrationId = inbound.findIntegrationByToken(c.req.param('type')!, c.req.param('token')!);
    if (integrationId === undefined) {
      await throttles.authFailed(address);
      return refuse(c, 404, { detail: 'Not found.' });
    }
    const wait = await throttles.alert(integrationId);
    if (wait !== undefined) return throttled(c, wait, false);
    c.set('integrationId', integrationId);
    await next();
  };
  app.post(inboundPath, findIntegration, limitBody, async (c) => {
    await options.inboundAlerts!.takeAlert(c.get('integrationId'), readJson(c));
    return c.text('Ok.');
  });

  const rules = options.profile ? new ProfileRules(options.profile, options.token) : undefined;

  app.use('/api/v1/*', async (c, next) => {
    if (options.simulatedLatencyMs) await new Promise((r) => setTimeout(r, options.simulatedLatencyMs));
    options.onRequest?.(c.req.method, c.req.path);
    const address = remoteAddress(c);
    const resetHeader = !NO_RATELIMIT_RESET.test(c.req.path);
    const blocked = await throttles.authBlocked(address);
    if (blocked !== undefined) return throttled(c, blocked, resetHeader);
    if (rules) {
      // Django resolves the URL before the view authenticates: an absent endpoint is a 404 to anyone.
      if (rules.absent(c.req.path)) return refuse(c, 404, { detail: 'Not found.' });
      const caller = rules.authenticate(c.req.path, c.req.method, (name) => c.req.header(name));
      if (isRefusal(caller)) {
        if (caller.body.detail === 'Invalid token.') await throttles.authFailed(address);
        return refuse(c, caller.status, caller.body);
      }
    } else if (!tokenMatches(c.req.header('authorization'), options.token)) {
      await throttles.authFailed(address);
      return refuse(c, 403, { detail: 'Invalid token.' });
    }
    const wait = await throttles.apiRequest(API_TOKEN_KEY);
    if (wait !== undefined) return throttled(c, wait, resetHeader);
    await next();
  });
  app.use('/api/v1/*', limitBody);

  const base = '/api/v1';
  /** Query parameters as strings; the backends parse them (leniently, as OnCall does). */
  const query = (c: Context<AppEnv>): never => c.req.query() as never;

  /** list/get/create/update/delete for one resource; anything else on its paths is a 405. */
  const resource = (
    path: string,
    ops: {
      list?: Handler;
      create?: Handler;
      get?: Handler;
      update?: (c: Context<AppEnv>, mode: UpdateMode) => Promise<Response>;
      remove?: Handler;
    },
  ) => {
    if (ops.list) app.get(`${base}/${path}`, ops.list);
    if (ops.create) app.post(`${base}/${path}`, ops.create);
    if (ops.get) app.get(`${base}/${path}/:id`, ops.get);
    if (ops.update) {
      const update = ops.update;
      app.put(`${base}/${path}/:id`, (c) => update(c, 'put'));
      app.patch(`${base}/${path}/:id`, (c) => update(c, 'patch'));
    }
    if (ops.remove) app.delete(`${base}/${path}/:id`, ops.remove);
    app.all(`${base}/${path}`, notAllowed);
    app.all(`${base}/${path}/:id`, notAllowed);
  };

  const list = (fn: (q: never) => Promise<unknown>): Handler => async (c) => c.json((await fn(query(c))) as object);
  const get = (fn: (id: string) => Promise<unknown>): Handler => async (c) => c.json((await fn(c.req.param('id')!)) as object);
  const create = (fn: (body: never) => Promise<unknown>, status: ContentfulStatusCode = 201): Handler => async (c) =>
    c.json((await fn((await readApiBody(c)) as never)) as object, status);
  type Updater = (id: string, body: never, mode: UpdateMode) => Promise<unknown>;
  const update = (fn: Updater) => async (c: Context<AppEnv>, mode: UpdateMode) =>
    c.json((await fn(c.req.param('id')!, (await readApiBody(c)) as never, mode)) as object);
  const remove = (fn: (id: string) => Promise<void>): Handler => async (c) => {
    await fn(c.req.param('id')!);
    return c.body(null, 204);
  };

  // Custom actions go before the resource routes so `/:id` does not swallow them.
  app.get(`${base}/escalation_chains/:id/current_oncall`, async (c) =>
    c.json(await backend.escalationChains.currentOncall(c.req.param('id'))),
  );
  app.get(`${base}/escalation_chains/:id/previous_oncall`, async (c) =>
    c.json(await backend.escalationChains.previousOncall(c.req.param('id'), { days: c.req.query('days') as never })),
  );
  app.get(`${base}/escalation_chains/:id/next_oncall`, async (c) =>
    c.json(await backend.escalationChains.nextOncall(c.req.param('id'), { days: c.req.query('days') as never })),
  );
  app.post(`${base}/integrations/:id/oncall_mcp_simulate_alert`, async (c) =>
    c.json(await backend.integrations.simulateAlert(c.req.param('id'), (await readApiBody(c)) as never)),
  );
  app.post(`${base}/escalation_chains/:id/oncall_mcp_simulate`, async (c) =>
    c.json(await backend.escalationChains.simulate(c.req.param('id'), (await readApiBody(c)) as never)),
  );
  app.post(`${base}/escalation_policies/:id/advance_round_robin`, async (c) =>
    c.json(await backend.escalationPolicies.advanceRoundRobin(c.req.param('id'))),
  );
  app.post(`${base}/integrations/:id/maintenance_start`, async (c) =>
    c.json(await backend.integrations.startMaintenance(c.req.param('id'), (await readApiBody(c)) as never)),
  );
  app.post(`${base}/integrations/:id/maintenance_stop`, async (c) =>
    c.json(await backend.integrations.stopMaintenance(c.req.param('id'))),
  );
  app.get(`${base}/schedules/:id/final_shifts`, async (c) =>
    c.json(await backend.schedules.finalShifts(c.req.param('id'), query(c))),
  );
  app.post(`${base}/shift_swaps/:id/take`, async (c) =>
    c.json(await backend.shiftSwaps.take(c.req.param('id'), (await readApiBody(c)) as never)),
  );
  app.get(`${base}/alert_groups/:id/oncall_mcp_timeline`, async (c) =>
    c.json({ results: await backend.alertGroups.timeline(c.req.param('id')) }),
  );
  for (const action of ALERT_GROUP_ACTIONS) {
    app.post(`${base}/alert_groups/:id/${action}`, async (c) => {
      await backend.alertGroups.action(c.req.param('id'), action as AlertGroupAction, (await readApiBody(c)) as never);
      return c.body(null, 200);
    });
  }
  app.get(`${base}/users/current`, async (c) => c.json(await backend.users.current()));

  resource('escalation_chains', {
    list: list((q) => backend.escalationChains.list(q)),
    create: create((b) => backend.escalationChains.create(b)),
    get: get((id) => backend.escalationChains.get(id)),
    update: update((id, b, mode) => backend.escalationChains.update(id, b, mode)),
    remove: remove((id) => backend.escalationChains.delete(id)),
  });
  resource('escalation_policies', {
    list: list((q) => backend.escalationPolicies.list(q)),
    create: create((b) => backend.escalationPolicies.create(b)),
    get: get((id) => backend.escalationPolicies.get(id)),
    update: update((id, b, mode) => backend.escalationPolicies.update(id, b, mode)),
    remove: remove((id) => backend.escalationPolicies.delete(id)),
  });
  resource('integrations', {
    list: list((q) => backend.integrations.list(q)),
    create: create((b) => backend.integrations.create(b)),
    get: get((id) => backend.integrations.get(id)),
    update: update((id, b, mode) => backend.integrations.update(id, b, mode)),
    remove: remove((id) => backend.integrations.delete(id)),
  });
  resource('routes', {
    list: list((q) => backend.routes.list(q)),
    create: create((b) => backend.routes.create(b)),
    get: get((id) => backend.routes.get(id)),
    update: update((id, b, mode) => backend.routes.update(id, b, mode)),
    remove: remove((id) => backend.routes.delete(id)),
  });
  resource('schedules', {
    list: list((q) => backend.schedules.list(q)),
    create: create((b) => backend.schedules.create(b)),
    get: get((id) => backend.schedules.get(id)),
    update: update((id, b, mode) => backend.schedules.update(id, b, mode)),
    remove: remove((id) => backend.schedules.delete(id)),
  });
  resource('on_call_shifts', {
    list: list((q) => backend.onCallShifts.list(q)),
    create: create((b) => backend.onCallShifts.create(b)),
    get: get((id) => backend.onCallShifts.get(id)),
    update: update((id, b, mode) => backend.onCallShifts.update(id, b, mode)),
    remove: remove((id) => backend.onCallShifts.delete(id)),
  });
  resource('shift_swaps', {
    list: list((q) => backend.shiftSwaps.list(q)),
    create: create((b) => backend.shiftSwaps.create(b)),
    get: async (c) => {
      const after = c.req.query('starting_after');
      return c.json(await backend.shiftSwaps.get(c.req.param('id')!, after === undefined ? {} : { starting_after: after }));
    },
    update: update((id, b, mode) => backend.shiftSwaps.update(id, b, mode)),
    remove: remove((id) => backend.shiftSwaps.delete(id)),
  });
  resource('alert_groups', {
    list: async (c) =>
      c.json(await backend.alertGroups.list({ ...(c.req.query() as object), label: c.req.queries('label') } as never)),
    get: get((id) => backend.alertGroups.get(id)),
    remove: async (c) => {
      const body = await readApiBody(c, undefined);
      await backend.alertGroups.delete(c.req.param('id')!, body as never);
      return c.body(null, 204);
    },
  });
  resource('alerts', { list: list((q) => backend.alerts.list(q)) });
  resource('resolution_notes', {
    list: list((q) => backend.resolutionNotes.list(q)),
    create: create((b) => backend.resolutionNotes.create(b)),
    get: get((id) => backend.resolutionNotes.get(id)),
    update: update((id, b, mode) => backend.resolutionNotes.update(id, b, mode)),
    remove: remove((id) => backend.resolutionNotes.delete(id)),
  });
  resource('personal_notification_rules', {
    list: list((q) => backend.personalNotificationRules.list(q)),
    create: create((b) => backend.personalNotificationRules.create(b)),
    get: get((id) => backend.personalNotificationRules.get(id)),
    update: update((id, b) => backend.personalNotificationRules.update(id, b)),
    remove: remove((id) => backend.personalNotificationRules.delete(id)),
  });
  resource('slack_channels', { list: list((q) => backend.organization.slackChannels(q)) });
  app.get(`${base}/info`, async (c) => c.json(await backend.organization.info()));
  app.all(`${base}/info`, notAllowed);
  // OnCall grants no permission for listing organisations; only `/organizations/<any>/` is usable.
  app.get(`${base}/organizations`, (c) => c.json({ detail: 'You do not have permission to perform this action.' }, 403));
  resource('organizations', { get: async (c) => c.json(await backend.organization.get()) });
  resource('users', {
    // `roles` repeats (roles=0&roles=1): every value is kept.
    list: async (c) => c.json(await backend.users.list({ ...(c.req.query() as object), roles: c.req.queries('roles') } as never)),
    get: get((id) => backend.users.get(id)),
  });
  resource('teams', { list: list((q) => backend.teams.list(q)), get: get((id) => backend.teams.get(id)) });
  resource('user_groups', { list: list((q) => backend.userGroups.list(q)) });
  app.get(`${base}/webhooks/:id/responses`, async (c) => c.json(await backend.webhooks.responses(c.req.param('id'), query(c) as never)));
  app.all(`${base}/webhooks/:id/responses`, notAllowed);
  resource('webhooks', {
    list: list((q) => backend.webhooks.list(q)),
    create: create((b) => backend.webhooks.create(b)),
    get: get((id) => backend.webhooks.get(id)),
    update: update((id, b, mode) => backend.webhooks.update(id, b, mode)),
    remove: remove((id) => backend.webhooks.delete(id)),
  });
  app.post(`${base}/escalation`, create((b) => backend.escalation.create(b), 200));
  app.all(`${base}/escalation`, notAllowed);

  return app;
}

function notAllowed(c: Context): Response {
  return c.json({ detail: `Method "${c.req.method}" not allowed.` }, 405);
}

/**
 * An answer that ends the connection: the request's body may still be on its way, unread, and
 * reading it only to throw it away would let any client make the server receive without limit.
 */
function refuse(c: Context, status: ContentfulStatusCode, body: object): Response {
  c.header('Connection', 'close');
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.complete) closeWithoutReset(incoming);
  return c.json(body, status);
}

/** A refused connection stays half-open this long, unread, so the client can read the answer. */
const LINGER = { ms: 1_000, bytes: 256 * 1024 };

/**
 * Node closes a connection with `Connection: close` by destroying the socket as soon as the
 * answer is written. With the client's body still arriving, the kernel then resets the
 * connection, and a client still sending gets EPIPE instead of the 404 or 413 waiting for it.
 * Instead: stop reading for good, send FIN after the answer, and destroy the socket a moment
 * later. The unread body backs up in the kernel's buffers and the client stalls.
 *
 * Stopping for good takes Node's own flag: its HTTP server keeps a socket marked `_paused`
 * stopped whenever something resumes it (here, the request it dumps to drop the unread body).
 * Should that flag ever stop working, a watchdog still ends the connection once more than a
 * little has been read, so the worst case is a prompt close, never an unbounded read.
 */
function closeWithoutReset(incoming: IncomingMessage): void {
  const socket = incoming.socket as Socket & { _paused?: boolean };
  socket.destroySoon = () => {
    socket._paused = true;
    socket.pause();
    socket.emit('pause'); // stops the handle even when the stream already counted as paused
    socket.end();
    const readAtClose = socket.bytesRead;
    const watchdog = setInterval(() => {
      if (socket.bytesRead - readAtClose > LINGER.bytes) socket.destroy();
    }, 10);
    const timer = setTimeout(() => socket.destroy(), LINGER.ms);
    watchdog.unref();
    timer.unref();
    socket.once('close', () => {
      clearInterval(watchdog);
      clearTimeout(timer);
    });
  };
}

/** The peer's address (the key of the failed-auth limit); Hono's node adapter puts the request in env. */
function remoteAddress(c: Context): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket.remoteAddress ?? 'unknown';
}

/**
 * The request's body, capped at `maxBytes`: read off Node's request when the app runs in Node's
 * server (body.ts says why), through the Fetch request otherwise (the app's own `fetch`).
 */
async function readBody(c: Context<AppEnv>, maxBytes: number): Promise<BodyRead> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming ? readCappedBody(incoming, maxBytes) : readCappedStream(c.req.raw.body, maxBytes);
}

/** The body `limitBody` read; a request cut off or gone is a 400 (nothing was parsed or changed). */
function bodyBytes(c: Context<AppEnv>): Buffer {
  const read = c.get('body');
  if (!read) return Buffer.alloc(0);
  if (!read.ok) throw new ApiError(400, { detail: 'The request body could not be read completely.' });
  return read.bytes;
}

/** UTF-8 as the Fetch API's `text()` decodes it (a leading BOM dropped, bad bytes replaced). */
const utf8 = new TextDecoder();

/**
 * An API request's body, parsed as OnCall's views parse it (DRF's JSON, form and multipart
 * parsers): JSON when it says so or says nothing, form fields as strings (a repeated field as a
 * list), and any other media type refused with DRF's 415.
 */
async function readApiBody(c: Context<AppEnv>, empty: unknown = {}): Promise<unknown> {
  const header = c.req.header('content-type') ?? '';
  const type = header.split(';')[0]!.trim().toLowerCase();
  if (!type || type === 'application/json' || type.endsWith('+json')) return readJson(c, empty);
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    let fields: Map<string, string[]>;
    try {
      fields = await formFields(bodyBytes(c), header);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(400, { detail: 'The request body could not be read completely.' });
    }
    const out: Record<string, unknown> = {};
    for (const [key, values] of fields) out[key] = values.length === 1 ? values[0] : values;
    return out;
  }
  throw new ApiError(415, { detail: `Unsupported media type "${type}" in request.` });
}

/**
 * The request body as JSON (already capped in size by `limitBody`); an empty body is `empty`
 * (action endpoints are often called without one). Nesting is checked on the text first.
 */
function readJson(c: Context<AppEnv>, empty: unknown = {}): unknown {
  const text = utf8.decode(bodyBytes(c));
  if (!text.trim()) return empty;
  if (jsonTextTooDeep(text, MAX_JSON_DEPTH)) throw new ApiError(400, { detail: `JSON parse error - ${tooDeepMessage()}` });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, { detail: `JSON parse error - ${(err as Error).message}` });
  }
}
