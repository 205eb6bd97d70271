/**
 * An OnCall-compatible REST API (`/api/v1/…`) over any `OnCallBackend`: OnCall's paths (trailing
 * slash optional), methods, statuses (201 create, 200 update, 204 delete, 200 direct paging, 405,
 * 404), error bodies and pagination, behind token auth (raw or `Bearer`, 403 otherwise).
 *
 * Two extensions serve this project's own HTTP backend and say so in their paths: the alert-group
 * timeline and escalation simulation. A live OnCall has neither.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OnCallBackend, UpdateMode } from '../api/backend.js';
import { ApiError } from '../api/errors.js';
import { ALERT_GROUP_ACTIONS, type AlertGroupAction } from '../api/types.js';

export interface RestOptions {
  backend: OnCallBackend;
  /** The API token clients must send. */
  token: string;
  /** Requests per minute per token (OnCall: 300); 0 turns the limit off. */
  rateLimit?: number;
  /** Inbound alerts (`POST /integrations/v1/<type>/<token>/`), when the backend can take them. */
  receiveAlert?: (type: string, token: string, payload: unknown) => boolean;
  log?: (line: string) => void;
  now?: () => number;
  /** Added to every API answer, to stand in for a network round trip (benchmarks). */
  simulatedLatencyMs?: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time token check; both the raw form and `Bearer <token>` are accepted. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : header;
  return timingSafeEqual(digest(presented), digest(token));
}

type Handler = (c: Context) => Promise<Response>;

export function createRestApp(options: RestOptions): Hono {
  const { backend } = options;
  const app = new Hono({ strict: false });
  const now = options.now ?? (() => Date.now());
  const windows = new Map<string, { start: number; count: number }>();

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body as object, err.status as ContentfulStatusCode);
    options.log?.(`oncall-mcp api: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return c.json({ detail: 'Internal server error.' }, 500);
  });
  app.notFound((c) => c.json({ detail: 'Not found.' }, 404));

  // Inbound alerts are authenticated by the integration token in their URL, not by the API token.
  app.post('/integrations/v1/:type/:token', async (c) => {
    if (!options.receiveAlert) return c.json({ detail: 'Not found.' }, 404);
    const accepted = options.receiveAlert(c.req.param('type'), c.req.param('token'), await readJson(c));
    return accepted ? c.text('Ok.') : c.json({ detail: 'Not found.' }, 404);
  });

  app.use('/api/v1/*', async (c, next) => {
    if (options.simulatedLatencyMs) await new Promise((r) => setTimeout(r, options.simulatedLatencyMs));
    if (!tokenMatches(c.req.header('authorization'), options.token)) {
      return c.json({ detail: 'Invalid token.' }, 403);
    }
    const limit = options.rateLimit ?? 300;
    if (limit > 0) {
      const t = now();
      const window = windows.get('token');
      if (!window || t - window.start >= 60_000) windows.set('token', { start: t, count: 1 });
      else if (++window.count > limit) {
        const wait = Math.ceil((window.start + 60_000 - t) / 1000);
        c.header('Retry-After', String(wait));
        c.header('RateLimit-Reset', String(wait));
        return c.json({ detail: `Request was throttled. Expected available in ${wait} seconds.` }, 429);
      }
    }
    await next();
  });

  const base = '/api/v1';
  /** Query parameters as strings; the backends parse them (leniently, as OnCall does). */
  const query = (c: Context): never => c.req.query() as never;

  /** list/get/create/update/delete for one resource; anything else on its paths is a 405. */
  const resource = (
    path: string,
    ops: {
      list?: Handler;
      create?: Handler;
      get?: Handler;
      update?: (c: Context, mode: UpdateMode) => Promise<Response>;
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
    c.json((await fn((await readJson(c)) as never)) as object, status);
  type Updater = (id: string, body: never, mode: UpdateMode) => Promise<unknown>;
  const update = (fn: Updater) => async (c: Context, mode: UpdateMode) =>
    c.json((await fn(c.req.param('id')!, (await readJson(c)) as never, mode)) as object);
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
  app.post(`${base}/escalation_chains/:id/oncall_mcp_simulate`, async (c) =>
    c.json(await backend.escalationChains.simulate(c.req.param('id'), (await readJson(c)) as never)),
  );
  app.post(`${base}/escalation_policies/:id/advance_round_robin`, async (c) =>
    c.json(await backend.escalationPolicies.advanceRoundRobin(c.req.param('id'))),
  );
  app.post(`${base}/integrations/:id/maintenance_start`, async (c) =>
    c.json(await backend.integrations.startMaintenance(c.req.param('id'), (await readJson(c)) as never)),
  );
  app.post(`${base}/integrations/:id/maintenance_stop`, async (c) =>
    c.json(await backend.integrations.stopMaintenance(c.req.param('id'))),
  );
  app.get(`${base}/schedules/:id/final_shifts`, async (c) =>
    c.json(await backend.schedules.finalShifts(c.req.param('id'), query(c))),
  );
  app.post(`${base}/shift_swaps/:id/take`, async (c) =>
    c.json(await backend.shiftSwaps.take(c.req.param('id'), (await readJson(c)) as never)),
  );
  app.get(`${base}/alert_groups/:id/oncall_mcp_timeline`, async (c) =>
    c.json({ results: await backend.alertGroups.timeline(c.req.param('id')) }),
  );
  for (const action of ALERT_GROUP_ACTIONS) {
    app.post(`${base}/alert_groups/:id/${action}`, async (c) => {
      await backend.alertGroups.action(c.req.param('id'), action as AlertGroupAction, (await readJson(c)) as never);
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
    get: get((id) => backend.shiftSwaps.get(id)),
  });
  resource('alert_groups', {
    list: async (c) =>
      c.json(await backend.alertGroups.list({ ...(c.req.query() as object), label: c.req.queries('label') } as never)),
    get: get((id) => backend.alertGroups.get(id)),
    remove: async (c) => {
      const text = await c.req.text();
      await backend.alertGroups.delete(c.req.param('id')!, text.trim() ? parseJson(text) : undefined);
      return c.body(null, 204);
    },
  });
  resource('alerts', { list: list((q) => backend.alerts.list(q)) });
  resource('resolution_notes', {
    list: list((q) => backend.resolutionNotes.list(q)),
    create: create((b) => backend.resolutionNotes.create(b)),
    get: get((id) => backend.resolutionNotes.get(id)),
    update: update((id, b) => backend.resolutionNotes.update(id, b)),
    remove: remove((id) => backend.resolutionNotes.delete(id)),
  });
  resource('users', { list: list((q) => backend.users.list(q)), get: get((id) => backend.users.get(id)) });
  resource('teams', { list: list((q) => backend.teams.list(q)), get: get((id) => backend.teams.get(id)) });
  resource('user_groups', { list: list((q) => backend.userGroups.list(q)) });
  resource('webhooks', { list: list((q) => backend.webhooks.list(q)), get: get((id) => backend.webhooks.get(id)) });
  app.post(`${base}/escalation`, create((b) => backend.escalation.create(b), 200));
  app.all(`${base}/escalation`, notAllowed);

  return app;
}

function notAllowed(c: Context): Response {
  return c.json({ detail: `Method "${c.req.method}" not allowed.` }, 405);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, { detail: `JSON parse error - ${(err as Error).message}` });
  }
}

/** The request body as JSON; an empty body is `{}` (action endpoints are often called without one). */
async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  return text.trim() ? parseJson(text) : {};
}
