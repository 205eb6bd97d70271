/** Test helpers for the database store: a real SQLite file in a temp directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoState } from '../src/demo/state.js';
import type { State } from '../src/engine/core/state.js';
import {
  DatabaseStore,
  type DatabaseStoreOptions,
  openDatabase,
  readWholeOrganisation,
  writeOrganisation,
} from '../src/engine/storage/database.js';

const dirs: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-db-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new database holding `state` (the demo by default), opened as the server opens it. */
export function storeWith(state: State = demoState(), options: DatabaseStoreOptions = {}, file = join(tempDir(), 'org.db')) {
  const db = openDatabase(file);
  writeOrganisation(db, state);
  const store = new DatabaseStore(db, file, { log: () => {}, ...options });
  return { store, state: store.state, file };
}

/** Open an existing database file again (after the previous store closed it). */
export function reopen(file: string, options: DatabaseStoreOptions = {}) {
  const store = new DatabaseStore(openDatabase(file), file, { log: () => {}, ...options });
  return { store, state: store.state };
}

/** Everything a database file holds, read after its store is closed (or through the store's own connection). */
export function databaseContent(fileOrStore: string | DatabaseStore): State {
  if (typeof fileOrStore !== 'string') return readWholeOrganisation(fileOrStore.db);
  const db = openDatabase(fileOrStore);
  try {
    return readWholeOrganisation(db);
  } finally {
    db.close();
  }
}

/** Make every write to the database fail (as a read-only or failing disk does), or work again. */
export function failWrites(store: DatabaseStore, failing: boolean): void {
  store.db.pragma(`query_only = ${failing ? 1 : 0}`);
}
