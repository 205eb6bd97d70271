/**
 * The tools for what is inside an alert group and around it, through a real MCP client on both
 * backends: alerts with a payload search, resolution notes, deleting a group (asked first where
 * the client can ask), teams by name, Slack channels, and changing or withdrawing a swap request.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Harness } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(async () => {
  await h.close();
});

/** An alert group of two alerts, on the demo's Alertmanager integration. */
function fireTwice() {
  const integration = [...h.backend.state.integrations.values()].find((i) => i.type === 'alertmanager')!;
  const payload = (disk: string) => ({ groupKey: 'disk', status: 'firing', commonLabels: { alertname: 'DiskFull', disk } });
  const first = h.backend.receiveAlert(integration.id, payload('sda'));
  h.backend.receiveAlert(integration.id, payload('nvme0'));
  return first.alertGroupId;
}

describe('alerts and resolution notes', () => {
  it('list_alerts shows a group\'s alerts, and search finds the one whose payload has the text', async () => {
    const group = fireTwice();
    const all = await h.ok('list_alerts', { alert_group_id: group });
    expect(all.data.count).toBe(2);
    expect(all.text).toContain('"disk":"nvme0"');
    const found = await h.ok('list_alerts', { alert_group_id: group, search: 'nvme0' });
    expect(found.data.count).toBe(1);
    expect(JSON.stringify(found.data.results[0].payload)).toContain('nvme0');
  });

  it('a resolution note is added, changed and removed', async () => {
    const group = fireTwice();
    const added = await h.ok('create_resolution_note', { alert_group_id: group, text: 'disk cleaned' });
    expect(added.text).toContain('disk cleaned');
    const changed = await h.ok('update_resolution_note', { resolution_note_id: added.data.id, text: 'disk replaced' });
    expect(changed.data.text).toBe('disk replaced');
    await h.ok('delete_resolution_note', { resolution_note_id: added.data.id });
    expect((await h.backend.resolutionNotes.list({ alert_group_id: group })).count).toBe(0);
  });

  it('delete_alert_group wipes by default (the group stays, its content goes) and deletes when asked', async () => {
    const wiped = fireTwice();
    const w = await h.ok('delete_alert_group', { alert_group_id: wiped });
    expect(w.text).toContain(`Wiped alert group ${wiped}`);
    const kept = await h.backend.alertGroups.get(wiped);
    expect(kept.title).toBeNull();
    const alerts = await h.backend.alerts.list({ alert_group_id: wiped });
    expect(alerts.results.every((a) => JSON.stringify(a.payload) === '{}')).toBe(true);

    const gone = fireTwice();
    await h.ok('create_resolution_note', { alert_group_id: gone, text: 'noise' });
    const d = await h.ok('delete_alert_group', { alert_group_id: gone, mode: 'delete' });
    expect(d.text).toContain(`Deleted alert group ${gone}`);
    expect(d.text).toContain('2 alert(s)');
    await expect(h.backend.alertGroups.get(gone)).rejects.toMatchObject({ status: 404 });
    expect((await h.backend.resolutionNotes.list({ alert_group_id: gone })).count).toBe(0);
  });
});

describe('teams, Slack channels, swap requests', () => {
  it('get_team takes a team name', async () => {
    const payments = (await h.backend.teams.list({ name: 'Payments' })).results[0]!;
    const r = await h.ok('get_team', { team_id: 'payments' });
    expect(r.data).toEqual(payments);
  });

  it('list_slack_channels lists the channels with the ids routes take', async () => {
    const r = await h.ok('list_slack_channels', {});
    const channels = h.backend.state.organization.slack_channels;
    expect(r.data.count).toBe(channels.length);
    for (const c of channels) expect(r.text).toContain(`${c.slack_id} #${c.name}`);
  });

  it('a swap request is moved, then withdrawn, and is gone', async () => {
    const made = await h.ok('create_shift_swap', {
      schedule: 'Primary Rotation',
      swap_start: '2026-03-30T09:00:00Z',
      swap_end: '2026-03-31T09:00:00Z',
      beneficiary: 'alice',
    });
    const moved = await h.ok('update_shift_swap', {
      shift_swap_id: made.data.id,
      swap_start: '2026-04-06T09:00:00Z',
      swap_end: '2026-04-07T09:00:00Z',
    });
    expect(moved.data.swap_start).toBe('2026-04-06T09:00:00Z');
    const half = await h.call('update_shift_swap', { shift_swap_id: made.data.id, swap_start: '2026-04-08T09:00:00Z' });
    expect(half.isError).toBe(true);
    expect(half.text).toContain('both start and end times must be specified');
    const gone = await h.ok('delete_shift_swap', { shift_swap_id: made.data.id });
    expect(gone.text).toContain('Withdrawn');
    await expect(h.backend.shiftSwaps.get(made.data.id)).rejects.toMatchObject({ status: 404 });
  });
});
