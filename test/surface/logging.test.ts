/**
 * Capabilities as advertised, log notifications once the client asks for them, and progress
 * notifications for long calls.
 */
import { LoggingMessageNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Harness } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('capabilities', () => {
  it('advertise logging, completions and resource subscriptions, and no list changes (the lists never change)', async () => {
    h = await connect();
    const caps = h.client.getServerCapabilities()!;
    expect(caps.logging).toBeDefined();
    expect(caps.completions).toBeDefined();
    expect(caps.resources).toMatchObject({ subscribe: true, listChanged: false });
    expect(caps.tools?.listChanged).toBe(false);
    expect(caps.prompts?.listChanged).toBe(false);
  });
});

describe('logging', () => {
  it('sends nothing until the client sets a level, then what is at that level or above', async () => {
    h = await connect();
    const messages: Array<{ level: string; logger?: string; data: unknown }> = [];
    h.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      messages.push(n.params);
    });
    await h.ok('list_teams');
    await settle();
    expect(messages).toEqual([]);

    await h.client.setLoggingLevel('debug');
    await h.ok('list_teams');
    await h.call('get_escalation_chain', { escalation_chain_id: 'F000000000000' });
    await settle();
    expect(messages).toContainEqual(expect.objectContaining({ level: 'debug', logger: 'oncall-mcp/list_teams' }));
    expect(messages).toContainEqual(
      expect.objectContaining({ level: 'info', logger: 'oncall-mcp/get_escalation_chain', data: expect.stringMatching(/^failed: Not found/) }),
    );

    messages.length = 0;
    await h.client.setLoggingLevel('warning');
    await h.ok('list_teams');
    await h.call('get_escalation_chain', { escalation_chain_id: 'F000000000000' });
    await settle();
    expect(messages).toEqual([]);
  });
});

describe('progress', () => {
  it('reports each page of a list fetched whole, and a simulation\'s start and end', async () => {
    h = await connect();
    for (let i = 0; i < 120; i++) await h.backend.escalationChains.create({ name: `bulk ${i}` });
    const seen: Progress[] = [];
    const r = await h.client.callTool(
      { name: 'list_escalation_chains', arguments: { name: 'bulk 11' } },
      undefined,
      { onprogress: (p) => seen.push(p) },
    );
    expect(r.isError).toBeFalsy();
    expect(seen.map((p) => p.message)).toEqual(['page 1 of 3', 'page 2 of 3', 'page 3 of 3']);
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3]);

    const simulated: Progress[] = [];
    await h.client.callTool(
      { name: 'simulate_escalation', arguments: { escalation_chain_id: 'default' } },
      undefined,
      { onprogress: (p) => simulated.push(p) },
    );
    expect(simulated.map((p) => p.message)).toEqual(['simulating the escalation', expect.stringMatching(/^simulated: \d+ timeline entries$/)]);
  });
});
