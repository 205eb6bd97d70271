/**
 * Shift swaps can be changed and withdrawn, as in OnCall (grafana/oncall
 * engine/apps/api/views/shift_swap.py, the ModelViewSet the public view extends, and
 * apps/api/serializers/shift_swap.py): PUT needs schedule and both times, PATCH needs both times
 * or neither; the times are checked as a whole ("swap_start must be a datetime in the future",
 * "swap_end must occur after swap_start", an end equal to the start allowed); the beneficiary and
 * benefactor are read-only; DELETE answers 204 and the request is no longer found or listed.
 * The detail views look a request up in the list's query set (engine/apps/public_api/views/shift_swap.py
 * `get_object` → `get_queryset`: `swap_start >= starting_after`, default now), so once a request's
 * time has begun it is 404 by id unless the request gives an earlier `starting_after`.
 * Raw HTTP against the REST facade, and through the HTTP backend.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { type RunningApi, startRestApi } from '../../src/rest/serve.js';
import { IDS } from '../helpers.js';

let api: RunningApi;
let engine: MemoryBackend;
let clock: VirtualClock;
const token = randomBytes(32).toString('hex');

beforeEach(async () => {
  clock = VirtualClock.at('2026-03-24T12:00:00Z');
  engine = new MemoryBackend({ state: demoState(), clock });
  api = await startRestApi({ backend: engine, token, inboundAlerts: engine });
});
afterEach(() => api.close());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}/api/v1/shift_swaps/${path}`, {
    method,
    headers: { 'authorization': token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const schedule = () => [...engine.state.schedules.keys()][0]!;
async function openSwap() {
  const made = await call('POST', '', {
    schedule: schedule(),
    swap_start: '2026-03-30T08:00:00Z',
    swap_end: '2026-03-31T08:00:00Z',
    beneficiary: IDS.alice,
  });
  expect(made.status).toBe(201);
  return made.body as { id: string };
}

describe('shift swaps: update and withdraw', () => {
  it('PATCH moves the times together, keeps who asked, and checks the times as a whole', async () => {
    const { id } = await openSwap();
    const moved = await call('PATCH', `${id}/`, {
      swap_start: '2026-04-01T08:00:00Z',
      swap_end: '2026-04-01T08:00:00Z', // an end equal to the start is allowed
      beneficiary: IDS.bob,
      description: 'moved',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      swap_start: '2026-04-01T08:00:00Z',
      swap_end: '2026-04-01T08:00:00Z',
      beneficiary: IDS.alice,
      description: 'moved',
    });
    expect(await call('PATCH', `${id}/`, { swap_start: '2026-04-02T08:00:00Z' })).toEqual({
      status: 400,
      body: { non_field_errors: ['when doing a partial update on time related fields, both start and end times must be specified'] },
    });
    expect(await call('PATCH', `${id}/`, { swap_start: '2026-03-01T08:00:00Z', swap_end: '2026-03-02T08:00:00Z' })).toEqual({
      status: 400,
      body: { non_field_errors: ['swap_start must be a datetime in the future'] },
    });
    expect(await call('PATCH', `${id}/`, { swap_start: '2026-04-03T08:00:00Z', swap_end: '2026-04-02T08:00:00Z' })).toEqual({
      status: 400,
      body: { non_field_errors: ['swap_end must occur after swap_start'] },
    });
    // Nothing half-applied by the refusals.
    expect((await call('GET', `${id}/`)).body.swap_start).toBe('2026-04-01T08:00:00Z');
  });

  it('PUT needs the schedule and both times', async () => {
    const { id } = await openSwap();
    const put = await call('PUT', `${id}/`, { description: 'only this' });
    expect(put.status).toBe(400);
    expect(Object.keys(put.body).sort()).toEqual(['schedule', 'swap_end', 'swap_start']);
  });

  it('DELETE withdraws the request: 204, then not found and not listed', async () => {
    const { id } = await openSwap();
    expect((await call('DELETE', `${id}/`)).status).toBe(204);
    expect(await call('GET', `${id}/`)).toEqual({ status: 404, body: { detail: 'Not found.' } });
    const listed = await call('GET', '?starting_after=2026-03-01T00:00:00Z');
    expect((listed.body.results as Array<{ id: string }>).map((s) => s.id)).not.toContain(id);
  });

  it('a request whose time has begun is 404 by id, unless starting_after reaches back to it', async () => {
    const { id } = await openSwap();
    clock.set(Date.parse('2026-03-30T09:00:00Z'));
    const notFound = { status: 404, body: { detail: 'Not found.' } };
    expect(await call('GET', `${id}/`)).toEqual(notFound);
    expect(await call('PATCH', `${id}/`, { description: 'late' })).toEqual(notFound);
    expect(await call('POST', `${id}/take`, { benefactor: IDS.bob })).toEqual(notFound);
    expect(await call('DELETE', `${id}/`)).toEqual(notFound);
    const found = await call('GET', `${id}/?starting_after=2026-03-30T08:00:00Z`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id, status: 'past_due', description: null });
    expect((await call('GET', `${id}/?starting_after=yesterday`)).status).toBe(400);
    const backend = new HttpBackend({ baseUrl: api.url, token, sleep: async () => {} });
    try {
      expect((await backend.shiftSwaps.get(id, { starting_after: '2026-03-01T00:00:00Z' })).id).toBe(id);
      await expect(backend.shiftSwaps.get(id)).rejects.toMatchObject({ status: 404 });
    } finally {
      await backend.close();
    }
  });

  it('the HTTP backend updates and withdraws the same way', async () => {
    const { id } = await openSwap();
    const backend = new HttpBackend({ baseUrl: api.url, token, sleep: async () => {} });
    try {
      const updated = await backend.shiftSwaps.update(id, { description: 'via the backend' });
      expect(updated.description).toBe('via the backend');
      const refused = await backend.shiftSwaps.update(id, { swap_end: '2026-04-02T08:00:00Z' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).status).toBe(400);
      await backend.shiftSwaps.delete(id);
      expect((await call('GET', `${id}/`)).status).toBe(404);
    } finally {
      await backend.close();
    }
  });
});
