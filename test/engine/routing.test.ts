/**
 * The alert routing function with payloads of real tools, and the pieces it stands on: Python's
 * json.dumps text, Python regex syntax, and safe Jinja2 rendering.
 */
import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { pythonJsonDumps } from '../../src/engine/alerting/python-json.js';
import { compilePythonRegex } from '../../src/engine/alerting/python-regex.js';
import { routeMatches, selectRoute } from '../../src/engine/alerting/routes.js';
import { checkTemplate, renderTemplate, TemplateError } from '../../src/engine/alerting/templates.js';

/** An Alertmanager webhook body (version 4), as Alertmanager posts it. */
const ALERTMANAGER_BODY = {
  receiver: 'oncall',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'checkout', team: 'payments' },
      annotations: { summary: 'Error rate above 5% on checkout' },
      startsAt: '2026-03-24T11:58:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=...',
      fingerprint: 'c0ffee1234567890',
    },
  ],
  groupLabels: { alertname: 'HighErrorRate' },
  commonLabels: { alertname: 'HighErrorRate', severity: 'critical', team: 'payments' },
  commonAnnotations: { summary: 'Error rate above 5% on checkout' },
  externalURL: 'http://alertmanager:9093',
  version: '4',
  groupKey: '{}:{alertname="HighErrorRate"}',
  truncatedAlerts: 0,
};

/** A Grafana Alerting contact-point webhook body. */
const GRAFANA_ALERTING_BODY = {
  receiver: 'OnCall',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'AppCrashRate', grafana_folder: 'Mobile', team: 'mobile' },
      annotations: { description: 'Crash rate 3.1% (Android)' },
      startsAt: '2026-03-24T11:50:00Z',
      fingerprint: '0a1b2c3d4e5f',
      silenceURL: 'http://grafana:3000/alerting/silence/new',
      values: { B: 3.1 },
    },
  ],
  groupLabels: { alertname: 'AppCrashRate' },
  commonLabels: { alertname: 'AppCrashRate', team: 'mobile' },
  externalURL: 'http://grafana:3000/',
  version: '1',
  title: '[FIRING:1] AppCrashRate Mobile',
  state: 'alerting',
};

async function withRoutes() {
  const backend = new MemoryBackend({ state: demoState() });
  const integration = await backend.integrations.create({ type: 'webhook', name: 'routing' });
  const critical = await backend.routes.create({
    integration_id: integration.id,
    escalation_chain_id: null,
    routing_regex: 'critical',
  });
  return { state: backend.state, integration, critical };
}

describe('selectRoute', () => {
  it('sends {"labels":{"severity":"critical"}} to the regex route, other payloads to the default route', async () => {
    const { state, integration, critical } = await withRoutes();
    expect(selectRoute(state, integration.id, { labels: { severity: 'critical' } }).id).toBe(critical.id);
    expect(selectRoute(state, integration.id, { labels: { severity: 'warning' } }).id).toBe(
      integration.default_route.id,
    );
    expect(selectRoute(state, integration.id, {}).id).toBe(integration.default_route.id);
  });

  it('routes the demo Alertmanager: critical first, then the payments template, else default', () => {
    const state = demoState();
    const am = 'CQWPPTFIE6MK6';
    expect(selectRoute(state, am, ALERTMANAGER_BODY).id).toBe('R2M7RDCTWPA7U'); // "severity": "critical"
    const warning = {
      ...ALERTMANAGER_BODY,
      commonLabels: { ...ALERTMANAGER_BODY.commonLabels, severity: 'warning' },
    };
    warning.alerts = [
      {
        ...ALERTMANAGER_BODY.alerts[0]!,
        labels: { ...ALERTMANAGER_BODY.alerts[0]!.labels, severity: 'warning' },
      },
    ];
    expect(selectRoute(state, am, warning).id).toBe('RYHC2FR3NLNF1'); // jinja2: commonLabels.team == "payments"
    const other = { ...warning, commonLabels: { alertname: 'DiskFull', team: 'storage' } };
    expect(selectRoute(state, am, other).id).toBe('RAGGUDF5BU1B3'); // default
  });

  it('routes the demo Grafana Alerting body by alertname', () => {
    const state = demoState();
    expect(selectRoute(state, 'CQRN9ZVPXA396', GRAFANA_ALERTING_BODY).id).toBe('RQS5ST38GFDKX');
    const calm = {
      ...GRAFANA_ALERTING_BODY,
      title: '[FIRING:1] SlowStartup Mobile',
      groupLabels: { alertname: 'SlowStartup' },
      commonLabels: { alertname: 'SlowStartup' },
      alerts: [],
    };
    expect(selectRoute(state, 'CQRN9ZVPXA396', calm).id).toBe('RRKG36VIMT8WQ');
  });

  it('a regex sees Python\'s spacing, so compact JSON spellings do not match (as in OnCall)', async () => {
    const { state, integration } = await withRoutes();
    const route = [...state.routes.values()].find((r) => r.integrationId === integration.id && !r.isDefault)!;
    route.routingRegex = '"severity":"critical"';
    expect(routeMatches(route, { severity: 'critical' })).toBe(false);
    route.routingRegex = '"severity": "critical"';
    expect(routeMatches(route, { severity: 'critical' })).toBe(true);
  });

  it('a jinja2 route matches when the text is 1, true or ok (any case, trimmed); errors do not match', async () => {
    const { state, integration } = await withRoutes();
    const route = [...state.routes.values()].find((r) => r.integrationId === integration.id && !r.isDefault)!;
    route.routingType = 'jinja2';
    const cases: Array<[string, boolean]> = [
      ['{{ payload.flag }}', true],
      ['  OK ', true],
      ['1', true],
      ['True', true],
      ['{{ payload.missing }}', false],
      ['yes', false],
      ['{{ payload.x | nosuchfilter }}', false],
    ];
    for (const [template, expected] of cases) {
      route.routingRegex = template;
      expect(routeMatches(route, { flag: true }), template).toBe(expected);
    }
  });
});

describe('pythonJsonDumps', () => {
  it('writes what Python\'s json.dumps writes', () => {
    expect(pythonJsonDumps({ 'a': [1, 2.5, null, true], 'k é': 'ü\n"x"' })).toBe(
      '{"a": [1, 2.5, null, true], "k \\u00e9": "\\u00fc\\n\\"x\\""}',
    );
    expect(pythonJsonDumps('😀')).toBe('"\\ud83d\\ude00"');
    expect(pythonJsonDumps({ b: 1, a: 2 })).toBe('{"b": 1, "a": 2}'); // insertion order, not sorted
  });
});

describe('compilePythonRegex', () => {
  it('translates Python-only syntax', () => {
    expect(compilePythonRegex('(?i)CRITICAL')?.test('critical')).toBe(true);
    expect(compilePythonRegex('(?P<sev>crit)ical (?P=sev)')?.test('critical crit')).toBe(true);
    expect(compilePythonRegex('\\Acritical\\Z')?.test('critical')).toBe(true);
    expect(compilePythonRegex('\\Acritical\\Z')?.test('not critical')).toBe(false);
    expect(compilePythonRegex('(?x) crit  # comment\n ical')?.test('critical')).toBe(true);
    expect(compilePythonRegex('([')).toBeUndefined();
  });
});

describe('template safety', () => {
  it.each([
    '{{ "".constructor.constructor("return process")() }}',
    '{{ payload["constructor"] }}',
    '{{ payload[key] }}',
    '{{ constructor }}',
    '{{ payload.__proto__ }}',
    '{% include "x" %}',
  ])('refuses %s', (template) => {
    expect(() => checkTemplate(template)).toThrow(TemplateError);
    expect(() => renderTemplate(template, { payload: {}, key: 'constructor' })).toThrow(TemplateError);
  });

  it('renders ordinary templates and caps range()', () => {
    expect(renderTemplate('{{ payload.a | upper }}-{{ payload["b"] }}', { payload: { a: 'x', b: 2 } })).toBe(
      'X-2',
    );
    expect(renderTemplate('{% for i in range(3) %}{{ i }}{% endfor %}', {})).toBe('012');
    expect(() => renderTemplate('{% for i in range(100000000) %}{% endfor %}', {})).toThrow(/limited/);
  });
});
