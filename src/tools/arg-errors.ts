/**
 * Arguments that do not fit a tool's input schema, in the house style (errors.ts). The SDK would
 * answer `MCP error -32602: Input validation error: Invalid arguments for tool x: Invalid input:
 * expected string, received number at escalation_chain_id`; the agent gets instead
 * `Invalid arguments: escalation_chain_id: expected a string, got the number 5.` and what the
 * argument takes.
 */
import type * as z from 'zod';
import type { AnyTool } from './define.js';
import { describeArg, shown } from './errors.js';
import { editDistance } from './edit-distance.js';

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'null',
};

function got(value: unknown): string {
  if (value === undefined) return 'nothing (it is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list (${shown(value)})`;
  if (typeof value === 'object') return `an object (${shown(value)})`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  return `the string ${shown(value)}`;
}

function at(args: unknown, path: readonly PropertyKey[]): unknown {
  let current = args;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** `rolling_users[1][0]`, `users[0].id`. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** The closest of `values` to `text` (a typo such as "wiat"), if close. */
function closest(values: readonly string[], text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const wanted = text.toLowerCase();
  let best: [number, string] | undefined;
  for (const v of values) {
    const d = editDistance(wanted, v.toLowerCase());
    if (d <= Math.max(2, Math.floor(v.length / 3)) && (!best || d < best[0])) best = [d, v];
  }
  return best?.[1];
}

type BoundIssue = z.core.$ZodIssue & { origin?: string; minimum?: unknown; maximum?: unknown; inclusive?: boolean };

function bound(issue: BoundIssue): string {
  const small = issue.code === 'too_small';
  const limit = String(small ? issue.minimum : issue.maximum);
  const word = small ? (issue.inclusive === false ? 'more than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
  if (issue.origin === 'string') return `a string of ${word} ${limit} character${limit === '1' ? '' : 's'}`;
  if (issue.origin === 'array') return `a list of ${word} ${limit} item${limit === '1' ? '' : 's'}`;
  return `a number ${word} ${limit}`;
}

/** One issue as `field: expected …, got ….` */
function issueLine(issue: z.core.$ZodIssue, args: unknown): string {
  const field = pathText(issue.path) || '(arguments)';
  const value = at(args, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return `${field}: required, but missing.`;
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return `${field}: expected ${expected}, got ${got(value)}.`;
    }
    case 'too_small':
    case 'too_big':
      return `${field}: expected ${bound(issue)}, got ${got(value)}.`;
    case 'invalid_value': {
      const values = issue.values.map(String);
      const near = closest(values, value);
      const list = values.length > 16 ? `${values.slice(0, 16).map((v) => `"${v}"`).join(', ')}, …` : values.map((v) => `"${v}"`).join(', ');
      return `${field}: expected one of ${list}; got ${got(value)}.${near ? ` Did you mean "${near}"?` : ''}`;
    }
    case 'invalid_format':
      return `${field}: expected the ${issue.format} format, got ${got(value)}.`;
    default:
      return `${field}: ${issue.message}, got ${got(value)}.`;
  }
}

/** The text for arguments the tool's input schema refuses. */
export function invalidArgumentsText(tool: AnyTool, issues: readonly z.core.$ZodIssue[], args: unknown): string {
  const lines = issues.slice(0, 10).map((i) => issueLine(i, args));
  const more = issues.length > 10 ? [`(and ${issues.length - 10} more)`] : [];
  if (lines.length === 1) {
    const field = pathText(issues[0]!.path);
    const expected = field ? describeArg(tool, field) : undefined;
    return [`Invalid arguments: ${lines[0]}`, ...(expected ? [`Expected: ${expected}`] : [])].join('\n');
  }
  return ['Invalid arguments:', ...lines.map((l) => `- ${l}`), ...more].join('\n');
}
