/**
 * Resources, templates, completions and subscriptions through a real MCP client.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { startRestApi } from '../../src/rest/serve.js';
import { createServer } from '../../src/server.js';
import { connect, type Harness, IDS, NOW } from '../helpers.js';

let h: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const c of cleanups.splice(0)) await c();
});

/** Collect notifications/resources/updated; `next(uri)` waits (bounded) for one about `uri`. */
function updates(client: Client) {
  const seen: string[] = [];
  const waiters: Array<() => void> = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    seen.push(n.params.uri);
    waiters.splice(0).forEach((w) => w());
  });
  return {
    seen,
    async next(uri: string, within = 5000): Promise<void> {
      const deadline = Date.now() + within;
      while (!seen.includes(uri)) {
        if (Date.now() > deadline) throw new Error(`no update for ${uri}; got ${JSON.stringify(seen)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

const textOf = (contents: Array<{ mimeType?: string; text?: unknown }>, mime: string) =>
  String(contents.find((c) => c.mimeType === mime)?.text ?? '');

async function pageBob(harness: Harness): Promise<string> {
  const page = await harness.ok('create_escalation', { users: [{ id: IDS.bob, important: false }], title: 'disk full' });
  return page.data.id as string;
}

describe('resources and templates', () => {
  it('lists the directory and the templates, and reads an alert group as text and JSON', async () => {
    h = await connect();
    const { resourceTemplates } = await h.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([
      'oncall://alert-groups/{alert_group_id}',
      'oncall://escalation-chains/{escalation_chain_id}',
      'oncall://schedules/{schedule_id}/shifts',
    ]);
    const id = await pageBob(h);
    const { resources } = await h.client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toContain('oncall://directory');
    expect(uris).toContain(`oncall://alert-groups/${id}`);
    expect(uris).toContain(`oncall://escalation-chains/${IDS.defaultChain}`);
    expect(uris).toContain(`oncall://schedules/${IDS.primaryRotation}/shifts`);

    const group = await h.client.readResource({ uri: `oncall://alert-groups/${id}` });
    const json = JSON.parse(textOf(group.contents, 'application/json'));
    expect(json.id).toBe(id);
    expect(Array.isArray(json.timeline)).toBe(true);
    expect(textOf(group.contents, 'text/plain')).toContain('disk full');

    const directory = await h.client.readResource({ uri: 'oncall://directory' });
    const dir = JSON.parse(textOf(directory.contents, 'application/json'));
    expect(dir.teams).toContainEqual({ id: IDS.sreTeam, name: 'SRE' });
    expect(dir.users).toContainEqual({ id: IDS.alice, name: 'alice' });

    const shifts = await h.client.readResource({ uri: `oncall://schedules/${IDS.primaryRotation}/shifts` });
    expect(textOf(shifts.contents, 'text/plain')).toContain('"Primary Rotation"');
    expect(textOf(shifts.contents, 'application/json')).toMatch(/"user_pk":"U\w+"|"U\w{12}"/);
    const chain = await h.client.readResource({ uri: `oncall://escalation-chains/${IDS.defaultChain}` });
    expect(JSON.parse(textOf(chain.contents, 'application/json')).policies.length).toBeGreaterThan(0);
  });

  it('a missing object is an error naming it', async () => {
    h = await connect();
    await expect(h.client.readResource({ uri: 'oncall://alert-groups/I000000000000' })).rejects.toThrow(/alert group/);
  });

  it('template variables complete from the directory, names to ids', async () => {
    h = await connect();
    const schedules = await h.client.complete({
      ref: { type: 'ref/resource', uri: 'oncall://schedules/{schedule_id}/shifts' },
      argument: { name: 'schedule_id', value: 'primary' },
    });
    expect(schedules.completion.values[0]).toBe(IDS.primaryRotation);
    const chains = await h.client.complete({
      ref: { type: 'ref/resource', uri: 'oncall://escalation-chains/{escalation_chain_id}' },
      argument: { name: 'escalation_chain_id', value: 'defa' },
    });
    expect(chains.completion.values).toEqual([IDS.defaultChain]);
  });
});

describe('subscriptions', () => {
  it('a subscribed client receives an update when the alert group is acknowledged', async () => {
    h = await connect();
    const id = await pageBob(h);
    const uri = `oncall://alert-groups/${id}`;
    const feed = updates(h.client);
    await h.client.subscribeResource({ uri });
    await h.ok('update_alert_group', { alert_group_id: id, action: 'acknowledge' });
    await feed.next(uri);
    const after = await h.client.readResource({ uri });
    expect(JSON.parse(textOf(after.contents, 'application/json')).state).toBe('acknowledged');
  });

  it('the escalation runtime moving the alert group on its clock sends an update, unsubscribing stops them', async () => {
    h = await connect();
    const chainPage = await h.ok('create_escalation', { team: 'SRE', title: 'db down' });
    const uri = `oncall://alert-groups/${chainPage.data.id}`;
    const feed = updates(h.client);
    await h.client.subscribeResource({ uri });
    h.advance(5 * 60); // the chain's steps run: the timeline grows
    await feed.next(uri);
    await h.client.unsubscribeResource({ uri });
    const count = feed.seen.length;
    h.advance(60 * 60);
    await new Promise((r) => setTimeout(r, 100));
    expect(feed.seen.length).toBe(count);
  });

  it('a change elsewhere does not notify a subscriber of an alert group it did not touch', async () => {
    h = await connect();
    const id = await pageBob(h);
    const uri = `oncall://alert-groups/${id}`;
    const feed = updates(h.client);
    await h.client.subscribeResource({ uri });
    await h.ok('create_escalation_chain', { name: 'unrelated' });
    await new Promise((r) => setTimeout(r, 100));
    expect(feed.seen).toEqual([]);
  });

  it('on a live backend (no change feed) it polls while subscribed', async () => {
    const clock = VirtualClock.at(NOW);
    const engine = new MemoryBackend({ state: demoState(), clock });
    const token = randomBytes(32).toString('hex');
    const api = await startRestApi({ backend: engine, token, rateLimit: 0, log: () => {} });
    const live = new HttpBackend({ baseUrl: api.url, token, backoffMs: 1, now: () => clock.now() });
    expect((live as { changes?: unknown }).changes).toBeUndefined();
    const server = createServer({ backend: live, pollMs: 30, directoryTtlMs: 0, log: () => {} });
    const client = new Client({ name: 'test', version: '1' });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(c), server.connect(s)]);
    cleanups.push(async () => {
      await client.close();
      await live.close();
      await api.close();
    });
    const page = await engine.escalation.create({ users: [{ id: IDS.bob, important: false }], title: 'x' });
    const uri = `oncall://alert-groups/${page.id}`;
    const feed = updates(client);
    await client.subscribeResource({ uri });
    await engine.alertGroups.action(page.id, 'acknowledge');
    await feed.next(uri);
  });
});
