/**
 * The few template shapes every alert renders, answered on the host instead of in the sandbox:
 *
 *   {{ payload.a.b }}                                  grouping keys, titles
 *   {{ payload.a == "x" }}   {{ payload.a != "x" }}    resolve signals, jinja2 routes
 *   {{ payload.a or payload.b or "fallback" }}         the default titles
 *
 * and `or` chains of those. Every default integration template and most routes people write are
 * one of them, and each costs a crossing into the sandbox (a fifth of an alert's time in the
 * ingestion benchmark) for a walk over a few keys.
 *
 * No template code runs here: the expression is read off the source by a fixed tokenizer into a
 * list of paths, literals and operators, and evaluated over own properties of the parsed JSON
 * payload. Where the sandbox's answer could be anything but what this evaluator would compute, it
 * declines (`undefined`) and the sandbox renders: any value that is not a string (numbers compare
 * loosely and print their own way, lists and dicts print as structures), an inherited or dict-method
 * name, a string literal with an escape, any other syntax. The answers are the sandbox's own,
 * including how it prints a comparison (`true` / `false`); test/engine/template-host-expressions
 * renders every case both ways.
 */

/** A dotted path under `payload` (at least one key), or a string literal. */
type Operand = { path: readonly string[] } | { literal: string };
/** `a`, or `a == b` / `a != b`. */
interface Comparison {
  left: Operand;
  op?: '==' | '!=';
  right?: Operand;
}
/** `c1 or c2 or …` */
export type HostExpression = readonly Comparison[];

/** What an operand or a comparison evaluates to here: a string, a boolean, or Jinja's undefined. */
const UNDEFINED = Symbol('undefined');
type Value = string | boolean | typeof UNDEFINED;
/** The evaluator steps aside: the sandbox answers. */
const DECLINE = Symbol('decline');

/** Names Jinja finds on a dict before its keys (and nunjucks' own), and words its lexer reserves. */
const RESERVED = new Set([
  'keys', 'items', 'values', 'get', 'pop', 'popitem', 'setdefault', 'update', 'clear', 'copy', 'fromkeys',
  'and', 'or', 'not', 'in', 'is', 'if', 'else', 'true', 'false', 'none', 'null', 'True', 'False', 'None',
]);

const WRAPPED = /^\{\{(.*)\}\}$/s;
/** One token: a payload path (not followed by a call, an index or more name), a string, an operator, `or`. */
const TOKEN = new RegExp(
  [
    String.raw`\s*(?:(payload(?:\.[A-Za-z][A-Za-z0-9_]*)+)(?![A-Za-z0-9_.([])`,
    String.raw`"([^"\\{}%]*)"`,
    String.raw`'([^'\\{}%]*)'`,
    String.raw`(==|!=)`,
    String.raw`(or)(?![A-Za-z0-9_]))`,
  ].join('|'),
  'y',
);
const TRAILING_SPACE = /\s*$/y;

/** The expression of a template this evaluator can answer, or null for any other template. */
export function parseHostExpression(source: string): HostExpression | null {
  const inner = WRAPPED.exec(source)?.[1];
  if (inner === undefined || inner.includes('{{') || inner.includes('}}') || /^[-+]|[-+]$/.test(inner)) return null;
  const tokens: Array<Operand | '==' | '!=' | 'or'> = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    TRAILING_SPACE.lastIndex = TOKEN.lastIndex;
    TRAILING_SPACE.exec(inner);
    if (TRAILING_SPACE.lastIndex === inner.length) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(inner);
    if (!m || m.index !== start) return null;
    if (m[1] !== undefined) {
      const path = m[1].split('.').slice(1);
      if (path.some((key) => RESERVED.has(key))) return null;
      tokens.push({ path });
    } else if (m[2] !== undefined || m[3] !== undefined) tokens.push({ literal: (m[2] ?? m[3])! });
    else tokens.push((m[4] ?? m[5]) as '==' | '!=' | 'or');
  }
  // operand (op operand)? ('or' operand (op operand)?)*
  const expression: Comparison[] = [];
  let i = 0;
  const operand = (): Operand | null => {
    const t = tokens[i];
    if (t === undefined || typeof t === 'string') return null;
    i++;
    return t;
  };
  for (;;) {
    const left = operand();
    if (!left) return null;
    const comparison: Comparison = { left };
    const op = tokens[i];
    if (op === '==' || op === '!=') {
      i++;
      const right = operand();
      if (!right) return null;
      comparison.op = op;
      comparison.right = right;
    }
    expression.push(comparison);
    if (i === tokens.length) return expression;
    if (tokens[i] !== 'or') return null;
    i++;
  }
}

function lookup(payload: unknown, path: readonly string[]): Value | typeof DECLINE {
  let value: unknown = payload;
  for (const key of path) {
    if (value === null || value === undefined) return UNDEFINED; // nunjucks: a key of nothing is nothing
    if (typeof value !== 'object' || Array.isArray(value)) return DECLINE; // strings and lists have attributes
    if (!Object.hasOwn(value, key)) return key in value ? DECLINE : UNDEFINED; // inherited names are not keys
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value;
  return value === undefined ? UNDEFINED : DECLINE;
}

function operandValue(payload: unknown, operand: Operand): Value | typeof DECLINE {
  return 'literal' in operand ? operand.literal : lookup(payload, operand.path);
}

function comparisonValue(payload: unknown, c: Comparison): Value | typeof DECLINE {
  const left = operandValue(payload, c.left);
  if (left === DECLINE || !c.op) return left;
  const right = operandValue(payload, c.right!);
  if (right === DECLINE) return DECLINE;
  return (left === right) === (c.op === '==');
}

const truthy = (v: Value) => v !== UNDEFINED && v !== false && v !== '';

/** What the sandbox would print for the expression over this payload, or undefined to let it. */
export function evaluateHostExpression(expression: HostExpression, payload: unknown): string | undefined {
  let value: Value = UNDEFINED;
  for (const c of expression) {
    const v = comparisonValue(payload, c);
    if (v === DECLINE) return undefined;
    value = v;
    if (truthy(v)) break; // `or` yields the first truthy operand, else the last
  }
  if (value === UNDEFINED) return '';
  return typeof value === 'boolean' ? String(value) : value;
}
