/**
 * Invariants every tool must keep, checked on what a client really sees in tools/list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { TOOLSETS } from '../src/tools/define.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { AS_IN_CREATE } from '../src/tools/params.js';
import { portableOutputSchema } from '../src/tools/schema.js';
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
      expect(a.title, `${tool.name}: annotations.title only repeats the title`).toBeUndefined();
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      // A sentence or two: every word is paid for by every session (bench/tokens.ts counts them).
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThanOrEqual(20);
      expect(tool.description?.length ?? 0, tool.name).toBeLessThanOrEqual(200);
    }
  });

  it('output schemas have one type per node: nullable fields are anyOf branches, as the Inspector\'s --strict asks', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    const arrays: string[] = [];
    const walk = (where: string, node: unknown) => {
      if (typeof node !== 'object' || node === null) return;
      if (Array.isArray(node)) return node.forEach((n, i) => walk(`${where}[${i}]`, n));
      const record = node as Record<string, unknown>;
      if (Array.isArray(record.type)) arrays.push(where);
      for (const [k, v] of Object.entries(record)) walk(`${where}.${k}`, v);
    };
    for (const tool of tools) walk(tool.name, tool.outputSchema);
    expect(arrays).toEqual([]);
    // A nullable field is still described on the field itself, with one branch per type.
    const integration = tools.find((t) => t.name === 'get_integration')!.outputSchema as { properties: Record<string, Record<string, unknown>> };
    expect(integration.properties.team_id).toMatchObject({ anyOf: [{ type: 'string' }, { type: 'null' }] });
    expect(integration.properties.team_id!.description).toBeTruthy();
  });

  it('portableOutputSchema keeps constraints with their type and splits an enum by type', () => {
    expect(portableOutputSchema({ type: ['string', 'null'], description: 'd', maxLength: 3, enum: ['a', null] })).toEqual({
      description: 'd',
      anyOf: [{ type: 'string', maxLength: 3, enum: ['a'] }, { type: 'null' }],
    });
    expect(portableOutputSchema({ type: 'object', properties: { n: { type: ['integer', 'null'], minimum: 0 } } })).toEqual({
      type: 'object',
      properties: { n: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] } },
    });
  });

  it('input schemas are portable: one type per field, no refs or unions, at most two objects deep, every field described', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    type Schema = {
      description?: string;
      type?: unknown;
      properties?: Record<string, Schema>;
      items?: Schema;
      additionalProperties?: Schema | boolean;
    };
    // Every node, described or not: single-type dialects (Gemini, OpenAPI 3.0) need one `type` on each.
    const typed = (where: string, s: Schema) => {
      expect(typeof s.type, `${where}: one type, not ${JSON.stringify(s.type)}`).toBe('string');
      for (const [field, child] of Object.entries(s.properties ?? {})) typed(`${where}.${field}`, child);
      if (s.items) typed(`${where}[]`, s.items);
      if (typeof s.additionalProperties === 'object') typed(`${where}{}`, s.additionalProperties);
    };
    const described = (where: string, props: Record<string, Schema>, depth: number) => {
      for (const [field, s] of Object.entries(props)) {
        expect(s.description, `${where}.${field}`).toBeTruthy();
        if (s.properties) {
          expect(depth, `${where}.${field} nests too deep`).toBeLessThan(2);
          // An update tool's "As in create." object: its fields are described in the create tool.
          if (s.description !== AS_IN_CREATE) described(`${where}.${field}`, s.properties, depth + 1);
        }
      }
    };
    for (const tool of tools) {
      const refsOrUnions = /\$ref|\$defs|\$schema|definitions|anyOf|oneOf|allOf/;
      expect(JSON.stringify(tool.inputSchema), tool.name).not.toMatch(refsOrUnions);
      typed(tool.name, tool.inputSchema as Schema);
      described(tool.name, (tool.inputSchema.properties ?? {}) as Record<string, Schema>, 0);
    }
  });

  it('nullable fields: "" is their portable null, and their description says what it means', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    type Props = Record<string, { description?: string }>;
    const listed = new Map(tools.map((t) => [t.name, t.inputSchema.properties as Props]));
    let checked = 0;
    for (const tool of ALL_TOOLS) {
      for (const [field, schema] of Object.entries((tool.input as z.ZodObject).shape) as Array<[string, z.ZodType]>) {
        if (!schema.safeParse(null).success) continue;
        checked++;
        expect(schema.parse(''), `${tool.name}.${field}: "" arrives as null`).toBeNull();
        let description = listed.get(tool.name)![field]!.description!;
        if (description === AS_IN_CREATE) {
          description = listed.get(createToolOf(tool.description))![field]!.description!;
        }
        expect(description, `${tool.name}.${field}`).toContain('""');
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('"As in create." names a create tool of the same toolset whose field has the same type', async () => {
    h = await connect();
    const { tools } = await h.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    let checked = 0;
    for (const tool of tools) {
      const props = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string; type?: string }>;
      const references = Object.entries(props).filter(([, s]) => s.description === AS_IN_CREATE);
      if (!references.length) continue;
      const create = byName.get(createToolOf(tool.description ?? ''));
      expect(create, `${tool.name} names the create tool in its description`).toBeDefined();
      const toolsetOf = (name: string) => ALL_TOOLS.find((t) => t.name === name)!.toolset;
      expect(toolsetOf(create!.name)).toBe(toolsetOf(tool.name));
      const theirs = create!.inputSchema.properties as Record<string, { description?: string; type?: string }>;
      for (const [field, s] of references) {
        checked++;
        expect(theirs[field]?.type, `${tool.name}.${field}`).toBe(s.type);
        expect(theirs[field]?.description, `${create!.name}.${field} describes it`).toBeTruthy();
      }
    }
    expect(checked).toBeGreaterThan(20);
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

/** The create tool an update tool's description refers its fields to ("fields as in create_x"). */
function createToolOf(description: string): string {
  return /\bcreate_[a-z_]+/.exec(description)?.[0] ?? '';
}
