/**
 * Invariants every tool must keep, checked on what a client really sees in tools/list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TOOLSETS } from '../src/tools/define.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { BACKEND_UNDER_TEST, connect, type Harness } from './helpers.js';

let h: Harness;
afterEach(() => h.close());

/** Names fixed by the DESIGN.md catalogue for the tools built so far. */
const CATALOGUE = [
  'list_escalation_chains',
  'get_escalation_chain',
  'create_escalation_chain',
  'update_escalation_chain',
  'delete_escalation_chain',
  'list_escalation_policies',
  'get_escalation_policy',
  'create_escalation_policy',
  'update_escalation_policy',
  'delete_escalation_policy',
  'advance_round_robin',
  'list_integrations',
  'get_integration',
  'create_integration',
  'update_integration',
  'delete_integration',
  'set_integration_maintenance',
  'list_routes',
  'create_route',
  'update_route',
  'delete_route',
  'current_oncall',
  'previous_oncall',
  'next_oncall',
  'list_schedules',
  'get_schedule',
  'list_schedule_shifts',
  'create_schedule',
  'update_schedule',
  'delete_schedule',
  'list_on_call_shifts',
  'create_on_call_shift',
  'update_on_call_shift',
  'delete_on_call_shift',
  'list_shift_swaps',
  'create_shift_swap',
  'take_shift_swap',
  'list_users',
  'get_user',
  'list_teams',
  'list_user_groups',
  'list_webhooks',
];

describe('tool registry', () => {
  it('lists every tool with a unique snake_case name from the catalogue', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    const names = tools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    for (const name of CATALOGUE) expect(names).toContain(name);
    expect(names).toHaveLength(ALL_TOOLS.length);
  });

  it('every tool declares all four annotations, a title, an output schema and a bounded description', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    for (const tool of tools) {
      const a = tool.annotations ?? {};
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof a[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
      if (a.readOnlyHint) expect(a.destructiveHint, tool.name).toBe(false);
      // Against a live OnCall every call leaves the process; in the parity run that proves the path.
      if (BACKEND_UNDER_TEST === 'http') expect(a.openWorldHint, tool.name).toBe(true);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThanOrEqual(40);
      expect(tool.description?.length ?? 0, tool.name).toBeLessThanOrEqual(400);
    }
  });

  it('input schemas have no refs or unions, nest at most two objects deep, and describe every field', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    type Schema = { description?: string; type?: string | string[]; properties?: Record<string, Schema> };
    const walk = (where: string, props: Record<string, Schema>, depth: number) => {
      for (const [field, s] of Object.entries(props)) {
        expect(s.description, `${where}.${field}`).toBeTruthy();
        if (s.properties) {
          expect(depth, `${where}.${field} nests too deep`).toBeLessThan(2);
          walk(`${where}.${field}`, s.properties, depth + 1);
        }
      }
    };
    for (const tool of tools) {
      expect(JSON.stringify(tool.inputSchema), tool.name).not.toMatch(
        /\$ref|\$defs|definitions|anyOf|oneOf|allOf/,
      );
      walk(tool.name, (tool.inputSchema.properties ?? {}) as Record<string, Schema>, 0);
    }
  });

  it('destructive tools are exactly the deletes', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    expect(destructive.length).toBeGreaterThan(0);
    for (const name of destructive) expect(name).toMatch(/^delete_/);
  });

  it('--read-only registers no write tool, and write tools cannot be called', async () => {
    h = await connect({ readOnly: true });
    const { tools } = await h.client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    const refused = await h.call('create_escalation_chain', { name: 'x' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('not found');
    expect((await h.backend.escalationChains.list({})).count).toBe(4);
  });

  it('--toolsets limits the surface to the named toolsets', async () => {
    h = await connect({ toolsets: ['directory'] });
    const { tools } = await h.client.listTools();
    const expected = ALL_TOOLS.filter((t) => t.toolset === 'directory').map((t) => t.name);
    expect(tools.map((t) => t.name)).toEqual(expected);
    for (const tool of ALL_TOOLS) expect(TOOLSETS).toContain(tool.toolset);
  });
});
