/**
 * Outgoing webhooks (`/api/v1/webhooks/`): list, get, create, update, delete and the responses
 * they got, with OnCall's public serializer rules and messages: name unique in the organisation,
 * url and http_method required, the trigger type by its public label, url / data / headers /
 * trigger_template checked as templates, secrets shown masked and kept when the mask is sent
 * back, preset webhooks changed only in the web UI. Deleting a webhook leaves the escalation steps
 * that triggered it in place, triggering nothing (as OnCall's foreign key does).
 */
import type { OnCallBackend, WebhookBody } from '../../api/backend.js';
import { ApiError, badRequest } from '../../api/errors.js';
import {
  SECRET_MASK,
  WEBHOOK_HTTP_METHODS,
  WEBHOOK_TRIGGER_TYPES,
  type WebhookResponse,
} from '../../api/types.js';
import { isValidTemplate } from '../alerting/templates.js';
import { type EngineContext, getOr404, teamFilter } from '../core/context.js';
import { paginate, queryStrings } from '../core/pagination.js';
import type { WebhookRecord, WebhookResponseRecord } from '../core/state.js';
import { isoZ } from '../core/time-format.js';
import { asBody, type Body, FieldErrors, has, MSG, readBoolean, readString } from '../core/validation.js';
import { representWebhook } from './directory.js';

/** Python's repr of a list of strings, as OnCall's messages print them. */
const pyList = (items: readonly string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`;

const PRESET_MESSAGE = 'Preset webhooks must be modified through web UI';
const TEMPLATE_FIELDS = ['url', 'data', 'headers', 'trigger_template'] as const;

export function representResponse(r: WebhookResponseRecord): WebhookResponse {
  return {
    timestamp: isoZ(r.at),
    url: r.url,
    request_trigger: r.trigger,
    request_headers: r.requestHeaders,
    request_data: r.requestData,
    status_code: r.statusCode,
    content: r.content,
    event_data: r.eventData,
  };
}

interface Parsed {
  fields: Partial<WebhookRecord>;
}

function parse(ctx: EngineContext, body: Body, current: WebhookRecord | undefined): Parsed {
  const { state } = ctx;
  const creating = current === undefined;
  // Fields that raise outright in OnCall's serializer come first: they hide the others.
  if (has(body, 'trigger_type') && body.trigger_type !== undefined) {
    if (typeof body.trigger_type !== 'string' || !(WEBHOOK_TRIGGER_TYPES as readonly string[]).includes(body.trigger_type)) {
      throw badRequest(`trigger_type must one of ${pyList(WEBHOOK_TRIGGER_TYPES)}`);
    }
  }
  const errors = new FieldErrors();
  const fields: Partial<WebhookRecord> = {};
  const name = readString(errors, body, 'name', { required: creating, maxLength: 100 });
  if (name !== undefined && name !== null) fields.name = name;
  const url = readString(errors, body, 'url', { required: creating });
  if (url !== undefined && url !== null) fields.url = url;
  if (creating && !has(body, 'trigger_type')) errors.add('trigger_type', MSG.required);
  else if (has(body, 'trigger_type')) fields.trigger_type = body.trigger_type as WebhookRecord['trigger_type'];
  const method = readString(errors, body, 'http_method', { required: creating });
  if (method !== undefined && method !== null) {
    if (!(WEBHOOK_HTTP_METHODS as readonly string[]).includes(method)) {
      errors.add('http_method', `Must be one of ${pyList(WEBHOOK_HTTP_METHODS)}`);
    } else fields.http_method = method as WebhookRecord['http_method'];
  }
  for (const field of ['username', 'data', 'headers', 'trigger_template'] as const) {
    const value = readString(errors, body, field, { nullable: true, allowBlank: true });
    if (value !== undefined) fields[field] = value === '' ? null : value;
  }
  // A secret sent back as its mask keeps the stored value.
  for (const field of ['password', 'authorization_header'] as const) {
    if (body[field] === SECRET_MASK) continue;
    const value = readString(errors, body, field, { nullable: true, allowBlank: true });
    if (value !== undefined) fields[field] = value === '' ? null : value;
  }
  const enabled = readBoolean(errors, body, 'is_webhook_enabled');
  if (enabled !== undefined && enabled !== null) fields.is_webhook_enabled = enabled;
  if (has(body, 'forward_all')) {
    if (body.forward_all === null) fields.forward_all = false;
    else {
      const forward = readBoolean(errors, body, 'forward_all');
      if (forward !== undefined && forward !== null) fields.forward_all = forward;
    }
  }
  if (has(body, 'team')) {
    const team = body.team;
    if (team === null || team === '') fields.team = null;
    else if (typeof team === 'string' && state.teams.has(team)) fields.team = team;
    else errors.add('team', MSG.doesNotExist);
  }
  if (has(body, 'integration_filter')) {
    const raw = body.integration_filter;
    if (raw === null || (Array.isArray(raw) && raw.length === 0)) fields.integration_filter = null;
    else if (!Array.isArray(raw) || !raw.every((id) => typeof id === 'string' && state.integrations.has(id))) {
      throw badRequest('integration_filter must be a list of valid integration ids');
    } else fields.integration_filter = [...new Set(raw as string[])];
  }
  if (has(body, 'preset')) errors.add('preset', PRESET_MESSAGE);
  for (const field of TEMPLATE_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string' && value && !isValidTemplate(value)) {
      errors.add(field, 'Template Error: the template does not parse; check its {{ }} and {% %} tags');
    }
  }
  errors.throwIfAny();
  if (current?.preset && current.preset !== 'advanced_webhook') throw new ApiError(400, { non_field_errors: [PRESET_MESSAGE] });
  const finalName = fields.name ?? current?.name;
  if ([...state.webhooks.values()].some((w) => w.name === finalName && w.id !== current?.id)) {
    throw new ApiError(400, { non_field_errors: ['The fields name, organization must make a unique set.'] });
  }
  return { fields };
}

export function webhooks(ctx: EngineContext): OnCallBackend['webhooks'] {
  const { state } = ctx;
  const get = (id: string) => getOr404(state.webhooks, 'webhook', id);
  return {
    async list(query) {
      const byTeam = teamFilter(state, query.team_id);
      const items = [...state.webhooks.values()]
        .filter((w) => query.name === undefined || w.name === query.name)
        .filter((w) => !byTeam || byTeam(w.team))
        .map(representWebhook);
      return paginate(items, ctx.publicUrl, { path: '/api/v1/webhooks/', query: queryStrings(query), defaultSize: 50 });
    },

    async get(id) {
      return representWebhook(get(id));
    },

    async create(raw: WebhookBody) {
      const { fields } = parse(ctx, asBody(raw), undefined);
      const hook: WebhookRecord = {
        id: ctx.newId('WH'),
        name: fields.name!,
        is_webhook_enabled: fields.is_webhook_enabled ?? true,
        team: fields.team ?? null,
        data: fields.data ?? null,
        username: fields.username ?? null,
        password: fields.password ?? null,
        authorization_header: fields.authorization_header ?? null,
        trigger_template: fields.trigger_template ?? null,
        headers: fields.headers ?? null,
        url: fields.url!,
        forward_all: fields.forward_all ?? true,
        http_method: fields.http_method!,
        trigger_type: fields.trigger_type!,
        integration_filter: fields.integration_filter ?? null,
        preset: null,
      };
      state.webhooks.set(hook.id, hook);
      ctx.commit(['webhooks']);
      return representWebhook(hook);
    },

    async update(id, raw: WebhookBody) {
      const hook = get(id);
      const { fields } = parse(ctx, asBody(raw), hook);
      Object.assign(hook, fields);
      ctx.commit(['webhooks']);
      return representWebhook(hook);
    },

    async delete(id) {
      get(id);
      state.webhooks.delete(id);
      // Steps that triggered it stay, triggering nothing, until given another webhook.
      for (const policy of state.policies.values()) if (policy.webhookId === id) policy.webhookId = null;
      ctx.commit(['webhooks', 'policies']);
    },

    async responses(id, query) {
      get(id);
      const items = state.webhookResponses.filter((r) => r.webhookId === id).reverse().map(representResponse);
      return paginate(items, ctx.publicUrl, { path: `/api/v1/webhooks/${id}/responses/`, query: queryStrings(query), defaultSize: 50 });
    },
  };
}
