/**
 * The REST facade as a client sees it: real HTTP on a loopback port, the seed documents' requests.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';

let api: RunningApi;
let engine: MemoryBackend;
const token = randomBytes(32).toString('hex');

beforeEach(async () => {
  engine = new MemoryBackend({ state: demoState(), clock: VirtualClock.at('2026-03-24T12:00:00Z') });
  api = await startRestApi({
    backend: engine,
    token,
    rateLimit: 5,
    inboundAlerts: engine,
  });
});
afterEach(() => api.close());

async function call(method: string, path: string, body?: unknown, auth = token) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'authorization': auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

describe('REST facade (semantics.md §1)', () => {
  it('answers the seed 002 chain GET, with or without the trailing slash, raw or Bearer token', async () => {
    const expected = { id: 'F5JU6KJET33FE', name: 'default', team_id: null };
    expect(await call('GET', '/api/v1/escalation_chains/F5JU6KJET33FE/')).toMatchObject({ status: 200, body: expected });
    expect((await call('GET', '/api/v1/escalation_chains/F5JU6KJET33FE', undefined, `Bearer ${token}`)).body).toEqual(expected);
  });

  it('a bad or missing token is a 403 with OnCall\'s body', async () => {
    expect(await call('GET', '/api/v1/users/', undefined, 'meowmeowmeow')).toMatchObject({
      status: 403,
      body: { detail: 'Invalid token.' },
    });
    const res = await fetch(`${api.url}/api/v1/users/`);
    expect(res.status).toBe(403);
  });

  it('seed 001: POST a wait policy → 201; PUT → 200; DELETE → 204; advance_round_robin', async () => {
    const created = await call('POST', '/api/v1/escalation_policies/', {
      escalation_chain_id: 'F5JU6KJET33FE',
      type: 'wait',
      duration: 60,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ escalation_chain_id: 'F5JU6KJET33FE', type: 'wait', duration: 60 });
    const put = await call('PUT', `/api/v1/escalation_policies/${created.body.id}/`, { type: 'wait', duration: 300 });
    expect(put).toMatchObject({ status: 200, body: { duration: 300 } });
    expect((await call('DELETE', `/api/v1/escalation_policies/${created.body.id}/`)).status).toBe(204);
    expect((await call('GET', `/api/v1/escalation_policies/${created.body.id}/`)).status).toBe(404);
    const rr = await call('POST', '/api/v1/escalation_policies/E5JJTU52M5YM4/advance_round_robin/');
    expect(rr).toMatchObject({ status: 200, body: { user_id: 'U4DNY931HHJS5', username: 'alice' } });
  });

  it('validation errors are OnCall\'s bodies; unknown ids 404; wrong methods 405', async () => {
    const bad = await call('POST', '/api/v1/escalation_policies/', { escalation_chain_id: 'F5JU6KJET33FE', type: 'wait', duration: 30 });
    expect(bad).toMatchObject({ status: 400, body: { duration: ['Ensure this value is greater than or equal to 0:01:00.'] } });
    expect(await call('GET', '/api/v1/escalation_chains/FNOPE/')).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
    expect(await call('POST', '/api/v1/users/', {})).toMatchObject({ status: 405, body: { detail: 'Method "POST" not allowed.' } });
    expect((await call('PUT', '/api/v1/escalation_chains/F5JU6KJET33FE/', { team_id: null })).body).toEqual({
      name: ['This field is required.'],
    });
    const broken = await fetch(`${api.url}/api/v1/escalation_chains/`, {
      method: 'POST',
      headers: { 'authorization': token, 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(broken.status).toBe(400);
  });

  it('seed 000: direct paging answers 200 with the alert group; seed 004: create integration 201', async () => {
    const page = await call('POST', '/api/v1/escalation/', {
      title: 'We are seeing a network outage in the datacenter',
      users: [{ id: 'U7S8H84ARFTGN', important: false }],
    });
    expect(page).toMatchObject({ status: 200, body: { state: 'firing', alerts_count: 1 } });
    const integration = await call('POST', '/api/v1/integrations/', { type: 'grafana' });
    expect(integration.status).toBe(201);
    expect(integration.body.templates.slack).toEqual({ title: null, message: null, image_url: null });
    const ack = await fetch(`${api.url}/api/v1/alert_groups/${page.body.id}/acknowledge/`, {
      method: 'POST',
      headers: { authorization: token },
    });
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
  });

  it('paginates with absolute links from the public URL', async () => {
    const page = await call('GET', '/api/v1/users/?perpage=3&page=2');
    expect(page.body).toMatchObject({ count: 10, current_page_number: 2, page_size: 3 });
    expect(page.body.next).toBe('http://localhost:8080/api/v1/users/?page=3&perpage=3');
    expect(page.body.previous).toBe('http://localhost:8080/api/v1/users/?perpage=3');
  });

  it('throttles past the per-minute limit with Retry-After and RateLimit-Reset', async () => {
    for (let i = 0; i < 5; i++) expect((await call('GET', '/api/v1/users/')).status).toBe(200);
    const limited = await call('GET', '/api/v1/users/');
    expect(limited.status).toBe(429);
    expect(limited.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-reset')).toBe(limited.headers.get('retry-after'));
    // OnCall's teams and direct-paging views send no RateLimit-Reset (semantics.md §1.5).
    const teams = await call('GET', '/api/v1/teams/');
    expect(teams.status).toBe(429);
    expect(teams.headers.get('retry-after')).not.toBeNull();
    expect(teams.headers.get('ratelimit-reset')).toBeNull();
  });

  it('the inbound alert endpoint routes and groups alerts', async () => {
    const url = `${api.url}/integrations/v1/alertmanager/x6oBTZa3p6wDskUrQIFIIulun/`;
    const send = (status: string) =>
      fetch(url, {
        method: 'POST',
        body: JSON.stringify({ status, groupKey: '{}:{alertname="X"}', commonLabels: { alertname: 'X', severity: 'critical' } }),
      });
    expect((await send('firing')).status).toBe(200);
    expect((await send('firing')).status).toBe(200);
    const groups = await call('GET', '/api/v1/alert_groups/');
    expect(groups.body.results).toHaveLength(1);
    expect(groups.body.results[0]).toMatchObject({ alerts_count: 2, route_id: 'R2M7RDCTWPA7U', title: 'X' });
    await send('resolved');
    expect((await call('GET', '/api/v1/alert_groups/')).body.results[0].state).toBe('resolved');
    expect((await fetch(`${api.url}/integrations/v1/alertmanager/wrongtoken/`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
