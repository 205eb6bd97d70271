/**
 * What is said about the tools outside their own definitions, generated from the registry so it
 * cannot drift: the server's `instructions` (for the selection a server lists) and the README's
 * tool table (`npm run docs`; a test compares the README with it).
 */
import type * as z from 'zod';
import { type AnyTool, TOOLSETS, type Toolset, toolKind } from './define.js';

/** What each toolset is for, in a few words (instructions and README). */
export const TOOLSET_PURPOSE: Record<Toolset, string> = {
  oncall: 'who is on call, by name',
  chains: 'escalation chains, their steps, round robins and who they reach',
  paging: 'paging people, alert groups and simulated escalations',
  integrations: 'alert sources and the routes to chains',
  schedules: 'schedules, shifts and swaps',
  directory: 'users, teams, user groups, webhooks',
};

/** Every id's type prefix, as the instructions give them once for every tool. */
const ID_PREFIXES =
  'F chain, E step, U user, T team, S schedule, O shift, SSR swap request, C integration, R route, I alert group, '
  + 'G user group, WH webhook';

/**
 * The server's instructions for the tools it lists: the conventions every tool shares (said here
 * once, not in each definition) and the tools by toolset.
 */
export function instructionsFor(tools: readonly AnyTool[]): string {
  const lines = [
    'On-call work on Grafana OnCall / Cloud IRM (or its embedded engine).',
    `Conventions: every id argument also takes a name, username or email. Id prefixes: ${ID_PREFIXES}. `
    + 'Where null is meant, send "". Lists are paged (page from 1). Times are ISO 8601.',
  ];
  const writes = tools.filter((t) => !t.annotations.readOnlyHint);
  if (writes.length) {
    lines.push(
      `Writes change the live on-call setup and are made as the API token's user${
        tools.some((t) => t.name === 'whoami') ? ' (whoami)' : ''
      }.${tools.some((t) => t.name === 'create_escalation') ? ' create_escalation pages real people: confirm first.' : ''}`,
    );
    // The dry-run wrapper adds the argument: said once here rather than in every description.
    if (writes.some((t) => 'dry_run' in (t.input as z.ZodObject).shape)) {
      lines.push('Config writes take dry_run: true to preview who the next alert would page, before and after, and lint changes.');
    }
  } else {
    lines.push('This server is read-only.');
  }
  lines.push('Tools:');
  for (const set of TOOLSETS) {
    const names = tools.filter((t) => t.toolset === set).map((t) => t.name);
    if (names.length) lines.push(`- ${set} (${TOOLSET_PURPOSE[set]}): ${names.join(', ')}`);
  }
  return lines.join('\n');
}

/** A tool's arguments as the table shows them: `name` required, `name?` optional. */
function argumentList(tool: AnyTool): string {
  const shape = (tool.input as z.ZodObject).shape as Record<string, z.ZodType>;
  return Object.entries(shape)
    .map(([name, schema]) => (schema.safeParse(undefined).success ? `${name}?` : name))
    .join(', ');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's tool table: one row per tool of the registry, in tools/list order. */
export function readmeToolTable(tools: readonly AnyTool[]): string {
  const rows = [
    '| toolset | tool | arguments | kind | what it does |',
    '| --- | --- | --- | --- | --- |',
    ...tools.map(
      (t) => `| ${t.toolset} | \`${t.name}\` | ${cell(argumentList(t)) || '–'} | ${toolKind(t)} | ${cell(t.description)} |`,
    ),
  ];
  return rows.join('\n');
}

export const README_TABLE_START = '<!-- tools:start (npm run docs writes this table from the registry) -->';
export const README_TABLE_END = '<!-- tools:end -->';

/** The README with its tool table replaced by the registry's. */
export function withToolTable(readme: string, tools: readonly AnyTool[]): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no tool table markers');
  return `${readme.slice(0, start + README_TABLE_START.length)}\n${readmeToolTable(tools)}\n${readme.slice(end)}`;
}
