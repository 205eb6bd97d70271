/**
 * One table per step type. Everything that differs by step type is a lookup into a table keyed by
 * `PolicyType`: `STEP_FACTS` (src/api: fields, target, whether it notifies), `ENGINE_STEPS` (the
 * engine: availability, the step runner, current_oncall) and `TOOL_STEPS` (the tools: words,
 * target argument, chain preview). So a step type added to `POLICY_TYPES` must be a compile error
 * in those three tables, and nowhere else: this compiles src/ with one more type to show it.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { STEP_FACTS, type StepFacts } from '../src/api/step-types.js';
import { POLICY_TYPES, type PolicyType } from '../src/api/types.js';
import { ENGINE_STEPS, type EngineStep } from '../src/engine/escalation/step-types.js';
import { TOOL_STEPS, type ToolStep } from '../src/tools/step-types.js';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = resolve(ROOT, 'src');
const TYPES_FILE = resolve(SRC, 'api/types.ts');

// The same at the type level, checked by `tsc --noEmit` in `npm test`: each table covers today's
// types, and is not a table of a type list with one more entry.
type Tomorrow = PolicyType | 'notify_future';
const today: [Record<PolicyType, StepFacts>, Record<PolicyType, EngineStep>, Record<PolicyType, ToolStep>] = [
  STEP_FACTS,
  ENGINE_STEPS,
  TOOL_STEPS,
];
// @ts-expect-error the API's table has no entry for a type it does not know
const factsTomorrow: Record<Tomorrow, StepFacts> = STEP_FACTS;
// @ts-expect-error nor has the engine's
const engineTomorrow: Record<Tomorrow, EngineStep> = ENGINE_STEPS;
// @ts-expect-error nor the tools'
const toolsTomorrow: Record<Tomorrow, ToolStep> = TOOL_STEPS;

/** Type-check src/ with `extra` added to POLICY_TYPES: the diagnostics, by file. */
function compileWithExtraType(extra: string): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const original = readFileSync(TYPES_FILE, 'utf8');
  const changed = original.replace('export const POLICY_TYPES = [', `export const POLICY_TYPES = [\n  '${extra}',`);
  expect(changed).not.toBe(original);
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) =>
    resolve(fileName) === TYPES_FILE
      ? ts.createSourceFile(fileName, changed, language)
      : getSourceFile(fileName, language, onError, shouldCreate);
  const program = ts.createProgram(config.fileNames.filter((f) => resolve(f).startsWith(SRC)), config.options, host);
  const byFile = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? relative(ROOT, d.file.fileName) : '(global)';
    byFile.set(file, [...(byFile.get(file) ?? []), ts.flattenDiagnosticMessageText(d.messageText, '\n')]);
  }
  return byFile;
}

describe('step types', () => {
  it('a new step type does not compile until each layer\'s table handles it, and nothing else needs it', () => {
    const errors = compileWithExtraType('notify_future');
    expect([...errors.keys()].sort()).toEqual([
      'src/api/step-types.ts',
      'src/engine/escalation/step-types.ts',
      'src/tools/step-types.ts',
    ]);
    // Each error is about the missing type, not something else broken by the edit.
    for (const messages of errors.values()) for (const m of messages) expect(m).toContain('notify_future');
  }, 180_000);

  it('every table has exactly the step types, in every layer', () => {
    for (const table of today) expect(Object.keys(table).sort()).toEqual([...POLICY_TYPES].sort());
    expect([factsTomorrow, engineTomorrow, toolsTomorrow]).toHaveLength(3); // used, for the checks above
  });

  it('a type\'s target field is one of its own fields, and a type with a target is one the tools can ask for', () => {
    for (const type of POLICY_TYPES) {
      const { target, fields } = STEP_FACTS[type] as StepFacts;
      if (target) expect(fields, type).toContain(target.field);
      expect(typeof (TOOL_STEPS[type] as ToolStep & { target?: string }).target === 'string', type).toBe(target !== null);
    }
  });
});
