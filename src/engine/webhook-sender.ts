/**
 * The `trigger_webhook` step's HTTP request: the webhook's URL, headers and data are Jinja2
 * templates rendered with the alert group as context, sent with undici. The response (or the
 * failure) is recorded on the webhook and in the alert group's timeline; it never affects the
 * escalation. Credentials are sent but never recorded.
 */
import { representAlertGroup } from './alert-groups.js';
import type { EngineContext } from './context.js';
import { shownType } from './integration-types.js';
import type { AlertGroupRecord, WebhookRecord } from './state.js';
import { renderTemplate } from './templates.js';
import { isoZ } from './time-format.js';
import { record } from './timeline.js';

const TIMEOUT_MS = 10_000;
const MAX_RECORDED = 10_000;
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|x-api-key)$/i;

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
    const parsed: unknown = JSON.parse(rendered);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) headers[k] = String(v);
    }
  }
  if (hook.username || hook.password) {
    headers.authorization = `Basic ${Buffer.from(`${hook.username ?? ''}:${hook.password ?? ''}`).toString('base64')}`;
  }
  if (hook.authorization_header) headers.authorization = hook.authorization_header;
  return headers;
}

function masked(headers: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.test(k) ? '****' : v])));
}

export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly ctx: EngineContext) {}

  /** Fire the request and return at once; the outcome is recorded when it arrives. */
  trigger(group: AlertGroupRecord, webhookId: string, at: number, triggerType = 'escalation'): void {
    const done = this.send(group, webhookId, at, triggerType).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  /** Resolves when every request sent so far has finished (tests and shutdown wait on it). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async send(group: AlertGroupRecord, webhookId: string, at: number, triggerType: string): Promise<void> {
    const { state } = this.ctx;
    const hook = state.webhooks.get(webhookId);
    if (!hook) return;
    const data = context(this.ctx, group, at, triggerType);
    let url = hook.url;
    let body: string | null = null;
    let headers: Record<string, string> = {};
    let statusCode: number | null = null;
    let content: string;
    try {
      url = renderTemplate(hook.url, data).trim();
      body = hook.data ? renderTemplate(hook.data, data) : hook.forward_all ? JSON.stringify(data) : null;
      headers = headersOf(hook, hook.headers ? renderTemplate(hook.headers, data) : null);
      if (body !== null && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
      // undici loads on the first webhook, not at startup (it is most of the start-up import time).
      const { request } = await import('undici');
      const response = await request(url, {
        method: hook.http_method,
        headers,
        body: hook.http_method === 'GET' ? undefined : (body ?? undefined),
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      statusCode = response.statusCode;
      content = (await response.body.text()).slice(0, MAX_RECORDED);
    } catch (err) {
      content = `request failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    const now = this.ctx.clock.now();
    state.webhookResponses.push({
      webhookId: hook.id,
      at: now,
      url,
      trigger: triggerType,
      requestHeaders: masked(headers),
      requestData: body,
      statusCode,
      content,
      eventData: JSON.stringify(data.event),
    });
    const outcome = statusCode === null ? content : `HTTP ${statusCode}`;
    record(group, { at: now, event: 'webhook', text: `Webhook "${hook.name}" answered: ${outcome}` });
    this.ctx.commitBackground();
  }
}
