/**
 * Outgoing webhooks against hostile targets: a `trigger_webhook` step (whose URL an alert payload
 * can shape) must not reach loopback, private or metadata addresses, follow a redirect there, carry
 * credentials to another origin, buffer an endless body, or contact anything for the demo's
 * placeholder hosts. Real HTTP servers on loopback record what actually arrives.
 */
import * as dc from 'node:diagnostics_channel';
import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { parseOptions } from '../../src/cli/options.js';
import { buildBackend } from '../../src/cli/backend.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import type { ResolvedAddress } from '../../src/engine/runtime/outgoing/outgoing-client.js';
import type { WebhookRecord } from '../../src/engine/core/state.js';
import type { WebhookSenderOptions } from '../../src/engine/runtime/webhook-sender.js';
import { connect, type Harness, IDS } from '../helpers.js';

const T0 = '2026-03-24T10:00:00Z';
const SECRET = 'Bearer hook-secret-7f3a9c';
const API_KEY = 'key-4d1e8b';

interface Hit {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Recorder {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  hits: Hit[];
  /** Resolves when the server has seen the client's socket close (for the streaming test). */
  closed: Promise<void>;
}

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

/** A loopback HTTP server that records every request; `respond` decides the answer (default 200 "ok"). */
async function recorder(
  respond: (hit: Hit, res: ServerResponse) => void = (_hit, res) => res.writeHead(200).end('ok'),
  host = '127.0.0.1',
): Promise<Recorder> {
  const hits: Hit[] = [];
  let onClosed!: () => void;
  const closed = new Promise<void>((r) => (onClosed = r));
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const hit = { method: req.method!, path: req.url!, headers: req.headers, body };
      hits.push(hit);
      res.on('close', onClosed);
      respond(hit, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { origin: `http://${host}:${port}`, port, hits, closed };
}

interface Run {
  /** What the timeline says about the delivery (the `Webhook "…" …` lines). */
  outcome: string[];
  responses: MemoryBackend['state']['webhookResponses'];
}

/**
 * An alert escalating through a chain whose first step triggers the demo's incidents webhook,
 * here pointed at `url` with credentials set; the clock runs past the step and the request settles.
 */
async function run(
  url: string,
  opts: { webhooks?: WebhookSenderOptions; payload?: Record<string, unknown>; hook?: Partial<WebhookRecord> } = {},
): Promise<Run> {
  const state = demoState();
  Object.assign(state.webhooks.get(IDS.incidentsWebhook)!, {
    url,
    authorization_header: SECRET,
    headers: `{"X-Api-Key": "${API_KEY}", "X-Trace": "t-1", "Cookie": "sid=s3cr3t"}`,
    ...opts.hook,
  });
  h = await connect({ state, clock: VirtualClock.at(T0), ...(opts.webhooks ? { webhooks: opts.webhooks } : {}) });
  const chain = (await h.ok('create_escalation_chain', { name: 'hostile' })).data.id as string;
  await h.ok('create_escalation_policy', {
    escalation_chain_id: chain,
    type: 'trigger_webhook',
    action_to_trigger: IDS.incidentsWebhook,
  });
  const integration = (
    await h.ok('create_integration', { type: 'webhook', default_route: { escalation_chain_id: chain } })
  ).data.id as string;
  const { alertGroupId } = h.backend.receiveAlert(integration, opts.payload ?? { title: 'disk full' });
  h.advance(30);
  await h.backend.webhookSender.settled();
  const timeline = (await h.ok('get_alert_group', { alert_group_id: alertGroupId })).data.timeline as Array<{
    event: string;
    text: string;
  }>;
  return {
    outcome: timeline.filter((i) => i.event === 'webhook' && i.text.startsWith('Webhook "')).map((i) => i.text),
    // Only this webhook's: the demo carries recorded responses of another one.
    responses: h.backend.state.webhookResponses.filter((r) => r.webhookId === IDS.incidentsWebhook),
  };
}

const HOOK = 'Webhook "Post to #incidents"';

/** A resolver standing in for DNS: every name maps to these addresses; calls are counted. */
function fakeDns(...addresses: string[]) {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { calls, resolve };
}

describe('loopback, private and metadata destinations are refused by default', () => {
  it('127.0.0.1 gets no request and the timeline says why; with --webhook-allow it is delivered', async () => {
    const server = await recorder();
    const refused = await run(`${server.origin}/hook`);
    expect(server.hits).toEqual([]);
    expect(refused.outcome).toEqual([
      `${HOOK} refused: 127.0.0.1 is a loopback address; allow it with --webhook-allow 127.0.0.1`,
    ]);
    expect(refused.responses[0]).toMatchObject({ statusCode: null, content: expect.stringMatching(/^refused: /) });
    await h!.close();

    const allowed = await run(`${server.origin}/hook`, { webhooks: { allow: ['127.0.0.1'] } });
    expect(server.hits.map((x) => [x.method, x.path, x.headers.authorization])).toEqual([['POST', '/hook', SECRET]]);
    expect(allowed.outcome).toEqual([`${HOOK} answered: HTTP 200`]);
  });

  it('localhost is refused by name, without a DNS lookup', async () => {
    const server = await recorder();
    const dns = fakeDns('127.0.0.1');
    const { outcome } = await run(`http://localhost:${server.port}/`, { webhooks: { resolve: dns.resolve } });
    expect(outcome).toEqual([
      `${HOOK} refused: localhost is this machine (a loopback name); allow it with --webhook-allow localhost`,
    ]);
    expect(dns.calls).toEqual([]);
    expect(server.hits).toEqual([]);
  });

  it('a public-looking name that resolves to loopback is refused at connect time; allowing the name lets it through', async () => {
    const server = await recorder();
    const dns = fakeDns('127.0.0.1');
    const url = `http://hooks.corp-tools.net:${server.port}/x`;
    const refused = await run(url, { webhooks: { resolve: dns.resolve } });
    expect(refused.outcome).toEqual([
      `${HOOK} refused: hooks.corp-tools.net resolves to 127.0.0.1, a loopback address; allow it with --webhook-allow hooks.corp-tools.net`,
    ]);
    expect(dns.calls).toEqual(['hooks.corp-tools.net']);
    expect(server.hits).toEqual([]);
    await h!.close();

    const allowed = await run(url, { webhooks: { resolve: dns.resolve, allow: ['hooks.corp-tools.net'] } });
    expect(allowed.outcome).toEqual([`${HOOK} answered: HTTP 200`]);
    expect(server.hits).toHaveLength(1);
  });

  it('one internal address among public ones refuses the name (a DNS-rebinding answer)', async () => {
    const dns = fakeDns('93.184.215.14', '10.0.0.7');
    const { outcome } = await run('http://status.corp-tools.net/', { webhooks: { resolve: dns.resolve } });
    expect(outcome).toEqual([
      `${HOOK} refused: status.corp-tools.net resolves to 10.0.0.7, a private (RFC 1918) address; allow it with --webhook-allow status.corp-tools.net`,
    ]);
  });

  it.each([
    ['http://[::1]:9/', '::1 is a loopback address; allow it with --webhook-allow ::1'],
    ['http://[::ffff:127.0.0.1]:PORT/', '::ffff:7f00:1 is an IPv4-mapped form of 127.0.0.1, a loopback address; allow it with --webhook-allow 127.0.0.1'],
    ['http://[64:ff9b::10.0.0.1]/', '64:ff9b::a00:1 is a NAT64 form of 10.0.0.1, a private (RFC 1918) address; allow it with --webhook-allow 10.0.0.1'],
    ['http://2130706433:PORT/', '127.0.0.1 is a loopback address; allow it with --webhook-allow 127.0.0.1'],
    ['http://0x7f.1:PORT/', '127.0.0.1 is a loopback address; allow it with --webhook-allow 127.0.0.1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address (never allowed)'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud metadata address (never allowed)'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a cloud metadata service (never allowed)'],
    ['http://100.64.0.1/', '100.64.0.1 is a carrier-grade NAT (shared) address; allow it with --webhook-allow 100.64.0.1'],
    ['http://192.168.1.1/', '192.168.1.1 is a private (RFC 1918) address; allow it with --webhook-allow 192.168.1.1'],
    ['http://0.0.0.0:PORT/', '0.0.0.0 is an unspecified address; allow it with --webhook-allow 0.0.0.0'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address; allow it with --webhook-allow fe80::1'],
  ])('%s is refused before any connection', async (template, reason) => {
    const server = await recorder();
    const dns = fakeDns('8.8.8.8');
    const { outcome } = await run(template.replace('PORT', String(server.port)), { webhooks: { resolve: dns.resolve } });
    expect(outcome).toEqual([`${HOOK} refused: ${reason}`]);
    expect(server.hits).toEqual([]);
    expect(dns.calls).toEqual([]);
  });

  it('metadata addresses stay refused even when their whole range is allowed', async () => {
    const { outcome } = await run('http://169.254.169.254/', { webhooks: { allow: ['169.254.0.0/16'] } });
    expect(outcome).toEqual([`${HOOK} refused: 169.254.169.254 is a cloud metadata address (never allowed)`]);
  });

  it('a URL templated from the alert payload cannot point the webhook at loopback', async () => {
    const server = await recorder();
    const { outcome } = await run('{{ alert_payload.callback }}', {
      payload: { title: 'x', callback: `${server.origin}/steal` },
    });
    expect(server.hits).toEqual([]);
    expect(outcome).toEqual([`${HOOK} refused: 127.0.0.1 is a loopback address; allow it with --webhook-allow 127.0.0.1`]);
  });

  it('only http and https, and no credentials in the URL', async () => {
    expect((await run('file:///etc/passwd')).outcome).toEqual([`${HOOK} refused: only http and https URLs are sent, not file:`]);
    await h!.close();
    expect((await run('https://user:pw@hooks.slack.com/x')).outcome).toEqual([
      `${HOOK} refused: the URL must not carry a user name or password (set the webhook's username and password)`,
    ]);
  });
});

describe('requests shaped by the payload', () => {
  it('headers that do not render a JSON object: not sent, and the timeline says which part failed', async () => {
    const { outcome, responses } = await run('https://hooks.slack.com/x', {
      hook: { headers: '{{ alert_payload.h }}' },
      payload: { h: 'not json' },
    });
    expect(outcome).toEqual([`${HOOK} not sent: the headers template did not render a JSON object`]);
    expect(responses[0]).toMatchObject({ statusCode: null, content: 'not sent: the headers template did not render a JSON object' });
  });

  it('a header value with a line break from the payload is not sent (no header injection)', async () => {
    const server = await recorder();
    const { outcome } = await run(`${server.origin}/`, {
      webhooks: { allow: ['127.0.0.1'] },
      hook: { headers: '{"X-Note": "{{ alert_payload.note }}"}' },
      payload: { note: 'a\\r\\nX-Injected: 1' },
    });
    expect(server.hits).toEqual([]);
    expect(outcome).toEqual([`${HOOK} request failed: the request is not valid HTTP (check the webhook's headers and method)`]);
  });
});

describe('redirects', () => {
  it('a redirect from an allowed server to a blocked address is not followed', async () => {
    const internal = await recorder(undefined, '127.0.0.2');
    const entry = await recorder((_hit, res) => res.writeHead(302, { location: `${internal.origin}/admin` }).end());
    const { outcome, responses } = await run(`${entry.origin}/hook`, { webhooks: { allow: ['127.0.0.1'] } });
    expect(entry.hits).toHaveLength(1);
    expect(internal.hits).toEqual([]);
    expect(outcome).toEqual([
      `${HOOK} refused: redirect to ${internal.origin} not followed: 127.0.0.2 is a loopback address; allow it with --webhook-allow 127.0.0.2`,
    ]);
    expect(responses[0]!.statusCode).toBeNull();
  });

  it('a redirect to the metadata service is not followed', async () => {
    const entry = await recorder((_hit, res) => res.writeHead(307, { location: 'http://169.254.169.254/latest/' }).end());
    const { outcome } = await run(`${entry.origin}/`, { webhooks: { allow: ['127.0.0.0/8', '169.254.0.0/16'] } });
    expect(outcome).toEqual([
      `${HOOK} refused: redirect to http://169.254.169.254 not followed: 169.254.169.254 is a cloud metadata address (never allowed)`,
    ]);
  });

  it.each([
    ['file:///etc/passwd', 'redirect to file: not followed: only http and https URLs are sent, not file:'],
    ['https://hooks.example.com/x?token=abc', 'redirect to https://hooks.example.com not followed: hooks.example.com is a reserved example domain'],
  ])('a redirect to %s is not followed', async (location, reason) => {
    const entry = await recorder((_hit, res) => res.writeHead(302, { location }).end());
    const { outcome } = await run(`${entry.origin}/`, { webhooks: { allow: ['127.0.0.1'] } });
    expect(outcome).toEqual([`${HOOK} refused: ${reason}`]);
  });

  it('credentials do not follow a redirect to another origin; other headers, method and body do (307)', async () => {
    const other = await recorder((_hit, res) => res.writeHead(201).end('created'));
    const entry = await recorder((_hit, res) => res.writeHead(307, { location: `${other.origin}/next` }).end());
    const { outcome } = await run(`${entry.origin}/hook`, {
      webhooks: { allow: ['127.0.0.1'] },
      hook: { data: '{"n": 1}' },
    });
    expect(outcome).toEqual([`${HOOK} answered: HTTP 201`]);
    const [first] = entry.hits;
    expect([first!.headers.authorization, first!.headers['x-api-key'], first!.headers.cookie]).toEqual([SECRET, API_KEY, 'sid=s3cr3t']);
    expect(other.hits).toHaveLength(1);
    const [second] = other.hits;
    expect(second).toMatchObject({ method: 'POST', path: '/next', body: '{"n": 1}' });
    expect(second!.headers.authorization).toBeUndefined();
    expect(second!.headers['x-api-key']).toBeUndefined();
    expect(second!.headers.cookie).toBeUndefined();
    expect(second!.headers['x-trace']).toBe('t-1');
  });

  it('a same-origin redirect keeps the credentials; 303 turns the request into a GET without body', async () => {
    const server = await recorder((hit, res) => {
      if (hit.path === '/hook') res.writeHead(303, { location: '/done' }).end();
      else res.writeHead(200).end('fine');
    });
    const { outcome } = await run(`${server.origin}/hook`, { webhooks: { allow: ['127.0.0.1'] } });
    expect(outcome).toEqual([`${HOOK} answered: HTTP 200`]);
    expect(server.hits.map((x) => [x.method, x.path, x.body !== '', x.headers.authorization])).toEqual([
      ['POST', '/hook', true, SECRET],
      ['GET', '/done', false, SECRET],
    ]);
    expect(server.hits[1]!.headers['content-type']).toBeUndefined();
  });

  it('stops after 10 redirects', async () => {
    const server = await recorder((hit, res) => res.writeHead(302, { location: `/r${server.hits.length}` }).end());
    const { outcome } = await run(`${server.origin}/r0`, { webhooks: { allow: ['127.0.0.1'] } });
    expect(outcome).toEqual([`${HOOK} request failed: stopped after 10 redirects`]);
    expect(server.hits).toHaveLength(11);
  });
});

describe('responses are bounded', () => {
  it('an endless body is read only up to the recorded size, then the connection is dropped', async () => {
    const server = await recorder((_hit, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      // Writes until the client goes away: only a reader that stops lets this test finish.
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const { outcome, responses } = await run(`${server.origin}/`, { webhooks: { allow: ['127.0.0.1'] } });
    await server.closed;
    expect(outcome).toEqual([`${HOOK} answered: HTTP 200`]);
    expect(responses[0]!.content).toBe('x'.repeat(10_000));
  });

  it('a server that drips its body is cut off at the delivery deadline', async () => {
    const server = await recorder((_hit, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const { outcome } = await run(`${server.origin}/`, { webhooks: { allow: ['127.0.0.1'], deadlineMs: 300 } });
    expect(outcome).toEqual([`${HOOK} request failed: no complete answer within 300 ms`]);
  });
});

/** Alertmanager's webhook body for a critical alert: the demo routes it to "SRE critical". */
const CRITICAL_ALERT = {
  receiver: 'oncall',
  status: 'firing',
  alerts: [{ status: 'firing', labels: { alertname: 'APIDown', severity: 'critical' }, fingerprint: 'f00d' }],
  groupLabels: { alertname: 'APIDown' },
  commonLabels: { alertname: 'APIDown', severity: 'critical' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  version: '4',
  groupKey: '{}:{alertname="APIDown"}',
};

describe('the demo organisation never talks to the internet', () => {
  it('its "SRE critical" escalation records what its webhook would send, with no DNS lookup or connection', async () => {
    const state = demoState();
    state.webhooks.get(IDS.incidentsWebhook)!.authorization_header = SECRET; // as if a user had set one
    const dns = fakeDns('93.184.215.14');
    const sockets: string[] = [];
    const onSocket = () => sockets.push('net socket');
    const onConnect = (m: unknown) => sockets.push(`undici connect ${(m as { connectParams: { hostname: string } }).connectParams.hostname}`);
    dc.subscribe('net.client.socket', onSocket);
    dc.subscribe('undici:client:beforeConnect', onConnect);
    try {
      const clock = VirtualClock.at(T0);
      const backend = new MemoryBackend({ state, clock, webhooks: { resolve: dns.resolve } });
      const { alertGroupId } = backend.receiveAlert('CQWPPTFIE6MK6', CRITICAL_ALERT);
      backend.runtime.advanceTo(clock, Date.parse(T0) + 60_000);
      await backend.webhookSender.settled();

      const group = state.alertGroups.get(alertGroupId)!;
      expect(group.escalation?.chainId).toBe(IDS.sreCritical);
      const texts = group.timeline.filter((i) => i.event === 'webhook').map((i) => i.text);
      expect(texts).toEqual([
        'Triggered webhook "Post to #incidents" (POST https://hooks.example.com/oncall/incidents)',
        `${HOOK} not sent: hooks.example.com is a reserved example domain; recorded what would have been sent`,
      ]);
      const incidents = state.webhookResponses.filter((r) => r.webhookId === IDS.incidentsWebhook);
      expect(incidents).toHaveLength(1);
      const [wouldSend] = incidents;
      expect(wouldSend).toMatchObject({
        url: 'https://hooks.example.com/oncall/incidents',
        statusCode: null,
        content: 'would send POST https://hooks.example.com/oncall/incidents (not sent: hooks.example.com is a reserved example domain)',
        requestData: `{"alert_group_id": "${alertGroupId}", "title": "${group.title}"}`,
      });
      expect(JSON.parse(wouldSend!.requestHeaders)).toEqual({ 'Content-Type': 'application/json', 'authorization': '****' });
      expect(JSON.stringify(state.webhookResponses)).not.toContain('hook-secret');
      expect(dns.calls).toEqual([]);
      expect(sockets).toEqual([]);
    } finally {
      dc.unsubscribe('net.client.socket', onSocket);
      dc.unsubscribe('undici:client:beforeConnect', onConnect);
    }
  });
});

describe('--webhook-allow from the command line to the sender', () => {
  it('the parsed option reaches the engine built for serve/api/call', async () => {
    const server = await recorder();
    const options = parseOptions([], { ONCALL_MCP_WEBHOOK_ALLOW: `hooks.internal, 127.0.0.0/8` });
    expect(options.webhookAllow).toEqual(['hooks.internal', '127.0.0.0/8']);
    const { backend } = await buildBackend(options, () => {});
    const engine = backend as MemoryBackend;
    engine.state.webhooks.get(IDS.incidentsWebhook)!.url = `${server.origin}/from-cli`;
    // An alert group with no escalation, and the webhook triggered on it as a step would.
    const integration = (await engine.integrations.create({ type: 'webhook' })).id;
    const { alertGroupId } = engine.receiveAlert(integration, { n: 1 });
    engine.webhookSender.trigger(engine.state.alertGroups.get(alertGroupId)!, IDS.incidentsWebhook, Date.now());
    await engine.webhookSender.settled();
    expect(server.hits.map((x) => x.path)).toEqual(['/from-cli']);
  });
});
