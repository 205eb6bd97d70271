/**
 * What `lint_oncall` answers: findings, each naming the object, why it matters to whoever is on
 * call, and the calls of existing tools that fix it (real tool names and argument names, so an agent
 * can run them as they are).
 */
import * as z from 'zod';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FixCall = z.object({
  tool: z.string().describe('An existing tool of this server'),
  // What fix calls pass: ids and names, numbers, flags, lists of ids (typed, so clients can check them).
  arguments: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
});
export type FixCall = z.infer<typeof FixCall>;

export const LintObject = z.object({
  kind: z.enum(['integration', 'route', 'escalation_chain', 'escalation_policy', 'schedule', 'user', 'webhook']),
  id: z.string(),
  name: z.string().describe('Its name, or how to find it (a route: its integration and position)'),
});
export type LintObject = z.infer<typeof LintObject>;

export const Finding = z.object({
  rule: z.string().describe('Which check found it, e.g. route-without-chain'),
  severity: z.enum(SEVERITIES).describe('error: an alert can reach nobody; warning: late or partial; info: worth a look'),
  object: LintObject,
  problem: z.string(),
  why: z.string().describe('Why it matters, in on-call terms'),
  fix: z.array(FixCall).describe('The calls that fix it, in order; empty when no tool can'),
  fix_note: z.string().optional().describe('What the calls need or leave to a human'),
});
export type Finding = z.infer<typeof Finding>;

export const LintReport = z.object({
  scope: z
    .object({ kind: z.string(), id: z.string(), name: z.string() })
    .nullable()
    .describe('null: the whole organisation'),
  window: z.object({ from: z.string(), to: z.string() }).describe('The days ahead checked for who is on call and gaps'),
  counts: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
  checked: z.object({
    integrations: z.number(),
    routes: z.number(),
    escalation_chains: z.number(),
    schedules: z.number(),
    people: z.number(),
    webhooks: z.number(),
  }),
  findings: z.array(Finding),
  unchecked: z.array(z.string()).describe('What could not be checked, and why'),
});
export type LintReport = z.infer<typeof LintReport>;
