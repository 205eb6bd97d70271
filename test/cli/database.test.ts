/**
 * The database from the command line: `--db`, the `--data FILE --persist` migration from the JSON
 * file earlier versions rewrote on every change, and `export` / `import`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { exportData } from '../../src/engine/storage/data-file.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { databaseContent, removeTempDirs, tempDir } from '../storage-helpers.js';
import { runCli } from './run-cli.js';

afterEach(removeTempDirs);

/** A data file as `--persist` used to leave it: the organisation plus alert history and runtime state. */
async function oldPersistedFile(file: string): Promise<{ groupId: string }> {
  const backend = new MemoryBackend({ state: demoState(), clock: VirtualClock.at('2026-03-24T12:00:00Z') });
  const { alertGroupId } = backend.receiveAlert('CQWPPTFIE6MK6', { groupKey: 'disk', status: 'firing' });
  await backend.alertGroups.action(alertGroupId, 'acknowledge');
  await backend.escalationChains.create({ name: 'made before the upgrade' });
  writeFileSync(file, `${JSON.stringify(exportData(backend.state), null, 2)}\n`);
  return { groupId: alertGroupId };
}

describe('--data FILE --persist on a file an earlier version persisted to', () => {
  it('migrates on the first start into FILE.db (history included), leaves FILE alone, and stores changes there', async () => {
    const dir = tempDir();
    const file = join(dir, 'org.json');
    const { groupId } = await oldPersistedFile(file);
    const before = readFileSync(file, 'utf8');

    const first = await runCli(['--data', file, '--persist', 'call', 'get_alert_group', JSON.stringify({ alert_group_id: groupId })]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`created ${file}.db from ${file}; changes are stored there from now on (${file} is no longer written)`);
    expect(first.stdout).toContain('acknowledged');

    const second = await runCli(['--data', file, '--persist', 'call', 'create_escalation_chain', '{"name":"after the upgrade"}']);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(''); // no second migration
    expect(readFileSync(file, 'utf8')).toBe(before);
    const stored = databaseContent(`${file}.db`);
    expect([...stored.chains.values()].map((c) => c.name)).toEqual(
      expect.arrayContaining(['made before the upgrade', 'after the upgrade']),
    );
    expect(stored.alertGroups.get(groupId)?.acknowledged).toBe(true);
  });

  it('says so when the data file changed after it seeded the database (and does not load it)', async () => {
    const dir = tempDir();
    const file = join(dir, 'org.json');
    const db = join(dir, 'org.db');
    await oldPersistedFile(file);
    expect((await runCli(['--data', file, '--db', db, 'call', 'list_teams'])).code).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace('made before the upgrade', 'edited by hand'));
    const run = await runCli(['--data', file, '--db', db, 'call', 'list_escalation_chains']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`--data ${file} has changed since it seeded ${db}, and is not loaded`);
    expect(run.stderr).toContain(`oncall-mcp import ${file} --db ${db} --replace`);
    expect(run.stdout).toContain('made before the upgrade');
  });
});

describe('export and import', () => {
  it('round trip: export a database, import it into a new one, export again: the same organisation', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    const out = join(dir, 'org.json');
    expect((await runCli(['--db', a, 'call', 'create_escalation_chain', '{"name":"round trip"}'])).code).toBe(0);
    expect((await runCli(['--db', a, 'call', 'create_escalation', '{"title":"disk","users":[{"id":"bob","important":false}]}'])).code).toBe(0);
    const exported = await runCli(['export', '--db', a, out]);
    expect(exported).toMatchObject({ code: 0, stderr: `oncall-mcp: exported database ${a} to ${out}\n` });
    const imported = await runCli(['import', out, '--db', b]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`imported ${out} into ${b}: 10 users, 5 escalation chains`);
    const again = await runCli(['export', '--db', b]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    expect(JSON.parse(again.stdout).engine.alert_groups).toHaveLength(1);
  });

  it('import refuses to overwrite an organisation unless told to, and names every problem of a bad file by JSON path', async () => {
    const dir = tempDir();
    const db = join(dir, 'org.db');
    const good = join(dir, 'good.json');
    expect((await runCli(['export', good])).code).toBe(0); // the demo
    expect((await runCli(['import', good, '--db', db])).code).toBe(0);
    const refused = await runCli(['import', good, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`import: ${db} already holds an organisation; pass --replace to overwrite it`);
    expect((await runCli(['import', good, '--db', db, '--replace'])).code).toBe(0);

    const bad = join(dir, 'bad.json');
    const json = JSON.parse(readFileSync(good, 'utf8'));
    json.escalation_policies[0].duration = 5;
    json.users[1].teams = ['TNOSUCHTEAM'];
    writeFileSync(bad, JSON.stringify(json));
    const other = join(dir, 'other.db');
    const run = await runCli(['import', bad, '--db', other]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`import ${bad}: 2 problem(s):`);
    expect(run.stderr).toContain('users[1].teams[0]: unknown team TNOSUCHTEAM');
    expect(run.stderr).toMatch(/escalation_policies\[0\]\.duration: /);
    expect(existsSync(other)).toBe(false); // nothing half-written
  });

  it('bad usage names the flag and the fix', async () => {
    expect((await runCli(['import'])).stderr).toContain('import: which file? Usage: oncall-mcp import FILE --db DB [--replace]');
    expect((await runCli(['import', 'x.json'])).stderr).toContain('import: into which database? Give --db FILE');
    expect((await runCli(['--replace'])).stderr).toContain('--replace applies only to \'oncall-mcp import\'');
    expect((await runCli(['export', 'a.json', 'b.json'])).stderr).toContain('export: at most one output file');
  });
});
