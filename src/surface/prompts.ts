/**
 * Prompts for the on-call workflows: page someone about an incident, hand over a shift, triage an
 * alert group, review an escalation chain. Each is listed only when the tools it needs are, and
 * its steps name only tools this server lists. Arguments that name people, teams, schedules,
 * chains or alert groups complete from the directory index, names to ids.
 */
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import type { AnyTool } from '../tools/define.js';
import { getEscalationChain } from '../tools/escalation-chains.js';
import type { RefKind } from '../tools/lookup/directory-index.js';
import { getAlertGroup } from '../tools/paging.js';
import { completeIds } from './complete.js';
import { execute, type Extra, type Session } from './session.js';

type Messages = GetPromptResult['messages'];

interface Workflow {
  name: string;
  title: string;
  description: string;
  /** Listed only with these tools. */
  needs: readonly string[];
  args: (session: Session) => z.ZodRawShape;
  messages(args: Record<string, string | undefined>, ctx: PromptContext): Promise<Messages>;
}

interface PromptContext {
  session: Session;
  extra: Extra;
  /** `text` when the tool is listed here, else nothing: a step never names a missing tool. */
  ifListed(tool: string, text: string): string;
}

const refArg = (session: Session, kinds: readonly RefKind[], description: string) =>
  completable(z.string().describe(description), (typed) => completeIds(session.index, kinds, typed ?? ''));

const user = (text: string): Messages[number] => ({ role: 'user', content: { type: 'text', text } });

/** Steps as a numbered list, leaving out the empty ones (tools this server does not list). */
const steps = (...lines: string[]) =>
  lines
    .filter(Boolean)
    .map((line, i) => `${i + 1}. ${line}`)
    .join('\n');

/** A tool's answer as the prompt's context (the same text tools/call would give). */
async function embedded(
  ctx: PromptContext,
  tool: AnyTool,
  args: Record<string, unknown>,
  uriFor: (id: string) => string,
  given: string,
): Promise<Messages[number]> {
  const result = await execute(ctx.session, tool, args, ctx.extra);
  const text = (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n');
  // The resource's URI names the object by id, as resources/list does, whatever name was given.
  const id = (result.structuredContent as { id?: unknown } | undefined)?.id;
  const uri = uriFor(encodeURIComponent(typeof id === 'string' ? id : given));
  return { role: 'user', content: { type: 'resource', resource: { uri, mimeType: 'text/plain', text } } };
}

export const WORKFLOWS: readonly Workflow[] = [
  {
    name: 'page_about_incident',
    title: 'Page someone about an incident',
    description: 'Page a person or a team about an incident: find who it reaches, confirm, page once, report.',
    needs: ['create_escalation'],
    args: (session) => ({
      who: refArg(session, ['user', 'team'], 'A person or a team: name, username, email or id.'),
      incident: z.string().describe('What is happening, in a sentence.'),
      important: z.string().optional().describe('"yes" to use their important (loud) notification rules.'),
    }),
    async messages({ who = '', incident = '', important }, ctx) {
      const { index } = ctx.session;
      const team = (await index.entries('team')).find((t) => t.id === who || t.name.toLowerCase() === who.toLowerCase());
      const target = team ? `team "${team.name}" (${team.id})` : `"${who}"`;
      const loud = important?.toLowerCase().startsWith('y') ?? false;
      const call = team
        ? `create_escalation with team "${team.id}"${loud ? ', important_team_escalation true' : ''}`
        : `create_escalation with users [{"id": "${who}", "important": ${loud}}]`;
      return [
        user(
          `Page ${target} about this incident: ${incident}\n\n${steps(
            ctx.ifListed('who_is_on_call', `Find out whom this reaches: who_is_on_call with target "${team?.id ?? who}".`),
            'Tell me who will be notified and ask me to confirm before anything is sent.',
            `Then page once: ${call}, title "${incident.slice(0, 120)}", and an idempotency_key naming this incident, so a retry never pages twice.`,
            'Report the first line of the answer: who is notified, how and when, or that NOBODY is.',
          )}`,
        ),
      ];
    },
  },
  {
    name: 'hand_over_shift',
    title: 'Hand over a shift',
    description: 'Give one person\'s on-call time in a schedule to another: find the shift, swap it, check the result.',
    needs: ['create_shift_swap', 'take_shift_swap'],
    args: (session) => ({
      schedule: refArg(session, ['schedule'], 'The schedule: name or id.'),
      from: refArg(session, ['user'], 'Who hands over: username, email or id.'),
      to: refArg(session, ['user'], 'Who takes over: username, email or id.'),
      start: z.string().optional().describe('From when, ISO with zone (default: the start of their next shift).'),
      end: z.string().optional().describe('Until when, ISO with zone (default: the end of that shift).'),
    }),
    async messages({ schedule = '', from = '', to = '', start, end }, ctx) {
      const window = start && end ? `from ${start} to ${end}` : 'for their next shift';
      return [
        user(
          `Hand over ${from}'s on-call time in schedule "${schedule}" to ${to}, ${window}.\n\n${steps(
            ctx.ifListed('list_schedule_shifts', `Find ${from}'s stretches with list_schedule_shifts for schedule "${schedule}" over the next 14 days${start && end ? '' : ' and take the next one'}.`),
            `Open the swap: create_shift_swap with schedule "${schedule}", beneficiary "${from}", swap_start and swap_end${start && end ? ` (${start}, ${end})` : ' from that stretch'}.`,
            `Have ${to} take it: take_shift_swap with that swap's id and benefactor "${to}".`,
            ctx.ifListed('who_is_on_call', `Check: who_is_on_call with target "${schedule}" at the swap's start names ${to}.`),
            'Tell me what changed, with the times in the schedule\'s zone.',
          )}`,
        ),
      ];
    },
  },
  {
    name: 'triage_alert_group',
    title: 'Triage an alert group',
    description: 'Read an alert group and its timeline, say what is happening and who is on it, and what to do next.',
    needs: ['get_alert_group'],
    args: (session) => ({
      alert_group_id: completable(z.string().describe('The alert group id (I…).'), async (typed) => {
        const ids = (await session.backend.alertGroups.list({})).results.map((g) => g.id);
        return ids.filter((id) => id.startsWith((typed ?? '').trim().toUpperCase())).slice(0, 20);
      }),
    }),
    async messages({ alert_group_id = '' }, ctx) {
      return [
        await embedded(ctx, getAlertGroup, { alert_group_id }, (id) => `oncall://alert-groups/${id}`, alert_group_id),
        user(
          `Triage alert group ${alert_group_id} (above).\n\n${steps(
            'Say in two sentences what is happening, since when, and its state.',
            'From the timeline: who was notified, how, and whether anyone acknowledged.',
            ctx.ifListed('who_is_on_call', 'Who is on call for its team or integration now: who_is_on_call.'),
            ctx.ifListed('update_alert_group', 'Propose the next action (acknowledge, resolve, silence) and ask me before calling update_alert_group.'),
            ctx.ifListed('create_escalation', 'If nobody is on it, propose whom to page with create_escalation, and ask first.'),
          )}`,
        ),
      ];
    },
  },
  {
    name: 'review_escalation_chain',
    title: 'Review an escalation chain',
    description: 'Check an escalation chain for gaps: whom each step reaches now, when, and what to change.',
    needs: ['get_escalation_chain'],
    args: (session) => ({
      escalation_chain_id: refArg(session, ['chain'], 'The chain: name or id.'),
    }),
    async messages({ escalation_chain_id = '' }, ctx) {
      return [
        await embedded(ctx, getEscalationChain, { escalation_chain_id }, (id) => `oncall://escalation-chains/${id}`, escalation_chain_id),
        user(
          `Review escalation chain "${escalation_chain_id}" (above).\n\n${steps(
            ctx.ifListed('simulate_escalation', 'Simulate an alert now and at night with simulate_escalation: who is notified how and when.'),
            ctx.ifListed('who_is_on_call', `Who an alert would reach first right now: who_is_on_call with target "${escalation_chain_id}".`),
            'List the gaps: steps that notify nobody (no schedule, empty round robin, a user who cannot be notified), time gates that leave hours uncovered, waits that are too long, no repeat.',
            ctx.ifListed('update_escalation_policy', 'Propose concrete changes (create_escalation_policy / update_escalation_policy arguments), and change nothing before I agree.'),
          )}`,
        ),
      ];
    },
  },
];

/** Register the workflows whose tools are listed; returns how many. */
export function registerPrompts(session: Session, tools: readonly AnyTool[]): number {
  const listed = new Set(tools.map((t) => t.name));
  let count = 0;
  for (const workflow of WORKFLOWS) {
    if (!workflow.needs.every((name) => listed.has(name))) continue;
    count++;
    session.server.registerPrompt(
      workflow.name,
      { title: workflow.title, description: workflow.description, argsSchema: workflow.args(session) },
      // Prompt arguments are strings by MCP's definition; the schema above is all strings.
      async (args: Record<string, unknown>, extra: Extra) => ({
        description: workflow.description,
        messages: await workflow.messages(args as Record<string, string | undefined>, {
          session,
          extra,
          ifListed: (tool, text) => (listed.has(tool) ? text : ''),
        }),
      }),
    );
  }
  return count;
}
