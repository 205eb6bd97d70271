/**
 * `dry_run: true` on the config writes (chains, steps, routes, schedules, shifts, swaps): the call
 * runs, through the tool's own code, on a throwaway copy of the organisation (`backend.sandbox()`),
 * and the answer says what it would change for a human on call:
 * - who the next alert through each affected route or chain would page, before and after (the
 *   escalation runtime's simulation on the copy, subjects.ts says which are affected);
 * - the `lint_oncall` findings the change adds and removes (the whole organisation, on the copy,
 *   before and after, so whatever the copy lacks cancels out).
 * Nothing reaches the organisation: the copy has no store, no timer and sends no webhook; on a live
 * OnCall it is read with GETs only.
 */
import * as z from 'zod';
import type { OnCallBackend, Sandbox } from '../../api/backend.js';
import { ApiError } from '../../api/errors.js';
import { formatSeconds } from '../../api/durations.js';
import { integer } from '../../api/types.js';
import type { AnyTool, ToolContext } from '../define.js';
import { ToolError } from '../errors.js';
import { countOf } from '../format.js';
import { renderCall } from '../insight/lint/fix.js';
import { lintOrganisation } from '../insight/lint/runner.js';
import { Finding, type FixCall, type LintReport } from '../insight/lint/types.js';
import { DirectoryIndex } from '../lookup/directory-index.js';
import { Names } from '../names.js';
import { formatNextAlert, NextAlert, nextAlertThrough, pagesDiffer } from './next-alert.js';
import { DRY_RUN_SUBJECTS, type Subject, type SubjectsOf } from './subjects.js';

/** Previews beyond this many affected routes and chains are counted, not run. */
const PREVIEW_CAP = 8;

const Counts = z.object({ error: integer(), warning: integer(), info: integer() });

/**
 * A finding as a dry run reports it: which check, how bad, on what, and the problem. The why and
 * the fix calls are lint_oncall's (and the text's); leaving them out keeps this schema, repeated on
 * every write tool's output, small.
 */
const BriefFinding = Finding.pick({ rule: true, severity: true, object: true, problem: true });
type BriefFinding = z.infer<typeof BriefFinding>;

export const DryRunReport = z.object({
  changed: z.literal(false).describe('A dry run never changes anything'),
  limits: z.array(z.string()).describe('What the copy the call was tried on lacks'),
  paging: z
    .array(
      z.object({
        object: z.object({ kind: z.enum(['route', 'escalation_chain']), id: z.string(), name: z.string() }),
        before: NextAlert.nullable().describe('null: it did not exist before'),
        after: NextAlert.nullable().describe('null: it would not exist after'),
        differs: z.boolean().describe('true: the next alert would page differently'),
      }),
    )
    .describe('The next alert through each route or chain the change touches, simulated now'),
  paging_not_shown: integer().describe('Affected routes and chains beyond those previewed'),
  lint: z.object({
    before: Counts,
    after: Counts,
    added: z.array(BriefFinding).describe('Findings the change would add (lint_oncall gives their fixes)'),
    removed: z.array(BriefFinding).describe('Findings the change would clear'),
  }),
});
export type DryRunReport = z.infer<typeof DryRunReport>;

const DRY_RUN_ARG = z
  .boolean()
  .optional()
  .describe('true: change nothing; say who the next alert would page before and after, and lint changes.');

/**
 * What the text needs beyond the structured answer: the copy's names (new objects exist only in
 * it) and the fix calls of the findings added (the answer's findings are brief).
 */
const forText = new WeakMap<object, { names: Names; fixes: ReadonlyMap<string, FixCall[]> }>();

const findingKey = (f: BriefFinding) => JSON.stringify([f.rule, f.severity, f.object.kind, f.object.id, f.problem]);

interface Seen {
  name: string;
  preview: NextAlert | null;
}

/** The chain a subject's next alert runs through, and a label for it; undefined: it does not exist. */
async function look(backend: OnCallBackend, names: Names, subject: Subject): Promise<Seen | undefined> {
  try {
    if (subject.kind === 'escalation_chain') {
      const chain = await backend.escalationChains.get(subject.id);
      return { name: chain.name, preview: await nextAlertThrough(backend, chain.id) };
    }
    const route = await backend.routes.get(subject.id);
    const integrations = (await names.book('integrations')).integrations;
    const integration = integrations.get(route.integration_id) ?? route.integration_id;
    const name = `${integration} ${route.is_the_last_route ? 'default route' : `route ${route.position}`}`;
    return { name, preview: await nextAlertThrough(backend, route.escalation_chain_id) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

async function lookAll(backend: OnCallBackend, names: Names, subjects: readonly Subject[]) {
  const seen = new Map<string, Seen>();
  for (const s of subjects) {
    const found = await look(backend, names, s);
    if (found) seen.set(`${s.kind}:${s.id}`, found);
  }
  return seen;
}

const dedupe = (subjects: readonly Subject[]) => [...new Map(subjects.map((s) => [`${s.kind}:${s.id}`, s])).values()];

/**
 * The copy of the organisation to try the call on, or why there is none. Names and ids are the
 * organisation's own in it; a created object gets an id of the copy's.
 */
async function sandboxOf(backend: OnCallBackend): Promise<Sandbox> {
  if (!backend.sandbox) throw new ToolError('DRY RUN NOT POSSIBLE: this backend cannot make a copy of the organisation to try the call on. Nothing was changed.');
  return backend.sandbox();
}

export async function dryRun(
  tool: AnyTool,
  subjectsOf: SubjectsOf,
  args: Record<string, unknown>,
  ctx: ToolContext,
): Promise<Record<string, unknown>> {
  ctx.progress('copying the organisation for a dry run');
  const sandbox = await sandboxOf(ctx.backend);
  const copy = sandbox.backend;
  // One index of the copy serves the tool, the previews and lint: the copy's commit counter tells it
  // to reload what the write changed.
  const index = new DirectoryIndex(copy);
  const names = new Names(index);
  const lintOf = () => lintOrganisation(copy, index, { signal: ctx.signal });

  const before = dedupe(await subjectsOf(args, copy, undefined));
  const seenBefore = await lookAll(copy, names, before.slice(0, PREVIEW_CAP));
  const lintBefore = await lintOf();

  ctx.progress('trying the call on the copy');
  let result: Record<string, unknown>;
  try {
    result = await tool.run(args, {
      ...ctx,
      backend: copy,
      index,
      names,
      // Nothing is done to the organisation, so there is nothing for the human to confirm.
      confirm: async () => 'unsupported',
    });
  } catch (err) {
    // On a live organisation's copy a 404 may be the copy's gap rather than a wrong id: say both.
    if (err instanceof ApiError && err.status === 404 && sandbox.limits.length) {
      throw new ToolError(
        `DRY RUN NOT POSSIBLE: the copy of the organisation has no such object (${JSON.stringify(err.body)}): either `
        + `it does not exist, or the copy lacks it (the copy: ${sandbox.limits.join('; ')}). Nothing was changed.`,
      );
    }
    throw err;
  }

  const after = dedupe([...before, ...(await subjectsOf(args, copy, result))]);
  const shown = after.slice(0, PREVIEW_CAP);
  const seenAfter = await lookAll(copy, names, shown);
  const lintAfter = await lintOf();

  const paging = shown
    .map((subject) => {
      const key = `${subject.kind}:${subject.id}`;
      const b = seenBefore.get(key);
      const a = seenAfter.get(key);
      if (!a && !b) return undefined;
      const beforePreview = b ? b.preview : null;
      const afterPreview = a ? a.preview : null;
      return {
        object: { kind: subject.kind, id: subject.id, name: (a ?? b)!.name },
        before: beforePreview,
        after: afterPreview,
        differs: pagesDiffer(beforePreview, afterPreview),
      };
    })
    .filter((p) => p !== undefined);
  const report: DryRunReport = {
    changed: false,
    limits: sandbox.limits,
    paging,
    paging_not_shown: after.length - shown.length,
    lint: lintDiff(lintBefore, lintAfter),
  };
  const out = { ...result, dry_run: report };
  const fixes = new Map(lintAfter.findings.map((f) => [findingKey(f), f.fix]));
  forText.set(out, { names, fixes });
  return out;
}

function lintDiff(before: LintReport, after: LintReport): DryRunReport['lint'] {
  const had = new Set(before.findings.map(findingKey));
  const has = new Set(after.findings.map(findingKey));
  const brief = ({ rule, severity, object, problem }: Finding) => ({ rule, severity, object, problem });
  return {
    before: before.counts,
    after: after.counts,
    added: after.findings.filter((f) => !had.has(findingKey(f))).map(brief),
    removed: before.findings.filter((f) => !has.has(findingKey(f))).map(brief),
  };
}

const MARK = { error: 'ERROR', warning: 'WARN', info: 'INFO' } as const;

const mark = (f: BriefFinding) => `${MARK[f.severity]} ${f.object.kind.replace('_', ' ')} ${f.object.name} (${f.object.id})`;

/** Lint lines: added findings with their fix, cleared ones, and those whose severity moved. */
function lintLines(lint: DryRunReport['lint'], fixes: ReadonlyMap<string, FixCall[]>): string[] {
  const counts = (c: DryRunReport['lint']['before']) =>
    `${countOf(c.error, 'errors')}, ${countOf(c.warning, 'warnings')}, ${countOf(c.info, 'notes')}`;
  const lines = [`Lint: ${counts(lint.before)} now; ${counts(lint.after)} after.`];
  const sameFinding = (f: BriefFinding) => JSON.stringify([f.rule, f.object.kind, f.object.id, f.problem]);
  const removedBy = new Map(lint.removed.map((f) => [sameFinding(f), f]));
  const moved = new Set<string>();
  for (const f of lint.added) {
    const was = removedBy.get(sameFinding(f));
    if (was) {
      moved.add(sameFinding(f));
      lines.push(`  ~ ${mark(f)}, was ${MARK[was.severity]}: ${f.problem}.`);
      continue;
    }
    lines.push(`  + ${mark(f)}: ${f.problem}.`);
    const fix = fixes.get(findingKey(f)) ?? [];
    if (fix.length) lines.push(`    fix: ${fix.map(renderCall).join(' ; then ')}`);
  }
  for (const f of lint.removed) if (!moved.has(sameFinding(f))) lines.push(`  - cleared: ${mark(f)}: ${f.problem}.`);
  if (!lint.added.length && !lint.removed.length) lines.push('  The change adds and clears no finding.');
  return lines;
}

/**
 * Before and after, each as its chain and steps; when the chain keeps its steps and only some of
 * them page someone else, only those steps are shown, side by side.
 */
function beforeAndAfter(before: NextAlert | null, after: NextAlert | null): string[] {
  const sameShape = before && after && before.escalation_chain_id === after.escalation_chain_id
    && before.escalation_chain_name !== null && before.steps.length === after.steps.length && before.steps.length > 0;
  if (sameShape) {
    const changed = before.steps.flatMap((s, i) => {
      const a = after.steps[i]!;
      if (s.text === a.text && s.after_seconds === a.after_seconds) return [];
      return [`  before: +${formatSeconds(s.after_seconds)}  ${s.text}`, `  after:  +${formatSeconds(a.after_seconds)}  ${a.text}`];
    });
    const same = before.steps.length - changed.length / 2;
    if (changed.length) {
      return [
        `  chain "${before.escalation_chain_name}" (${before.escalation_chain_id}), the steps that change:`,
        ...changed,
        ...(same ? [`  (the other ${countOf(same, 'steps')} stay the same)`] : []),
      ];
    }
  }
  return [
    ...formatNextAlert(before, 'did not exist').map((l, i) => (i ? `  ${l}` : `  before: ${l}`)),
    ...formatNextAlert(after, 'would be deleted').map((l, i) => (i ? `  ${l}` : `  after:  ${l}`)),
  ];
}

/** Preview lines; routes and chains whose before and after read the same are told once, together. */
function pagingLines(report: DryRunReport): string[] {
  if (!report.paging.length) return ['Who the next alert pages: no route or chain is affected by this change.'];
  const label = (p: DryRunReport['paging'][number]) => `${p.object.kind === 'route' ? 'route' : 'chain'} ${p.object.name} (${p.object.id})`;
  const groups = new Map<string, { labels: string[]; body: string[] }>();
  for (const p of report.paging) {
    const body = p.differs ? beforeAndAfter(p.before, p.after) : [];
    const key = JSON.stringify(body);
    const group = groups.get(key) ?? { labels: [], body };
    group.labels.push(label(p));
    groups.set(key, group);
  }
  const lines: string[] = [];
  for (const { labels, body } of groups.values()) {
    const who = labels.length === 1 ? labels[0]! : labels.join(', ');
    const capital = who.charAt(0).toUpperCase() + who.slice(1);
    lines.push(body.length ? `${capital}: the next alert would page differently.` : `${capital}: the next alert would page the same as now.`, ...body);
  }
  if (report.paging_not_shown) lines.push(`And ${report.paging_not_shown} more routes and chains it touches (not previewed).`);
  return lines;
}

export function formatDryRun(
  report: DryRunReport,
  what: string,
  creates: boolean,
  fixes: ReadonlyMap<string, FixCall[]> = new Map(),
): string {
  return [
    'DRY RUN: nothing was changed. Tried on a copy of the organisation, the call would do this:',
    ...what.split('\n').map((l) => `  ${l}`),
    ...(creates ? ['  (Ids of what it creates are the copy\'s: the real call makes its own.)'] : []),
    '',
    ...pagingLines(report),
    '',
    ...lintLines(report.lint, fixes),
    ...report.limits.map((l) => `The copy: ${l}.`),
    'To make the change, call again without dry_run.',
  ].join('\n');
}

/** A write tool with `dry_run` (see the top of this file); the registry wraps each one in DRY_RUN_SUBJECTS. */
export function withDryRun(tool: AnyTool): AnyTool {
  const subjectsOf = DRY_RUN_SUBJECTS[tool.name];
  if (!subjectsOf) return tool;
  return {
    ...tool,
    input: tool.input.extend({ dry_run: DRY_RUN_ARG }),
    output: tool.output.extend({ dry_run: DryRunReport.optional().describe('Present on a dry run: nothing was changed') }),
    async run({ dry_run, ...args }, ctx) {
      if (!dry_run) return tool.run(args, ctx);
      return dryRun(tool, subjectsOf, args, ctx);
    },
    async text(out, ctx) {
      if (!out.dry_run) return tool.text(out, ctx);
      const { dry_run: report, ...result } = out;
      const extra = forText.get(out);
      const what = await tool.text(result, { ...ctx, names: extra?.names ?? ctx.names });
      return formatDryRun(report, what, !tool.annotations.idempotentHint, extra?.fixes);
    },
  };
}
