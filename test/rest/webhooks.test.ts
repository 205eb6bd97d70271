/**
 * Outgoing webhooks can be created, changed and deleted, and their responses read, as in OnCall
 * (grafana/oncall engine/apps/public_api/serializers/webhooks.py): name, url, http_method and
 * trigger_type required; trigger_type by its public label, else `trigger_type must one of [...]`;
 * http_method `Must be one of [...]`; the name unique in the organisation; `preset` refused;
 * secrets shown masked, and the mask sent back keeps the stored value; url/data/headers checked as
 * templates. Raw HTTP against the REST facade, and through the HTTP backend.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';

let api: RunningApi;
let engine: MemoryBackend;
const token = randomBytes(32).toString('hex');

beforeEach(async () => {
  engine = new MemoryBackend({ state: demoState() });
  api = await startRestApi({ backend: engine, token, inboundAlerts: engine });
});
afterEach(() => api.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}/api/v1/webhooks/${path}`, {
    method,
    headers: { 'authorization': token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const hook = { name: 'ticketing', url: 'https://tickets.example.com/hook', http_method: 'POST', trigger_type: 'resolve' };

describe('outgoing webhooks over REST', () => {
  it('create: 201 with defaults; secrets come back masked; the stored secret is the one sent', async () => {
    const made = await call('POST', '', { ...hook, password: 's3cret', authorization_header: 'Bearer abc' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      ...hook,
      is_webhook_enabled: true,
      forward_all: true,
      password: '****************',
      authorization_header: '****************',
      integration_filter: null,
      preset: null,
    });
    expect(engine.state.webhooks.get(made.body.id)!.password).toBe('s3cret');
    const kept = await call('PATCH', `${made.body.id}/`, { password: '****************', name: 'ticketing v2' });
    expect(kept.body.name).toBe('ticketing v2');
    expect(engine.state.webhooks.get(made.body.id)!.password).toBe('s3cret');
  });

  it('create refusals, each with OnCall\'s message', async () => {
    expect((await call('POST', '', {})).body).toEqual({
      name: ['This field is required.'],
      url: ['This field is required.'],
      trigger_type: ['This field is required.'],
      http_method: ['This field is required.'],
    });
    expect(await call('POST', '', { ...hook, trigger_type: 'resolved' })).toEqual({
      status: 400,
      body: {
        detail: 'trigger_type must one of [\'escalation\', \'alert group created\', \'acknowledge\', \'resolve\', \'silence\', '
          + '\'unsilence\', \'unresolve\', \'unacknowledge\', \'status change\', \'personal notification\']',
      },
    });
    expect(await call('POST', '', { ...hook, http_method: 'FETCH' })).toEqual({
      status: 400,
      body: { http_method: ['Must be one of [\'GET\', \'POST\', \'PUT\', \'DELETE\', \'OPTIONS\', \'PATCH\']'] },
    });
    expect(await call('POST', '', { ...hook, preset: 'simple_webhook' })).toEqual({
      status: 400,
      body: { preset: ['Preset webhooks must be modified through web UI'] },
    });
    const existing = [...engine.state.webhooks.values()][0]!;
    expect(await call('POST', '', { ...hook, name: existing.name })).toEqual({
      status: 400,
      body: { non_field_errors: ['The fields name, organization must make a unique set.'] },
    });
    const badTemplate = await call('POST', '', { ...hook, data: '{{ payload.title' });
    expect(badTemplate.status).toBe(400);
    expect(Object.keys(badTemplate.body)).toEqual(['data']);
    expect(await call('POST', '', { ...hook, integration_filter: ['CNOSUCHINTEGR'] })).toEqual({
      status: 400,
      body: { detail: 'integration_filter must be a list of valid integration ids' },
    });
  });

  it('delete: 204, gone, and the steps that triggered it now trigger nothing', async () => {
    const step = [...engine.state.policies.values()].find((p) => p.type === 'trigger_webhook' && p.webhookId)!;
    expect(step).toBeDefined();
    const id = step.webhookId!;
    expect((await call('DELETE', `${id}/`)).status).toBe(204);
    expect((await call('GET', `${id}/`)).status).toBe(404);
    expect(engine.state.policies.get(step.id)!.webhookId).toBeNull();
  });

  it('responses: newest first, 404 for an unknown webhook, the same through the HTTP backend', async () => {
    const id = [...engine.state.webhooks.keys()][0]!;
    const at = (n: number) => Date.parse('2026-03-24T12:00:00Z') + n * 1000;
    for (const n of [1, 2]) {
      engine.state.webhookResponses.push({
        webhookId: id, at: at(n), url: 'https://x.example.com/', trigger: 'escalation', requestHeaders: '{}',
        requestData: `{"n":${n}}`, statusCode: 200, content: 'ok', eventData: '{}',
      });
    }
    const listed = await call('GET', `${id}/responses/`);
    expect(listed.status).toBe(200);
    expect(listed.body.results.map((r: { request_data: string }) => r.request_data)).toEqual(['{"n":2}', '{"n":1}']);
    expect(Object.keys(listed.body.results[0])).toEqual([
      'timestamp', 'url', 'request_trigger', 'request_headers', 'request_data', 'status_code', 'content', 'event_data',
    ]);
    expect((await call('GET', 'WHNOSUCHHOOK12/responses/')).status).toBe(404);
    const backend = new HttpBackend({ baseUrl: api.url, token, sleep: async () => {} });
    try {
      expect(await backend.webhooks.responses(id, {})).toEqual(listed.body);
      const made = await backend.webhooks.create(hook);
      expect(made.name).toBe('ticketing');
      await backend.webhooks.delete(made.id);
      expect((await call('GET', `${made.id}/`)).status).toBe(404);
    } finally {
      await backend.close();
    }
  });
});
