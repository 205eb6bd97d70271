/**
 * Open vocabularies: a value OnCall adds tomorrow (an integration type here) passes through the
 * HTTP backend and the tool's output schema unharmed; a field of the wrong shape is named, with
 * its endpoint. The "live" OnCall is the facade's engine, whose stored integration is given a type
 * this project has never heard of.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type LiveOrg, liveOrg } from './live-profile.js';

let org: LiveOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('open vocabularies', () => {
  it('an unknown integration type passes through list_integrations and get_integration', async () => {
    org = await liveOrg('cloud');
    const [first] = org.engine.ctx.state.integrations.values();
    (first as { type: string }).type = 'quantum_pager'; // a type OnCall might add
    const mcp = await org.mcp({ token: org.apiKey, baseUrl: org.api.url });
    const list = await mcp.call('list_integrations');
    expect(list.isError, list.text).toBe(false);
    expect(list.data.results.find((i: { id: string }) => i.id === first!.id)).toMatchObject({ type: 'quantum_pager' });
    const one = await mcp.call('get_integration', { integration_id: first!.id });
    expect(one.isError, one.text).toBe(false);
    expect(one.data.type).toBe('quantum_pager');
    // The output schema says what is known and that others may come.
    const { tools } = await mcp.listTools();
    type Shown = { properties: { type: { type: string; description: string } } };
    const schema = tools.find((t) => t.name === 'get_integration')!.outputSchema as unknown as Shown;
    expect(schema.properties.type.type).toBe('string');
    expect(schema.properties.type.description).toMatch(/Known values: .*alertmanager.*; OnCall may add others/);
    await mcp.close();
  });

  it('a field of the wrong shape is named with its endpoint', async () => {
    org = await liveOrg('cloud');
    const [first] = org.engine.ctx.state.integrations.values();
    (first as { name: unknown }).name = 42;
    const http = org.backend({ token: org.apiKey, baseUrl: org.api.url });
    const err = await http.integrations.get(first!.id).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(
      new RegExp(`answer to GET /api/v1/integrations/${first!.id}/ is not the shape oncall-mcp expects: name: .*expected string`),
    );
  });
});

describe('an unknown step type', () => {
  it('passes the step shape and is described as unknown, not a crash', async () => {
    const { checkShape } = await import('../../src/http-backend/shapes.js');
    const { EscalationPolicy } = await import('../../src/api/types.js');
    const { formatPolicyLine } = await import('../../src/tools/format.js');
    const step = { id: 'E1', escalation_chain_id: 'F1', position: 0, type: 'page_the_moon' };
    expect(checkShape(EscalationPolicy, step, 'GET', 'escalation_policies/E1/')).toBe(step);
    const none = new Map<string, string>();
    const book = new Proxy({}, { get: () => none }) as never;
    expect(formatPolicyLine(step as never, book)).toBe(
      '[0] page_the_moon (a step type this server does not know; its fields are in the structured result)  (E1)',
    );
  });
});
