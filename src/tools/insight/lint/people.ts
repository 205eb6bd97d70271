/**
 * The people an escalation in scope would page (on call in its schedules now or in the days ahead,
 * or named by its steps), checked against their own notification rules: no rules at all, none for
 * important pages (grafana/oncall #1511, #1326), rules whose channels cannot reach them
 * (`oncall/reachability.ts` decides that, as for `who_is_on_call`), and a personal wait longer than
 * the chain waits before its next step (grafana/oncall #934): their later channels fire only after
 * the escalation has already gone past them.
 */
import type { EscalationPolicy, PersonalNotificationRule } from '../../../api/types.js';
import type { Entry } from '../../lookup/directory-index.js';
import { ruleProblems } from '../../oncall/reachability.js';
import { viewAt } from '../../oncall/stretches.js';
import { call } from './fix.js';
import { namesSomeone, notifiable, span, stepObject, teamMembers, userObject } from './describe.js';
import type { Org } from './org.js';
import type { Scope } from './scope.js';
import type { Finding, FixCall } from './types.js';

/** At most this many people are checked per call (one request each on a live backend). */
export const CHECKED_PEOPLE = 40;

/** The waits a personal rule may have (docs/semantics.md §5). */
const RULE_WAITS = [60, 300, 900, 1800, 3600];

interface Reached {
  /** Reached through an important step (their important rules run) / a default one. */
  important: boolean;
  default: boolean;
}

/** Who a step pages by name now: listed people, the schedule's people on call now, team members. */
async function peopleOfStep(org: Org, p: EscalationPolicy): Promise<string[]> {
  switch (p.type) {
    case 'notify_persons':
      return p.persons_to_notify ?? [];
    case 'notify_person_next_each_time':
      return p.persons_to_notify_next_each_time ?? [];
    case 'notify_on_call_from_schedule': {
      const loaded = p.notify_on_call_from_schedule ? await org.shifts(p.notify_on_call_from_schedule) : null;
      return loaded ? (viewAt(loaded.stretches, org.now).current?.users ?? []) : [];
    }
    case 'notify_team_members':
      return p.team_to_notify ? teamMembers(org, p.team_to_notify).map((u) => u.id) : [];
    default:
      return [];
  }
}

/** The channel to suggest for someone: one their profile can receive. */
function channelFor(user: Entry, important: boolean): string {
  if (user.phoneVerified) return 'notify_by_phone_call';
  if (user.slackLinked && !important) return 'notify_by_slack';
  return important ? 'notify_by_mobile_app_critical' : 'notify_by_mobile_app';
}

const addRule = (user: Entry, important: boolean): FixCall =>
  call('create_personal_notification_rule', { user_id: user.id, type: channelFor(user, important), important, position: 0 });

/** The people in scope and how steps reach them. */
async function peopleInScope(org: Org, scope: Scope): Promise<Map<string, Reached>> {
  const people = new Map<string, Reached>();
  const mark = (id: string, important: boolean | undefined) => {
    const r = people.get(id) ?? { important: false, default: false };
    if (important) r.important = true;
    else r.default = true;
    people.set(id, r);
  };
  const bySchedule = new Map<string, Set<boolean>>();
  for (const c of scope.chains) {
    for (const p of org.steps.get(c.id) ?? []) {
      if (p.type === 'notify_persons' || p.type === 'notify_person_next_each_time' || p.type === 'notify_team_members') {
        for (const id of await peopleOfStep(org, p)) mark(id, p.important);
      }
      const schedule = p.notify_on_call_from_schedule;
      if (schedule) bySchedule.set(schedule, (bySchedule.get(schedule) ?? new Set()).add(p.important === true));
    }
  }
  for (const id of scope.schedules) if (!bySchedule.has(id)) bySchedule.set(id, new Set([false]));
  await Promise.all(
    [...bySchedule].map(async ([id, kinds]) => {
      const loaded = await org.shifts(id);
      for (const person of loaded?.people.keys() ?? []) for (const important of kinds) mark(person, important);
    }),
  );
  return people;
}

function ruleFindings(org: Org, user: Entry, reached: Reached, rules: readonly PersonalNotificationRule[]): Finding[] {
  const object = userObject(org, user.id);
  return ruleProblems(user, rules).map((problem): Finding => {
    if (problem.list === 'all') {
      return {
        rule: 'person-no-rules',
        severity: 'error',
        object,
        problem: 'has no notification rules at all',
        why: 'when they are paged they get one e-mail, nothing else',
        fix: [addRule(user, false), addRule(user, true)],
      };
    }
    const important = problem.list === 'important';
    const used = important ? reached.important : reached.default;
    if (problem.kind === 'unreachable') {
      return {
        rule: 'person-unreachable',
        severity: used ? 'error' : 'warning',
        object,
        problem: problem.text,
        why: `${important ? 'an important page' : 'a page'} reaches them by nothing they can receive`,
        fix: [addRule(user, important)],
        fix_note: 'or give them what the channel needs (a verified phone number, a linked Slack account)',
      };
    }
    return {
      rule: important ? 'person-no-important-rules' : 'person-no-default-rules',
      severity: used ? 'error' : 'warning',
      object,
      problem: problem.kind === 'none' ? `has no ${problem.list} notification rules` : `their ${problem.list} rules only wait`,
      why: important
        ? `${used ? 'a step that pages them as important' : 'an important page (a critical chain, a direct page)'} sends them one e-mail, nothing else`
        : 'a page sends them one e-mail, nothing else',
      fix: [addRule(user, important)],
    };
  });
}

/** The seconds from a step to the next step that pages someone, or undefined when none follows. */
function untilNextPage(org: Org, steps: readonly EscalationPolicy[], i: number): number | undefined {
  let seconds = 0;
  for (const p of steps.slice(i + 1)) {
    if (p.type === 'resolve' || p.type === 'repeat_escalation') return undefined;
    if (p.type === 'wait') seconds += p.duration ?? 300;
    else if (namesSomeone(org, p)) return seconds;
  }
  return undefined;
}

function waitFinding(
  org: Org,
  user: Entry,
  p: EscalationPolicy,
  gap: number,
  rules: readonly PersonalNotificationRule[],
): Finding | undefined {
  const list = rules.filter((r) => r.important === (p.important === true)).sort((a, b) => a.position - b.position);
  let waited = 0;
  for (let k = 0; k < list.length; k++) {
    const r = list[k]!;
    if (r.type !== 'wait') continue;
    const before = waited;
    waited += r.duration ?? 300;
    const later = list.slice(k + 1).find((x) => x.type !== 'wait');
    if (waited <= gap || !later || gap === 0) continue;
    const room = RULE_WAITS.filter((w) => before + w <= gap).at(-1);
    const fix = room
      ? call('update_personal_notification_rule', { personal_notification_rule_id: r.id, duration: room })
      : call('delete_personal_notification_rule', { personal_notification_rule_id: r.id });
    const channel = later.type.replace(/^notify_by_/, '').replace(/_/g, ' ');
    return {
      rule: 'personal-wait-outlasts-step',
      severity: 'warning',
      object: userObject(org, user.id),
      problem: `their ${p.important ? 'important' : 'default'} rules reach them by ${channel} only after ${span(waited)}; ${stepObject(org, p).name} (${p.id}) moves on after ${span(gap)}`,
      why: 'the escalation pages its next step before their later channel fires, so that channel never gets a chance',
      fix: [fix],
    };
  }
  return undefined;
}

export async function peopleRules(org: Org, scope: Scope): Promise<{ findings: Finding[]; checked: number }> {
  const people = await peopleInScope(org, scope);
  const ids = [...people.keys()].filter((id) => notifiable(org.users.get(id)));
  if (ids.length > CHECKED_PEOPLE) org.unchecked.add(`people: ${ids.length - CHECKED_PEOPLE} of ${ids.length} not checked (narrow the scope)`);
  const checked = ids.slice(0, CHECKED_PEOPLE);
  const findings: Finding[] = [];
  const rulesOf = new Map<string, PersonalNotificationRule[]>();
  await Promise.all(
    checked.map(async (id) => {
      const rules = await org.rules(id);
      if (rules === null) {
        org.unchecked.add(`notification rules of ${org.users.get(id)?.name ?? id}: this token cannot read them`);
        return;
      }
      rulesOf.set(id, rules);
    }),
  );
  // In the order people were found (chains, then schedules), not the order requests finished.
  for (const id of checked) {
    const rules = rulesOf.get(id);
    if (rules) findings.push(...ruleFindings(org, org.users.get(id)!, people.get(id)!, rules));
  }
  const seen = new Set<string>();
  for (const c of scope.chains) {
    const steps = org.steps.get(c.id) ?? [];
    for (let i = 0; i < steps.length; i++) {
      const p = steps[i]!;
      if (!namesSomeone(org, p)) continue;
      const gap = untilNextPage(org, steps, i);
      if (gap === undefined) continue;
      for (const id of await peopleOfStep(org, p)) {
        const rules = rulesOf.get(id);
        const key = `${id}:${p.important === true}`;
        if (!rules || seen.has(key)) continue;
        const finding = waitFinding(org, org.users.get(id)!, p, gap, rules);
        if (finding) {
          seen.add(key);
          findings.push(finding);
        }
      }
    }
  }
  return { findings, checked: checked.length };
}
