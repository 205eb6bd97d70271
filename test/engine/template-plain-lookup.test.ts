/**
 * `{{ payload.a.b }}` templates are answered on the host without the sandbox when the value is a
 * string found by own keys (templates.ts, `plainLookup`). Every case here is rendered both ways,
 * the fast way (`renderTemplate`) and inside the sandbox (`renderUnchecked`, which never takes the
 * fast path), and the two must agree, including where the fast path must step aside: numbers,
 * booleans, null, lists, missing keys, dict method names, inherited and `__proto__` keys.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate, renderUnchecked } from '../../src/engine/alerting/templates.js';

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
