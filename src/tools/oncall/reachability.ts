/**
 * Whether the people on call can actually be reached: an on-call person whose notification rules
 * are empty, only wait, or use channels they cannot receive (SMS and calls without a verified
 * number, Slack without a linked account) is on call in name only. Checked from their own rules,
 * the ones the escalation would run.
 */
import * as z from 'zod';
import type { OnCallBackend } from '../../api/backend.js';
import type { PersonalNotificationRule } from '../../api/types.js';
import type { DirectoryIndex, Entry } from '../lookup/directory-index.js';

export const Unreachable = z.object({
  id: z.string().describe('User id (U…)'),
  username: z.string(),
  problems: z.array(z.string()).describe('What stands between an escalation and this person'),
});
export type Unreachable = z.infer<typeof Unreachable>;

/** At most this many people are checked (two requests each on a live backend). */
const CHECKED = 10;

const PHONE = new Set(['sms', 'phone_call']);

/** Why a channel cannot reach this person, or undefined when it may. */
function channelProblem(user: Entry, channel: string): string | undefined {
  if (PHONE.has(channel) && user.phoneVerified === false) return 'SMS and phone calls need a verified phone number';
  if (channel === 'slack' && user.slackLinked === false) return 'Slack needs a linked Slack account';
  return undefined;
}

/** What keeps one of a person's lists (or both, `all`) from reaching them. */
export interface RuleProblem {
  list: 'all' | 'default' | 'important';
  kind: 'none' | 'only-wait' | 'unreachable';
  text: string;
}

function listProblem(user: Entry, list: 'default' | 'important', rules: readonly PersonalNotificationRule[]): RuleProblem | undefined {
  const what = list === 'default' ? 'an escalation' : 'an important page';
  if (!rules.length) return { list, kind: 'none', text: `no ${list} notification rules: ${what} reaching them sends one e-mail, nothing else` };
  const channels = rules.filter((r) => r.type !== 'wait').map((r) => r.type.replace(/^notify_by_/, ''));
  if (!channels.length) return { list, kind: 'only-wait', text: `their ${list} rules only wait: ${what} notifies them by nothing` };
  const problems = channels.map((c) => channelProblem(user, c));
  if (problems.every((p) => p !== undefined)) {
    return { list, kind: 'unreachable', text: `none of their ${list} rules can reach them (${[...new Set(problems)].join('; ')})` };
  }
  return undefined;
}

/** Whether a channel (`sms`, `slack` …) may reach this person, by what the directory knows of them. */
export const channelReaches = (user: Entry, channel: string): boolean => channelProblem(user, channel) === undefined;

/** What stands between an escalation and this person, by their rules (all of them, both lists). */
export function ruleProblems(user: Entry, rules: readonly PersonalNotificationRule[]): RuleProblem[] {
  if (!rules.length) {
    return [{ list: 'all', kind: 'none', text: 'no notification rules at all: any escalation reaching them sends one e-mail, nothing else' }];
  }
  return (['default', 'important'] as const)
    .map((list) => listProblem(user, list, rules.filter((r) => r.important === (list === 'important'))))
    .filter((x): x is RuleProblem => x !== undefined);
}

/**
 * The people among `people` whose rules may not reach them, and those who could not be checked
 * (a token that cannot read notification rules): named, rather than failing the answer or
 * passing them silently as reachable.
 */
export async function unreachablePeople(
  backend: OnCallBackend,
  index: DirectoryIndex,
  people: ReadonlyArray<{ id: string; username: string }>,
): Promise<{ unreachable: Unreachable[]; unchecked: string[] }> {
  const unchecked: string[] = [];
  const unique = [...new Map(people.map((p) => [p.id, p])).values()].slice(0, CHECKED);
  const checked = await Promise.all(
    unique.map(async (p): Promise<Unreachable | undefined> => {
      try {
        // The user's channels come from the shared directory (no request); only the rules are fetched.
        const [users, page] = await Promise.all([
          index.byId('user'),
          backend.personalNotificationRules.list({ user_id: p.id, perpage: 100 }),
        ]);
        const user = users.get(p.id) ?? { id: p.id, name: p.username, aliases: [] };
        const problems = ruleProblems(user, page.results).map((x) => x.text);
        return problems.length ? { id: p.id, username: p.username, problems } : undefined;
      } catch {
        unchecked.push(p.username);
        return undefined;
      }
    }),
  );
  return { unreachable: checked.filter((x): x is Unreachable => x !== undefined), unchecked };
}
