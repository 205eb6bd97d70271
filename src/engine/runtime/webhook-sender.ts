/**
 * The `trigger_webhook` step's HTTP request: the webhook's URL, headers and data are Jinja2
 * templates rendered with the alert group as context, sent through the outgoing-address guard
 * (`outgoing/`). The outcome (an answer, a failure, a refusal, or "not sent" for a placeholder
 * host such as the demo's hooks.example.com) is recorded on the webhook and in the alert group's
 * timeline; it never affects the escalation. Credentials are sent but never recorded.
 */
import { representAlertGroup } from '../alerting/alert-groups.js';
import type { EngineContext } from '../core/context.js';
import { shownType } from '../alerting/integration-types.js';
import { OutgoingPolicy } from './outgoing/address-policy.js';
import { maskedHeaders } from './outgoing/credentials.js';
import { type Delivery, OutgoingClient, type OutgoingRequest, type Resolver } from './outgoing/outgoing-client.js';
import type { AlertGroupRecord, WebhookRecord } from '../core/state.js';
import { renderTemplate, TemplateError } from '../alerting/templates.js';
import { isoZ } from '../core/time-format.js';
import { record } from '../alerting/timeline.js';
import { findAlertGroup, markChanged } from '../core/history.js';

export interface WebhookSenderOptions {
  /** `--webhook-allow`: host names, `*.domains`, addresses and CIDRs let through the address guard. */
  allow?: readonly string[];
  /** DNS for deliveries; tests stand in a resolver for names that point at internal addresses. */
  resolve?: Resolver;
  /** The whole delivery's time limit, redirects included (default 30 s). */
  deadlineMs?: number;
}

/** A webhook whose request cannot even be built (a template failed); the message says which part. */
class NotSendable extends Error {}
function context(ctx: EngineContext, group: AlertGroupRecord, at: number, trigger: string) {
  const { state } = ctx;
  const integration = state.integrations.get(group.integrationId);
  const alertGroup = representAlertGroup(state, group);
  return {
    event: { type: trigger, time: isoZ(at) },
    alert_group: alertGroup,
    alert_group_id: group.id,
    alert_payload: alertGroup.last_alert?.payload ?? {},
    integration: integration
      ? { id: integration.id, name: integration.name, type: shownType(integration.type), team: integration.team_id }
      : null,
  };
}

function headersOf(hook: WebhookRecord, rendered: string | null): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rendered) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rendered);
    } catch {
      throw new NotSendable('the headers template did not render a JSON object');
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) headers[k] = String(v);
    }
  }
  if (hook.username || hook.password || hook.authorization_header) {
    // The webhook's own credentials win over an Authorization header from the headers template.
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
  }
  if (hook.username || hook.password) {
    headers.authorization = `Basic ${Buffer.from(`${hook.username ?? ''}:${hook.password ?? ''}`).toString('base64')}`;
  }
  if (hook.authorization_header) headers.authorization = hook.authorization_header;
  return headers;
}

/** The request a webhook makes for this alert group; throws NotSendable naming the failed part. */
function buildRequest(hook: WebhookRecord, data: ReturnType<typeof context>, now: number): OutgoingRequest {
  const render = (part: string, source: string) => {
    try {
      return renderTemplate(source, data, { now });
    } catch (err) {
      if (err instanceof TemplateError) throw new NotSendable(`the ${part} template failed: ${err.message}`);
      throw err;
    }
  };
  const url = render('url', hook.url).trim();
  const body = hook.data ? render('data', hook.data) : hook.forward_all ? JSON.stringify(data) : null;
  const headers = headersOf(hook, hook.headers ? render('headers', hook.headers) : null);
  if (body !== null && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return { method: hook.http_method, url, headers, body };
}

/** What the timeline says, after `Webhook "<name>"`, and what the recorded response's content is. */
function describe(delivery: Delivery | { kind: 'unsendable'; reason: string }, request: OutgoingRequest | undefined) {
  switch (delivery.kind) {
    case 'answered':
      return { timeline: `answered: HTTP ${delivery.statusCode}`, content: delivery.content };
    case 'withheld':
      return {
        timeline: `not sent: ${delivery.reason}; recorded what would have been sent`,
        content: `would send ${request?.method} ${request?.url} (not sent: ${delivery.reason})`,
      };
    case 'refused':
      return { timeline: `refused: ${delivery.reason}`, content: `refused: ${delivery.reason}` };
    case 'failed':
      return { timeline: `request failed: ${delivery.reason}`, content: `request failed: ${delivery.reason}` };
    case 'unsendable':
      return { timeline: `not sent: ${delivery.reason}`, content: `not sent: ${delivery.reason}` };
  }
}

export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly client: OutgoingClient;

  constructor(
    private readonly ctx: EngineContext,
    options: WebhookSenderOptions = {},
  ) {
    this.client = new OutgoingClient({
      policy: new OutgoingPolicy(options.allow),
      ...(options.resolve ? { resolve: options.resolve } : {}),
      ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
    });
  }

  /** Fire the request and return at once; the outcome is recorded when it arrives. */
  trigger(group: AlertGroupRecord, webhookId: string, at: number, triggerType = 'escalation'): void {
    const done = this.send(group, webhookId, at, triggerType).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  /** Resolves when every request sent so far has finished (tests and shutdown wait on it). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Closes idle connections (after `settled()`, at shutdown). */
  async close(): Promise<void> {
    await this.client.close();
  }

  private async send(group: AlertGroupRecord, webhookId: string, at: number, triggerType: string): Promise<void> {
    const { state } = this.ctx;
    const hook = state.webhooks.get(webhookId);
    if (!hook) return;
    const data = context(this.ctx, group, at, triggerType);
    let request: OutgoingRequest | undefined;
    let delivery: Delivery | { kind: 'unsendable'; reason: string };
    try {
      request = buildRequest(hook, data, at);
      delivery = await this.client.send(request);
    } catch (err) {
      // Nothing may escape: this promise is not awaited, and an unhandled rejection ends the process.
      delivery = err instanceof NotSendable
        ? { kind: 'unsendable', reason: err.message }
        : { kind: 'failed', reason: 'an internal error stopped the request' };
    }
    const { timeline, content } = describe(delivery, request);
    const now = this.ctx.clock.now();
    state.webhookResponses.push({
      webhookId: hook.id,
      at: now,
      url: request?.url ?? hook.url,
      trigger: triggerType,
      requestHeaders: maskedHeaders(request?.headers ?? {}),
      requestData: request?.body ?? null,
      statusCode: delivery.kind === 'answered' ? delivery.statusCode : null,
      content,
      eventData: JSON.stringify(data.event),
    });
    // The group may have been archived while the request ran: record on the current copy.
    const current = findAlertGroup(state, group.id);
    if (current) {
      record(current, { at: now, event: 'webhook', text: `Webhook "${hook.name}" ${timeline}` });
      markChanged(state, 'alertGroups', current.id);
    }
    this.ctx.commitBackground();
  }
}
