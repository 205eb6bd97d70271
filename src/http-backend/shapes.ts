/**
 * Answers checked against the shapes the tools rely on (src/api/types.ts), so a difference is
 * named where it arises: which endpoint, which field, what came instead. Vocabularies upstream
 * grows are open there (`vocabulary()`): a new integration or step type passes, a string where a
 * list belongs does not. The answer itself is passed on unchanged (fields we do not know stay).
 */
import type * as z from 'zod';
import { ApiError } from '../api/errors.js';

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(the whole answer)';
}

export function checkShape<T>(schema: z.ZodType, value: T, method: string, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return value;
  const problems = result.error.issues.slice(0, 3).map((i) => `${pathOf(i.path)}: ${i.message}`);
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new ApiError(502, {
    detail: `Grafana OnCall's answer to ${method} /api/v1/${path} is not the shape oncall-mcp expects: `
      + `${problems.join('; ')}${more}. This OnCall version may differ from the one oncall-mcp was built against.`,
  });
}
