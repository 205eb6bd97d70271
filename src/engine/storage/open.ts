/**
 * Open the embedded engine on an organisation: the demo, or a data file (`--data`), optionally
 * persisted (`--persist`, which locks the file, clears what an interrupted save left, and creates
 * the file from the demo if it does not exist). Every problem is an `EngineOpenError` whose message
 * names the flag and the fix; the CLI shows it and exits 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { StateStore } from '../core/context.js';
import type { State } from '../core/state.js';
import { MemoryBackend } from '../memory-backend.js';
import { DataFileError, type DataFileInput, importData } from './data-file.js';
import { FileLock, FileLockedError } from './file-lock.js';
import { Persister, removeStaleTempFiles, serializeState, writeFileAtomic } from './persistence.js';

export class EngineOpenError extends Error {
  override readonly name = 'EngineOpenError';
}

export interface OpenOptions {
  /** The organisation to start from when there is no data file (the demo). */
  seed: DataFileInput;
  data?: string | undefined;
  persist?: boolean;
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

/** Read and check a data file; every problem is named by its JSON path. */
export function loadDataFile(file: string): State {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new EngineOpenError(`--data ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new EngineOpenError(`--data ${file}: not valid JSON: ${(err as Error).message}`);
  }
  try {
    return importData(json);
  } catch (err) {
    if (err instanceof DataFileError) {
      throw new EngineOpenError(
        `--data ${file}: ${err.problems.length} problem(s):\n${err.problems.map((p) => `  ${p}`).join('\n')}`,
      );
    }
    throw err;
  }
}

export function openEngine(options: OpenOptions): OpenedEngine {
  const { data, persist, log } = options;
  let store: StateStore | undefined;
  let state: State;
  let source: string;
  if (data && persist) {
    const lock = lockDataFile(data, log);
    try {
      if (!existsSync(data)) {
        state = importData(options.seed);
        writeFileAtomic(data, serializeState(state));
        log(`oncall-mcp: created ${data} from the demo organisation`);
      } else {
        state = loadDataFile(data);
      }
    } catch (err) {
      lock.release();
      throw err;
    }
    const persister = new Persister(data, state, { log });
    store = {
      save: (s) => persister.save(s),
      saveInBackground: (s) => persister.saveInBackground(s),
      flush: () => persister.flush(),
      get saved() {
        return persister.saved;
      },
      close: () => {
        persister.close();
        lock.release();
      },
    };
    source = `data file ${data} (persisted)`;
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

/** Refuse a data file another process persists to; clear what an interrupted write left. */
function lockDataFile(file: string, log: (m: string) => void): FileLock {
  let lock: FileLock;
  try {
    lock = FileLock.acquire(file);
  } catch (err) {
    if (err instanceof FileLockedError) throw new EngineOpenError(`--data ${err.message}`);
    throw new EngineOpenError(`--data ${file}: cannot lock it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const removed = removeStaleTempFiles(file);
  if (removed) log(`oncall-mcp: removed ${removed} temp file(s) an interrupted save left next to ${file}`);
  return lock;
}
