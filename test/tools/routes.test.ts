import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness, IDS, firstLine } from '../helpers.js';

let h: Harness;
let integration: string;
let defaultRoute: string;
beforeEach(async () => {
  h = await connect();
  const created = (await h.ok('create_integration', { type: 'webhook', name: 'routes test' })).data;
  integration = created.id;
  defaultRoute = created.default_route.id;
});
afterEach(() => h.close());

const create = (args: Record<string, unknown>) =>
  h.call('create_route', { integration_id: integration, escalation_chain_id: IDS.defaultChain, ...args });
const order = async () =>
  (await h.ok('list_routes', { integration_id: integration })).data.results.map(
    (r: { id: string; position: number; is_the_last_route: boolean }) => [
      r.id,
      r.position,
      r.is_the_last_route,
    ],
  );

describe('routes (§12)', () => {
  it('creates a route with the API shape; the first custom route gets position 0', async () => {
    const { data } = await create({ routing_regex: 'critical' });
    expect(data).toEqual({
      id: data.id,
      integration_id: integration,
      escalation_chain_id: IDS.defaultChain,
      routing_type: 'regex',
      routing_regex: 'critical',
      position: 0,
      is_the_last_route: false,
      slack: { channel_id: null, enabled: true },
      telegram: { id: null, enabled: false },
      email: { id: null, enabled: false },
      msteams: { id: null, enabled: false },
    });
  });

  it('keeps the default route last; -1 is the end of the non-default list', async () => {
    const a = (await create({ routing_regex: 'a' })).data.id;
    const b = (await create({ routing_regex: 'b', position: -1 })).data.id;
    const c = (await create({ routing_regex: 'c', position: 0 })).data.id;
    expect(await order()).toEqual([
      [c, 0, false],
      [a, 1, false],
      [b, 2, false],
      [defaultRoute, 0, true],
    ]);
    await h.ok('update_route', { route_id: c, position: -1 });
    expect(await order()).toEqual([
      [a, 0, false],
      [b, 1, false],
      [c, 2, false],
      [defaultRoute, 0, true],
    ]);
  });

  it('the default route cannot be deleted, nor given an expression', async () => {
    const del = await h.call('delete_route', { route_id: defaultRoute });
    expect(firstLine(del.text)).toBe('Invalid request: Unable to delete default filter');
    const expr = await h.call('update_route', { route_id: defaultRoute, routing_regex: 'x' });
    expect(expr.isError).toBe(true);
    // Its chain can change.
    const chain = await h.ok('update_route', {
      route_id: defaultRoute,
      escalation_chain_id: IDS.sreCritical,
    });
    expect(chain.data).toMatchObject({
      escalation_chain_id: IDS.sreCritical,
      routing_regex: null,
      is_the_last_route: true,
    });
  });

  it.each([
    [{ routing_regex: '([unclosed' }, 'Regular expression is incorrect'],
    [{ routing_type: 'jinja2', routing_regex: '{{ payload.x ' }, 'Jinja template is incorrect'],
    [{ routing_type: 'jinja2', routing_regex: '{{ payload.constructor }}' }, 'Jinja template is incorrect'],
    [
      { routing_regex: 'x'.repeat(1025) },
      'Expression is too long. Maximum length: 1024 characters, current length: 1025',
    ],
  ])('rejects %j', async (args, message) => {
    const r = await create(args);
    expect(firstLine(r.text)).toBe(`Invalid request: ${message}`);
    expect(await order()).toEqual([[defaultRoute, 0, true]]);
  });

  it('engine messages for raw bodies', async () => {
    const post = (body: Record<string, unknown>) =>
      h.backend.routes.create({
        integration_id: integration,
        escalation_chain_id: null,
        routing_regex: 'x',
        ...body,
      });
    await expect(post({ routing_type: 'labels' })).rejects.toMatchObject({
      body: { non_field_errors: ['Expression type is incorrect'] },
    });
    await expect(post({ routing_type: 'glob' })).rejects.toMatchObject({
      body: { detail: 'Invalid route type' },
    });
    await expect(post({ routing_regex: null })).rejects.toMatchObject({
      body: { routing_regex: ['This field may not be null.'] },
    });
    await expect(
      h.backend.routes.create({ integration_id: integration, routing_regex: 'x' }),
    ).rejects.toMatchObject({
      body: { escalation_chain_id: ['This field is required.'] },
    });
    await expect(post({ integration_id: 'CNOSUCHTHING1' })).rejects.toMatchObject({
      body: { integration_id: ['Object does not exist'] },
    });
    await expect(post({ slack: { channel_id: 'CNOPE' } })).rejects.toMatchObject({
      body: { slack: { channel_id: ['Slack channel does not exist'] } },
    });
    await expect(post({ telegram: { id: 'ZNOPE' } })).rejects.toMatchObject({
      body: { detail: 'Telegram channel does not exist' },
    });
  });

  it('upper-cases the Slack channel id and merges backend settings', async () => {
    const r = (await create({ routing_regex: 'x', slack: { channel_id: 'c05payments', enabled: false } }))
      .data;
    expect(r.slack).toEqual({ channel_id: 'C05PAYMENTS', enabled: false });
    const updated = await h.backend.routes.update(r.id, { msteams: { id: 'team-channel', enabled: true } });
    expect(updated.msteams).toEqual({ id: 'team-channel', enabled: true });
    const again = await h.backend.routes.update(r.id, { msteams: { enabled: false } });
    expect(again.msteams).toEqual({ id: 'team-channel', enabled: false });
  });

  it('checks a new expression as the route\'s own type (a jinja2 route stays jinja2-checked)', async () => {
    const r = (await create({ routing_type: 'jinja2', routing_regex: '{{ true }}' })).data;
    const bad = await h.call('update_route', { route_id: r.id, routing_regex: '{{ broken' });
    expect(firstLine(bad.text)).toBe('Invalid request: Jinja template is incorrect');
    const switched = await h.call('update_route', {
      route_id: r.id,
      routing_type: 'regex',
      routing_regex: '(',
    });
    expect(firstLine(switched.text)).toBe('Invalid request: Regular expression is incorrect');
  });

  it('lists by integration in creation order, default last, page size 25, filters exact', async () => {
    await create({ routing_regex: 'needle' });
    const all = await h.ok('list_routes', {});
    expect(all.data.page_size).toBe(25);
    const integrations = all.data.results.map((r: { integration_id: string }) => r.integration_id);
    expect(integrations.at(-1)).toBe(integration);
    expect(all.data.results.at(-1).is_the_last_route).toBe(true);
    const found = await h.ok('list_routes', { routing_regex: 'needle' });
    expect(found.data.results.map((r: { routing_regex: string }) => r.routing_regex)).toEqual(['needle']);
  });

  it('deleting a chain leaves its routes with no chain', async () => {
    const r = (await create({ routing_regex: 'x', escalation_chain_id: IDS.sreCritical })).data;
    await h.ok('delete_escalation_chain', { escalation_chain_id: IDS.sreCritical });
    expect((await h.ok('list_routes', { routing_regex: 'x' })).data.results[0]).toMatchObject({
      id: r.id,
      escalation_chain_id: null,
    });
    const text = (await h.ok('get_integration', { integration_id: integration })).text;
    expect(text).toContain('no escalation chain (nobody is notified)');
  });

  it('delete leaves the other positions alone', async () => {
    const a = (await create({ routing_regex: 'a' })).data.id;
    const b = (await create({ routing_regex: 'b' })).data.id;
    const c = (await create({ routing_regex: 'c' })).data.id;
    const deleted = await h.ok('delete_route', { route_id: b });
    expect(deleted.data).toMatchObject({ id: b, deleted: true });
    expect(await order()).toEqual([
      [a, 0, false],
      [c, 2, false],
      [defaultRoute, 0, true],
    ]);
  });
});
