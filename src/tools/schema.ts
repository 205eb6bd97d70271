/**
 * The input schema a client sees, made portable. zod writes a nullable field as
 * `type: ["string", "null"]`, which single-type dialects (Gemini's function declarations, the
 * OpenAPI 3.0 subset) reject, and `anyOf` is refused by other clients. So tools/list shows each
 * field with its one base type; where the API takes null the field is declared with `orNull`
 * (params.ts): its description says what "" means, and "" arrives as null. The server still
 * validates against the full zod schema, so null is accepted too.
 *
 * Also dropped, as they carry nothing a model or a client needs: `$schema` (draft-07 is the MCP
 * default) and `propertyNames: {type: "string"}` (JSON keys are always strings). An update tool's
 * field described "As in create." (params.ts `asIn`) keeps its types but not its vocabulary,
 * bounds or nested descriptions: the create tool shows them once.
 */
import { AS_IN_CREATE } from './params.js';

export type JsonSchema = { [key: string]: unknown };

const CONSTRAINTS = ['enum', 'minimum', 'maximum', 'minLength', 'maxLength'];

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

const isNullBranch = (v: unknown) => isObject(v) && v.type === 'null' && Object.keys(v).length === 1;

export function portableInputSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return portable(rest);
}

function portable(node: JsonSchema): JsonSchema {
  let out: JsonSchema = { ...node };
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t) => t !== 'null');
    out.type = types.length === 1 ? types[0] : types;
  }
  if (Array.isArray(out.anyOf) && out.anyOf.length === 2 && out.anyOf.some(isNullBranch)) {
    const { anyOf, ...siblings } = out;
    out = { ...(anyOf as unknown[]).find((b) => !isNullBranch(b)) as JsonSchema, ...siblings };
  }
  if (isObject(out.propertyNames) && out.propertyNames.type === 'string' && Object.keys(out.propertyNames).length === 1) {
    delete out.propertyNames;
  }
  if (isObject(out.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => {
        if (!isObject(v)) return [k, v];
        const field = portable(v);
        return [k, field.description === AS_IN_CREATE ? { ...typesOnly(field), description: AS_IN_CREATE } : field];
      }),
    );
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    if (isObject(out[key])) out[key] = portable(out[key]);
  }
  return out;
}

/**
 * The output schema a client sees: zod's nullable `type: ["string", "null"]` split into
 * `anyOf: [{type: "string", …}, {type: "null"}]`, each branch with one type. Output schemas are
 * for validating `structuredContent`, where `anyOf` is ordinary JSON Schema, while a type array
 * trips clients that map schemas onto a single-type dialect (the MCP Inspector's --strict
 * warns about it). The description stays on the field, beside `anyOf`.
 */
export function portableOutputSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return singleTyped(rest);
}

const ANNOTATIONS = ['description', 'title', 'default', 'examples'];

function singleTyped(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'properties' || key === '$defs' || key === 'definitions') && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? singleTyped(v) : v]));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      out[key] = singleTyped(value);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((b) => (isObject(b) ? singleTyped(b) : b));
    } else {
      out[key] = value;
    }
  }
  if (!Array.isArray(out.type)) return out;
  const types = out.type as unknown[];
  if (types.length === 1) return { ...out, type: types[0] };
  // The annotations stay on the field; everything else (constraints, structure) goes with each type.
  const outer: JsonSchema = {};
  const inner: JsonSchema = {};
  for (const [key, value] of Object.entries(out)) {
    if (key === 'type') continue;
    (ANNOTATIONS.includes(key) ? outer : inner)[key] = value;
  }
  const branches = types.map((t) => (t === 'null' ? { type: 'null' } : { type: t, ...constraintsFor(t, inner) }));
  const existing = Array.isArray(outer.anyOf) ? (outer.anyOf as unknown[]) : undefined;
  return existing ? { ...outer, allOf: [{ anyOf: existing }, { anyOf: branches }] } : { ...outer, anyOf: branches };
}

/** The keywords that apply to one JSON type (an enum keeps only its values of that type). */
function constraintsFor(type: unknown, inner: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(inner)) {
    if (key === 'enum' && Array.isArray(value)) {
      out.enum = value.filter((v) => (v === null ? type === 'null' : typeof v === type || (type === 'integer' && Number.isInteger(v))));
    } else out[key] = value;
  }
  return out;
}

/** A schema's types and structure alone: no description, vocabulary or bounds, at any depth. */
function typesOnly(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || CONSTRAINTS.includes(key)) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isObject(v) ? typesOnly(v) : v]));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = typesOnly(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}
