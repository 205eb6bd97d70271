/**
 * What every escalation step type is, in the API's terms: the one table both the engine and the
 * tools read, so a step type added to `POLICY_TYPES` is a compile error here first (the
 * `satisfies` below), and then in the engine's and the tools' own tables (`ENGINE_STEPS` in
 * `src/engine/escalation/step-types.ts`, `TOOL_STEPS` in `src/tools/step-types.ts`).
 *
 * Only facts that hold on any backend live here (the shape of a step, whom it acts on); how the
 * engine runs a step and how the tools word it stay in their layers.
 */
import { type EscalationPolicy, POLICY_TYPES, type PolicyType } from './types.js';

/** The fields that belong to one step type or another (a step shows only its own type's). */
export type PolicyField = Exclude<keyof EscalationPolicy, 'id' | 'escalation_chain_id' | 'position' | 'type' | 'important'>;

/** The kind of object a step's target field names. */
export type TargetKind = 'user' | 'schedule' | 'userGroup' | 'team' | 'webhook';

export interface StepFacts {
  /** Its own fields, in the order a policy shows them; every other type field is absent. */
  readonly fields: readonly PolicyField[];
  /** It has an "important" variant, so it shows `important`. */
  readonly important: boolean;
  /**
   * The field that names whom (or what) the step acts on, and what kind of object that is. Without
   * it the step does nothing, though the API accepts it; `many` is a list of ids.
   */
  readonly target: { readonly field: PolicyField; readonly kind: TargetKind; readonly many: boolean } | null;
  /**
   * Whether it notifies people: `persons` through their personal notification rules, `channel` a
   * chat channel as a whole (nobody personally). A webhook, an incident or a gate notifies nobody.
   */
  readonly notifies: 'persons' | 'channel' | null;
}

const users = (field: PolicyField) => ({ field, kind: 'user', many: true }) as const;
const one = (field: PolicyField, kind: TargetKind) => ({ field, kind, many: false }) as const;

export const STEP_FACTS = {
  wait: { fields: ['duration'], important: false, target: null, notifies: null },
  notify_persons: {
    fields: ['persons_to_notify'],
    important: true,
    target: users('persons_to_notify'),
    notifies: 'persons',
  },
  notify_person_next_each_time: {
    fields: ['persons_to_notify_next_each_time'],
    important: true,
    target: users('persons_to_notify_next_each_time'),
    notifies: 'persons',
  },
  notify_on_call_from_schedule: {
    fields: ['notify_on_call_from_schedule'],
    important: true,
    target: one('notify_on_call_from_schedule', 'schedule'),
    notifies: 'persons',
  },
  notify_next_on_call_from_schedule: {
    fields: ['notify_on_call_from_schedule'],
    important: true,
    target: one('notify_on_call_from_schedule', 'schedule'),
    notifies: 'persons',
  },
  notify_user_group: {
    fields: ['group_to_notify'],
    important: true,
    target: one('group_to_notify', 'userGroup'),
    notifies: 'persons',
  },
  notify_team_members: {
    fields: ['team_to_notify'],
    important: true,
    target: one('team_to_notify', 'team'),
    notifies: 'persons',
  },
  trigger_webhook: {
    fields: ['action_to_trigger'],
    important: false,
    target: one('action_to_trigger', 'webhook'),
    notifies: null,
  },
  resolve: { fields: [], important: false, target: null, notifies: null },
  notify_whole_channel: { fields: [], important: false, target: null, notifies: 'channel' },
  notify_if_time_from_to: {
    fields: ['notify_if_time_from', 'notify_if_time_to'],
    important: false,
    target: null,
    notifies: null,
  },
  notify_if_num_alerts_in_window: {
    fields: ['num_alerts_in_window', 'num_minutes_in_window'],
    important: false,
    target: null,
    notifies: null,
  },
  repeat_escalation: { fields: [], important: false, target: null, notifies: null },
  declare_incident: { fields: ['severity'], important: false, target: null, notifies: null },
} as const satisfies Record<PolicyType, StepFacts>;

/** The facts of a known step type, widened from the literal table to the interface. */
export const facts = (type: PolicyType): StepFacts => STEP_FACTS[type];

/**
 * A step type named by a string that may not be one (a timeline's `step`, a hand-edited file):
 * the type if it is one, else undefined. `Object.hasOwn`, so `constructor` is not a step type.
 */
export function knownStepType(type: string | null | undefined): PolicyType | undefined {
  return typeof type === 'string' && Object.hasOwn(STEP_FACTS, type) ? (type as PolicyType) : undefined;
}

/** The facts of a step type, or undefined for null or a string that is no step type. */
export function stepFacts(type: string | null | undefined): StepFacts | undefined {
  const known = knownStepType(type);
  return known === undefined ? undefined : facts(known);
}

/** Whether a step of this type notifies anyone (a person or a channel). */
export const notifiesAnyone = (type: string | null | undefined): boolean => !!stepFacts(type)?.notifies;

/** Whether a step of this type acts on an object of `kind` (a schedule, a team …). */
export const targets = (type: string | null | undefined, kind: TargetKind): boolean =>
  stepFacts(type)?.target?.kind === kind;

/** The id of the one object of `kind` a step names (its schedule, its team …), if its type names one. */
export function targetOf(p: EscalationPolicy, kind: Exclude<TargetKind, 'user'>): string | null | undefined {
  const target = stepFacts(p.type)?.target;
  if (!target || target.kind !== kind || target.many) return undefined;
  const value = p[target.field];
  return typeof value === 'string' ? value : null;
}

/** The target fields that hold objects of `kind` (several types may share one field). */
export function targetFields(kind: TargetKind, many?: boolean): PolicyField[] {
  const fields = POLICY_TYPES.flatMap((t) => {
    const target = facts(t).target;
    return target && target.kind === kind && (many === undefined || target.many === many) ? [target.field] : [];
  });
  return [...new Set(fields)];
}

/** Every field that is some type's target. */
export const TARGET_FIELDS: readonly PolicyField[] = [
  ...new Set(POLICY_TYPES.flatMap((t) => (facts(t).target ? [facts(t).target!.field] : []))),
];

/** The step types a field belongs to, in `POLICY_TYPES` order. */
export function typesWithField(field: PolicyField): PolicyType[] {
  return POLICY_TYPES.filter((t) => facts(t).fields.includes(field));
}
