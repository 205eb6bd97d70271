/**
 * Field parsing with Django REST Framework's rules and messages, as OnCall's serializers apply
 * them (semantics.md §1.2). Ordinary field errors are collected and returned together as
 * `400 {"field": ["message"]}`; `badRequest()` is the short-circuit `{"detail": ...}` form.
 */
import { ApiError } from '../../api/errors.js';
import { MAX_INT32, MIN_INT32 } from './bounds.js';

export type Body = Record<string, unknown>;

export const MSG = {
  required: 'This field is required.',
  notNull: 'This field may not be null.',
  notBlank: 'This field may not be blank.',
  integer: 'A valid integer is required.',
  number: 'A valid number is required.',
  boolean: 'Must be a valid boolean.',
  string: 'Not a valid string.',
  doesNotExist: 'Object does not exist',
  invalidValues: 'Invalid values',
  maxLength: (n: number) => `Ensure this field has no more than ${n} characters.`,
  min: (n: number | string) => `Ensure this value is greater than or equal to ${n}.`,
  max: (n: number | string) => `Ensure this value is less than or equal to ${n}.`,
  notAList: (v: unknown) => `Expected a list of items but got type "${pythonTypeName(v)}".`,
  notADict: (v: unknown) => `Expected a dictionary of items but got type "${pythonTypeName(v)}".`,
} as const;

/** The Python type name DRF puts in its messages for a JSON value. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** Collects per-field errors; `throwIfAny` raises them all as one 400. */
export class FieldErrors {
  private readonly errors: Record<string, unknown> = {};

  add(field: string, message: string): void {
    const list = Array.isArray(this.errors[field]) ? (this.errors[field] as string[]) : [];
    list.push(message);
    this.errors[field] = list;
  }

  /** An error inside a nested object: `{"slack": {"channel_id": ["…"]}}`. */
  addNested(field: string, subfield: string, message: string): void {
    const nested = (this.errors[field] as Record<string, string[]> | undefined) ?? {};
    nested[subfield] = [...(nested[subfield] ?? []), message];
    this.errors[field] = nested;
  }

  /** Set a field's error to a prepared value, e.g. one dict per list item. */
  setValue(field: string, value: unknown): void {
    this.errors[field] = value;
  }

  /** Put another collector's errors under `field`: `{"default_route": {"slack": {...}}}`. */
  nest(field: string, inner: FieldErrors): void {
    if (!inner.isEmpty) this.errors[field] = { ...inner.errors };
  }

  /** The collected `[field, error]` pairs. */
  entries(): Array<[string, unknown]> {
    return Object.entries(this.errors);
  }

  get isEmpty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(): void {
    if (!this.isEmpty) throw new ApiError(400, { ...this.errors });
  }
}

/** One field's error as its own 400: `{"field": ["message"]}`. */
export function fieldError(field: string, message: string): ApiError {
  return new ApiError(400, { [field]: [message] });
}

/** A request body must be a JSON object. */
export function asBody(body: unknown): Body {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Body;
  throw new ApiError(400, {
    non_field_errors: [`Invalid data. Expected a dictionary, but got ${pythonTypeName(body)}.`],
  });
}

export function has(body: Body, field: string): boolean {
  return Object.hasOwn(body, field) && body[field] !== undefined;
}

interface Common {
  required?: boolean;
  nullable?: boolean;
}

/**
 * Each reader returns `undefined` when the field is absent (or invalid, after recording the
 * error), `null` for an allowed null, or the parsed value.
 */
function presence(errors: FieldErrors, body: Body, field: string, opts: Common): 'absent' | 'null' | 'value' {
  if (!has(body, field)) {
    if (opts.required) errors.add(field, MSG.required);
    return 'absent';
  }
  if (body[field] === null) {
    if (!opts.nullable) errors.add(field, MSG.notNull);
    return 'null';
  }
  return 'value';
}

export function readString(
  errors: FieldErrors,
  body: Body,
  field: string,
  opts: Common & { maxLength?: number; allowBlank?: boolean } = {},
): string | null | undefined {
  const p = presence(errors, body, field, opts);
  if (p === 'absent') return undefined;
  if (p === 'null') return opts.nullable ? null : undefined;
  const raw = body[field];
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    errors.add(field, MSG.string);
    return undefined;
  }
  const value = String(raw).trim();
  if (value === '' && !opts.allowBlank) {
    errors.add(field, MSG.notBlank);
    return undefined;
  }
  if (opts.maxLength !== undefined && value.length > opts.maxLength) {
    errors.add(field, MSG.maxLength(opts.maxLength));
    return undefined;
  }
  return value;
}

/**
 * DRF IntegerField: ints, or strings/floats that are whole numbers ("12", "12.0", 12.0). Integers
 * beyond 2^53 are refused: they cannot be held exactly, and OnCall's columns stop far below.
 */
export function parseInteger(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw === 'string' && /^\s*[-+]?\d{1,16}(\.0*)?\s*$/.test(raw)) {
    const value = Number.parseInt(raw, 10);
    return Number.isSafeInteger(value) ? value : undefined;
  }
  return undefined;
}

/**
 * An integer field. Without explicit bounds it is held to the 32-bit range of the database column
 * OnCall stores it in, with the messages DRF derives from that column.
 */
export function readInteger(
  errors: FieldErrors,
  body: Body,
  field: string,
  opts: Common & { min?: number; max?: number } = {},
): number | null | undefined {
  const p = presence(errors, body, field, opts);
  if (p === 'absent') return undefined;
  if (p === 'null') return opts.nullable ? null : undefined;
  const value = parseInteger(body[field]);
  if (value === undefined) {
    errors.add(field, MSG.integer);
    return undefined;
  }
  const min = opts.min ?? MIN_INT32;
  const max = opts.max ?? MAX_INT32;
  if (value < min) {
    errors.add(field, MSG.min(min));
    return undefined;
  }
  if (value > max) {
    errors.add(field, MSG.max(max));
    return undefined;
  }
  return value;
}

/** DRF FloatField input: numbers or numeric strings. */
export function parseNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const TRUE_VALUES = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_VALUES = new Set(['f', 'false', 'n', 'no', 'off', '0']);

export function parseBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  if (typeof raw === 'string') {
    const v = raw.toLowerCase();
    if (TRUE_VALUES.has(v)) return true;
    if (FALSE_VALUES.has(v)) return false;
  }
  return undefined;
}

export function readBoolean(
  errors: FieldErrors,
  body: Body,
  field: string,
  opts: Common = {},
): boolean | null | undefined {
  const p = presence(errors, body, field, opts);
  if (p === 'absent') return undefined;
  if (p === 'null') return opts.nullable ? null : undefined;
  const value = parseBoolean(body[field]);
  if (value === undefined) errors.add(field, MSG.boolean);
  return value;
}

/**
 * A related-object id (team, schedule, webhook, …): a string naming an object that exists,
 * or null where allowed. Unknown → "Object does not exist"; a non-string → "Invalid values".
 */
export function readRelatedId(
  errors: FieldErrors,
  body: Body,
  field: string,
  exists: (id: string) => boolean,
  opts: Common & { nullString?: boolean } = {},
): string | null | undefined {
  const p = presence(errors, body, field, opts);
  if (p === 'absent') return undefined;
  if (p === 'null') return opts.nullable ? null : undefined;
  const raw = body[field];
  if (typeof raw !== 'string') {
    errors.add(field, MSG.invalidValues);
    return undefined;
  }
  if (opts.nullString && raw === 'null') return null;
  if (!exists(raw)) {
    errors.add(field, MSG.doesNotExist);
    return undefined;
  }
  return raw;
}
