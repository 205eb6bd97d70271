/**
 * The error boundary: every failure of a tool becomes an `isError` result whose text says what
 * was wrong and what to do next. Tool errors are returned, never thrown, so the model sees them
 * as results it can act on. No stack, token or raw upstream response reaches the text.
 *
 * One house style for every error an agent can fix (the engine's, a live OnCall's, and the tool's
 * own input checks): the problem first, in OnCall's words and naming the field, then
 *   Given:    the value the call sent for that field
 *   Expected: what the field takes
 *   Fix:      the tool or argument that fixes it
 * as far as they are known (error-hints.ts knows OnCall's messages that hide their fix). The REST
 * facade keeps OnCall's bodies unchanged; only tool text is explained.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type * as z from 'zod';
import type { OnCallBackend } from '../api/backend.js';
import { ApiError, describeErrorBody, type ResourceKind } from '../api/errors.js';
import type { AnyTool, ToolKind } from './define.js';
import { type Hint, hintFor } from './error-hints.js';
import type { DirectoryIndex } from './lookup/directory-index.js';
import { AS_IN_CREATE } from './params.js';

export const FINDERS: Record<ResourceKind, string> = {
  escalation_chain: 'list_escalation_chains',
  escalation_policy: 'get_escalation_chain or list_escalation_policies',
  user: 'list_users',
  team: 'list_teams',
  user_group: 'list_user_groups',
  webhook: 'list_webhooks',
  schedule: 'list_schedules',
  on_call_shift: 'list_on_call_shifts',
  integration: 'list_integrations',
  route: 'list_routes',
  alert_group: 'list_alert_groups',
  resolution_note: 'get_alert_group',
  shift_swap: 'list_shift_swaps',
  personal_notification_rule: 'list_personal_notification_rules',
};

/**
 * An unexpected error's own message can hold internals (paths, upstream text), so it goes to the
 * log only. After a failed write nobody knows whether the change happened (it may have paged
 * someone), so the text never invites a blind retry.
 */
export function errorText(err: unknown, kind: ToolKind = 'read'): string {
  if (err instanceof ToolError) return err.text;
  if (err instanceof ApiError) return apiErrorText(err);
  if (kind === 'read') {
    return 'Internal error: the server could not answer this (the details are in its log). It is still running; the call may be repeated.';
  }
  return 'Internal error: the server failed while doing this (the details are in its log). It is still running. The change may '
    + 'or may not have been made: check the current state with a read tool before trying again.';
}

/**
 * A failure a tool words itself (a declined confirmation, a page refused as a duplicate): its text
 * is the whole answer, written for the agent, and it is not logged as unexpected.
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';

  constructor(readonly text: string) {
    super(text);
  }
}

/**
 * Whether a failed write may still have happened: the request may have arrived although its answer
 * was lost (a network failure, a 5xx, an answer that could not be read), or the server failed
 * midway. A 4xx is OnCall refusing it: nothing was done.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof OutcomeUnknownError) return true;
  return !(err instanceof ToolError) && !(err instanceof ApiError && err.status < 500);
}

/** A write that may or may not have happened, worded by the tool (e.g. a page that may have gone out). */
export class OutcomeUnknownError extends ToolError {}

/**
 * After a page whose outcome is unknown, a blind retry could page the same people twice; a
 * page that did go out must not be mistaken for one that failed. So: may have been delivered,
 * look before paging again.
 */
export function pageOutcomeUnknown(err: unknown): OutcomeUnknownError {
  return new OutcomeUnknownError(pageOutcomeUnknownText(err));
}

function pageOutcomeUnknownText(err: unknown): string {
  const why = err instanceof ApiError
    ? `OnCall's answer was lost or unreadable (${describeErrorBody(err.body).join('; ')})`
    : 'the server failed while sending it (the details are in its log)';
  return `THE PAGE MAY HAVE BEEN DELIVERED: ${why}, so nobody knows whether the alert group was created and people `
    + 'are being notified. Check list_alert_groups (newest first) for it before paging again; do not simply repeat '
    + 'this call.';
}

function apiErrorText(err: ApiError): string {
  const problems = describeErrorBody(err.body);
  if (err.status === 404) {
    if (err.missing) {
      const label = err.missing.kind.replace(/_/g, ' ');
      if (err.missing.kind === 'shift_swap') {
        // OnCall looks swaps up by id among those not started yet (semantics.md §3.1).
        return `Not found: no shift swap request with id "${err.missing.id}" that is still to start: it may not exist, `
          + 'may have been withdrawn, or has started (a request cannot be changed, withdrawn or taken once its time began). '
          + 'get_shift_swap shows one that has started; list_shift_swaps lists the rest.';
      }
      return `Not found: there is no ${label} with id "${err.missing.id}". Use ${FINDERS[err.missing.kind]} to find valid ids.`;
    }
    return `Not found (HTTP 404): ${problems.join('; ')}`;
  }
  if (err.status === 400) {
    if (problems.length === 1) return `Invalid request: ${problems[0]}`;
    return ['Invalid request:', ...problems.map((p) => `- ${p}`)].join('\n');
  }
  if (err.status === 401 || err.status === 403) {
    return `Permission denied (HTTP ${err.status}): ${problems.join('; ')}. Check the API token and its role.`;
  }
  if (err.status === 429)
    return `Rate limited by OnCall (HTTP 429): ${sentence(problems.join('; '))} ${retryWhen(err) ?? 'Wait, then retry.'}`;
  return `OnCall error (HTTP ${err.status}): ${problems.join('; ')}`;
}

/**
 * When a 429's Retry-After said to try again, as the agent should read it (seconds from now and the
 * instant, to the second, in the tools' UTC form); undefined when the answer did not say.
 */
export function retryWhen(err: ApiError, now = Date.now()): string | undefined {
  if (err.retryAt === undefined) return undefined;
  const at = Math.ceil(err.retryAt / 1000) * 1000; // to the second, never earlier than asked
  const seconds = Math.max(0, Math.ceil((err.retryAt - now) / 1000));
  return `Retry after ${seconds} s (at ${new Date(at).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')}).`;
}

export function errorResult(err: unknown, kind: ToolKind = 'read'): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: errorText(err, kind) }] };
}

// ---- the house style, with the call's context ----

export interface ErrorContext {
  tool: AnyTool;
  /** The arguments as the agent sent them. */
  given: Record<string, unknown>;
  /** The same after names were resolved to ids (what the backend saw), when it got that far. */
  resolved?: Record<string, unknown> | undefined;
  backend: OnCallBackend;
  index: DirectoryIndex;
}

/** One problem of a 400 body: the field path (`shifts`, `rolling_users[1][1]`, or '' for none). */
export interface Problem {
  field: string;
  message: string;
}

/** `{"a": ["m"], "b": {"c": ["n"]}, "detail": "d"}` → a: m, b.c: n, (none): d. */
export function problemsOf(body: unknown, path = '', out: Problem[] = []): Problem[] {
  if (typeof body === 'string') out.push({ field: path, message: body });
  else if (Array.isArray(body)) {
    if (body.every((v) => typeof v === 'string')) for (const v of body) out.push({ field: path, message: v });
    else body.forEach((v, i) => problemsOf(v, `${path}[${i}]`, out));
  } else if (body && typeof body === 'object') {
    for (const [key, v] of Object.entries(body)) {
      const label = key === 'detail' || key === 'non_field_errors' ? path : path ? `${path}.${key}` : key;
      problemsOf(v, label, out);
    }
  } else if (body !== undefined && body !== null) out.push({ field: path, message: String(body) });
  return out;
}

/** The value at `a.b[1][2]` in the arguments, or undefined. */
export function valueAt(args: Record<string, unknown> | undefined, path: string): unknown {
  let current: unknown = args;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[/^\d+$/.test(part) ? Number(part) : part];
  }
  return current;
}

/** A value as the agent would write it, short. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The input schema's description of a top-level argument (through optional/nullable wrappers). */
export function describeArg(tool: AnyTool, path: string): string | undefined {
  const key = path.match(/^[^.[]+/)?.[0];
  if (!key) return undefined;
  let schema = (tool.input as z.ZodObject).shape[key] as z.ZodType | undefined;
  for (let depth = 0; schema && depth < 4; depth++) {
    // An update tool's "As in create." is for the model reading tools/list; the field's own words are inside.
    if (schema.description && schema.description !== AS_IN_CREATE) return schema.description;
    const inner = (schema as unknown as { unwrap?: () => z.ZodType }).unwrap;
    schema = typeof inner === 'function' ? inner.call(schema) : undefined;
  }
  return undefined;
}

const sentence = (s: string) => (/[.!?)]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** A field name the tool actually takes (its message is then about the agent's own argument). */
function isArgument(tool: AnyTool, field: string): boolean {
  const key = field.match(/^[^.[]+/)?.[0];
  return !!key && key in (tool.input as z.ZodObject).shape;
}

function givenOf(ctx: ErrorContext, field: string, message: string): string | undefined {
  if (!field || !isArgument(ctx.tool, field)) return undefined;
  const value = valueAt(ctx.given, field);
  if (value === undefined) return undefined;
  const text = shown(value);
  if (message.includes(text) || (typeof value === 'string' && message.includes(value))) return undefined; // already quoted
  const resolved = valueAt(ctx.resolved, field);
  return resolved !== undefined && shown(resolved) !== text ? `${text} (= ${shown(resolved)})` : text;
}

function render400(problems: Problem[], hints: Array<Hint | undefined>, ctx: ErrorContext): string {
  const parts = problems.map((p, i) => {
    const hint = hints[i] ?? {};
    const field = hint.field ?? p.field;
    const value = givenOf(ctx, field, p.message);
    // A hint's own account of what was given (the shift, its team) is already a sentence.
    const given = hint.given ?? (value === undefined ? undefined : `${field} = ${value}`);
    const expected = hint.expected ?? (field && isArgument(ctx.tool, field) ? describeArg(ctx.tool, field) : undefined);
    return { line: p.field ? `${p.field}: ${p.message}` : p.message, field, given, short: hint.given ?? value, expected, fix: hint.fix };
  });
  if (parts.length === 1) {
    const [p] = parts as [(typeof parts)[number]];
    return [
      `Invalid request: ${p.line}`,
      ...(p.given ? [`Given: ${p.given}`] : []),
      ...(p.expected ? [`Expected: ${p.expected}`] : []),
      ...(p.fix ? [`Fix: ${p.fix}`] : []),
    ].join('\n');
  }
  return [
    'Invalid request:',
    ...parts.map((p) => {
      const extra = [
        p.short ? `Given: ${p.short}.` : '',
        p.expected ? `Expected: ${sentence(p.expected)}` : '',
        p.fix ? `Fix: ${sentence(p.fix)}` : '',
      ].filter(Boolean);
      return `- ${extra.length ? sentence(p.line) : p.line}${extra.length ? ` ${extra.join(' ')}` : ''}`;
    }),
  ].join('\n');
}

/**
 * The text of a failed call in the house style. Errors raised while resolving names already say
 * all of it (resolve.ts); engine and upstream 400s get the value given, what is expected and the
 * fix; a hint that cannot be worked out (a lookup fails) leaves OnCall's message as it is.
 */
export async function explainError(err: unknown, kind: ToolKind, ctx: ErrorContext): Promise<string> {
  if (!(err instanceof ApiError) || err.status !== 400) return errorText(err, kind);
  const problems = problemsOf(err.body);
  if (!problems.length || ctx.resolved === undefined) return errorText(err, kind);
  const hints = await Promise.all(
    problems.map((p) =>
      hintFor({ ...ctx, resolved: ctx.resolved!, message: p.message, field: p.field }).catch(() => undefined),
    ),
  );
  return render400(problems, hints, ctx);
}
