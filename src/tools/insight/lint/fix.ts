/** Fix calls: built as data, shown as the one-line call an agent (or a person) would type. */
import type { FixCall } from './types.js';

export const call = (tool: string, args: FixCall['arguments']): FixCall => ({ tool, arguments: args });

const PLAIN = /^[\w.:@+-]+$/;

function value(v: unknown): string {
  if (typeof v === 'string') return PLAIN.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/** `update_route route_id=R… escalation_chain_id=F…` */
export function renderCall(c: FixCall): string {
  return [c.tool, ...Object.entries(c.arguments).map(([k, v]) => `${k}=${value(v)}`)].join(' ');
}
