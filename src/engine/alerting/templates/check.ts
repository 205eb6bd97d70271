/**
 * The save-time check of a template's syntax tree, with nunjucks' own parser on the host (parsing
 * builds a tree of plain objects; no template code runs). It refuses names and attributes like
 * `constructor`, `prototype` or `__x__`, computed attribute names (which could spell them at run
 * time), and imports or includes. This is a second layer: templates render in the sandbox
 * (`sandbox.ts`), which is the boundary; the check keeps obviously hostile templates from being
 * saved at all and gives their author an early, clear error.
 */
import nunjucks from 'nunjucks';

/** nunjucks' parser is public but missing from @types/nunjucks. */
const parser = (
  nunjucks as unknown as { parser: { parse(source: string, extensions: unknown[], opts: object): unknown } }
).parser;

const UNSAFE_NAME = /^(constructor|prototype|__.*)$/;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export type AstNode = { typename: string; fields?: string[]; value?: unknown; val?: AstNode } & Record<
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
  for (const child of children(node)) checkNode(child);
}

function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const field of node.fields ?? []) {
    const child = node[field];
    if (Array.isArray(child)) for (const c of child) if (c && typeof c === 'object') out.push(c as AstNode);
    if (child && typeof child === 'object' && !Array.isArray(child) && 'typename' in child) out.push(child as AstNode);
  }
  return out;
}

/** nunjucks prefixes errors with "(unknown path)" and a newline; keep the informative part. */
function parseMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (
    message
      .replace(/^\(unknown path\)\s*/, '')
      .replace(/^(Template render error: )?(Error: )?/, '')
      .split('\n')[0] ?? message
  );
}

export function parseTemplate(source: string): AstNode {
  try {
    return parser.parse(source, [], {}) as AstNode;
  } catch (err) {
    // A deeply nested template overflows the parser's recursion: a refusal like any other.
    throw new TemplateError(err instanceof RangeError ? 'template nested too deeply' : parseMessage(err));
  }
}

/** Throw a TemplateError if the template does not parse or uses something unsafe. */
export function checkTemplate(source: string): AstNode {
  const ast = parseTemplate(source);
  try {
    checkNode(ast);
  } catch (err) {
    if (err instanceof RangeError) throw new TemplateError('template nested too deeply');
    throw err;
  }
  return ast;
}

/** The template's string literals that `accept` takes (e.g. the time zones it names), at most `limit`. */
export function stringLiterals(ast: AstNode, accept: (value: string) => boolean, limit: number): string[] {
  const found = new Set<string>();
  const stack = [ast];
  while (stack.length && found.size < limit) {
    const node = stack.pop()!;
    if (node.typename === 'Literal' && typeof node.value === 'string' && accept(node.value)) found.add(node.value);
    stack.push(...children(node));
  }
  return [...found];
}
