/**
 * Docs that cannot drift: the README's tool table and the server's instructions come from the
 * registry, and these fail when either misses a registered tool.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { selectTools } from '../../src/server.js';
import { README_TABLE_END, README_TABLE_START, withToolTable } from '../../src/tools/catalogue.js';
import { TOOLSETS } from '../../src/tools/define.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { connect, type Harness } from '../helpers.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = README.slice(README.indexOf(README_TABLE_START), README.indexOf(README_TABLE_END));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('README tool table', () => {
  it('has a row for every registered tool, with its kind', () => {
    for (const tool of ALL_TOOLS) {
      expect(table, tool.name).toMatch(new RegExp(`\\| ${tool.toolset} \\| \`${tool.name}\` \\|`));
    }
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && l.includes('`'));
    expect(rows).toHaveLength(ALL_TOOLS.length);
  });

  it('is exactly what npm run docs writes from the registry', () => {
    expect(withToolTable(README, ALL_TOOLS), 'README.md is out of date: run npm run docs').toBe(README);
  });
});

describe('server instructions', () => {
  const selections = [
    {},
    { readOnly: true },
    ...TOOLSETS.map((set) => ({ toolsets: [set] })),
    ...TOOLSETS.map((set) => ({ toolsets: [set], readOnly: true })),
    { toolsets: ['paging', 'schedules'] as const },
  ];

  it.each(selections)('%j: name every listed tool and no other', async (selection) => {
    h = await connect(selection as never);
    const instructions = h.client.getInstructions() ?? '';
    const listed = new Set((await h.client.listTools()).tools.map((t) => t.name));
    expect(listed.size).toBe(selectTools(selection as never).length);
    for (const tool of ALL_TOOLS) {
      if (listed.has(tool.name)) expect(instructions, tool.name).toMatch(new RegExp(`\\b${tool.name}\\b`));
      else expect(instructions, tool.name).not.toMatch(new RegExp(`\\b${tool.name}\\b`));
    }
  });

  it('give every id prefix and the conventions every tool relies on', async () => {
    h = await connect();
    const instructions = h.client.getInstructions() ?? '';
    for (const prefix of ['F chain', 'E step', 'U user', 'T team', 'S schedule', 'O shift', 'SSR swap', 'C integration', 'R route', 'I alert group', 'G user group', 'WH webhook']) {
      expect(instructions).toContain(prefix);
    }
    expect(instructions).toContain('also takes a name');
    expect(instructions).toContain('send ""');
  });
});
