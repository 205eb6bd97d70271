import * as z from 'zod';
import { ChainOnCall } from '../api/types.js';
import { defineTool, READ_ONLY } from './define.js';
import { formatChainOnCall } from './format.js';
import { ChainId, Days } from './params.js';

const namesForOnCall = ['users', 'scheduleZones'] as const;

export const currentOncall = defineTool({
  name: 'current_oncall',
  toolset: 'chains',
  title: 'Who is on call for an escalation chain now',
  description:
    'The people an alert escalating through this chain would notify first, right now: schedules resolved, round '
    + 'robins read without advancing, teams and groups expanded; with phone status and shift times.',
  input: z.object({ escalation_chain_id: ChainId }),
  output: ChainOnCall,
  annotations: READ_ONLY,
  run: ({ escalation_chain_id }, { backend }) => backend.escalationChains.currentOncall(escalation_chain_id),
  async text(out, { names }) {
    return formatChainOnCall(out, await names.book(...namesForOnCall), 'Nobody would be notified right now.');
  },
});

export const previousOncall = defineTool({
  name: 'previous_oncall',
  toolset: 'chains',
  title: 'Who was on call before, for an escalation chain',
  description:
    'The people of the most recent finished shift, within `days`, of the first schedule the chain uses, and when '
    + 'that shift ran. Empty when the chain uses no schedule.',
  input: z.object({ escalation_chain_id: ChainId, days: Days.optional() }),
  output: ChainOnCall,
  annotations: READ_ONLY,
  run: ({ escalation_chain_id, days }, { backend }) =>
    backend.escalationChains.previousOncall(escalation_chain_id, { days }),
  async text(out, { names, args }) {
    const empty = `No earlier shift in the last ${args.days ?? 7} days.`;
    return formatChainOnCall(out, await names.book(...namesForOnCall), empty);
  },
});

export const nextOncall = defineTool({
  name: 'next_oncall',
  toolset: 'chains',
  title: 'Who is on call next, for an escalation chain',
  description:
    'The people of the next shift (after the current one) within `days` of the first schedule the chain uses, and '
    + 'when it starts and ends. Empty when the chain uses no schedule.',
  input: z.object({ escalation_chain_id: ChainId, days: Days.optional() }),
  output: ChainOnCall,
  annotations: READ_ONLY,
  run: ({ escalation_chain_id, days }, { backend }) =>
    backend.escalationChains.nextOncall(escalation_chain_id, { days }),
  async text(out, { names, args }) {
    const empty = `No other shift in the next ${args.days ?? 7} days.`;
    return formatChainOnCall(out, await names.book(...namesForOnCall), empty);
  },
});
