/**
 * `oncall-mcp export` and `import`: an organisation out of the engine as a data file (the format
 * `--data` reads), and a data file into a database. Export streams alert history from the
 * database row by row, so its memory does not grow with history; the output is the same text
 * `JSON.stringify(exportData(state), null, 2)` gives for the whole state.
 */
import { realpathSync } from 'node:fs';
import type { State } from '../core/state.js';
import { writeFileAtomic } from './atomic-file.js';
import { exportData, importData } from './data-file.js';
import { historyRows, holdsOrganisation, readConfiguration, writeOrganisation } from './database.js';
import { databaseOf, EngineOpenError, loadDataFile, openLockedDatabase, type OpenOptions } from './open.js';

/** The history arrays of the data file's `engine` section, and where their rows come from. */
const STREAMED = [
  ['alert_groups', 'alertGroups'],
  ['alerts', 'alerts'],
  ['resolution_notes', 'resolutionNotes'],
  ['webhook_responses', 'webhookResponses'],
] as const;

/** The data file text, in chunks: configuration first, then history straight from `rows`. */
type StreamedKind = (typeof STREAMED)[number][1];
export function* dataFileChunks(state: State, rows?: (kind: StreamedKind) => Iterable<unknown>): Generator<string> {
  const data = exportData(state);
  if (!rows) {
    yield `${JSON.stringify(data, null, 2)}\n`;
    return;
  }
  const engine = data.engine as Record<string, unknown>;
  for (const [key] of STREAMED) engine[key] = `\u0000${key}\u0000`;
  let text = `${JSON.stringify(data, null, 2)}\n`;
  for (const [key, kind] of STREAMED) {
    const marker = `"\\u0000${key}\\u0000"`;
    const at = text.indexOf(marker);
    yield text.slice(0, at);
    text = text.slice(at + marker.length);
    // Items of engine.<key> sit three levels deep: six spaces, as JSON.stringify indents them.
    let first = true;
    for (const row of rows(kind)) {
      yield `${first ? '[\n' : ',\n'}      ${JSON.stringify(row, null, 2).replace(/\n/g, '\n      ')}`;
      first = false;
    }
    yield first ? '[]' : '\n    ]';
  }
  yield text;
}

export interface ExportOptions extends Pick<OpenOptions, 'data' | 'persist' | 'db' | 'seed'> {
  /** A file to write (atomically), or '-' / undefined for `write`. */
  out?: string | undefined;
  write: (chunk: string) => void;
}

/** Export the organisation the same options would serve. Returns where it came from. */
export function exportOrganisation(options: ExportOptions): string {
  const target = databaseOf(options);
  let chunks: Iterable<string>;
  let source: string;
  let close = () => {};
  if (target) {
    if (options.out && options.out !== '-' && sameFile(options.out, target.file)) {
      throw new EngineOpenError(`export: ${options.out} is the database itself; write the export to another file`);
    }
    const db = openLockedDatabase(target.file, target.flag);
    close = () => db.close();
    if (!holdsOrganisation(db)) {
      close();
      throw new EngineOpenError(`${target.flag} ${target.file}: holds no organisation yet (start the server on it once, or use oncall-mcp import)`);
    }
    chunks = dataFileChunks(readConfiguration(db), (kind) => historyRows(db, kind));
    source = `database ${target.file}`;
  } else if (options.data) {
    chunks = dataFileChunks(loadDataFile(options.data));
    source = `data file ${options.data}`;
  } else {
    chunks = dataFileChunks(importData(options.seed));
    source = 'the built-in demo organisation';
  }
  try {
    if (options.out && options.out !== '-') writeFileAtomic(options.out, chunks);
    else for (const chunk of chunks) options.write(chunk);
  } finally {
    close();
  }
  return source;
}

export interface ImportOptions {
  file: string;
  db: string;
  /** Replace an organisation the database already holds. */
  replace: boolean;
}

/** Load a data file into a database, in one transaction. Returns a one-line summary. */
export function importOrganisation(options: ImportOptions): string {
  const state = loadDataFile(options.file, 'import');
  const db = openLockedDatabase(options.db, '--db');
  try {
    if (holdsOrganisation(db) && !options.replace) {
      throw new EngineOpenError(
        `import: ${options.db} already holds an organisation; pass --replace to overwrite it `
        + `(keep a copy first: oncall-mcp export --db ${options.db} backup.json)`,
      );
    }
    writeOrganisation(db, state, { seeded_from: options.file });
  } finally {
    db.close();
  }
  return `imported ${options.file} into ${options.db}: ${state.users.size} users, ${state.chains.size} escalation chains, `
    + `${state.integrations.size} integrations, ${state.alertGroups.size} alert groups`;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
