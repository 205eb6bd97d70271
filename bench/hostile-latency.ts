/**
 * What a hostile alert costs everybody else: `oncall-mcp api` (the built bin) runs as a child
 * process with routes whose expressions are as expensive as a template or regex can be, and one
 * client reads the API in a loop while another sends alerts that hit those routes. The figure is
 * the latency the reads gain over the same loop with ordinary alerts: the time budget of a template
 * render bounds it, where an unbounded engine held the event loop for seconds per alert.
 *
 * There are 37 hostile integrations, each with its own expression, so the first three alerts to
 * each (over a hundred in all) cost a full budget before the per-expression breaker stops running
 * it; the maximum below is that worst case.
 */
import { randomBytes } from 'node:crypto';
import { startApiProcess } from './api-process.js';
import { ms, percentile, row } from './stats.js';

const PHASE_MS = 4000;

const startApi = (token: string) =>
  startApiProcess(token, ['--rate-limit', '0', '--alert-rate-limit', '0', '--org-alert-rate-limit', '0']);

interface Target {
  link: string;
  label: string;
}

export async function benchHostileLatency(): Promise<void> {
  console.log(`\nhostile alerts: latency of API reads while alerts hit expensive routes (oncall-mcp api, ${PHASE_MS / 1000} s per phase)`);
  const token = randomBytes(32).toString('hex');
  const { child, url } = await startApi(token);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/api/v1/${path}`, {
      method,
      headers: { 'authorization': token, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const integration = async (name: string, route?: { routing_type: string; routing_regex: string }) => {
    const created = await api('POST', 'integrations/', { type: 'webhook', name });
    if (route) await api('POST', 'routes/', { integration_id: created.id, escalation_chain_id: null, ...route });
    return `${url}${new URL(String(created.link)).pathname}`; // the link names the public URL, not this port
  };
  try {
    const benign: Target[] = [{ link: await integration('benign'), label: 'ordinary' }];
    const hostile: Target[] = [];
    for (let i = 0; i < 12; i++) {
      // 10^8 loop iterations: far past any budget.
      const loop = `{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}{{ ${i} }}`;
      hostile.push({ link: await integration(`loop ${i}`, { routing_type: 'jinja2', routing_regex: loop }), label: 'template loop' });
      const blowUp = `{{ payload.title | center(${100_000_000 + i}) }}`;
      hostile.push({ link: await integration(`center ${i}`, { routing_type: 'jinja2', routing_regex: blowUp }), label: 'center()' });
      const lookahead = `(x+x+)+y(?=${i})`; // RE2 cannot run lookahead: the sandbox does, under its budget
      hostile.push({ link: await integration(`regex ${i}`, { routing_type: 'regex', routing_regex: lookahead }), label: 'regex' });
    }
    const re2 = { link: await integration('re2', { routing_type: 'regex', routing_regex: '(x+x+)+y' }), label: 'RE2 regex' };
    hostile.push(re2);

    const payload = JSON.stringify({ title: 'x'.repeat(60) });
    const phase = async (targets: Target[]) => {
      // Warm-up: the first render builds the sandbox.
      await fetch(targets[0]!.link, { method: 'POST', body: payload, headers: { 'content-type': 'application/json' } });
      const until = Date.now() + PHASE_MS;
      const latencies: number[] = [];
      let alerts = 0;
      const reads = (async () => {
        while (Date.now() < until) {
          const t = performance.now();
          await (await fetch(`${url}/api/v1/escalation_chains/`, { headers: { authorization: token } })).text();
          latencies.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const sender = (async () => {
        for (let i = 0; Date.now() < until; i++) {
          const target = targets[i % targets.length]!;
          await (await fetch(target.link, { method: 'POST', body: payload, headers: { 'content-type': 'application/json' } })).text();
          alerts++;
        }
      })();
      await Promise.all([reads, sender]);
      return { latencies, alerts };
    };
    const base = await phase(benign);
    const bad = await phase(hostile);
    const fmt = (l: number[]) => `p50 ${ms(percentile(l, 50))}, p99 ${ms(percentile(l, 99))}, max ${ms(Math.max(...l))}`;
    console.log(row(`reads while ordinary alerts arrive (${base.alerts} alerts)`, fmt(base.latencies)));
    console.log(row(`reads while hostile alerts arrive (${bad.alerts} alerts)`, fmt(bad.latencies)));
    console.log(
      row(
        'added by hostile alerts',
        `p99 +${ms(percentile(bad.latencies, 99) - percentile(base.latencies, 99))}`,
        `max +${ms(Math.max(...bad.latencies) - Math.max(...base.latencies))}`,
      ),
    );
    console.log(row('  (before the sandbox and RE2, one such alert held every request for seconds)', ''));
  } finally {
    child.kill('SIGTERM');
  }
}
