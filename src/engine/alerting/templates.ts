/**
 * Jinja2 templates (integration templates, jinja2 routes, webhook url/headers/data) as OnCall
 * renders them, through nunjucks running inside a WebAssembly sandbox (`templates/sandbox.ts`).
 * The API is synchronous: the sandbox's WebAssembly module loads once, with the top-level await in
 * `sandbox.ts`, and every render after that is a plain function call.
 *
 * Layers, outermost first: OnCall's length limit; the syntax-tree check (`templates/check.ts`),
 * which refuses obviously hostile templates when they are saved; a per-template breaker that stops
 * running templates which keep blowing their budget; the sandbox itself, the boundary, with a time
 * budget, a memory limit and a stack limit on every render. A checked template of the few shapes
 * every alert renders (a lookup, a comparison, an `or` chain) is answered on the host instead,
 * where the answer is sure to be the sandbox's (`templates/host-expressions.ts`).
 */
import { systemClock } from '../core/clock.js';
import { Breaker } from './templates/breaker.js';
import { checkTemplate, stringLiterals, TemplateError, type AstNode } from './templates/check.js';
import { evaluateHostExpression, type HostExpression, parseHostExpression } from './templates/host-expressions.js';
import { SandboxError, TemplateSandbox } from './templates/sandbox.js';
import { isZoneName, MAX_ZONES_PER_TEMPLATE, zoneTable } from './templates/zones.js';

export { checkTemplate, TemplateError };

/** OnCall's JINJA_TEMPLATE_MAX_LENGTH. */
export const MAX_TEMPLATE_LENGTH = 50_000;

export interface RenderOptions {
  /** What the template's `time()` returns, ms since the epoch; the engine passes its clock's now. */
  now?: number;
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

export const sandbox = await TemplateSandbox.create();
export const breaker = new Breaker();

function zonesFor(ast: AstNode): string {
  // Looking a name up costs the host a little: only the first few zone-shaped literals are tried.
  let tries = 4 * MAX_ZONES_PER_TEMPLATE;
  const zones = stringLiterals(ast, (value) => tries-- > 0 && isZoneName(value), MAX_ZONES_PER_TEMPLATE);
  return zones.length ? JSON.stringify(Object.fromEntries(zones.map((z) => [z, zoneTable(z)]))) : '{}';
}

function contextJson(context: Record<string, unknown>): string {
  try {
    return JSON.stringify(context);
  } catch {
    throw new TemplateError('the template context cannot be serialised');
  }
}

function renderIn(source: string, context: Record<string, unknown>, options: RenderOptions, zones = '{}'): string {
  if (source.length > MAX_TEMPLATE_LENGTH) {
    throw new TemplateError(`Template exceeds length limit (${source.length} > ${MAX_TEMPLATE_LENGTH})`);
  }
  const blocked = breaker.blockedFor(source);
  if (blocked) {
    throw new TemplateError(
      `template disabled for ${Math.ceil(blocked / 1000)} s after exceeding its budget repeatedly`,
    );
  }
  try {
    return sandbox.render(source, contextJson(context), options.now ?? systemClock.now(), zones);
  } catch (err) {
    if (!(err instanceof SandboxError)) throw err;
    if (err.kind !== 'template' && err.kind !== 'unavailable') breaker.failed(source);
    throw new TemplateError(err.message);
  }
}

/**
 * Templates that passed the check, with the zone tables their literals name and the expression the
 * host answers for them (`templates/host-expressions.ts`; null when the sandbox must): the check
 * parses the whole template, and the same few templates (an integration's grouping key, its title,
 * its routes) render for every alert. Bounded by count; a source longer than the limit is never here.
 */
interface Checked {
  zones: string;
  host: HostExpression | null;
}
const checked = new Map<string, Checked>();
const MAX_CHECKED = 512;

function checkedTemplate(source: string): Checked {
  let entry = checked.get(source);
  if (entry === undefined) {
    const zones = zonesFor(checkTemplate(source)); // throws for a template that fails the check: not kept
    entry = { zones, host: parseHostExpression(source) };
    if (checked.size >= MAX_CHECKED) checked.delete(checked.keys().next().value!);
    checked.set(source, entry);
  }
  return entry;
}

/** Render a checked template; throws TemplateError on any failure. */
export function renderTemplate(source: string, context: Record<string, unknown>, options: RenderOptions = {}): string {
  if (source.length > MAX_TEMPLATE_LENGTH) return renderIn(source, context, options);
  const { zones, host } = checkedTemplate(source);
  if (host && breaker.blockedFor(source) === 0) {
    const answer = evaluateHostExpression(host, context.payload);
    if (answer !== undefined) return answer;
  }
  return renderIn(source, context, options, zones);
}

/** What the host alone answers for a template (tests: that the fast path is taken); undefined if the sandbox must. */
export function hostAnswer(source: string, context: Record<string, unknown>): string | undefined {
  const host = checkedTemplate(source).host;
  return host ? evaluateHostExpression(host, context.payload) : undefined;
}

/**
 * Render WITHOUT the syntax-tree check: only for tests that show the sandbox holds on its own.
 * Engine code always goes through `renderTemplate`.
 */
export function renderUnchecked(source: string, context: Record<string, unknown>, options: RenderOptions = {}): string {
  let zones = '{}';
  try {
    zones = zonesFor(checkTemplate(source));
  } catch {
    // zones are looked up only for templates that pass; the render goes ahead
  }
  return renderIn(source, context, options, zones);
}
