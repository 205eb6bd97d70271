/**
 * The one error type both backends throw. It carries the HTTP status and the body exactly as
 * Grafana OnCall's API would send it, so the REST facade can return it unchanged and the tool
 * wrapper can turn it into actionable text.
 */

/** A DRF-style error body: `{"detail": "..."}`, `{"field": ["msg"]}`, nested dicts, or a bare string. */
export type ApiErrorBody = { [key: string]: unknown } | string;

/** What was looked up when a 404 happened, so the tool layer can say which id was wrong. */
export interface MissingObject {
  kind: ResourceKind;
  id: string;
}

export type ResourceKind =
  | 'escalation_chain'
  | 'escalation_policy'
  | 'user'
  | 'team'
  | 'user_group'
  | 'webhook'
  | 'schedule'
  | 'on_call_shift'
  | 'integration'
  | 'route'
  | 'alert_group'
  | 'resolution_note'
  | 'shift_swap'
  | 'personal_notification_rule';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly missing?: MissingObject,
    /**
     * On a 429 from a live OnCall: when its Retry-After said to try again (epoch ms). Kept apart
     * from the body, which stays exactly as the server sent it.
     */
    readonly retryAt?: number,
  ) {
    super(summarizeBody(status, body));
  }
}

/** `404 {"detail": "Not found."}`, remembering what was missing. */
export function notFound(kind: ResourceKind, id: string): ApiError {
  return new ApiError(404, { detail: 'Not found.' }, { kind, id });
}

/** `400 {"detail": message}`: OnCall's short-circuit BadRequest. */
export function badRequest(detail: string): ApiError {
  return new ApiError(400, { detail });
}

/** One line per problem: `field: message`, nested paths joined with dots, list items as `[i]`. */
export function describeErrorBody(body: ApiErrorBody): string[] {
  if (typeof body === 'string') return [body];
  const lines: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      lines.push(path ? `${path}: ${value}` : value);
    } else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'string')) {
        for (const v of value) lines.push(path ? `${path}: ${v}` : v);
      } else {
        value.forEach((v, i) => {
          walk(v, `${path}[${i}]`);
        });
      }
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        const label = key === 'detail' || key === 'non_field_errors' ? path : path ? `${path}.${key}` : key;
        walk(v, label);
      }
    } else if (value !== undefined && value !== null) {
      lines.push(path ? `${path}: ${String(value)}` : String(value));
    }
  };
  walk(body, '');
  return lines;
}

function summarizeBody(status: number, body: ApiErrorBody): string {
  return `HTTP ${status}: ${describeErrorBody(body).join('; ')}`;
}
