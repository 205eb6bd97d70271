/**
 * The input schema a client sees, made portable. zod writes a nullable field as
 * `type: ["string", "null"]`, which single-type dialects (Gemini's function declarations, the
 * OpenAPI 3.0 subset) reject, and `anyOf` is refused by other clients. So tools/list shows each
 * field with its one base type; where the API takes null the field is declared with `orNull`
 * (params.ts): its description says what "" means, and "" arrives as null. The server still
 * validates against the full zod schema, so null is accepted too.
 *
 * Also dropped, as they carry nothing a model or a client needs: `$schema` (draft-07 is the MCP
 * default) and `propertyNames: {type: "string"}` (JSON keys are always strings).
 */
export type JsonSchema = { [key: string]: unknown };

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
      Object.entries(out.properties).map(([k, v]) => [k, isObject(v) ? portable(v) : v]),
    );
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    if (isObject(out[key])) out[key] = portable(out[key]);
  }
  return out;
}
