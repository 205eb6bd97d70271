/**
 * take_shift through a real MCP client on both backends: the final schedule is read back (from the
 * engine, not from the tool's answer) to check the user is on call; a swap moves only the replaced
 * person's time; refusals name the argument and change nothing; a failed second step undoes the
 * first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { exportData } from '../../src/engine/storage/data-file.js';
import { BACKEND_UNDER_TEST, connect, type Harness, IDS } from '../helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const SRE_FOLLOW_THE_SUN = 'S2JTNQV85CX6H';
const FRANK = 'UQ1LKALUQ5M9B';
const JUDY = 'U3URF6A6K69L1';
const exported = () => JSON.stringify(exportData(h.backend.state));

/** Who the engine's final schedule has on call at an instant. */
async function onCallAt(schedule: string, iso: string): Promise<string[]> {
  const at = Date.parse(iso);
  const day = iso.slice(0, 10);
  const page = await h.backend.schedules.finalShifts(schedule, { start_date: day, end_date: `${day}T23:59` });
  const covering = page.results.filter((f) => Date.parse(f.shift_start) <= at && at < Date.parse(f.shift_end));
  return covering.map((f) => f.user_pk).sort();
}

describe('take_shift', () => {
  it('in a calendar schedule: the user is on call alone from now until `until`, and the chain paging from it pages them', async () => {
    h = await connect();
    expect(await onCallAt(SRE_FOLLOW_THE_SUN, '2026-03-24T12:30:00Z')).toEqual([JUDY]);
    const r = await h.ok('take_shift', { user_id: 'frank', schedule_id: 'SRE follow-the-sun', until: '2026-03-24T18:00:00Z' });
    // Judy now, alice later in the stretch (the schedule follows the sun).
    expect(r.data).toMatchObject({ how: 'layer', verified: true, replaced_user_ids: [JUDY, IDS.alice], not_on_call: [], until: '2026-03-24T18:00:00Z' });
    for (const at of ['2026-03-24T12:30:00Z', '2026-03-24T17:59:00Z']) expect(await onCallAt(SRE_FOLLOW_THE_SUN, at)).toEqual([FRANK]);
    expect(await onCallAt(SRE_FOLLOW_THE_SUN, '2026-03-24T18:01:00Z')).not.toContain(FRANK); // only until `until`
    expect(r.text).toMatch(
      /^frank is on call in "SRE follow-the-sun" \(S2JTNQV85CX6H\) from .* until 2026-03-24 18:00 UTC, checked/,
    );
    expect(r.text).toContain('Warning: frank may not hear a page: no notification rules at all');
    expect(r.data.warnings).toHaveLength(1); // nobody else is on call beside frank
    const sim = await h.ok('simulate_escalation', { escalation_chain_id: IDS.sreCritical });
    expect(sim.text).toContain('On call in "SRE follow-the-sun": notifying frank');
    // Undo is the call the answer names.
    const undo = /To undo: (delete_on_call_shift) on_call_shift_id=(\S+)\./.exec(r.text)!;
    await h.ok(undo[1]!, { on_call_shift_id: undo[2] });
    expect(await onCallAt(SRE_FOLLOW_THE_SUN, '2026-03-24T12:30:00Z')).toEqual([JUDY]);
  });

  it('an override inside the stretch still wins over the new layer, and the answer names who is on call beside them', async () => {
    h = await connect();
    const schedule = await h.ok('get_schedule', { schedule_id: SRE_FOLLOW_THE_SUN });
    const override = await h.ok('create_on_call_shift', {
      name: 'carol covers', type: 'override', start: '2026-03-24T14:00:00', duration: 3600, time_zone: 'UTC', users: ['carol'],
      team_id: schedule.data.team_id,
    });
    await h.ok('update_schedule', {
      schedule_id: SRE_FOLLOW_THE_SUN, shifts: [...schedule.data.shifts, override.data.id], enable_web_overrides: true,
    });
    const r = await h.ok('take_shift', { user_id: 'frank', schedule_id: SRE_FOLLOW_THE_SUN, until: '2026-03-24T18:00:00Z' });
    expect(r.data.verified).toBe(false);
    expect(r.data.not_on_call).toEqual([{ from: '2026-03-24T14:00:00Z', to: '2026-03-24T15:00:00Z' }]);
    expect(r.text).toMatch(/^TAKEN ONLY IN PART: frank/);
    expect(r.text).toContain('Warning: carol still on call beside them in the stretch');
  });

  it('replacing one of two people on call: a taken swap moves only that person\'s time', async () => {
    h = await connect();
    const at = '2026-03-24T13:00:00Z';
    expect(await onCallAt(IDS.primaryRotation, at)).toEqual([IDS.bob, IDS.alice].sort());
    const r = await h.ok('take_shift', { user_id: 'carol', schedule_id: IDS.primaryRotation, until: '2026-03-24T16:00:00Z', replacing: 'alice' });
    expect(r.data).toMatchObject({ how: 'swap', replaced_user_ids: [IDS.alice], verified: true });
    expect(await onCallAt(IDS.primaryRotation, at)).toEqual([IDS.bob, IDS.carol].sort());
    const swap = await h.backend.shiftSwaps.get(r.data.shift_swap_id, { starting_after: '2026-03-24T00:00:00Z' });
    expect(swap).toMatchObject({ beneficiary: IDS.alice, benefactor: IDS.carol, status: 'taken' });
  });

  it('replacing someone who is not on call is refused and changes nothing', async () => {
    h = await connect();
    const before = exported();
    const r = await h.call('take_shift', { user_id: 'carol', schedule_id: IDS.primaryRotation, until: '2026-03-24T16:00:00Z', replacing: 'dave' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^replacing: dave is not on call in "Primary Rotation"/);
    expect(exported()).toBe(before);
  });

  it('a web schedule changes only by swaps: with two people on call it asks whose time, then swaps the one named', async () => {
    h = await connect();
    const shift = await h.ok('create_on_call_shift', {
      name: 'Web pair', type: 'single_event', start: '2026-03-24T08:00:00', duration: 12 * 3600, time_zone: 'UTC', users: ['alice', 'bob'],
    });
    const web = await h.ok('create_schedule', { type: 'web', name: 'Web pair schedule', time_zone: 'UTC', shifts: [shift.data.id] });
    const before = exported();
    const asks = await h.call('take_shift', { user_id: 'carol', schedule_id: web.data.id, until: '2026-03-24T16:00:00Z' });
    expect(asks.isError).toBe(true);
    expect(asks.text).toMatch(/^WHOSE SHIFT\? (alice, bob|bob, alice) are on call in "Web pair schedule" /);
    expect(asks.text).toMatch(/cannot be changed through OnCall's API.* Fix: say whose time to take with replacing=/);
    expect(exported()).toBe(before);
    const r = await h.ok('take_shift', { user_id: 'carol', schedule_id: web.data.id, until: '2026-03-24T16:00:00Z', replacing: 'bob' });
    expect(r.data).toMatchObject({ how: 'swap', replaced_user_ids: [IDS.bob], verified: true });
    expect(await onCallAt(web.data.id, '2026-03-24T15:00:00Z')).toEqual([IDS.alice, IDS.carol].sort());
    expect(await onCallAt(web.data.id, '2026-03-24T17:00:00Z')).toEqual([IDS.alice, IDS.bob].sort());
  });

  it('refuses what it cannot do, naming the argument, and changes nothing', async () => {
    h = await connect();
    const before = exported();
    const past = await h.call('take_shift', { user_id: 'frank', schedule_id: SRE_FOLLOW_THE_SUN, until: '2026-03-24T11:00:00Z' });
    expect(past.text).toMatch(/^until: 2026-03-24T11:00:00Z is not after now \(2026-03-24T12:00:00Z\)/);
    const zoneless = await h.call('take_shift', { user_id: 'frank', schedule_id: SRE_FOLLOW_THE_SUN, until: '2026-03-24T18:00' });
    expect(zoneless.text).toMatch(/^until: "2026-03-24T18:00" is not an ISO instant with its zone\. Fix: e\.g\./);
    const already = await h.call('take_shift', { user_id: 'judy', schedule_id: SRE_FOLLOW_THE_SUN, until: '2026-03-24T13:00:00Z' });
    expect(already.text).toMatch(/^NOTHING TO TAKE: judy is already on call in "SRE follow-the-sun"/);
    expect([past, zoneless, already].every((x) => x.isError)).toBe(true);
    expect(exported()).toBe(before);
  });

  it.skipIf(BACKEND_UNDER_TEST === 'http')('when the shift cannot be added to the schedule, the shift it created is deleted again', async () => {
    h = await connect({
      // The engine's own backend, but its schedule updates refused (methods stay on its prototype).
      wrapBackend: (b) => Object.assign(Object.create(b) as typeof b, {
        schedules: {
          ...b.schedules,
          update: async () => {
            throw new ApiError(400, { detail: 'refused for the test' });
          },
        },
      }),
    });
    const before = exported();
    const r = await h.call('take_shift', { user_id: 'frank', schedule_id: SRE_FOLLOW_THE_SUN, until: '2026-03-24T18:00:00Z' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('refused for the test');
    expect(exported()).toBe(before);
  });

  it('dry_run: says who the chains paging from the schedule would page, and changes nothing', async () => {
    h = await connect();
    const before = exported();
    const r = await h.ok('take_shift', { user_id: 'frank', schedule_id: SRE_FOLLOW_THE_SUN, until: '2026-03-24T18:00:00Z', dry_run: true });
    expect(exported()).toBe(before);
    const chain = r.data.dry_run.paging.find((p: { object: { id: string } }) => p.object.id === IDS.sreCritical);
    expect(chain.differs).toBe(true);
    expect(chain.before.steps[0].text).toContain('notifying judy');
    expect(chain.after.steps[0].text).toContain('notifying frank');
    expect(r.data.verified).toBe(true); // checked on the copy
  });
});
