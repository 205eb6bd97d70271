/**
 * Integrations (semantics.md §4.1): types and their rules, default names, per-team name
 * uniqueness, links and inbound email addresses, the default route created with the integration,
 * templates, maintenance, soft delete.
 */
import { randomInt } from 'node:crypto';
import type { OnCallBackend } from '../../api/backend.js';
import { ApiError, badRequest, notFound } from '../../api/errors.js';
import type { Integration } from '../../api/types.js';
import type { EngineContext } from '../core/context.js';
import { teamFilter } from '../core/context.js';
import { blankTemplates, mergeTemplates, representTemplates } from './integration-templates.js';
import { activeMaintenance, INTEGRATION_TYPE_INFO, shownType, smileCode } from './integration-types.js';
import { paginate, queryStrings } from '../core/pagination.js';
import { applyChannels, type ChannelChanges, parseChannels, representChannels } from './route-channels.js';
import { blankRoute, defaultRouteOf, isVisibleIntegration, representRoute, routesOf } from './routes.js';
import type { IntegrationRecord, State } from '../core/state.js';
import { blankGroup, openGroupWithKey } from './alerts.js';
import { simulateAlert, simulatedInstant } from './alert-preview.js';
import { simulateEscalation } from '../simulation.js';
import { markChanged } from '../core/history.js';
import { alertGroupIndex } from '../core/alert-group-index.js';
import { formatSeconds } from '../../api/durations.js';
import { boundedWindowSeconds, MAX_WINDOW_SECONDS } from '../core/bounds.js';
import { isoSecondsZ, isoZ } from '../core/time-format.js';
import {
  asBody,
  type Body,
  FieldErrors,
  has,
  MSG,
  parseInteger,
  readRelatedId,
  readString,
} from '../core/validation.js';

export const INTEGRATION_PATH = '/api/v1/integrations/';
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newIntegrationToken(): string {
  let token = '';
  for (let i = 0; i < 25; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

export function integrationLink(publicUrl: string, integration: IntegrationRecord): string | null {
  if (!INTEGRATION_TYPE_INFO[integration.type]?.link) return null;
  return `${publicUrl}/integrations/v1/${shownType(integration.type)}/${integration.token}/`;
}

export function representIntegration(ctx: EngineContext, integration: IntegrationRecord): Integration {
  const { state } = ctx;
  const link = integrationLink(ctx.publicUrl, integration);
  const route = defaultRouteOf(state, integration.id);
  const maintenance = activeMaintenance(integration, ctx.clock.now());
  const backends = state.organization.messaging_backends;
  return {
    id: integration.id,
    name: integration.name,
    description_short: integration.description_short,
    team_id: integration.team_id,
    link,
    inbound_email:
      integration.type === 'inbound_email'
        ? `${integration.token}@${state.organization.inbound_email_domain}`
        : null,
    type: shownType(integration.type),
    default_route: {
      id: route.id,
      escalation_chain_id: route.chainId,
      ...representChannels(route, backends),
    },
    templates: representTemplates(integration.templates, backends),
    heartbeat:
      INTEGRATION_TYPE_INFO[integration.type]?.heartbeat && link ? { link: `${link}heartbeat/` } : null,
    maintenance_mode: maintenance?.mode ?? null,
    maintenance_started_at: maintenance ? isoSecondsZ(maintenance.startedAt) : null,
    maintenance_end_at: maintenance ? isoZ(maintenance.endAt) : null,
  } as Integration;
}

/**
 * Maintenance mode collects new alerts in one special alert group, "Maintenance of <name> for
 * <duration>", which lives in a hidden per-team Maintenance integration and never escalates.
 */
function openMaintenanceGroup(ctx: EngineContext, integration: IntegrationRecord, duration: number, now: number): void {
  const { state } = ctx;
  let hidden = [...state.integrations.values()].find(
    (i) => i.type === 'maintenance' && i.team_id === integration.team_id && !i.deleted,
  );
  if (!hidden) {
    hidden = {
      id: ctx.newId('C'),
      name: 'Maintenance',
      description_short: null,
      team_id: integration.team_id,
      type: 'maintenance',
      token: newIntegrationToken(),
      templates: blankTemplates(state.organization.messaging_backends),
      maintenance: null,
      deleted: false,
      created_at: now,
    };
    state.integrations.set(hidden.id, hidden);
    const route = blankRoute(ctx.newId('R'), hidden.id, true);
    state.routes.set(route.id, route);
    state.counters.integrationsCreated += 1;
  }
  const group = blankGroup(ctx.newId('I'), hidden.id, null, now);
  group.maintenanceOf = integration.id;
  group.title = `Maintenance of ${integration.name} for ${formatSeconds(duration)}`;
  group.timeline.push({ at: now, event: 'registered', text: `${group.title} started` });
  state.alertGroups.set(group.id, group);
  markChanged(state, 'alertGroups', group.id);
}

function closeMaintenanceGroup(state: State, integrationId: string, now: number): void {
  for (const group of alertGroupIndex(state).maintenanceCollectors(integrationId)) {
    group.resolved = true;
    group.resolvedAt = now;
    group.timeline.push({ at: now, event: 'resolved', text: 'Maintenance ended' });
    markChanged(state, 'alertGroups', group.id);
  }
}

/** The `type` of a create: a short-circuit `{"detail": …}` for anything that cannot be created. */
function parseCreateType(errors: FieldErrors, body: Body): string | undefined {
  if (!has(body, 'type')) {
    errors.add('type', MSG.required);
    return undefined;
  }
  const raw = body.type;
  if (typeof raw === 'string' && raw.startsWith('legacy_'))
    throw badRequest('This integration type is deprecated');
  if (raw === 'direct_paging') throw badRequest('Direct paging integrations can\'t be created');
  if (typeof raw !== 'string' || !INTEGRATION_TYPE_INFO[raw]?.creatable)
    throw badRequest('Invalid integration type');
  return raw;
}

interface DefaultRouteChanges {
  chainId?: string | null;
  channels?: ChannelChanges;
}

export function integrations(ctx: EngineContext): OnCallBackend['integrations'] {
  const { state } = ctx;

  const get = (id: string): IntegrationRecord => {
    const integration = state.integrations.get(id);
    if (!isVisibleIntegration(integration)) throw notFound('integration', id);
    return integration;
  };

  const checkUniqueName = (name: string, teamId: string | null, exceptId?: string) => {
    for (const other of state.integrations.values()) {
      if (
        isVisibleIntegration(other)
        && other.id !== exceptId
        && other.name === name
        && other.team_id === teamId
      ) {
        throw badRequest('An integration with this name already exists for this team');
      }
    }
  };

  /** Shared by create and update; collects errors, short-circuits like OnCall. */
  const parseCommon = (body: Body, errors: FieldErrors, current: IntegrationRecord | undefined) => {
    const name = readString(errors, body, 'name', { maxLength: 150 });
    const description = readString(errors, body, 'description_short', {
      maxLength: 250,
      nullable: true,
      allowBlank: true,
    });
    const teamId = readRelatedId(errors, body, 'team_id', (id) => state.teams.has(id), {
      nullable: true,
      nullString: true,
    });
    const backends = state.organization.messaging_backends;
    const templates = has(body, 'templates')
      ? mergeTemplates(current?.templates ?? blankTemplates(backends), body.templates, backends, errors)
      : undefined;
    let routeBody: Body | undefined;
    if (has(body, 'default_route')) {
      const raw = body.default_route;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        errors.add('default_route', MSG.notADict(raw));
      else routeBody = raw as Body;
    }
    return { name, description, teamId, templates, routeBody };
  };

  /**
   * The default route's own fields. OnCall's integration serializer only checks that
   * `default_route` is a dict; the route's serializer validates it afterwards, once the
   * integration passed (create and update run it inside the same transaction), so its errors
   * are its own body's — `{"slack": {"channel_id": [...]}}`, not nested under `default_route`
   * (docs/semantics.md §1.2).
   */
  const parseDefaultRoute = (routeBody: Body | undefined): DefaultRouteChanges | undefined => {
    if (!routeBody) return undefined;
    const routeErrors = new FieldErrors();
    const route: DefaultRouteChanges = {
      chainId: readRelatedId(routeErrors, routeBody, 'escalation_chain_id', (id) => state.chains.has(id), {
        nullable: true,
      }),
      channels: parseChannels(state, routeBody, routeErrors),
    };
    routeErrors.throwIfAny();
    return route;
  };

  const applyDefaultRoute = (integrationId: string, changes: DefaultRouteChanges | undefined) => {
    if (!changes) return;
    const route = defaultRouteOf(state, integrationId);
    if (changes.chainId !== undefined) route.chainId = changes.chainId;
    if (changes.channels) applyChannels(route, changes.channels);
  };

  return {
    async list(query) {
      const byTeam = teamFilter(state, query.team_id);
      const items = [...state.integrations.values()]
        .filter(isVisibleIntegration)
        .filter((i) => query.name === undefined || i.name === query.name)
        .filter((i) => !byTeam || byTeam(i.team_id));
      const request = { path: INTEGRATION_PATH, query: queryStrings(query), defaultSize: 50 };
      return paginate(items, ctx.publicUrl, request, (i) => representIntegration(ctx, i));
    },

    async get(id) {
      return representIntegration(ctx, get(id));
    },

    async create(raw) {
      const body = asBody(raw);
      const errors = new FieldErrors();
      const type = parseCreateType(errors, body);
      const parsed = parseCommon(body, errors, undefined);
      errors.throwIfAny();
      const teamId = parsed.teamId ?? null;
      if (parsed.name) checkUniqueName(parsed.name, teamId);
      const routeChanges = parseDefaultRoute(parsed.routeBody);

      const integration: IntegrationRecord = {
        id: ctx.newId('C'),
        name:
          parsed.name
          ?? `${INTEGRATION_TYPE_INFO[type!]!.title} ${smileCode(state.counters.integrationsCreated)}`,
        description_short: parsed.description ?? null,
        team_id: teamId,
        type: type!,
        token: newIntegrationToken(),
        templates: parsed.templates ?? blankTemplates(state.organization.messaging_backends),
        maintenance: null,
        deleted: false,
        created_at: ctx.clock.now(),
      };
      const route = blankRoute(ctx.newId('R'), integration.id, true);
      state.integrations.set(integration.id, integration);
      state.routes.set(route.id, route);
      state.counters.integrationsCreated += 1;
      applyDefaultRoute(integration.id, routeChanges);
      ctx.commit(['integrations', 'routes', 'counters']);
      return representIntegration(ctx, integration);
    },

    async update(id, raw) {
      const integration = get(id);
      const body = asBody(raw);
      const errors = new FieldErrors();
      const parsed = parseCommon(body, errors, integration); // `type` is read-only: ignored
      errors.throwIfAny();
      const teamId = parsed.teamId === undefined ? integration.team_id : parsed.teamId;
      if (parsed.name) checkUniqueName(parsed.name, teamId, integration.id);
      if (integration.type === 'direct_paging' && teamId !== integration.team_id) {
        const taken = [...state.integrations.values()].some(
          (i) => isVisibleIntegration(i) && i.type === 'direct_paging' && i.team_id === teamId,
        );
        if (taken) throw badRequest('Direct paging integration already exists for this team');
      }
      const routeChanges = parseDefaultRoute(parsed.routeBody);
      if (parsed.name) integration.name = parsed.name;
      if (parsed.description !== undefined) integration.description_short = parsed.description;
      if (parsed.teamId !== undefined) integration.team_id = parsed.teamId;
      if (parsed.templates) integration.templates = parsed.templates;
      applyDefaultRoute(integration.id, routeChanges);
      ctx.commit(['integrations', 'routes']);
      return representIntegration(ctx, integration);
    },

    async delete(id) {
      const integration = get(id);
      if (integration.type === 'direct_paging')
        throw badRequest('Direct paging integrations can\'t be deleted');
      integration.deleted = true; // soft delete: its routes vanish from /routes, alert groups stay
      ctx.commit(['integrations']);
    },

    async startMaintenance(id, raw) {
      const integration = get(id);
      const body = asBody(raw);
      const mode = typeof body.mode === 'string' ? body.mode.toLowerCase() : undefined;
      if (mode !== 'maintenance' && mode !== 'debug') throw new ApiError(400, { mode: ['Unknown mode'] });
      const duration = parseInteger(body.duration);
      if (duration === undefined || !boundedWindowSeconds(duration)) {
        throw new ApiError(400, {
          duration: [`Invalid duration: give whole seconds from 1 to ${MAX_WINDOW_SECONDS} (a year), e.g. 3600 for an hour.`],
        });
      }
      const now = ctx.clock.now();
      if (activeMaintenance(integration, now)) throw badRequest('Already on maintenance');
      integration.maintenance = { mode, startedAt: now, endAt: now + duration * 1000 };
      if (mode === 'maintenance') openMaintenanceGroup(ctx, integration, duration, now);
      ctx.commit(['integrations', 'routes', 'counters']); // maintenance mode may create its hidden integration
      return representIntegration(ctx, integration);
    },

    async simulateAlert(id, options) {
      const integration = get(id);
      const body = asBody(options);
      if (!has(body, 'payload')) throw new ApiError(400, { payload: [MSG.required] });
      const at = simulatedInstant(typeof body.at === 'string' ? body.at : body.at === undefined ? undefined : String(body.at), ctx.clock.now());
      return simulateAlert({
        integration: representIntegration(ctx, integration),
        routes: routesOf(state, id).map((r) => representRoute(state, r)),
        payload: body.payload,
        at,
        openGroupWithKey: (key) => openGroupWithKey(state, id, key)?.id ?? null,
        simulate: async (chainId, start) => simulateEscalation(state, chainId, { at: start }, ctx.clock.now()),
      });
    },

    async stopMaintenance(id) {
      const integration = get(id);
      integration.maintenance = null;
      closeMaintenanceGroup(state, integration.id, ctx.clock.now());
      ctx.commit(['integrations']);
      return representIntegration(ctx, integration);
    },
  };
}
