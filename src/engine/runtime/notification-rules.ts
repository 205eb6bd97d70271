/**
 * Personal notification rules (semantics.md §5): each user has a default
 * and an important list of `notify_by_<channel>` and `wait` rules.
 */
import type { NotificationRule } from '../core/state.js';

/** What a rule does, without where it sits: what the runtime walks. */
export type RuleStep = Pick<NotificationRule, 'type' | 'duration'>;

export const CHANNELS = [
  'slack',
  'sms',
  'phone_call',
  'telegram',
  'mobile_app',
  'mobile_app_critical',
  'email',
  'webhook',
  'msteams',
  'mattermost',
] as const;

export const WAIT_CHOICES = [60, 300, 900, 1800, 3600] as const;

/** Why a rule is not valid, or undefined. */
export function ruleProblem(rule: { type?: unknown; duration?: unknown }): string | undefined {
  if (rule.type === 'wait') {
    if (rule.duration !== undefined && !(WAIT_CHOICES as readonly unknown[]).includes(rule.duration)) {
      return `wait duration must be one of ${WAIT_CHOICES.join(', ')} seconds`;
    }
    return undefined;
  }
  if (typeof rule.type !== 'string' || !rule.type.startsWith('notify_by_')) return 'type must be wait or notify_by_<channel>';
  const channel = rule.type.slice('notify_by_'.length);
  if (!(CHANNELS as readonly string[]).includes(channel)) return `unknown channel ${channel} (${CHANNELS.join(', ')})`;
  return undefined;
}

/** The channel a notify rule uses. */
export function ruleChannel(rule: RuleStep): string {
  return rule.type.slice('notify_by_'.length);
}

/** A wait rule's delay; a wait without a duration waits the default 5 minutes. */
export function waitSeconds(rule: RuleStep): number {
  return rule.duration ?? 300;
}

/**
 * The rules an escalation uses: the important list for important steps and pages, else the default
 * one. An empty list falls back to a single e-mail (never to the other list).
 */
export function rulesFor(
  rules: { default: NotificationRule[]; important: NotificationRule[] },
  important: boolean,
): RuleStep[] {
  const list = important ? rules.important : rules.default;
  return list.length ? list : [{ type: 'notify_by_email' }];
}
