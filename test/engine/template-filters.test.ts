/**
 * OnCall's template globals and filters, as they behave in OnCall (Python's strftime, json.dumps,
 * re and base64), running inside the sandbox. A filter given the wrong kind of value renders
 * nothing instead of failing the template, as OnCall's return None.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/engine/alerting/templates.js';

const NOW = Date.UTC(2026, 0, 2, 3, 4, 5); // Friday 2 January 2026, 03:04:05 UTC
const render = (template: string, payload: unknown = {}) => renderTemplate(template, { payload }, { now: NOW });

describe('time() and datetimes', () => {
  it('time() is the engine\'s now, shown as Python shows an aware datetime', () => {
    expect(render('{{ time() }}')).toBe('2026-01-02 03:04:05+00:00');
  });

  it('datetimeformat uses OnCall\'s default format and strftime directives', () => {
    expect(render('{{ time() | datetimeformat }}')).toBe('03:04 / 02-01-2026');
    expect(render('{{ time() | datetimeformat("%a %A %b %B %d %Y %y %I:%M:%S %p %j %%") }}')).toBe(
      'Fri Friday Jan January 02 2026 26 03:04:05 AM 002 %',
    );
  });

  it('iso8601_to_time parses ISO 8601 with or without an offset', () => {
    expect(render('{{ "2024-01-01T10:00:00+05:30" | iso8601_to_time }}')).toBe('2024-01-01 10:00:00+05:30');
    expect(render('{{ "2024-01-01T10:00:00Z" | iso8601_to_time }}')).toBe('2024-01-01 10:00:00+00:00');
    expect(render('{{ "2024-01-01 10:00:00" | iso8601_to_time }}')).toBe('2024-01-01 10:00:00');
    expect(render('{{ payload.at | iso8601_to_time | datetimeformat("%H:%M") }}', { at: '2024-03-05T23:59:00.123Z' })).toBe(
      '23:59',
    );
  });

  it('datetimeformat_as_timezone converts with the zone\'s offset at that instant (DST included)', () => {
    const t = (iso: string, tz: string) => render(`{{ "${iso}" | iso8601_to_time | datetimeformat_as_timezone("%Y-%m-%d %H:%M %z", "${tz}") }}`);
    expect(t('2024-07-01T10:00:00Z', 'Europe/Berlin')).toBe('2024-07-01 12:00 +0200');
    expect(t('2024-01-15T10:00:00Z', 'Europe/Berlin')).toBe('2024-01-15 11:00 +0100');
    expect(t('2024-07-01T02:00:00Z', 'America/New_York')).toBe('2024-06-30 22:00 -0400');
    expect(t('2024-01-01T10:00:00Z', 'Asia/Kolkata')).toBe('2024-01-01 15:30 +0530');
    expect(t('2024-01-01T10:00:00Z', 'UTC')).toBe('2024-01-01 10:00 +0000');
    // The hour Berlin springs forward: 01:00 UTC on 31 March 2024.
    expect(t('2024-03-31T00:59:00Z', 'Europe/Berlin')).toBe('2024-03-31 01:59 +0100');
    expect(t('2024-03-31T01:00:00Z', 'Europe/Berlin')).toBe('2024-03-31 03:00 +0200');
  });

  it('renders nothing for a value that is not a datetime, or an unknown zone', () => {
    expect(render('[{{ "2024-01-01" | datetimeformat }}][{{ 5 | datetimeformat }}][{{ "nope" | iso8601_to_time }}]')).toBe(
      '[][][]',
    );
    expect(render('[{{ time() | datetimeformat_as_timezone("%H", "Mars/Olympus") }}]')).toBe('[]');
  });
});

describe('JSON filters', () => {
  it('tojson_pretty sorts keys and indents by 4, keeping non-ASCII text', () => {
    expect(render('{{ payload | tojson_pretty }}', { b: [1, { z: 'é' }], a: null })).toBe(
      '{\n    "a": null,\n    "b": [\n        1,\n        {\n            "z": "é"\n        }\n    ]\n}',
    );
  });

  it('json_dumps writes Python\'s json.dumps: insertion order, ", " and ": ", ASCII escapes', () => {
    expect(render('{{ payload | json_dumps }}', { b: '<é>', a: [1, true] })).toBe('{"b": "<\\u00e9>", "a": [1, true]}');
  });

  it('tojson sorts keys and escapes HTML-special characters, as Jinja\'s does', () => {
    expect(render('{{ payload | tojson }}', { b: '<&\'>', a: 1 })).toBe('{"a": 1, "b": "\\u003c\\u0026\\u0027\\u003e"}');
  });

  it('a datetime is not JSON: the filter renders nothing', () => {
    expect(render('[{{ time() | json_dumps }}]')).toBe('[]');
  });
});

describe('regex filters (Python\'s re)', () => {
  it('regex_replace is re.sub with group references', () => {
    expect(render('{{ "disk 93% on db-1" | regex_replace("(\\\\d+)%", "\\\\1 percent") }}')).toBe('disk 93 percent on db-1');
    expect(render('{{ "a1b22" | regex_replace("(?P<n>\\\\d+)", "<\\\\g<n>>") }}')).toBe('a<1>b<22>');
    expect(render('{{ "cost" | regex_replace("o", "$1") }}')).toBe('c$1st');
  });

  it('regex_match anchors at the start; regex_search looks anywhere', () => {
    const yes = (expr: string) => render(`{% if ${expr} %}yes{% else %}no{% endif %}`);
    expect(yes('"abc" | regex_match("b")')).toBe('no');
    expect(yes('"abc" | regex_match("a")')).toBe('yes');
    expect(yes('"abc" | regex_search("b")')).toBe('yes');
    expect(yes('"ABC" | regex_search("(?i)b")')).toBe('yes');
  });

  it('an invalid pattern or a non-string value renders nothing', () => {
    expect(render('[{{ "abc" | regex_search("(") }}][{{ 5 | regex_replace("5", "6") }}]')).toBe('[][]');
  });
});

describe('b64decode', () => {
  it('decodes base64 to UTF-8 text', () => {
    expect(render('{{ "aGVsbG8gw6k=" | b64decode }}')).toBe('hello é');
  });

  it('renders nothing for bad padding or bytes that are not UTF-8', () => {
    expect(render('[{{ "aGVsbG8" | b64decode }}][{{ "/w==" | b64decode }}][{{ 5 | b64decode }}]')).toBe('[][][]');
  });
});

describe('the per-template breaker', () => {
  it('opens after `threshold` failures within the window, for `openMs`, then lets the template run', async () => {
    const { Breaker } = await import('../../src/engine/alerting/templates/breaker.js');
    let now = 0;
    const b = new Breaker({ threshold: 3, windowMs: 1000, openMs: 5000, maxTracked: 2, now: () => now });
    b.failed('t');
    now = 1500; // the first failure has left the window
    b.failed('t');
    b.failed('t');
    expect(b.blockedFor('t')).toBe(0);
    b.failed('t');
    expect(b.blockedFor('t')).toBe(5000);
    expect(b.blockedFor('other')).toBe(0);
    now += 5000;
    expect(b.blockedFor('t')).toBe(0);
  });
});

describe('the engine passes its own clock to templates', () => {
  it('an alert title with time() shows the virtual clock, not the host clock', async () => {
    const { demoState } = await import('../../src/demo/state.js');
    const { VirtualClock } = await import('../../src/engine/core/clock.js');
    const { MemoryBackend } = await import('../../src/engine/memory-backend.js');
    const backend = new MemoryBackend({ state: demoState(), clock: VirtualClock.at('2031-07-04T10:20:00Z') });
    const integration = await backend.integrations.create({
      type: 'webhook',
      templates: { web: { title: 'at {{ time() | datetimeformat("%Y-%m-%d %H:%M") }}' } },
    });
    const { alertGroupId } = backend.receiveAlert(integration.id, { n: 1 });
    expect(backend.state.alertGroups.get(alertGroupId)!.title).toBe('at 2031-07-04 10:20');
  });
});
