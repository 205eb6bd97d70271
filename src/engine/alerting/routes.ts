/**
 * Routes (semantics.md §4.1) and the alert routing function: which route of an integration an
 * alert payload takes. Non-default routes keep their own order per integration; the default route
 * is always last and always matches.
 */

import type { OnCallBackend } from '../../api/backend.js';
import { ApiError, badRequest, notFound } from '../../api/errors.js';
import type { Route } from '../../api/types.js';
import type { EngineContext } from '../core/context.js';
import { appendOrder, place, resolvePosition } from '../core/ordering.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { pythonJsonDumps } from './python-json.js';
import { compilePythonRegex, compileRouteRegex, type RouteRegex } from './python-regex.js';
import { applyChannels, parseChannels, representChannels } from './route-channels.js';
import type { IntegrationRecord, RouteRecord, State } from '../core/state.js';
import { isValidTemplate, renderTemplate, TemplateError } from './templates.js';
import {
  asBody,
  FieldErrors,
  has,
  MSG,
  readBoolean,
  readInteger,
  readRelatedId,
  readString,
} from '../core/validation.js';

export const ROUTE_PATH = '/api/v1/routes/';
const MAX_EXPRESSION_LENGTH = 1024;

/** An integration the API can see: not deleted and not the hidden maintenance kind. */
export function isVisibleIntegration(
  integration: IntegrationRecord | undefined,
): integration is IntegrationRecord {
  return integration !== undefined && !integration.deleted && integration.type !== 'maintenance';
}

export function representRoute(state: State, route: RouteRecord): Route {
  return {
    id: route.id,
    integration_id: route.integrationId,
    escalation_chain_id: route.chainId,
    routing_type: route.routingType,
    routing_regex: route.routingRegex,
    position: route.order,
    is_the_last_route: route.isDefault,
    ...representChannels(route, state.organization.messaging_backends),
  } as Route;
}

export function blankRoute(id: string, integrationId: string, isDefault: boolean): RouteRecord {
  return {
    id,
    integrationId,
    chainId: null,
    routingType: 'regex',
    routingRegex: null,
    order: 0,
    isDefault,
    slack: { channel_id: null, enabled: true },
    telegram: { id: null, enabled: false },
    backends: {},
  };
}

/** An integration's routes in routing order: non-default by order, then the default route. */
export function routesOf(state: State, integrationId: string): RouteRecord[] {
  const all = [...state.routes.values()].filter((r) => r.integrationId === integrationId);
  const custom = all.filter((r) => !r.isDefault).sort((a, b) => a.order - b.order);
  return [...custom, ...all.filter((r) => r.isDefault)];
}

export function defaultRouteOf(state: State, integrationId: string): RouteRecord {
  const route = [...state.routes.values()].find((r) => r.integrationId === integrationId && r.isDefault);
  if (!route) throw new Error(`integration ${integrationId} has no default route`);
  return route;
}

// ---- the expression and the routing function ----

/** OnCall's object-level checks of a route expression, as `non_field_errors`. */
export function validateRouteExpression(type: string, expression: string): void {
  const fail = (message: string) => new ApiError(400, { non_field_errors: [message] });
  if (type === 'labels') throw fail('Expression type is incorrect');
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw fail(
      `Expression is too long. Maximum length: ${MAX_EXPRESSION_LENGTH} characters, current length: ${expression.length}`,
    );
  }
  if (type === 'regex') {
    const compiled = compileRouteRegex(expression);
    if (!compiled.ok) {
      // OnCall's words for a pattern that does not compile; the reason where we refuse what Python takes.
      const beyondSyntax = compiled.problem.startsWith('it uses');
      throw fail(beyondSyntax ? `Regular expression is incorrect: ${compiled.problem}` : 'Regular expression is incorrect');
    }
  }
  if (type === 'jinja2' && !isValidTemplate(expression)) throw fail('Jinja template is incorrect');
}

const regexCache = new Map<string, RouteRegex | undefined>();

function cachedRegex(source: string): RouteRegex | undefined {
  if (!regexCache.has(source)) {
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(source, compilePythonRegex(source));
  }
  return regexCache.get(source);
}

const TRUTHY = new Set(['1', 'true', 'ok']);

/** What a route's expression made of a payload: whether it matched and, for a template, its output. */
export interface RouteEvaluation {
  matched: boolean;
  /** A template's rendered text, or why it failed to render (a failure never matches). */
  rendered?: string;
  error?: string;
}

/** A route expression against a payload, as OnCall's routing function evaluates it. */
export function evaluateRouteExpression(
  type: string | null,
  expression: string,
  payload: unknown,
  now?: number,
): RouteEvaluation {
  if (type === 'regex') {
    // re.search over the payload serialised the way Python's json.dumps writes it
    return { matched: cachedRegex(expression)?.test(pythonJsonDumps(payload)) ?? false };
  }
  try {
    const rendered = renderTemplate(expression, { payload }, now === undefined ? {} : { now });
    return { matched: TRUTHY.has(rendered.trim().toLowerCase()), rendered };
  } catch (err) {
    if (err instanceof TemplateError) return { matched: false, error: err.message }; // a render error means no match
    throw err;
  }
}

/** Does a route take this payload? The default route takes everything. */
export function routeMatches(route: RouteRecord, payload: unknown, now?: number): boolean {
  if (route.isDefault) return true;
  return evaluateRouteExpression(route.routingType, route.routingRegex ?? '', payload, now).matched;
}

/** The first route of the integration that matches the payload; the default route otherwise. */
export function selectRoute(state: State, integrationId: string, payload: unknown, now?: number): RouteRecord {
  const routes = routesOf(state, integrationId);
  return routes.find((r) => routeMatches(r, payload, now)) ?? defaultRouteOf(state, integrationId);
}

// ---- the resource ----

const ROUTING_TYPES = ['regex', 'jinja2', 'labels'];

function readRoutingType(body: Record<string, unknown>): string | undefined {
  if (!has(body, 'routing_type')) return undefined;
  const raw = body.routing_type;
  if (typeof raw !== 'string' || !ROUTING_TYPES.includes(raw)) throw badRequest('Invalid route type');
  return raw;
}

export function routes(ctx: EngineContext): OnCallBackend['routes'] {
  const { state } = ctx;

  const visible = (route: RouteRecord | undefined): route is RouteRecord =>
    route !== undefined && isVisibleIntegration(state.integrations.get(route.integrationId));

  const get = (id: string) => {
    const route = state.routes.get(id);
    if (!visible(route)) throw notFound('route', id);
    return route;
  };

  const ordered = () => {
    const out: RouteRecord[] = [];
    for (const integration of state.integrations.values()) {
      if (isVisibleIntegration(integration)) out.push(...routesOf(state, integration.id));
    }
    return out;
  };

  const readChain = (errors: FieldErrors, body: Record<string, unknown>, required: boolean) => {
    if (required && !Object.hasOwn(body, 'escalation_chain_id')) {
      errors.add('escalation_chain_id', MSG.required);
      return undefined;
    }
    return readRelatedId(errors, body, 'escalation_chain_id', (id) => state.chains.has(id), {
      nullable: true,
    });
  };

  return {
    async list(query) {
      const items = ordered()
        .filter((r) => query.integration_id === undefined || r.integrationId === query.integration_id)
        .filter((r) => query.routing_regex === undefined || r.routingRegex === query.routing_regex)
        .map((r) => representRoute(state, r));
      return paginate(items, ctx.publicUrl, {
        path: ROUTE_PATH,
        query: queryStrings(query),
        defaultSize: 25,
      });
    },

    async get(id) {
      return representRoute(state, get(id));
    },

    async create(raw) {
      const body = asBody(raw);
      const errors = new FieldErrors();
      const integrationId = readRelatedId(
        errors,
        body,
        'integration_id',
        (id) => isVisibleIntegration(state.integrations.get(id)),
        { required: true },
      );
      const chainId = readChain(errors, body, true);
      const routingType = readRoutingType(body) ?? 'regex';
      const expression = readString(errors, body, 'routing_regex', { required: true });
      const position = readInteger(errors, body, 'position');
      const manualOrder = readBoolean(errors, body, 'manual_order') === true;
      const channels = parseChannels(state, body, errors);
      errors.throwIfAny();
      validateRouteExpression(routingType, expression!);

      const siblings = routesOf(state, integrationId!).filter((r) => !r.isDefault);
      const target =
        position === undefined || position === null
          ? 'append'
          : resolvePosition(siblings, position, { manualOrder, creating: true });
      const route = blankRoute(ctx.newId('R'), integrationId!, false);
      route.chainId = chainId ?? null;
      route.routingType = routingType as RouteRecord['routingType'];
      route.routingRegex = expression!;
      applyChannels(route, channels);
      route.order = appendOrder(siblings);
      state.routes.set(route.id, route);
      place([...siblings, route], route, target, manualOrder);
      ctx.commit(['routes']);
      return representRoute(state, route);
    },

    async update(id, raw) {
      const route = get(id);
      const body = asBody(raw);
      const errors = new FieldErrors();
      // integration_id is read-only.
      const chainId = readChain(errors, body, false);
      const routingType = readRoutingType(body);
      const expression = readString(errors, body, 'routing_regex');
      const position = readInteger(errors, body, 'position');
      const manualOrder = readBoolean(errors, body, 'manual_order') === true;
      const channels = parseChannels(state, body, errors);
      errors.throwIfAny();
      if (
        route.isDefault
        && (routingType !== undefined || (expression !== undefined && expression !== null))
      ) {
        throw badRequest(
          'The default route catches every alert; its routing_type and routing_regex cannot be set',
        );
      }
      // OnCall checks a new expression as a regex unless routing_type is in the same request; we
      // check it as what the route will be, so a jinja2 route keeps getting jinja2 checks.
      const effectiveType = routingType ?? route.routingType;
      if (expression !== undefined && expression !== null) validateRouteExpression(effectiveType, expression);
      else if (routingType !== undefined) validateRouteExpression(effectiveType, route.routingRegex ?? '');

      if (position !== undefined && position !== null && !route.isDefault) {
        const siblings = routesOf(state, route.integrationId).filter((r) => !r.isDefault);
        place(
          siblings,
          route,
          resolvePosition(siblings, position, { manualOrder, creating: false }),
          manualOrder,
        );
      }
      if (chainId !== undefined) route.chainId = chainId;
      if (routingType !== undefined) route.routingType = routingType as RouteRecord['routingType'];
      if (expression !== undefined && expression !== null) route.routingRegex = expression;
      applyChannels(route, channels);
      ctx.commit(['routes']);
      return representRoute(state, route);
    },

    async delete(id) {
      const route = get(id);
      if (route.isDefault) throw badRequest('Unable to delete default filter');
      state.routes.delete(id); // no renumbering
      ctx.commit(['routes']);
    },
  };
}
