/**
 * Hostile templates against the sandbox itself: `renderUnchecked` skips the save-time syntax check,
 * so each escape below reaches the sandbox as it would if the check had a hole. Every one must be
 * inert: no file written, no host global changed, no later render affected, and every render
 * returns or fails with a budget error instead of holding the process.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  breaker,
  checkTemplate,
  renderTemplate,
  renderUnchecked,
  sandbox,
  TemplateError,
} from '../../src/engine/alerting/templates.js';
import { connect, type Harness, IDS } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'oncall-hostile-'));
const marker = join(dir, 'pwned');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => breaker.clear());

/** JavaScript that would prove an escape: write the marker file and set a host global. */
const PAYLOAD_JS =
  `globalThis.__pwned = 1; process.mainModule.require('child_process').execSync('touch ${marker}'); return 'escaped'`;
const js = JSON.stringify(PAYLOAD_JS);

/** Whatever the escape renders (or fails with), it must not be the host's doing. */
function attempt(template: string): string {
  try {
    return renderUnchecked(template, { payload: { a: 1 } });
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return `error: ${(err as Error).message}`;
  }
}

function expectNoEscape(): void {
  expect(existsSync(marker)).toBe(false);
  expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
  // And the sandbox still renders ordinary templates as before.
  expect(renderTemplate('{{ payload.a | upper }}', { payload: { a: 'ok' } })).toBe('OK');
}

describe('escapes are inert inside the sandbox', () => {
  it.each([
    ['valueOf().env.renderString', `{{ valueOf().env.renderString("{{ range.constructor(${js.replace(/"/g, '\'')})() }}") }}`],
    ['renderString through a set alias', `{% set e = valueOf().env %}{{ e.renderString("{{ range.constructor(" ~ ${JSON.stringify(js)} ~ ")() }}") }}`],
    ['toString', `{{ toString.constructor(${js})() }}`],
    ['"".constructor.constructor', `{{ "".constructor.constructor(${js})() }}`],
    ['range.constructor', `{{ range.constructor(${js})() }}`],
    ['{% set %} alias of the Function constructor', `{% set f = range.constructor %}{% set g = f(${js}) %}{{ g() }}`],
    ['cycler', `{{ cycler(1).next.constructor(${js})() }}`],
    ['joiner', `{{ joiner(",").constructor(${js})() }}`],
    ['lipsum', `{{ lipsum.constructor(${js})() }}`],
    ['env.addGlobal then use', `{{ valueOf().env.addGlobal("evil", range.constructor(${js})) }}{{ evil() }}`],
    ['a filter replaced through env', `{{ valueOf().env.addFilter("upper", range.constructor(${js})) }}{{ "a" | upper }}`],
    ['payload.constructor', `{{ payload.constructor.constructor(${js})() }}`],
    ['computed attribute', `{% set k = "constr" ~ "uctor" %}{{ payload[k][k](${js})() }}`],
    ['an async job left queued', `{{ range.constructor("Promise.resolve().then(function(){" + ${js} + "}); return 1")() }}`],
  ])('%s', (_name, template) => {
    const outcome = attempt(template);
    expect(outcome).not.toContain('escaped');
    expectNoEscape();
  });

  it('a render that leaves a promise job queued fails and its runtime is dropped', () => {
    const before = sandbox.stats.realmsBuilt;
    expect(() => renderUnchecked('{{ range.constructor("Promise.resolve().then(function () {}); return 1")() }}', {})).toThrow(
      /asynchronous work queued/,
    );
    expect(renderTemplate('{{ 2 * 3 }}', {})).toBe('6');
    expect(sandbox.stats.realmsBuilt).toBe(before + 1);
  });

  it('sees a JavaScript world without Node: no process, require, module or host functions', () => {
    const probe = '["process","require","module","Buffer","setTimeout","fetch","console","std","os"].map(function (n) { return typeof globalThis[n]; }).join()';
    expect(renderUnchecked(`{{ range.constructor(${JSON.stringify(`return ${probe}`)})() }}`, {})).toBe(
      Array(9).fill('undefined').join(),
    );
  });

  it('cannot change what a later template sees', () => {
    const polluter = '{{ range.constructor("Object.prototype.polluted = 1; Array.prototype.join = function () { return \'x\'; }; String.prototype.toUpperCase = function () { return \'x\'; }; globalThis.leak = 1; return 1")() }}';
    attempt(polluter);
    expect(renderTemplate('{{ payload.polluted }}|{{ [1, 2] | join(",") }}|{{ "a" | upper }}|{{ leak }}', { payload: {} })).toBe(
      '|1,2|A|',
    );
  });

  it('cannot read another render\'s payload: the context is per render', () => {
    attempt('{{ range.constructor("globalThis.saved = arguments; return 1")() }}');
    expect(renderUnchecked('{{ payload.secret }}', { payload: { secret: 's3cret' } })).toBe('s3cret');
    expect(renderUnchecked('{{ saved }}{{ range.constructor("return typeof saved")() }}', { payload: {} })).toBe('undefined');
  });
});

describe('budgets', () => {
  it.each([
    ['a nested range loop', '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}'],
    ['center(100000000)', '{{ "x" | center(100000000) }}'],
    ['indent blow-up', '{% set s = "x\\n" | center(5000) %}{% for i in range(10000) %}{% set s = s | indent(5000) %}{% endfor %}{{ s | length }}'],
    ['doubling a string', '{% set s = "xx" %}{% for i in range(100) %}{% set s = s ~ s %}{% endfor %}{{ s | length }}'],
    ['an endless loop in JavaScript', '{{ range.constructor("for (;;) {}")() }}'],
    ['a catastrophic regex', `{{ "${'a'.repeat(40)}b" | regex_search("(a+)+$") }}`],
  ])('%s fails with a budget error and the next render works', (_name, template) => {
    expect(() => renderUnchecked(template, {})).toThrow(/time budget|memory limit/);
    expectNoEscape();
  });

  it('unbounded recursion stops at the stack limit', () => {
    expect(() => renderTemplate('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', {})).toThrow(
      /nested too deeply|time budget/,
    );
    expectNoEscape();
  });

  it('a host stack overflow inside the WebAssembly code replaces the instance; rendering goes on', async () => {
    await sandbox.settled(); // a spare instance is ready
    const before = sandbox.stats.instancesDiscarded;
    const deep = '{{ range.constructor("var o = [], p = o; for (var i = 0; i < 30000; i++) p = p[0] = []; return JSON.stringify(o).length")() }}';
    expect(() => renderUnchecked(deep, {})).toThrow(/nested too deeply/);
    expect(sandbox.stats.instancesDiscarded).toBe(before + 1);
    expectNoEscape();
  });

  it('a deeply nested payload is an error, not a crash', () => {
    let payload: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) payload = [payload];
    expect(() => renderTemplate('{{ payload }}', { payload })).toThrow(TemplateError);
    expectNoEscape();
  });

  it('a template that keeps blowing its budget is disabled for a while, others are not', () => {
    const loop = '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}';
    for (let i = 0; i < 3; i++) expect(() => renderTemplate(loop, {})).toThrow(/time budget/);
    expect(() => renderTemplate(loop, {})).toThrow(/disabled for \d+ s/);
    expect(renderTemplate('{{ 1 + 1 }}', {})).toBe('2');
  });
});

describe('OnCall limits', () => {
  it('refuses a template over 50,000 characters and cuts a result over 50,000 with ".."', () => {
    expect(() => renderTemplate(`${' '.repeat(50_001)}`, {})).toThrow(
      'Template exceeds length limit (50001 > 50000)',
    );
    const long = renderTemplate('{{ "x" | center(60000) }}', {});
    expect(long).toHaveLength(50_002);
    expect(long.endsWith('..')).toBe(true);
  });
});

describe('a hostile jinja2 route through the MCP client, then an inbound alert', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await connect();
  });
  afterEach(() => h.close());

  it.each([
    ['the renderString bypass of the old check', `{{ valueOf().env.renderString("{{ range.constructor(${js.replace(/"/g, '\'')})() }}") }}`],
    ['a loop that held the event loop for 10 s', '{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}true'],
    ['center(100000000)', '{{ "x" | center(100000000) }}true'],
  ])('%s: saved, never matches, the alert takes the default route', async (_name, template) => {
    expect(() => checkTemplate(template)).not.toThrow(); // the old layer alone would have let it through
    const integration = (await h.ok('create_integration', { type: 'webhook', name: 'hostile' })).data;
    await h.ok('create_route', {
      integration_id: integration.id,
      escalation_chain_id: IDS.defaultChain,
      routing_type: 'jinja2',
      routing_regex: template,
    });
    const { alertGroupId } = h.backend.receiveAlert(integration.id, { title: 'disk full' });
    const group = (await h.ok('get_alert_group', { alert_group_id: alertGroupId })).data;
    expect(group.route_id).toBe(integration.default_route.id);
    expectNoEscape();
    // An ordinary template still renders and routes.
    const next = h.backend.receiveAlert(integration.id, { title: 'second' });
    expect((await h.ok('get_alert_group', { alert_group_id: next.alertGroupId })).data.title).toBe('second');
  });
});
