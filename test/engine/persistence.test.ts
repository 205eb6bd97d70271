import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { connect } from '../helpers.js';
import { databaseContent, failWrites, removeTempDirs, reopen, storeWith } from '../storage-helpers.js';

afterEach(removeTempDirs);

describe('persistence', () => {
  it('writes each mutation to the database, and a reopened database has it', async () => {
    const { store, state, file } = storeWith();
    const backend = new MemoryBackend({ state, store });
    const chain = await backend.escalationChains.create({ name: 'on disk' });
    expect(databaseContent(store).chains.get(chain.id)?.name).toBe('on disk');
    store.close();
    const again = reopen(file);
    expect(again.state.chains.get(chain.id)?.name).toBe('on disk');
    again.store.close();
    // It holds webhook credentials and integration tokens: only its owner may read it.
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('when the database cannot be written, the change is rolled back and the tool says so', async () => {
    const { store, state } = storeWith();
    const h = await connect({ state });
    h.backend.ctx.commit = () => store.save();
    failWrites(store, true); // every write fails
    const result = await h.call('create_escalation_chain', { name: 'never saved' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Could not save the database (SQLITE_READONLY); the change was not applied.');
    const chains = await h.ok('list_escalation_chains', {});
    expect(chains.data.results.map((c: { name: string }) => c.name)).not.toContain('never saved');
    expect(chains.data.count).toBe(4);
    await h.close();
    store.close();
  });
});
