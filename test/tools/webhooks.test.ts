/**
 * The webhook tools through a real MCP client on both backends: created with secrets that never
 * come back in clear, changed by name, responses newest first, and a delete that names the
 * escalation steps left triggering nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(async () => {
  await h.close();
});

describe('webhook tools', () => {
  it('create with a secret: the answer masks it, the webhook keeps it, and an update by name keeps it too', async () => {
    const made = await h.ok('create_webhook', {
      name: 'ticketing',
      url: 'https://tickets.example.com/hook',
      trigger_type: 'resolve',
      authorization_header: 'Bearer t0ps3cret',
    });
    expect(made.data.http_method).toBe('POST');
    expect(made.data.authorization_header).toBe('****************');
    expect(made.text).not.toContain('t0ps3cret');
    const updated = await h.ok('update_webhook', { webhook_id: 'ticketing', is_webhook_enabled: false, data: '' });
    expect(updated.data).toMatchObject({ id: made.data.id, is_webhook_enabled: false, data: null });
    expect(h.backend.state.webhooks.get(made.data.id)!.authorization_header).toBe('Bearer t0ps3cret');
  });

  it('delete names the steps that now trigger nothing', async () => {
    const step = [...h.backend.state.policies.values()].find((p) => p.type === 'trigger_webhook' && p.webhookId)!;
    const hook = h.backend.state.webhooks.get(step.webhookId!)!;
    const r = await h.ok('delete_webhook', { webhook_id: hook.name });
    expect(r.data.steps_left_without_webhook.map((s: { policy_id: string }) => s.policy_id)).toContain(step.id);
    expect(r.text).toContain('now trigger nothing');
    expect(r.text).toContain(step.id);
  });

  it('list_webhook_responses shows what was sent and answered, newest first', async () => {
    const hook = [...h.backend.state.webhooks.values()][0]!;
    for (const [n, status] of [[1, 500], [2, 200]] as const) {
      h.backend.state.webhookResponses.push({
        webhookId: hook.id, at: Date.parse('2026-03-24T11:00:00Z') + n * 60_000, url: 'https://x.example.com/in',
        trigger: 'escalation', requestHeaders: '{}', requestData: null, statusCode: status, content: `answer ${n}`, eventData: '{}',
      });
    }
    const r = await h.ok('list_webhook_responses', { webhook_id: hook.name });
    expect(r.data.results.map((x: { status_code: number }) => x.status_code)).toEqual([200, 500]);
    const lines = r.text.split('\n');
    expect(lines.findIndex((l) => l.includes('HTTP 200'))).toBeLessThan(lines.findIndex((l) => l.includes('HTTP 500')));
  });
});
