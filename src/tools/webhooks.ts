/**
 * Outgoing webhooks: create, change, delete, and what they sent and got back. Secrets are shown
 * masked and the mask may be sent back to keep them; a delete says which escalation steps then
 * trigger nothing, and asks first where the client can ask.
 */
import * as z from 'zod';
import { pageSchema } from '../api/pagination.js';
import { Webhook, WEBHOOK_HTTP_METHODS, WEBHOOK_TRIGGER_TYPES, WebhookResponse } from '../api/types.js';
import { continuePage } from './budget.js';
import { confirmDelete, StepRef, stepsUsingWebhook } from './delete-impact.js';
import { CREATE, defineTool, DESTRUCTIVE, READ_ONLY, UPDATE } from './define.js';
import { formatInstant, formatPage, formatRefList, formatStepRef, formatWebhook } from './format.js';
import { asIn, id, Page, PerPage, TeamId } from './params.js';

const WebhookId = id('Webhook id or name.');

const fields = {
  url: z.string().describe('Template; may use {{ alert_group }}, {{ alert_payload }}.'),
  http_method: z.enum(WEBHOOK_HTTP_METHODS).describe('Default POST.'),
  trigger_type: z.enum(WEBHOOK_TRIGGER_TYPES).describe('escalation = only from a trigger_webhook step.'),
  data: z.string().describe('Body template; "" = none (forward_all sends the whole event).'),
  headers: z.string().describe('JSON object template of extra headers; "" = none.'),
  username: z.string().describe('Basic auth; "" = none.'),
  password: z.string().describe('Basic auth; "" = none; the mask keeps it.'),
  authorization_header: z.string().describe('Authorization value; "" = none; the mask keeps it.'),
  trigger_template: z.string().describe('Send only when this renders true; "" = always.'),
  forward_all: z.boolean().describe('Send the whole event as the body when data is empty. Default true.'),
  is_webhook_enabled: z.boolean().describe('Default true.'),
  integration_filter: z.array(z.string()).describe('Only for these integrations (ids); [] = all.'),
};

/** "" is how a tool clears a text field; the API spells it null. */
function apiBody<T extends Record<string, unknown>>(args: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[k] = v === '' && k !== 'name' ? null : v;
  return out;
}

export const createWebhook = defineTool({
  name: 'create_webhook',
  toolset: 'directory',
  title: 'Create an outgoing webhook',
  description: 'A request OnCall sends on an alert group event; trigger_webhook steps call escalation webhooks.',
  input: z.object({
    name: z.string().describe('Unique in the organisation.'),
    url: fields.url,
    trigger_type: fields.trigger_type,
    http_method: fields.http_method.optional(),
    team: TeamId.optional(),
    data: fields.data.optional(),
    headers: fields.headers.optional(),
    username: fields.username.optional(),
    password: fields.password.optional(),
    authorization_header: fields.authorization_header.optional(),
    trigger_template: fields.trigger_template.optional(),
    forward_all: fields.forward_all.optional(),
    is_webhook_enabled: fields.is_webhook_enabled.optional(),
    integration_filter: fields.integration_filter.optional(),
  }),
  output: Webhook,
  annotations: CREATE,
  run: (args, { backend }) => backend.webhooks.create(apiBody({ http_method: 'POST', ...args })),
  text: (w) => `Created ${formatWebhook(w)}.`,
});

export const updateWebhook = defineTool({
  name: 'update_webhook',
  toolset: 'directory',
  title: 'Change an outgoing webhook',
  description: 'Change a webhook; fields as in create_webhook, left out ones stay.',
  input: z.object({
    webhook_id: WebhookId,
    ...asIn({ name: z.string(), ...fields }),
    team: TeamId.optional(),
  }),
  output: Webhook,
  annotations: UPDATE,
  run: ({ webhook_id, ...args }, { backend }) => backend.webhooks.update(webhook_id, apiBody(args), 'patch'),
  text: (w) => `Updated ${formatWebhook(w)}.`,
});

export const deleteWebhook = defineTool({
  name: 'delete_webhook',
  toolset: 'directory',
  title: 'Delete an outgoing webhook',
  description: 'Delete a webhook. The answer lists the escalation steps that then trigger nothing.',
  input: z.object({ webhook_id: WebhookId }),
  output: Webhook.extend({ deleted: z.literal(true), steps_left_without_webhook: z.array(StepRef) }),
  annotations: DESTRUCTIVE,
  async run({ webhook_id }, ctx) {
    const hook = await ctx.backend.webhooks.get(webhook_id);
    const steps = await stepsUsingWebhook(ctx.backend, hook.id);
    await confirmDelete(ctx, async () => {
      const book = await ctx.names.book('chains');
      const using = steps.length ? ` ${steps.length} escalation step(s) would then trigger nothing:\n${formatRefList(steps, (s) => formatStepRef(s, book)).join('\n')}` : '';
      return `Delete webhook ${formatWebhook(hook)}?${using}`;
    });
    await ctx.backend.webhooks.delete(hook.id);
    return { ...hook, deleted: true as const, steps_left_without_webhook: steps };
  },
  async text(out, { names }) {
    const book = await names.book('chains');
    const head = `Deleted ${formatWebhook(out)}.`;
    if (!out.steps_left_without_webhook.length) return `${head} No escalation step triggered it.`;
    return [
      `${head} These escalation steps now trigger nothing (give them another webhook with update_escalation_policy):`,
      ...formatRefList(out.steps_left_without_webhook, (s) => formatStepRef(s, book)),
    ].join('\n');
  },
});

export const listWebhookResponses = defineTool({
  name: 'list_webhook_responses',
  toolset: 'directory',
  title: 'What a webhook sent and got back',
  description: 'A webhook\'s requests, newest first: when, why, the status code and the answer.',
  input: z.object({ webhook_id: WebhookId, page: Page.optional(), perpage: PerPage.optional() }),
  output: pageSchema(WebhookResponse),
  annotations: READ_ONLY,
  run: ({ webhook_id, ...query }, { backend }) => backend.webhooks.responses(webhook_id, query),
  text: (page) =>
    formatPage(page, 'webhook responses', (r) => {
      const status = r.status_code === null ? 'no answer' : `HTTP ${r.status_code}`;
      const content = r.content ? `: ${r.content.length > 200 ? `${r.content.slice(0, 200)}…` : r.content}` : '';
      return `${formatInstant(r.timestamp, null)} ${r.request_trigger} → ${r.url} ${status}${content}`;
    }),
  continuation: ({ out, cut }) => continuePage(out, cut),
});
