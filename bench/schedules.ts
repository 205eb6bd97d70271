/**
 * Schedule resolution cost as the number of shifts grows: the final schedule of a year of a
 * layered schedule, and `current_oncall` on a chain of 20 schedule steps. Each figure is printed
 * at 1×, 10× and 100× the shifts so the growth is visible.
 */
import { VirtualClock } from '../src/engine/core/clock.js';
import { importData } from '../src/engine/storage/data-file.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { ms, row, timed } from './stats.js';

const FREQUENCIES = ['daily', 'weekly', 'daily', 'hourly', 'weekly'] as const;

function user(i: number) {
  return { id: `U${String(i).padStart(12, 'A')}`, username: `user${i}`, email: `user${i}@example.com` };
}

/** `shiftCount` rotations, spread over 10 layers, in each of `scheduleCount` schedules. */
function organisation(scheduleCount: number, shiftCount: number) {
  const users = Array.from({ length: 40 }, (_, i) => user(i));
  const shifts = [];
  const schedules = [];
  for (let s = 0; s < scheduleCount; s++) {
    const ids: string[] = [];
    for (let k = 0; k < shiftCount; k++) {
      const frequency = FREQUENCIES[k % FREQUENCIES.length]!;
      const id = `O${String(s * 1000 + k).padStart(12, 'B')}`;
      ids.push(id);
      shifts.push({
        id,
        name: `shift ${s}-${k}`,
        type: 'rolling_users',
        time_zone: k % 2 ? 'Europe/Berlin' : 'America/New_York',
        level: k % 10,
        start: `2026-01-0${(k % 7) + 1}T0${k % 10}:00:00`,
        duration: frequency === 'hourly' ? 3600 : frequency === 'daily' ? 8 * 3600 : 7 * 86400,
        frequency,
        interval: 1,
        week_start: 'MO',
        rolling_users: [[users[k % 40]!.id], [users[(k + 7) % 40]!.id], [users[(k + 13) % 40]!.id]],
        start_rotation_from_user_index: 0,
      });
    }
    schedules.push({ id: `S${String(s).padStart(12, 'C')}`, name: `schedule ${s}`, type: 'calendar', time_zone: 'UTC', shifts: ids });
  }
  const chain = { id: 'FBENCHCHAIN11', name: 'twenty schedules' };
  const policies = schedules.map((schedule, i) => ({
    id: `E${String(i).padStart(12, 'D')}`,
    escalation_chain_id: chain.id,
    position: i,
    type: 'notify_on_call_from_schedule',
    notify_on_call_from_schedule: schedule.id,
  }));
  return importData({
    users,
    on_call_shifts: shifts,
    schedules,
    escalation_chains: [chain],
    escalation_policies: policies,
  });
}

export async function benchSchedules(): Promise<void> {
  const clock = VirtualClock.at('2026-06-15T12:00:00Z');
  console.log('\nfinal shifts for 365 days of a 10-layer schedule (median of 5; rotations mixed hourly/daily/weekly)');
  console.log(row('shifts', 'time', '        items returned'));
  for (const factor of [1, 10, 100]) {
    const backend = new MemoryBackend({ state: organisation(1, 10 * factor), clock });
    let items = 0;
    const t = await timed(async () => {
      const page = await backend.schedules.finalShifts('SCCCCCCCCCCC0', { start_date: '2026-01-01', end_date: '2026-12-31' });
      items = page.count;
    }, 5);
    console.log(row(`${10 * factor} (${factor}×)`, ms(t, 1).padStart(11), `   ${items}`));
  }

  console.log('\ncurrent_oncall on a chain with 20 schedule steps (median of 5)');
  console.log(row('shifts per schedule', 'time'));
  for (const factor of [1, 10, 100]) {
    const backend = new MemoryBackend({ state: organisation(20, factor), clock });
    const t = await timed(() => backend.escalationChains.currentOncall('FBENCHCHAIN11'), 5);
    console.log(row(`${factor} (${factor}×, ${20 * factor} shifts in all)`, ms(t, 1).padStart(11)));
  }
}
