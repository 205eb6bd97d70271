/**
 * An integration's default route is validated by the route's own serializer after the integration
 * passed (grafana/oncall engine/apps/public_api/serializers/integrations.py: `default_route` is a
 * `DictField`; `create`/`update` run `DefaultChannelFilterSerializer(...).is_valid(raise_exception=True)`
 * inside the transaction), so its errors come back in the route's shape, not under `default_route`,
 * and the integration's own errors win. Over raw HTTP and through the HTTP backend.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
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

async function send(method: string, path: string, body: unknown) {
  const res = await fetch(`${api.url}/api/v1/${path}`, {
    method,
    headers: { 'authorization': token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const integrationCount = () => [...engine.state.integrations.values()].filter((i) => !i.deleted).length;

describe('default route errors', () => {
  it('an unknown Slack channel is the route\'s error, at the top level, and nothing is created', async () => {
    const before = integrationCount();
    const r = await send('POST', 'integrations/', { type: 'webhook', default_route: { slack: { channel_id: 'cnope' } } });
    expect(r).toEqual({ status: 400, body: { slack: { channel_id: ['Slack channel does not exist'] } } });
    expect(integrationCount()).toBe(before);
  });

  it('an unknown chain and a bad channel are reported together, in the route\'s shape', async () => {
    const id = [...engine.state.integrations.values()].find((i) => i.type === 'alertmanager')!.id;
    const r = await send('PUT', `integrations/${id}/`, {
      default_route: { escalation_chain_id: 'FNOSUCHCHAIN1', slack: { channel_id: 'CNOPE' } },
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      escalation_chain_id: ['Object does not exist'], // OrganizationFilteredPrimaryKeyRelatedField's message
      slack: { channel_id: ['Slack channel does not exist'] },
    });
  });

  it('the integration\'s own errors come first: the default route is not looked at', async () => {
    const r = await send('POST', 'integrations/', {
      type: 'webhook',
      description_short: 'x'.repeat(251),
      default_route: { slack: { channel_id: 'CNOPE' } },
    });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body)).toEqual(['description_short']);
  });

  it('a default_route that is not an object is the integration\'s field error', async () => {
    const r = await send('POST', 'integrations/', { type: 'webhook', default_route: 'x' });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body)).toEqual(['default_route']);
  });

  it('the HTTP backend passes the same body through', async () => {
    const backend = new HttpBackend({ baseUrl: api.url, token, sleep: async () => {} });
    try {
      const err = await backend.integrations
        .create({ type: 'webhook', default_route: { slack: { channel_id: 'CNOPE' } } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).body).toEqual({ slack: { channel_id: ['Slack channel does not exist'] } });
    } finally {
      await backend.close();
    }
  });
});
