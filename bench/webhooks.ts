/**
 * What the outgoing-address guard costs a webhook delivery: sequential POSTs to a loopback server
 * through the guarded client (name resolved and checked inside the connection, redirects followed
 * by hand, bounded body) versus a bare undici Agent, both with keep-alive; a fresh connection per
 * delivery for both; and the policy's address check alone.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { OutgoingPolicy } from '../src/engine/runtime/outgoing/address-policy.js';
import { OutgoingClient } from '../src/engine/runtime/outgoing/outgoing-client.js';
import { ms, row } from './stats.js';

/** Mean ms per call of each, run in interleaved batches so machine noise hits both alike. */
async function interleaved(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  const batch = 100;
  for (let i = 0; i < batch; i++) {
    await a(); // warm-up
    await b();
  }
  const total = [0n, 0n];
  for (let done = 0; done < n; done += batch) {
    for (const [k, f] of [a, b].entries()) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) await f();
      total[k]! += process.hrtime.bigint() - t;
    }
  }
  return [Number(total[0]!) / 1e6 / n, Number(total[1]!) / 1e6 / n];
}

export async function benchWebhooks(n: number): Promise<void> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://localhost:${(server.address() as AddressInfo).port}/hook`;
  const body = JSON.stringify({ alert_group_id: 'I1', title: 'disk full' });
  const headers = { 'content-type': 'application/json', 'authorization': 'Bearer x' };
  const policy = new OutgoingPolicy(['localhost']);
  try {
    console.log(`\nwebhook delivery to a loopback server by name, sequential (mean of ${n}, interleaved batches)`);
    console.log(row('', 'bare undici', 'guarded', 'ratio'));
    for (const [label, reuse] of [['keep-alive', true], ['new connection each', false]] as const) {
      const bare = new Agent();
      const guarded = new OutgoingClient({ policy });
      const [bareMs, guardedMs] = await interleaved(
        n,
        async () => {
          const r = await request(url, { dispatcher: bare, method: 'POST', headers, body, reset: !reuse });
          await r.body.text();
        },
        async () => {
          const d = await guarded.send({ method: 'POST', url, headers: reuse ? headers : { ...headers, connection: 'close' }, body });
          if (d.kind !== 'answered') throw new Error(`bench delivery not answered: ${d.kind}`);
        },
      );
      console.log(row(label, ms(bareMs, 3), ms(guardedMs, 3), `${(guardedMs / bareMs).toFixed(2)}×`));
      await bare.close();
      await guarded.close();
    }
    const addresses = ['93.184.215.14', '10.0.0.1', '2606:4700::1', '::ffff:127.0.0.1', '169.254.169.254'];
    const rounds = 200_000;
    const t = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) policy.checkAddress('hooks.slack.com', addresses[i % addresses.length]!);
    const ns = Number(process.hrtime.bigint() - t) / rounds;
    console.log(row('OutgoingPolicy.checkAddress, mixed addresses', `${(ns / 1000).toFixed(2)} µs per call`));
  } finally {
    server.close();
  }
}
