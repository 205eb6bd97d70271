/**
 * Organisations with layered schedules for the schedule benchmarks: `layers` daily rotations per
 * schedule, each covering its own slice of the day and overlapping the next by an hour (so every
 * stronger layer clips the one below it), odd layers on weekdays only (weekend holes become gaps),
 * zones alternating between New York and Berlin. Optional overrides put someone else on call for
 * a few hours on given days. 10 layers give about 3,100 final events a year.
 */
import { importData } from '../src/engine/storage/data-file.js';
import type { State } from '../src/engine/core/state.js';

const USERS = 40;

function userId(i: number): string {
  return `U${String(i).padStart(12, 'A')}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export interface LayeredOptions {
  /** Schedules, each with `layers` rotations (and its overrides). */
  schedules: number;
  layers: number;
  /** Override shifts per schedule, one a day from `overridesFrom` (YYYY-MM-DD), 10:00–14:00 UTC. */
  overrides?: number;
  overridesFrom?: string;
}

export const LAYERED_CHAIN_ID = 'FBENCHCHAIN11';

export function layeredScheduleId(s: number): string {
  return `S${String(s).padStart(12, 'C')}`;
}

/** The organisation, plus a chain that notifies each schedule's on-call people, one step each. */
export function layeredOrganisation(opts: LayeredOptions): State {
  const users = Array.from({ length: USERS }, (_, i) => ({ id: userId(i), username: `user${i}`, email: `user${i}@example.com` }));
  const shifts: unknown[] = [];
  const schedules: unknown[] = [];
  const slot = Math.floor(1440 / opts.layers); // minutes of the day each layer leads
  for (let s = 0; s < opts.schedules; s++) {
    const ids: string[] = [];
    for (let k = 0; k < opts.layers; k++) {
      const id = `O${String(s * 10_000 + k).padStart(12, 'B')}`;
      ids.push(id);
      const minute = k * slot;
      shifts.push({
        id,
        name: `layer ${s}-${k}`,
        type: 'rolling_users',
        time_zone: k % 2 ? 'Europe/Berlin' : 'America/New_York',
        level: k,
        start: `2025-12-29T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:00`,
        duration: (slot + 60) * 60,
        frequency: 'daily',
        interval: 1,
        by_day: k % 2 ? ['MO', 'TU', 'WE', 'TH', 'FR'] : null,
        week_start: 'MO',
        rolling_users: [[userId(k % USERS)], [userId((k + 7) % USERS)], [userId((k + 13) % USERS)]],
        start_rotation_from_user_index: 0,
      });
    }
    const from = Date.parse(`${opts.overridesFrom ?? '2026-01-01'}T00:00:00Z`);
    for (let o = 0; o < (opts.overrides ?? 0); o++) {
      const id = `O${String(s * 10_000 + 5_000 + o).padStart(12, 'B')}`;
      ids.push(id);
      const day = new Date(from + o * 86_400_000).toISOString().slice(0, 10);
      shifts.push({
        id,
        name: `override ${s}-${o}`,
        type: 'override',
        time_zone: 'UTC',
        start: `${day}T10:00:00`,
        duration: 4 * 3600,
        users: [userId((s + o + 20) % USERS)],
      });
    }
    schedules.push({
      id: layeredScheduleId(s),
      name: `layered ${s}`,
      type: 'calendar',
      time_zone: 'UTC',
      enable_web_overrides: true,
      shifts: ids,
    });
  }
  const policies = schedules.map((_, i) => ({
    id: `E${String(i).padStart(12, 'D')}`,
    escalation_chain_id: LAYERED_CHAIN_ID,
    position: i,
    type: 'notify_on_call_from_schedule',
    notify_on_call_from_schedule: layeredScheduleId(i),
  }));
  return importData({
    users,
    on_call_shifts: shifts,
    schedules,
    escalation_chains: [{ id: LAYERED_CHAIN_ID, name: 'twenty schedules' }],
    escalation_policies: policies,
  });
}
