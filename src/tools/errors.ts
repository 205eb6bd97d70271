/**
 * The error boundary: every failure of a tool becomes an `isError` result whose text says what
 * was wrong and what to do next. Tool errors are returned, never thrown, so the model sees them
 * as results it can act on. No stack, token or raw upstream response reaches the text.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError, describeErrorBody, type ResourceKind } from '../api/errors.js';
import type { ToolKind } from './define.js';

const FINDERS: Record<ResourceKind, string> = {
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
    return `Rate limited by OnCall (HTTP 429): ${problems.join('; ')}. Wait, then retry.`;
  return `OnCall error (HTTP ${err.status}): ${problems.join('; ')}`;
}

export function errorResult(err: unknown, kind: ToolKind = 'read'): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: errorText(err, kind) }] };
}
