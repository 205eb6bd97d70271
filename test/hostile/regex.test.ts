/**
 * Route regexes come from whoever can edit routes and are applied to alerts from anyone who knows
 * an integration URL. They run on RE2, so a catastrophic pattern costs linear time, and what RE2
 * cannot express is refused (or run under a budget) instead of run on a backtracking engine.
 */
import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { compilePythonRegex, compileRouteRegex } from '../../src/engine/alerting/python-regex.js';

describe('catastrophic patterns', () => {
  // Each of these takes a backtracking engine exponential time in the text's length.
  it.each([
    ['(x+x+)+y', 'x'.repeat(5000), false],
    ['(x+x+)+y', `${'x'.repeat(5000)}y`, true],
    ['(a|aa)+$', `${'a'.repeat(5000)}!`, false],
    ['(.*a){20}', 'a'.repeat(5000), true],
    ['^(\\w+\\s?)*$', `${'word '.repeat(2000)}!`, false],
  ])('%s runs on RE2 and answers on a long text', (pattern, text, expected) => {
    const regex = compilePythonRegex(pattern)!;
    expect(regex.engine).toBe('re2');
    expect(regex.test(text)).toBe(expected);
  });

  it('a route with (x+x+)+y and a hostile alert: no match, the alert takes the default route', async () => {
    const backend = new MemoryBackend({ state: demoState() });
    const integration = await backend.integrations.create({ type: 'webhook', name: 'hostile' });
    const route = await backend.routes.create({ integration_id: integration.id, escalation_chain_id: null, routing_regex: '(x+x+)+y' });
    const { alertGroupId } = backend.receiveAlert(integration.id, { title: 'x'.repeat(60) });
    expect(backend.state.alertGroups.get(alertGroupId)!.routeId).toBe(integration.default_route.id);
    const { alertGroupId: matched } = backend.receiveAlert(integration.id, { title: 'xxy' });
    expect(backend.state.alertGroups.get(matched)!.routeId).toBe(route.id);
  });
});

describe('Python syntax on RE2', () => {
  it.each([
    ['(?i)CRITICAL', 'critical', true],
    ['(?P<sev>crit)ical', 'critical', true],
    ['\\Acritical\\Z', 'critical', true],
    ['\\Acritical\\Z', 'not critical', false],
    ['critical\\Z', 'critical\n', false], // \Z is the very end in Python, unlike $
    ['(?x) crit  # comment\n ical', 'critical', true],
    ['(?x) [#] x', '# x', false], // `#` inside a class is literal; the space after it is dropped
    ['(?x) [#]x', '#x', true],
    ['caf\\u00e9', 'café', true],
    ['sev(?#the severity)erity', 'severity', true],
    ['"severity": "critical"', '{"severity": "critical"}', true],
    ['{"a": 1}', '{"a": 1}', true], // a brace that starts no repetition is literal, as in Python
  ])('%j on %j → %s', (pattern, text, expected) => {
    const regex = compilePythonRegex(pattern);
    expect(regex?.engine).toBe('re2');
    expect(regex!.test(text)).toBe(expected);
  });

  it('a pattern that does not compile is refused with the reason', () => {
    expect(compileRouteRegex('([')).toMatchObject({ ok: false, problem: expect.stringContaining('missing closing ]') });
  });
});

describe('constructs RE2 cannot run', () => {
  it.each([
    ['(crit)ical \\1', 'critical crit', true],
    ['(?P<s>crit)ical (?P=s)', 'critical crit', true],
    ['critical(?=!)', 'critical!', true],
    ['(?<!not )critical', 'not critical', false],
  ])('%s runs on the backtracking engine inside the sandbox', (pattern, text, expected) => {
    const regex = compilePythonRegex(pattern)!;
    expect(regex.engine).toBe('backtracking');
    expect(regex.test(text)).toBe(expected);
  });

  it('a catastrophic pattern there is stopped by the sandbox budget: no match, and the server answers', async () => {
    const backend = new MemoryBackend({ state: demoState() });
    const integration = await backend.integrations.create({ type: 'webhook', name: 'bounded' });
    await backend.routes.create({ integration_id: integration.id, escalation_chain_id: null, routing_regex: '(x+x+)+y(?=!)' });
    const { alertGroupId } = backend.receiveAlert(integration.id, { title: 'x'.repeat(200) });
    expect(backend.state.alertGroups.get(alertGroupId)!.routeId).toBe(integration.default_route.id);
    expect(compilePythonRegex('(a)\\1')!.test('aa')).toBe(true); // the sandbox still works afterwards
  });

  it.each([
    ['(?>crit)ical', 'an atomic group'],
    ['crit++ical', 'a possessive quantifier (++)'],
    ['(crit)?(?(1)ical|x)', 'a conditional group'],
  ])('%s is refused, naming the construct', async (pattern, construct) => {
    const result = compileRouteRegex(pattern);
    expect(result).toMatchObject({ ok: false, problem: expect.stringContaining(construct) });
    const backend = new MemoryBackend({ state: demoState() });
    const integration = await backend.integrations.create({ type: 'webhook', name: 'refusals' });
    await expect(
      backend.routes.create({ integration_id: integration.id, escalation_chain_id: null, routing_regex: pattern }),
    ).rejects.toMatchObject({ status: 400, body: { non_field_errors: [expect.stringContaining(construct)] } });
  });

  it('an escaped backslash before a digit is not a backreference', () => {
    const regex = compilePythonRegex('a\\\\1');
    expect(regex?.engine).toBe('re2');
    expect(regex!.test('a\\1')).toBe(true);
  });
});
