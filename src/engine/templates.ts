/**
 * Jinja2 templates (integration templates, jinja2 routes) through nunjucks, a maintained
 * Jinja-compatible engine.
 *
 * nunjucks is not a sandbox: `{{ "".constructor.constructor("…")() }}` runs arbitrary JavaScript.
 * Templates arrive through the API, so every template is checked on its syntax tree before it is
 * accepted or rendered: no names or attributes like `constructor`, `prototype` or `__x__`, no
 * computed attribute names (which could spell them at run time), no imports or includes. `range`
 * is capped so a template cannot spin the process forever on one loop.
 */
import nunjucks from 'nunjucks';

/** nunjucks' parser is public but missing from @types/nunjucks. */
const parser = (
  nunjucks as unknown as { parser: { parse(source: string, extensions: unknown[], opts: object): unknown } }
).parser;

const UNSAFE_NAME = /^(constructor|prototype|__.*)$/;
const MAX_RANGE = 10_000;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

type AstNode = { typename: string; fields?: string[]; value?: unknown; val?: AstNode } & Record<
  string,
  unknown
>;

const NOT_ALLOWED = new Set([
  'Import',
  'FromImport',
  'Include',
  'Extends',
  'Block',
  'Super',
  'CallExtension',
]);

function checkNode(node: AstNode): void {
  if (NOT_ALLOWED.has(node.typename))
    throw new TemplateError(`${node.typename.toLowerCase()} is not supported`);
  if (node.typename === 'Symbol' && typeof node.value === 'string' && UNSAFE_NAME.test(node.value)) {
    throw new TemplateError(`the name "${node.value}" is not allowed`);
  }
  if (node.typename === 'LookupVal') {
    const key = node.val;
    if (key?.typename !== 'Literal') throw new TemplateError('computed attribute names are not allowed');
    if (typeof key.value === 'string' && UNSAFE_NAME.test(key.value)) {
      throw new TemplateError(`the attribute "${key.value}" is not allowed`);
    }
  }
  for (const field of node.fields ?? []) {
    const child = node[field];
    if (Array.isArray(child)) for (const c of child) if (c && typeof c === 'object') checkNode(c as AstNode);
    if (child && typeof child === 'object' && !Array.isArray(child) && 'typename' in child)
      checkNode(child as AstNode);
  }
}

/** Throw a TemplateError if the template does not parse or uses something unsafe. */
export function checkTemplate(source: string): void {
  let ast: AstNode;
  try {
    ast = parser.parse(source, [], {}) as AstNode;
  } catch (err) {
    throw new TemplateError(cleanMessage(err));
  }
  checkNode(ast);
}

/** True if the template parses and is safe to render. */
export function isValidTemplate(source: string): boolean {
  try {
    checkTemplate(source);
    return true;
  } catch {
    return false;
  }
}

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
env.addGlobal('range', (start: number, stop?: number, step = 1) => {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (!step || Math.abs((to - from) / step) > MAX_RANGE)
    throw new TemplateError(`range() is limited to ${MAX_RANGE} items`);
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
});

/** nunjucks prefixes render errors with "(unknown path)" and a newline; keep the informative part. */
function cleanMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (
    message
      .replace(/^\(unknown path\)\s*/, '')
      .replace(/^(Template render error: )?(Error: )?/, '')
      .split('\n')[0] ?? message
  );
}

/** Render a checked template; throws TemplateError on any failure. */
export function renderTemplate(source: string, context: Record<string, unknown>): string {
  checkTemplate(source);
  try {
    return env.renderString(source, context);
  } catch (err) {
    throw new TemplateError(cleanMessage(err));
  }
}
