/**
 * Open the embedded engine on an organisation:
 * - the demo (no flags), or a JSON data file (`--data FILE`), in memory only;
 * - a database (`--db FILE`): every change is stored. A new database is seeded from `--data FILE`
 *   when given, else from the demo; one that already holds an organisation is opened as it is
 *   (the data file only seeds);
 * - `--data FILE --persist`: the database `FILE.db` next to the data file, seeded from FILE on the
 *   first start (FILE may be a data file an older version persisted to, alert history and all: that
 *   first start is its migration), or from the demo when FILE does not exist.
 * Every problem is an `EngineOpenError` whose message names the flag and the fix; the CLI shows it
 * and exits 2.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { StateStore } from '../core/context.js';
import type { State } from '../core/state.js';
import { MemoryBackend } from '../memory-backend.js';
import { DataFileError, type DataFileInput, importData } from './data-file.js';
import {
  DatabaseOpenError,
  DatabaseStore,
  holdsOrganisation,
  openDatabase,
  readMeta,
  writeOrganisation,
} from './database.js';

export class EngineOpenError extends Error {
  override readonly name = 'EngineOpenError';
}

export interface OpenOptions {
  /** The organisation to start from when there is no data file (the demo). */
  seed: DataFileInput;
  data?: string | undefined;
  persist?: boolean;
  /** The database to store the organisation in (`--db`). */
  db?: string | undefined;
  publicUrl?: string | undefined;
  /** Internal webhook targets let through the address guard (`--webhook-allow`). */
  webhookAllow?: readonly string[];
  log: (message: string) => void;
}

export interface OpenedEngine {
  backend: MemoryBackend;
  /** One line for the log: where the data comes from. */
  source: string;
}

/** Read and check a data file; every problem is named by its JSON path. `flag` names where it came from. */
export function loadDataFile(file: string, flag = '--data'): State {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineOpenError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EngineOpenError(`${flag} ${file}: not valid JSON: ${(err as Error).message}`);
  }
  try {
    return importData(json);
  } catch (err) {
    if (err instanceof DataFileError) {
      throw new EngineOpenError(
        `${flag} ${file}: ${err.problems.length} problem(s):\n${err.problems.map((p) => `  ${p}`).join('\n')}`,
      );
    }
    throw err;
  }
}

/** Which database the options name, and the flag to name in messages; undefined: memory only. */
export function databaseOf(options: Pick<OpenOptions, 'data' | 'persist' | 'db'>): { file: string; flag: string } | undefined {
  if (options.db) return { file: options.db, flag: '--db' };
  if (options.persist) {
    if (!options.data) throw new EngineOpenError('--persist needs --data FILE (the database is FILE.db next to it), or use --db FILE');
    return { file: `${options.data}.db`, flag: '--persist' };
  }
  return undefined;
}

/** Open (and lock) a database, turning its refusals into messages that name the flag. */
export function openLockedDatabase(file: string, flag: string): ReturnType<typeof openDatabase> {
  try {
    return openDatabase(file);
  } catch (err) {
    if (err instanceof DatabaseOpenError) throw new EngineOpenError(`${flag} ${err.message}`);
    throw err;
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

export function openEngine(options: OpenOptions): OpenedEngine {
  const { data, log } = options;
  const target = databaseOf(options);
  let state: State;
  let store: StateStore | undefined;
  let source: string;
  if (target) {
    const db = openLockedDatabase(target.file, target.flag);
    let opened: DatabaseStore;
    try {
      if (!holdsOrganisation(db)) {
        seedDatabase(db, target.file, options);
      } else if (data && existsSync(data)) {
        const seededWith = readMeta(db, 'seed_sha256');
        if (seededWith !== undefined && seededWith !== sha256(data)) {
          log(
            `oncall-mcp: --data ${data} has changed since it seeded ${target.file}, and is not loaded: the database holds `
            + `the organisation. To replace it with the file: oncall-mcp import ${data} --db ${target.file} --replace`,
          );
        }
      }
      opened = new DatabaseStore(db, target.file, { log });
    } catch (err) {
      db.close();
      throw err;
    }
    state = opened.state;
    store = opened;
    source = `database ${target.file}`;
  } else if (data) {
    state = loadDataFile(data);
    source = `data file ${data}`;
  } else {
    state = importData(options.seed);
    source = 'the built-in demo organisation';
  }
  const backend = new MemoryBackend({
    state,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(store ? { store } : {}),
    webhooks: { allow: options.webhookAllow ?? [] },
  });
  return { backend, source };
}

/** A new database: the data file's organisation (history included), or the demo. */
function seedDatabase(db: ReturnType<typeof openDatabase>, file: string, options: OpenOptions): void {
  const { data, log } = options;
  // `--persist` always created its file from the demo when the file was missing; `--db` with a
  // `--data` file that is not there is a mistake worth stopping for.
  if (data && (existsSync(data) || !options.persist)) {
    const state = loadDataFile(data);
    writeOrganisation(db, state, { seeded_from: data, seed_sha256: sha256(data) });
    log(
      options.persist && !options.db
        ? `oncall-mcp: created ${file} from ${data}; changes are stored there from now on (${data} is no longer written)`
        : `oncall-mcp: created ${file} from ${data}`,
    );
    return;
  }
  writeOrganisation(db, importData(options.seed), { seeded_from: 'the demo organisation' });
  log(`oncall-mcp: created ${file} from the demo organisation`);
}
