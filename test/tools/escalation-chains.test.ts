import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { connect, type Harness, IDS, firstLine } from '../helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await connect();
});
afterEach(() => h.close());

describe('escalation chain tools (semantics.md §4, seed 002)', () => {
  it('get_escalation_chain returns the seed chain with its steps in order', async () => {
    const { data, text } = await h.ok('get_escalation_chain', { escalation_chain_id: IDS.defaultChain });
    expect({ id: data.id, name: data.name, team_id: data.team_id }).toEqual({
      id: 'F5JU6KJET33FE',
      name: 'default',
      team_id: null,
    });
    expect(data.policies.slice(0, 2)).toEqual([
      { id: 'E3GA6SJETWWJS', escalation_chain_id: 'F5JU6KJET33FE', position: 0, type: 'wait', duration: 60 },
      {
        id: 'E5JJTU52M5YM4',
        escalation_chain_id: 'F5JU6KJET33FE',
        position: 1,
        type: 'notify_person_next_each_time',
        important: false,
        persons_to_notify_next_each_time: ['U4DNY931HHJS5'],
      },
    ]);
    const positions = data.policies.map((p: { position: number }) => p.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The text names people instead of only showing ids.
    expect(text).toContain('F5JU6KJET33FE "default"');
    expect(text).toMatch(/\[1\] round robin.*alice/);
  });

  it('creates a chain with the seed response shape and lists it last (creation order)', async () => {
    const created = await h.ok('create_escalation_chain', { name: 'example-chain' });
    expect(Object.keys(created.data)).toEqual(['id', 'name', 'team_id']);
    expect(created.data).toMatchObject({ name: 'example-chain', team_id: null });
    expect(created.data.id).toMatch(/^F[A-NP-Z1-9]{12}$/);
    const list = await h.ok('list_escalation_chains', {});
    expect(list.data.results.at(-1)).toEqual(created.data);
    expect(list.data.count).toBe(list.data.results.length);
    expect(list.text).toContain(`${created.data.id} "example-chain"`);
  });

  it('rejects a duplicate name with OnCall\'s unique-together message, whatever the team', async () => {
    const dup = await h.call('create_escalation_chain', { name: 'default', team_id: IDS.sreTeam });
    expect(dup.isError).toBe(true);
    expect(firstLine(dup.text)).toBe('Invalid request: The fields organization, name must make a unique set.');
  });

  it.each([
    [{ name: '' }, 'name: This field may not be blank.'],
    [{ name: 'x'.repeat(101) }, 'name: Ensure this field has no more than 100 characters.'],
    [{ name: 'ok', team_id: 'TNOTATEAM1234' }, 'team_id: Object does not exist'],
  ])('validates %j', async (args, message) => {
    const result = await h.call('create_escalation_chain', args);
    expect(result.isError).toBe(true);
    expect(firstLine(result.text)).toBe(`Invalid request: ${message}`);
  });

  it('accepts team_id "null" as no team, and filters by team and name', async () => {
    const created = await h.ok('create_escalation_chain', {
      name: 'no-team',
      team_id: 'null' as unknown as null,
    });
    expect(created.data.team_id).toBeNull();
    const sre = await h.ok('list_escalation_chains', { team_id: IDS.sreTeam });
    expect(sre.data.results.map((c: { name: string }) => c.name)).toEqual(['SRE critical']);
    const none = await h.ok('list_escalation_chains', { team_id: 'null' });
    expect(none.data.results.map((c: { name: string }) => c.name)).toEqual(['default', 'no-team']);
    const byName = await h.ok('list_escalation_chains', { name: 'default' });
    expect(byName.data.results).toEqual([{ id: IDS.defaultChain, name: 'default', team_id: null }]);
    const unknownTeam = await h.call('list_escalation_chains', { team_id: 'TUNKNOWN12345' });
    expect(firstLine(unknownTeam.text)).toBe(
      'Invalid request: team_id: Select a valid choice. That choice is not one of the available choices.',
    );
  });

  it('paginates with the API envelope and next link', async () => {
    const page = await h.ok('list_escalation_chains', { perpage: 3 });
    expect(page.data).toMatchObject({ count: 4, page_size: 3, current_page_number: 1, total_pages: 2 });
    expect(page.data.next).toBe('http://localhost:8080/api/v1/escalation_chains/?page=2&perpage=3');
    const last = await h.ok('list_escalation_chains', { perpage: 3, page: 9 });
    expect(last.data.current_page_number).toBe(2);
    expect(last.data.results).toHaveLength(1);
    expect(last.data.previous).toBe('http://localhost:8080/api/v1/escalation_chains/?perpage=3');
  });

  it('renames and re-teams a chain, keeping the name unique', async () => {
    const renamed = await h.ok('update_escalation_chain', {
      escalation_chain_id: IDS.defaultChain,
      name: 'renamed',
      team_id: IDS.sreTeam,
    });
    expect(renamed.data).toEqual({ id: IDS.defaultChain, name: 'renamed', team_id: IDS.sreTeam });
    const clash = await h.call('update_escalation_chain', {
      escalation_chain_id: IDS.defaultChain,
      name: 'SRE critical',
    });
    expect(clash.text).toContain('must make a unique set');
    // Keeping its own name is not a clash.
    await h.ok('update_escalation_chain', { escalation_chain_id: IDS.defaultChain, name: 'renamed' });
  });

  it('PUT (unlike PATCH) requires name', async () => {
    await expect(
      h.backend.escalationChains.update(IDS.defaultChain, { team_id: null }, 'put'),
    ).rejects.toMatchObject({
      status: 400,
      body: { name: ['This field is required.'] },
    });
    await expect(
      h.backend.escalationChains.update(IDS.defaultChain, { team_id: null }, 'patch'),
    ).resolves.toMatchObject({
      name: 'default',
    });
  });

  it('delete cascades to the chain\'s policies and says how many', async () => {
    const before = await h.ok('list_escalation_policies', { escalation_chain_id: IDS.defaultChain });
    const deleted = await h.ok('delete_escalation_chain', { escalation_chain_id: IDS.defaultChain });
    expect(deleted.data).toMatchObject({
      id: IDS.defaultChain,
      deleted: true,
      policies_deleted: before.data.count,
    });
    expect(deleted.text).toContain(`and its ${before.data.count} steps`);
    const gone = await h.call('get_escalation_chain', { escalation_chain_id: IDS.defaultChain });
    expect(gone.isError).toBe(true);
    const orphan = await h.call('get_escalation_policy', { escalation_policy_id: IDS.waitPolicy });
    expect(orphan.text).toContain('no escalation policy with id "E3GA6SJETWWJS"');
    // Other chains keep their policies.
    const others = await h.ok('list_escalation_policies', {});
    expect(
      others.data.results.every(
        (p: { escalation_chain_id: string }) => p.escalation_chain_id !== IDS.defaultChain,
      ),
    ).toBe(true);
    expect(others.data.count).toBeGreaterThan(0);
  });

  it('an unknown id is a 404 with a hint, and the server keeps answering', async () => {
    const missing = await h.call('delete_escalation_chain', { escalation_chain_id: 'FDOESNOTEXIST' });
    expect(missing).toMatchObject({ isError: true });
    expect(missing.text).toBe(
      'Not found: there is no escalation chain with id "FDOESNOTEXIST". Use list_escalation_chains to find valid ids.',
    );
    await expect(h.backend.escalationChains.get('FDOESNOTEXIST')).rejects.toBeInstanceOf(ApiError);
    expect((await h.ok('list_escalation_chains', {})).data.count).toBe(4);
  });
});
