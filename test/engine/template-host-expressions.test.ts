/**
 * Plain lookups (`{{ payload.a.b }}`), comparisons with `==` / `!=` and `or` chains are answered on
 * the host without the sandbox (templates/host-expressions.ts). Every case here is rendered both
 * ways, the fast way (`renderTemplate`) and inside the sandbox (`renderUnchecked`, which never takes
 * the fast path), and the two must agree, including where the fast path must step aside: numbers,
 * booleans, null, lists, dict method names, inherited and `__proto__` keys, other syntax. Where a
 * case says the host answers, `hostAnswer` shows that it did.
 */
import { describe, expect, it } from 'vitest';
import { hostAnswer, renderTemplate, renderUnchecked } from '../../src/engine/alerting/templates.js';

/** What a render gives: its text, or the error it throws. */
function outcome(render: () => string): string {
  try {
    return `text ${JSON.stringify(render())}`;
  } catch (err) {
    return `error ${err instanceof Error ? err.message : String(err)}`;
  }
}

const both = (source: string, payload: unknown) => ({
  fast: outcome(() => renderTemplate(source, { payload })),
  sandbox: outcome(() => renderUnchecked(source, { payload })),
});

/** A small deterministic generator, so a failure names a reproducible case. */
function* strings(seed: number, count: number): Generator<string> {
  const alphabet = ['a', 'Z', ' ', '<', '>', '&', '"', '\'', '{', '}', '%', '\\', '\n', 'é', '日本', '😀', '\u0000', '{{', '}}'];
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const length = x % 12;
    let s = '';
    for (let j = 0; j < length; j++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      s += alphabet[x % alphabet.length];
    }
    yield s;
  }
}

describe('plain payload lookups', () => {
  it('agree with the sandbox for string values of every shape', () => {
    for (const value of strings(7, 300)) {
      const r = both('{{ payload.labels.alertname }}', { labels: { alertname: value } });
      expect(r.fast, JSON.stringify(value)).toBe(r.sandbox);
    }
  });

  it('agree with the sandbox where the value is not a string or not there', () => {
    const payloads: unknown[] = [
      { labels: { alertname: 42 } },
      { labels: { alertname: 1.5 } },
      { labels: { alertname: true } },
      { labels: { alertname: null } },
      { labels: { alertname: ['a', 'b'] } },
      { labels: { alertname: { nested: 'x' } } },
      { labels: {} },
      { labels: ['alertname'] },
      {},
      'a string payload',
      null,
    ];
    for (const payload of payloads) {
      const r = both('{{ payload.labels.alertname }}', payload);
      expect(r.fast, JSON.stringify(payload)).toBe(r.sandbox);
    }
  });

  it('leave dict attributes and inherited names to the sandbox', () => {
    const cases: Array<[string, unknown]> = [
      ['{{ payload.items }}', { items: 'own value' }],
      ['{{ payload.keys }}', { keys: 'own value' }],
      ['{{ payload.toString }}', {}],
      ['{{ payload.a.hasOwnProperty }}', { a: {} }],
    ];
    for (const [source, payload] of cases) {
      const r = both(source, payload);
      expect(r.fast, source).toBe(r.sandbox);
    }
    const proto = JSON.parse('{"__proto__": "x", "a": "y"}');
    expect(both('{{ payload.a }}', proto).fast).toBe('text "y"');
  });

  it('spacing inside the braces is the same template; anything more is the sandbox\'s', () => {
    const payload = { groupKey: 'g-1', n: 'x' };
    for (const source of ['{{payload.groupKey}}', '{{  payload.groupKey  }}', '{{ payload.groupKey }}\n', '{{ payload.groupKey | upper }}', 'k={{ payload.groupKey }}']) {
      const r = both(source, payload);
      expect(r.fast, source).toBe(r.sandbox);
    }
  });

  it('a template that fails the check still fails, fast path or not', () => {
    expect(() => renderTemplate('{{ payload.constructor }}', { payload: { constructor: 'x' } })).toThrow(/not allowed/);
  });

  it('a NUL inside a value survives the sandbox too (strings cross it as JSON)', () => {
    expect(renderUnchecked('{{ payload.a }}!', { payload: { a: 'x\u0000y' } })).toBe('x\u0000y!');
  });
});

/** The templates the engine renders for every alert: the default titles, grouping keys, resolve signals. */
const DEFAULT_TITLE = '{{ payload.commonLabels.alertname or payload.groupLabels.alertname or "Alertmanager alert" }}';
const RESOLVE = '{{ payload.status == "resolved" }}';
const ROUTE = '{{ payload.commonLabels.team == "payments" }}';

describe('comparisons and or-chains', () => {
  it('the default title, resolve signal and a jinja2 route are answered on the host, as the sandbox answers', () => {
    const payloads: unknown[] = [
      { commonLabels: { alertname: 'HighLatency', team: 'payments' }, status: 'firing' },
      { commonLabels: { team: 'search' }, groupLabels: { alertname: 'FromGroup' }, status: 'resolved' },
      { commonLabels: { alertname: '' }, groupLabels: {}, status: 'Resolved' },
      { commonLabels: {}, status: '' },
      {},
      { commonLabels: null, groupLabels: null },
    ];
    for (const payload of payloads) {
      for (const source of [DEFAULT_TITLE, RESOLVE, ROUTE]) {
        const r = both(source, payload);
        expect(r.fast, `${source} over ${JSON.stringify(payload)}`).toBe(r.sandbox);
        expect(hostAnswer(source, { payload }), `${source} over ${JSON.stringify(payload)}`).toBe(renderUnchecked(source, { payload }));
      }
    }
    expect(hostAnswer(DEFAULT_TITLE, { payload: { groupLabels: { alertname: 'G' } } })).toBe('G');
    expect(hostAnswer(DEFAULT_TITLE, { payload: {} })).toBe('Alertmanager alert');
    expect(hostAnswer(RESOLVE, { payload: { status: 'resolved' } })).toBe('true');
    expect(hostAnswer(ROUTE, { payload: { commonLabels: {} } })).toBe('false');
  });

  it('agree with the sandbox over generated strings on both sides of == and !=', () => {
    const values = [...strings(11, 60)];
    for (const [i, value] of values.entries()) {
      const literal = values[(i * 7) % values.length]!;
      const payload = { a: { b: i % 3 === 0 ? literal : value } };
      for (const op of ['==', '!=']) {
        // A literal with a quote or a backslash is the sandbox's to read; the case still has to agree.
        const source = `{{ payload.a.b ${op} "${literal.replace(/["\\]/g, '')}" }}`;
        if (source.includes('{{', 2) || source.slice(0, -2).includes('}}')) continue;
        const r = both(source, payload);
        expect(r.fast, `${source} over ${JSON.stringify(payload)}`).toBe(r.sandbox);
      }
    }
  });

  it('step aside wherever the sandbox\'s own rules would decide', () => {
    const cases: Array<[string, unknown]> = [
      ['{{ payload.a == "1" }}', { a: 1 }], // nunjucks compares loosely: 1 == "1"
      ['{{ payload.a == "true" }}', { a: true }],
      ['{{ payload.a or "lit" }}', { a: 0 }],
      ['{{ payload.a or "lit" }}', { a: [] }], // a list is truthy to nunjucks, and prints as nothing
      ['{{ payload.a or "lit" }}', { a: { b: 1 } }],
      ['{{ payload.a.length == "3" }}', { a: 'abc' }],
      ['{{ payload.a.items or "x" }}', { a: { items: 'own' } }],
      ['{{ payload.toString or "x" }}', {}],
      ['{{ payload.a == "x" and payload.b == "y" }}', { a: 'x', b: 'y' }],
      ['{{ not payload.a }}', {}],
      ['{{ payload.a == "x\\"" }}', { a: 'x"' }],
      ['{{- payload.a -}}', { a: 'x' }],
      ['{{ payload.a == payload.b == "x" }}', { a: 'x', b: 'x' }],
      ['{{ payload.a | default("d") }}', {}],
      ['{{ payload["a"] == "x" }}', { a: 'x' }],
    ];
    for (const [source, payload] of cases) {
      expect(hostAnswer(source, { payload }), source).toBeUndefined();
      const r = both(source, payload);
      expect(r.fast, source).toBe(r.sandbox);
    }
  });

  it('keys of nothing are nothing, as in the sandbox; a missing key compares unequal', () => {
    const cases: Array<[string, unknown, string]> = [
      ['{{ payload.a.b == "x" }}', {}, 'false'],
      ['{{ payload.a.b != "x" }}', { a: null }, 'true'],
      ['{{ payload.a == payload.b }}', {}, 'true'],
      ['{{ payload.a.b or payload.c or "last" }}', { c: '' }, 'last'],
      ['{{ payload.a or payload.b }}', {}, ''],
      ['{{ payload.a == "x" or payload.b }}', { b: 'y' }, 'y'],
      ['{{ "x" == payload.a }}', { a: 'x' }, 'true'],
      ['{{ payload.a == \'x\' }}', { a: 'x' }, 'true'],
    ];
    for (const [source, payload, expected] of cases) {
      expect(hostAnswer(source, { payload }), source).toBe(expected);
      expect(renderUnchecked(source, { payload }), source).toBe(expected);
    }
  });
});
