import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { importData } from '../../src/engine/storage/data-file.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { Persister, serializeState, writeFileAtomic } from '../../src/engine/storage/persistence.js';
import { connect } from '../helpers.js';

describe('persistence', () => {
  it('writes the state after each mutation, in the format the loader reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-'));
    const file = join(dir, 'org.json');
    const state = demoState();
    writeFileAtomic(file, serializeState(state));
    const persister = new Persister(file, state);
    const backend = new MemoryBackend({ state, store: persister });
    const chain = await backend.escalationChains.create({ name: 'on disk' });
    const reloaded = importData(JSON.parse(readFileSync(file, 'utf8')));
    expect(reloaded.chains.get(chain.id)?.name).toBe('on disk');
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the file cannot be written, the change is rolled back and the tool says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-'));
    const file = join(dir, 'org.json');
    const state = demoState();
    writeFileAtomic(file, serializeState(state));
    const persister = new Persister(file, state);
    const h = await connect({ state });
    h.backend.ctx.commit = () => persister.save(state);
    rmSync(dir, { recursive: true, force: true }); // the directory vanishes: every write fails
    const result = await h.call('create_escalation_chain', { name: 'never saved' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Could not save the data file (ENOENT); the change was not applied.');
    const chains = await h.ok('list_escalation_chains', {});
    expect(chains.data.results.map((c: { name: string }) => c.name)).not.toContain('never saved');
    expect(chains.data.count).toBe(4);
    await h.close();
  });
});
