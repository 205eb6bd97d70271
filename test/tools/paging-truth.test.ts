/**
 * Truthful paging: create_escalation says first who will be notified, how and when, or loudly that
 * nobody will be; one page per intent (idempotency key, identical pages folded, concurrent calls
 * folded); the human confirms when the client can ask; a page whose fate is unknown is never
 * called retryable. Predictions are checked against what the engine then really does.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { OnCallBackend } from '../../src/api/backend.js';
import { ApiError } from '../../src/api/errors.js';
import type { TimelineItem } from '../../src/api/types.js';
import { demoState } from '../../src/demo/state.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { createServer } from '../../src/server.js';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness;
afterEach(() => h?.close());

const PAYMENTS = 'TJC5XVRUILG7S';
const firstLine = (text: string) => text.split('\n')[0] ?? '';
const groups = () => h.backend.state.alertGroups.size;
const timelineOf = async (id: string): Promise<TimelineItem[]> => (await h.ok('get_alert_group', { alert_group_id: id })).data.timeline;

/** What a live OnCall offers: no simulation endpoint, no alert-group timeline. */
const liveOnCall = (b: OnCallBackend): OnCallBackend => ({
  ...b,
  now: () => b.now(), // a method of the class: a spread does not copy it
  escalationChains: {
    ...b.escalationChains,
    simulate: async () => {
      throw new ApiError(501, { detail: 'a live Grafana OnCall has no simulation endpoint' });
    },
  },
  alertGroups: { ...b.alertGroups, timeline: async () => [] },
});

describe('who a page notifies, first', () => {
  it('a team page whose route has no chain says NOBODY will be notified, first, and nobody is', async () => {
    h = await connect();
    const page = await h.ok('create_escalation', { team: 'Payments', title: 'Card payments failing' });
    expect(firstLine(page.text)).toMatch(/^NOBODY WILL BE NOTIFIED: team Payments .*no escalation chain/);
    expect(page.text).toContain('NOT a page');
    expect(page.data.delivery).toMatchObject({
      nobody_notified: true,
      escalation_chain_id: null,
      first_notifications: [],
    });
    // As in OnCall the alert group exists; the text points at the people who could be paged instead.
    expect(groups()).toBe(1);
    expect(page.text).toMatch(/create_escalation users \(members: [a-z, ]*frank/);
    // And indeed: an hour later, nobody has been notified.
    h.advance(3600);
    const timeline = await timelineOf(page.data.id);
    expect(timeline.filter((i) => i.event === 'notification')).toEqual([]);
  });

  it('a team page with a chain says who is notified, how and when, and that is what happens', async () => {
    h = await connect();
    const page = await h.ok('create_escalation', { team: 'SRE' });
    const delivery = page.data.delivery;
    expect(firstLine(page.text)).toMatch(
      /^Paged team SRE \(TAAM1K1NNEHAG\) through chain "default" \(F5JU6KJET33FE\): first \w+ by \w+ after 1m/,
    );
    expect(firstLine(page.text)).toContain('nobody is notified before that');
    expect(delivery).toMatchObject({ sent: true, nobody_notified: false, escalation_chain_id: IDS.defaultChain });
    expect(delivery.held_back_by).toEqual(['Wait 1m']);
    const first = delivery.first_notifications[0];
    // Before the predicted instant nobody has heard anything; at it, the predicted person by the predicted channel.
    h.advanceTo(new Date(Date.parse(first.at) - 1000).toISOString());
    expect((await timelineOf(page.data.id)).some((i) => i.event === 'notification')).toBe(false);
    h.advanceTo(first.at);
    const sent = (await timelineOf(page.data.id)).filter((i) => i.event === 'notification');
    expect(sent[0]).toMatchObject({ at: first.at, user_id: first.user_id, channel: first.channel });
    // Every predicted notification of the first pass happens as predicted.
    const last = delivery.first_notifications.at(-1);
    h.advanceTo(last.at);
    const real = (await timelineOf(page.data.id)).filter((i) => i.event === 'notification');
    for (const n of delivery.first_notifications) {
      const happened = real.some((r) => r.at === n.at && r.user_id === n.user_id && r.channel === n.channel);
      expect(happened, JSON.stringify(n)).toBe(true);
    }
  });

  it('an important team page runs the important route\'s chain and says it notifies at once', async () => {
    h = await connect();
    const page = await h.ok('create_escalation', { team: IDS.sreTeam, important_team_escalation: true });
    expect(page.data.delivery.escalation_chain_id).toBe(IDS.sreCritical);
    expect(firstLine(page.text)).toMatch(/through chain "SRE critical" .*: first \w+ by [\w ]+ \(important\) at once/);
    const timeline = await timelineOf(page.data.id);
    const first = page.data.delivery.first_notifications[0];
    h.advanceTo(first.at);
    expect((await timelineOf(page.data.id)).some((i) => i.event === 'notification' && i.user_id === first.user_id)).toBe(true);
    expect(timeline.length).toBeGreaterThan(0);
  });

  it('a chain with no notify step: NOBODY, naming the chain', async () => {
    h = await connect();
    const chain = (await h.ok('create_escalation_chain', { name: 'Only waits' })).data;
    await h.ok('create_escalation_policy', { escalation_chain_id: chain.id, type: 'wait', duration: 300 });
    await h.ok('update_route', { route_id: 'RPAGESREDEF11', escalation_chain_id: chain.id });
    const page = await h.ok('create_escalation', { team: 'SRE' });
    expect(firstLine(page.text)).toMatch(/^NOBODY WILL BE NOTIFIED: team SRE .*chain "Only waits" \(F\w+\) notifies/);
    expect(page.data.delivery).toMatchObject({ nobody_notified: true, escalation_chain_id: chain.id });
  });

  it('people are paged by username; a viewer cannot be notified and the text says so', async () => {
    const state = demoState();
    state.users.get(IDS.bob)!.role = 'viewer';
    h = await connect({ state });
    const both = await h.ok('create_escalation', {
      users: [
        { username: 'frank', important: true },
        { id: 'bob', important: false },
      ],
    });
    expect(firstLine(both.text)).toMatch(/^Paged frank \(important\), bob: first frank by \w+ \(important\) at once/);
    expect(both.text).toMatch(/NOT NOTIFIED: bob: role viewer/);
    expect(both.data.delivery.users).toMatchObject([
      { user_id: 'UQ1LKALUQ5M9B', can_be_notified: true },
      { user_id: IDS.bob, can_be_notified: false },
    ]);
    const viewerOnly = await h.ok('create_escalation', { users: [{ id: IDS.bob, important: true }], title: 'only bob' });
    expect(firstLine(viewerOnly.text)).toMatch(/^NOBODY WILL BE NOTIFIED: bob: role viewer/);
    expect(viewerOnly.data.delivery.nobody_notified).toBe(true);
  });

  it('an unknown username is refused with a suggestion, and nothing is sent', async () => {
    h = await connect();
    const r = await h.call('create_escalation', { users: [{ username: 'frnak', important: false }] });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/users\[0\]\.username: There is no user "frnak".*Did you mean frank \(UQ1LKALUQ5M9B\)/);
    expect(groups()).toBe(0);
  });

  it('adding responders says who of them is notified', async () => {
    h = await connect();
    const group = (await h.ok('create_escalation', { users: [{ id: IDS.bob, important: false }] })).data;
    const added = await h.ok('create_escalation', { alert_group_id: group.id, users: [{ id: IDS.carol, important: true }] });
    expect(firstLine(added.text)).toMatch(/^Paged carol \(important\) into alert group I\w+: first carol .* at once/);
    const notified = added.data.delivery.first_notifications.map((n: { user_id: string }) => n.user_id);
    expect(new Set(notified)).toEqual(new Set([IDS.carol]));
  });

  it('on a live OnCall (no simulation, no timeline) the chain\'s steps are described, and no chain is still NOBODY', async () => {
    h = await connect({ wrapBackend: liveOnCall });
    const sre = await h.ok('create_escalation', { team: 'SRE' });
    expect(firstLine(sre.text)).toMatch(/^Paged team SRE .* chain "default" .*first notification is due after 1m/);
    expect(firstLine(sre.text)).toContain('From the chain\'s steps');
    expect(sre.data.delivery).toMatchObject({ forecast: 'chain_steps', deliveries_visible: false, nobody_notified: false });
    const payments = await h.ok('create_escalation', { team: PAYMENTS });
    expect(firstLine(payments.text)).toMatch(/^NOBODY WILL BE NOTIFIED/);
    const people = await h.ok('create_escalation', { users: [{ id: IDS.dave, important: true }] });
    expect(firstLine(people.text)).toMatch(/^Paged dave \(important\): OnCall notifies dave \(important rules\) by/);
  });

  it('every page shows whom it acts as', async () => {
    h = await connect();
    const me = await h.backend.users.current();
    const page = await h.ok('create_escalation', { team: 'SRE' });
    expect(page.text.split('\n').at(-1)).toBe(`Acts as ${me.username} (${me.id}), the API token's user.`);
  });
});

describe('one page per intent', () => {
  it('a retry with the same idempotency_key returns the first page and sends nothing', async () => {
    h = await connect();
    const args = { team: 'SRE', title: 'DB down', idempotency_key: 'db-down-1' };
    const first = await h.ok('create_escalation', args);
    const retry = await h.ok('create_escalation', args);
    expect(groups()).toBe(1);
    expect(retry.data.id).toBe(first.data.id);
    expect(retry.data.delivery).toMatchObject({ sent: false, duplicate: { by: 'idempotency_key' } });
    expect(firstLine(retry.text)).toMatch(/^ALREADY PAGED, NOT SENT AGAIN: a call with idempotency_key "db-down-1"/);
    // The key names one page: another page under it is refused, not sent.
    const other = await h.call('create_escalation', { ...args, title: 'Something else' });
    expect(other.isError).toBe(true);
    expect(other.text).toMatch(/^NOT SENT: idempotency_key "db-down-1" was already used/);
    expect(groups()).toBe(1);
    // A new key is a new page.
    await h.ok('create_escalation', { ...args, idempotency_key: 'db-down-2' });
    expect(groups()).toBe(2);
  });

  it('an identical page without a key is folded, and force sends it anyway', async () => {
    h = await connect();
    const args = { users: [{ id: IDS.bob, important: true }], title: 'Disk full' };
    await h.ok('create_escalation', args);
    const again = await h.ok('create_escalation', args);
    expect(groups()).toBe(1);
    expect(firstLine(again.text)).toMatch(/^ALREADY PAGED, NOT SENT AGAIN: an identical page .*force: true/);
    const forced = await h.ok('create_escalation', { ...args, force: true });
    expect(forced.data.delivery.sent).toBe(true);
    expect(groups()).toBe(2);
    // A different title is a different page.
    await h.ok('create_escalation', { ...args, title: 'Disk full again' });
    expect(groups()).toBe(3);
  });

  it('concurrent identical pages fold into one', async () => {
    h = await connect();
    const args = { team: 'SRE', title: 'Latency' };
    const results = await Promise.all([1, 2, 3, 4].map(() => h.ok('create_escalation', args)));
    expect(groups()).toBe(1);
    expect(new Set(results.map((r) => r.data.id)).size).toBe(1);
    expect(results.filter((r) => r.data.delivery.sent)).toHaveLength(1);
  });
});

describe('confirmation by elicitation', () => {
  it('a client that can ask shows the human who, how and the title; accept sends', async () => {
    const asked: ElicitRequest['params'][] = [];
    h = await connect({
      elicit: (params) => {
        asked.push(params);
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const page = await h.ok('create_escalation', { team: 'SRE', title: 'API errors' });
    expect(groups()).toBe(1);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.message).toMatch(/^Page team SRE .* through chain "default" .*: first \w+ by \w+ after 1m/);
    expect(asked[0]!.message).toContain('Title: "API errors"');
    expect(asked[0]!.message).toMatch(/Send this page now\?$/);
    expect(page.data.delivery.sent).toBe(true);
  });

  it('the human is warned before a page that would notify nobody', async () => {
    const asked: string[] = [];
    h = await connect({
      elicit: (params) => {
        asked.push(params.message);
        return { action: 'decline' };
      },
    });
    const r = await h.call('create_escalation', { team: 'Payments' });
    expect(asked[0]).toMatch(/^NOBODY WOULD BE NOTIFIED by this page/);
    expect(asked[0]).toMatch(/Create the alert group anyway\?$/);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^NOT SENT: the human declined the page; nobody was paged/);
    expect(groups()).toBe(0);
  });

  it('decline or cancel sends nothing, and the next call asks again', async () => {
    const answers = ['decline', 'cancel', 'accept'] as const;
    let asked = 0;
    h = await connect({
      elicit: () => {
        const action = answers[asked++]!;
        return action === 'accept' ? { action, content: { confirm: true } } : { action };
      },
    });
    const args = { users: [{ id: IDS.carol, important: false }] };
    expect((await h.call('create_escalation', args)).text).toMatch(/^NOT SENT: the human declined/);
    expect((await h.call('create_escalation', args)).text).toMatch(/^NOT SENT: the human did not confirm/);
    expect(groups()).toBe(0);
    await h.ok('create_escalation', args);
    expect(asked).toBe(3);
    expect(groups()).toBe(1);
  });

  it('a client without elicitation pages as before, without being asked', async () => {
    h = await connect();
    expect(h.client.getServerCapabilities()).toBeTruthy();
    const page = await h.ok('create_escalation', { users: [{ id: IDS.carol, important: false }] });
    expect(page.data.delivery.sent).toBe(true);
    expect(groups()).toBe(1);
  });

  it('a call cancelled while the human is being asked is not sent', async () => {
    const controller = new AbortController();
    let creates = 0;
    h = await connect({
      elicit: () => {
        controller.abort();
        return { action: 'accept', content: { confirm: true } };
      },
      wrapBackend: (b) => ({
        ...b,
        escalation: {
          create: async (body) => {
            creates += 1;
            return b.escalation.create(body);
          },
        },
      }),
    });
    await expect(
      h.client.callTool({ name: 'create_escalation', arguments: { team: 'SRE' } }, undefined, { signal: controller.signal }),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 200)); // the server finishes the cancelled call on its own
    expect(creates).toBe(0);
    expect(groups()).toBe(0);
  });
});

describe('a cancelled call', () => {
  it('cancelled before sending (while names are looked up) is not sent, without elicitation too', async () => {
    const controller = new AbortController();
    let creates = 0;
    h = await connect({
      wrapBackend: (b) => ({
        ...b,
        users: {
          ...b.users,
          list: async (query) => {
            controller.abort(); // the client gives up while the server is still resolving "bob"
            await new Promise((r) => setTimeout(r, 20));
            return b.users.list(query);
          },
        },
        escalation: {
          create: async (body) => {
            creates += 1;
            return b.escalation.create(body);
          },
        },
      }),
    });
    await expect(
      h.client.callTool(
        { name: 'create_escalation', arguments: { users: [{ id: 'bob', important: true }] } },
        undefined,
        { signal: controller.signal },
      ),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 200)); // the server finishes the cancelled call on its own
    expect(creates).toBe(0);
    expect(groups()).toBe(0);
  });
});

describe('a page whose fate is unknown', () => {
  it('says it may have been delivered and to check list_alert_groups, and a retry does not send', async () => {
    h = await connect({
      wrapBackend: (b) => ({
        ...b,
        escalation: {
          // The page arrives, the answer is lost.
          create: async (body) => {
            await b.escalation.create(body);
            throw new ApiError(502, { detail: 'Could not reach Grafana OnCall (ECONNRESET) for POST /api/v1/escalation' });
          },
        },
      }),
    });
    const args = { team: 'SRE', idempotency_key: 'k1' };
    const r = await h.call('create_escalation', args);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^THE PAGE MAY HAVE BEEN DELIVERED/);
    expect(r.text).toContain('ECONNRESET');
    expect(r.text).toContain('list_alert_groups');
    expect(r.text).not.toMatch(/retr(y|ied)/i);
    const retry = await h.call('create_escalation', args);
    expect(retry.text).toMatch(/^NOT SENT AGAIN: a page with idempotency_key "k1" .* may have been delivered/);
    const identical = await h.call('create_escalation', { team: 'SRE' });
    expect(identical.text).toMatch(/^NOT SENT AGAIN: an identical page .*pass force: true/);
    expect(groups()).toBe(1);
  });

  it('a connection reset on the real HTTP client gives the same answer', async () => {
    // An OnCall whose connection drops on POST /escalation; other requests get a 404.
    const upstream: Server = createHttpServer((req, res) => {
      if (req.method === 'POST') {
        req.socket.destroy();
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    const backend = new HttpBackend({ baseUrl: `http://127.0.0.1:${port}`, token: 'secret-token-value', backoffMs: 1 });
    const client = new Client({ name: 'test', version: '1' });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await Promise.all([client.connect(c), createServer({ backend, log: () => {} }).connect(s)]);
    try {
      const result = await client.callTool({ name: 'create_escalation', arguments: { users: [{ id: IDS.bob, important: true }] } });
      const text = (result.content as Array<{ text: string }>)[0]!.text;
      expect(result.isError).toBe(true);
      expect(text).toMatch(/^THE PAGE MAY HAVE BEEN DELIVERED/);
      expect(text).toContain('list_alert_groups');
      expect(text).not.toContain('secret-token-value');
    } finally {
      await client.close();
      await backend.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
    h = await connect(); // for afterEach
  });
});
