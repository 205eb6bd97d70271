import * as z from 'zod';
import { ChainOnCall } from '../api/types.js';
import { defineTool, READ_ONLY, type TextContext } from './define.js';
import { formatChainOnCallAt } from './format.js';
import { type Explanation, whyNobodyNow, whyNoShift } from './oncall/explain.js';
import { ChainId, Days } from './params.js';

const namesForOnCall = ['users', 'scheduleZones'] as const;

/**
 * The text of the three chain on-call tools: the instant the answer is for, the people, and when
 * nobody, why (worked out beside the seed-shaped output, which has no room for it).
 */
async function onCallText(
  out: ChainOnCall,
  ctx: TextContext<{ escalation_chain_id: string }>,
  empty: string,
  explain: (now: number) => Promise<Explanation>,
): Promise<string> {
  const now = ctx.backend.now();
  const book = await ctx.names.book(...namesForOnCall);
  const explanation = out.count ? undefined : await explain(now).catch(() => undefined);
  const first = out.shifts[0];
  const zone = first ? (book.scheduleZones.get(first.schedule_id) ?? null) : (explanation?.zone ?? null);
  const text = formatChainOnCallAt(out, book, { now, zone, empty, reasons: explanation?.reasons ?? [] });
  return out.computed ? `${text}\n${out.computed}` : text;
}

export const currentOncall = defineTool({
  name: 'current_oncall',
  toolset: 'chains',
  title: 'Who is on call for an escalation chain now',
  description:
    'Who an alert through this chain would notify first right now (schedules, round robins, teams resolved).',
  input: z.object({ escalation_chain_id: ChainId }),
  output: ChainOnCall,
  annotations: READ_ONLY,
  run: ({ escalation_chain_id }, { backend }) => backend.escalationChains.currentOncall(escalation_chain_id),
  text: (out, ctx) =>
    onCallText(out, ctx, 'Nobody would be notified right now.', (now) =>
      whyNobodyNow(ctx.backend, ctx.names.index, ctx.args.escalation_chain_id, now)),
});

export const previousOncall = defineTool({
  name: 'previous_oncall',
  toolset: 'chains',
  title: 'Who was on call before, for an escalation chain',
  description:
    'Who had the last finished shift within `days` in the first schedule the chain uses.',
  input: z.object({ escalation_chain_id: ChainId, days: Days.optional() }),
  output: ChainOnCall,
  annotations: READ_ONLY,
  run: ({ escalation_chain_id, days }, { backend }) =>
    backend.escalationChains.previousOncall(escalation_chain_id, { days }),
  text: (out, ctx) => {
    const days = ctx.args.days ?? 7;
    return onCallText(out, ctx, `No earlier shift in the last ${days} days.`, (now) =>
      whyNoShift(ctx.backend, ctx.names.index, ctx.args.escalation_chain_id, now, days, 'previous'));
  },
});

export const nextOncall = defineTool({
  name: 'next_oncall',
  toolset: 'chains',
  title: 'Who is on call next, for an escalation chain',
  description:
    'Who has the next shift within `days` in the first schedule the chain uses.',
  input: z.object({ escalation_chain_id: ChainId, days: Days.optional() }),
  output: ChainOnCall,
  annotations: READ_ONLY,
  run: ({ escalation_chain_id, days }, { backend }) =>
    backend.escalationChains.nextOncall(escalation_chain_id, { days }),
  text: (out, ctx) => {
    const days = ctx.args.days ?? 7;
    return onCallText(out, ctx, `No other shift in the next ${days} days.`, (now) =>
      whyNoShift(ctx.backend, ctx.names.index, ctx.args.escalation_chain_id, now, days, 'next'));
  },
});
