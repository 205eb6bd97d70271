/**
 * Prompts for the on-call workflows, their argument completions, and what they name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TOOLSETS } from '../../src/tools/define.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { connect, type Harness, IDS } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Every text of a prompt's messages, embedded resources included. */
const textOf = (messages: Array<{ content: unknown }>) =>
  messages
    .map((m) => {
      const c = m.content as { text?: string; resource?: { text?: string } };
      return c.text ?? c.resource?.text ?? '';
    })
    .join('\n');

describe('prompts', () => {
  it('lists the four workflows with all tools', async () => {
    h = await connect();
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'hand_over_shift',
      'page_about_incident',
      'review_escalation_chain',
      'triage_alert_group',
    ]);
  });

  it('a prompt\'s completion turns a team name into its id', async () => {
    h = await connect();
    const r = await h.client.complete({
      ref: { type: 'ref/prompt', name: 'page_about_incident' },
      argument: { name: 'who', value: 'SRE' },
    });
    expect(r.completion.values[0]).toBe(IDS.sreTeam);
    const user = await h.client.complete({ ref: { type: 'ref/prompt', name: 'hand_over_shift' }, argument: { name: 'to', value: 'ali' } });
    expect(user.completion.values).toEqual([IDS.alice]);
    const schedule = await h.client.complete({
      ref: { type: 'ref/prompt', name: 'hand_over_shift' },
      argument: { name: 'schedule', value: 'Primary' },
    });
    expect(schedule.completion.values[0]).toBe(IDS.primaryRotation);
  });

  it('page_about_incident pages a team by its id, once, after confirming', async () => {
    h = await connect();
    const r = await h.client.getPrompt({ name: 'page_about_incident', arguments: { who: IDS.sreTeam, incident: 'checkout is down' } });
    const text = textOf(r.messages);
    expect(text).toContain(`team "SRE" (${IDS.sreTeam})`);
    expect(text).toContain(`create_escalation with team "${IDS.sreTeam}"`);
    expect(text).toContain('idempotency_key');
    expect(text).toContain(`who_is_on_call with target "${IDS.sreTeam}"`);
  });

  it('triage_alert_group embeds the alert group as the tools read it', async () => {
    h = await connect();
    const page = await h.ok('create_escalation', { users: [{ id: IDS.bob, important: false }], title: 'disk full' });
    const ids = await h.client.complete({
      ref: { type: 'ref/prompt', name: 'triage_alert_group' },
      argument: { name: 'alert_group_id', value: 'I' },
    });
    expect(ids.completion.values).toContain(page.data.id);
    const r = await h.client.getPrompt({ name: 'triage_alert_group', arguments: { alert_group_id: page.data.id } });
    expect(r.messages[0]!.content.type).toBe('resource');
    expect(textOf(r.messages)).toContain('disk full');
    expect(textOf(r.messages)).toContain('update_alert_group');
  });

  it('review_escalation_chain embeds the chain and suggests a simulation', async () => {
    h = await connect();
    const r = await h.client.getPrompt({ name: 'review_escalation_chain', arguments: { escalation_chain_id: 'default' } });
    expect(textOf(r.messages)).toContain('F5JU6KJET33FE');
    expect(textOf(r.messages)).toContain('simulate_escalation');
    // The embedded resource is named by id, as resources/list names it, though a name was given.
    const embedded = r.messages.find((m) => m.content.type === 'resource')?.content as { resource: { uri: string } };
    expect(embedded.resource.uri).toBe('oncall://escalation-chains/F5JU6KJET33FE');
  });

  it.each([
    { readOnly: true },
    ...TOOLSETS.map((set) => ({ toolsets: [set] })),
    { toolsets: ['paging', 'schedules'] as const },
  ] as Array<{ readOnly?: boolean; toolsets?: readonly string[] }>)('%j: lists a prompt only with its tools, and it names only listed tools', async (selection) => {
    h = await connect(selection as never);
    const listed = new Set((await h.client.listTools()).tools.map((t) => t.name));
    const absent = ALL_TOOLS.map((t) => t.name).filter((n) => !listed.has(n));
    const { prompts } = await h.client.listPrompts().catch(() => ({ prompts: [] }));
    const args: Record<string, Record<string, string>> = {
      page_about_incident: { who: 'alice', incident: 'x' },
      hand_over_shift: { schedule: 'Primary Rotation', from: 'alice', to: 'bob' },
      review_escalation_chain: { escalation_chain_id: 'default' },
      triage_alert_group: { alert_group_id: 'I000000000000' },
    };
    for (const prompt of prompts) {
      if (prompt.name === 'triage_alert_group') continue; // needs an alert group; covered above
      const text = textOf((await h.client.getPrompt({ name: prompt.name, arguments: args[prompt.name]! })).messages);
      for (const name of absent) expect(text, `${prompt.name} names ${name}`).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
    if (selection.readOnly) expect(prompts.map((p) => p.name)).not.toContain('page_about_incident');
  });
});
