/**
 * Templates in the QuickJS sandbox against nunjucks in the host realm (the old, unsafe way) in the
 * same run: the p50/p99 of an ordinary cached render and their ratio, the cost of compiling a
 * template not yet cached, the first render (building the sandbox's realm), and how long the
 * event loop stalls while a hostile template renders (the largest delay a 1 ms setInterval ticker
 * sees) before the budget stops it.
 */
import nunjucks from 'nunjucks';
import { renderUnchecked, renderTemplate, sandbox, breaker } from '../src/engine/alerting/templates.js';
import { TemplateSandbox } from '../src/engine/alerting/templates/sandbox.js';
import { median, ms, percentile, row } from './stats.js';

const TITLE =
  '{{ payload.commonLabels.alertname or payload.groupLabels.alertname or "Alertmanager alert" }} '
  + '{% for a in payload.alerts %}[{{ a.labels.severity | upper }}] {{ a.annotations.summary | default("-") }}{% endfor %}';
const PAYLOAD = {
  commonLabels: { alertname: 'DiskFull', severity: 'critical' },
  alerts: Array.from({ length: 5 }, (_, i) => ({
    labels: { severity: 'critical', instance: `db-${i}` },
    annotations: { summary: `disk 9${i}% full` },
  })),
};

function samples(n: number, fn: () => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

/** Largest gap between 1 ms ticks while `fn` runs (after a short lead-in), in ms. */
async function stall(fn: () => void): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, 20));
  worst = 0;
  last = performance.now();
  setTimeout(fn, 0);
  await new Promise((r) => setTimeout(r, 50));
  clearInterval(ticker);
  return worst;
}

export async function benchTemplates(): Promise<void> {
  console.log('\ntemplates: QuickJS sandbox vs host nunjucks (same run)');
  const fresh = await TemplateSandbox.create();
  const t0 = process.hrtime.bigint();
  fresh.warm();
  console.log(row('first render: build the sandbox realm', ms(Number(process.hrtime.bigint() - t0) / 1e6, 1)));

  const host = new nunjucks.Environment(null, { autoescape: false });
  const compiledHost = nunjucks.compile(TITLE, host);
  const context = { payload: PAYLOAD };
  renderTemplate(TITLE, context); // compile and cache in the sandbox
  const expected = compiledHost.render(context);
  if (renderTemplate(TITLE, context) !== expected) throw new Error('sandbox and host disagree');
  for (let round = 0; round < 2; round++) {
    samples(500, () => renderTemplate(TITLE, context));
    samples(500, () => compiledHost.render(context));
  }
  const inSandbox = samples(3000, () => renderTemplate(TITLE, context));
  const inHost = samples(3000, () => compiledHost.render(context));
  const p = (s: number[], q: number) => percentile(s, q);
  console.log(row('ordinary cached render, sandbox p50 / p99', ms(p(inSandbox, 50), 3), ms(p(inSandbox, 99), 3)));
  console.log(row('ordinary cached render, host p50 / p99', ms(p(inHost, 50), 3), ms(p(inHost, 99), 3)));
  console.log(row('ratio sandbox / host (p50, p99)', `${(p(inSandbox, 50) / p(inHost, 50)).toFixed(1)}×`, `${(p(inSandbox, 99) / p(inHost, 99)).toFixed(1)}×`));

  let k = 0;
  const compileSandbox = samples(40, () => renderTemplate(`${TITLE} {{ ${k++} }}`, context));
  const compileHost = samples(40, () => nunjucks.compile(`${TITLE} {{ ${k++} }}`, host).render(context));
  console.log(row('compile + render, uncached, sandbox / host', ms(median(compileSandbox), 2), ms(median(compileHost), 2)));

  const hostile: Array<[string, string]> = [
    ['nested range loop', '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}'],
    ['center(100000000)', '{{ "x" | center(100000000) }}'],
    ['catastrophic regex', `{{ "${'a'.repeat(40)}b" | regex_search("(a+)+$") }}`],
    ['endless JavaScript loop (check bypassed)', '{{ range.constructor("for (;;) {}")() }}'],
  ];
  for (const [name, template] of hostile) {
    let outcome = '';
    const worst = await stall(() => {
      try {
        renderUnchecked(template, {});
        outcome = 'rendered';
      } catch (err) {
        outcome = (err as Error).message;
      }
    });
    console.log(row(`event-loop stall: ${name}`, ms(worst, 1), `(${outcome})`));
    breaker.clear();
  }
  const before = sandbox.stats.realmsBuilt;
  const rebuild = samples(5, () => {
    try {
      renderUnchecked('{{ range.constructor("var a = []; for (;;) a.push(\'x\'.repeat(1e5))")() }}', {});
    } catch {
      // the memory limit, as intended
    }
    renderTemplate('{{ 1 }}', {});
  });
  console.log(row('memory limit hit + realm rebuilt + next render', ms(median(rebuild), 1), `(${sandbox.stats.realmsBuilt - before} rebuilds)`));
  breaker.clear();
}
