/**
 * Build the backend the options ask for: the memory engine with the demo organisation or a data
 * file, optionally persisted.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { OnCallBackend } from '../api/backend.js';
import { DEMO_ORGANISATION } from '../demo/organisation.js';
import { DataFileError, importData } from '../engine/storage/data-file.js';
import { MemoryBackend } from '../engine/memory-backend.js';
import { FileLock, FileLockedError } from '../engine/storage/file-lock.js';
import { Persister, removeStaleTempFiles, serializeState, writeFileAtomic } from '../engine/storage/persistence.js';
import type { State } from '../engine/core/state.js';
import { httpBackendConfig, redactUrl } from './http-config.js';
import type { Options } from './options.js';
import { UsageError } from './options.js';

export function demoState(): State {
  return importData(DEMO_ORGANISATION);
}

export function loadDataFile(file: string): State {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--data ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--data ${file}: not valid JSON: ${(err as Error).message}`);
  }
  try {
    return importData(json);
  } catch (err) {
    if (err instanceof DataFileError) {
      throw new UsageError(
        `--data ${file}: ${err.problems.length} problem(s):\n${err.problems.map((p) => `  ${p}`).join('\n')}`,
      );
    }
    throw err;
  }
}

export interface BuiltBackend {
  backend: OnCallBackend;
  /** One line for the log: where the data comes from. */
  source: string;
  /** With `--persist`: flushed on shutdown, in case a background save is still owed. */
  persister?: Persister;
}

export async function buildBackend(
  options: Pick<
    Options,
    'data' | 'persist' | 'publicUrl' | 'backend' | 'apiUrl' | 'tokenFile' | 'authScheme' | 'webhookAllow'
  >,
  log: (m: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BuiltBackend> {
  if (options.backend === 'http') {
    const config = httpBackendConfig(options, env);
    const { HttpBackend } = await import('../http-backend/backend.js'); // undici only when needed
    return { backend: new HttpBackend(config), source: `Grafana OnCall at ${redactUrl(config.baseUrl)}` };
  }
  const { data, persist } = options;
  if (data && persist) lockDataFile(data, log);
  let state: State;
  let source: string;
  if (data && !existsSync(data) && persist) {
    state = demoState();
    writeFileAtomic(data, serializeState(state));
    log(`oncall-mcp: created ${data} from the demo organisation`);
    source = `data file ${data} (persisted)`;
  } else if (data) {
    state = loadDataFile(data);
    source = `data file ${data}${persist ? ' (persisted)' : ''}`;
  } else {
    state = demoState();
    source = 'the built-in demo organisation';
  }
  const persister = persist && data ? new Persister(data, state, { log }) : undefined;
  const backend = new MemoryBackend({
    state,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(persister ? { store: persister } : {}),
    webhooks: { allow: options.webhookAllow },
  });
  return { backend, source, ...(persister ? { persister } : {}) };
}

/** Refuse a data file another process persists to; clear what an interrupted write left. */
function lockDataFile(file: string, log: (m: string) => void): void {
  try {
    FileLock.acquire(file);
  } catch (err) {
    if (err instanceof FileLockedError) throw new UsageError(`--data ${err.message}`);
    throw new UsageError(`--data ${file}: cannot lock it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const removed = removeStaleTempFiles(file);
  if (removed) log(`oncall-mcp: removed ${removed} temp file(s) an interrupted save left next to ${file}`);
}
