/**
 * `--persist`: after every mutation the whole state is written to the data file. The write is
 * atomic and checked: a temp file in the same directory, every byte written (a short write is an
 * error, not a truncated file), fsync, rename over the target, fsync the directory. A crash at any
 * point leaves either the old file or the new one.
 *
 * Two kinds of change reach the file, and a failed save is handled differently for each:
 * - a request's change (`save`): if it cannot be serialised or written, memory is rolled back to
 *   the last commit point and the caller gets an error saying the change was not applied;
 * - work the engine did on its own (`saveInBackground`: escalation steps, webhook results): that
 *   work has already happened (a person was notified, a webhook sent), so undoing it in memory
 *   would make it happen twice. Memory stays the truth, the failure is logged, and the save is
 *   retried with backoff until it succeeds. It never throws, so a timer tick cannot kill the process.
 *
 * A data file is used by one process at a time: `DataFileLock` refuses a second one at start.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { exportData, importData } from './data-file.js';
import type { State } from '../core/state.js';

/** The one filesystem call tests replace to simulate a disk that fills up mid-write. */
export interface WriteIo {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
}
const realIo: WriteIo = { writeSync: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length) };

/** Write every byte or throw: `writeSync` may write fewer bytes than asked (a nearly full disk). */
function writeAll(fd: number, data: Uint8Array, io: WriteIo): void {
  let offset = 0;
  while (offset < data.length) {
    const written = io.writeSync(fd, data, offset, data.length - offset);
    if (written <= 0) {
      throw Object.assign(new Error(`short write: ${offset} of ${data.length} bytes`), { code: 'ENOSPC' });
    }
    offset += written;
  }
}

const tempPrefix = (file: string) => `.${basename(file)}.`;

export function writeFileAtomic(file: string, contents: string, io: WriteIo = realIo): void {
  const dir = dirname(file);
  const temp = join(dir, `${tempPrefix(file)}${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    writeAll(fd, Buffer.from(contents, 'utf8'), io);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  // Make the rename itself durable.
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  }
}

/** Remove temp files an interrupted write left behind (call only while holding the file's lock). */
export function removeStaleTempFiles(file: string): number {
  const prefix = tempPrefix(file);
  let removed = 0;
  for (const name of readdirSync(dirname(file))) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      rmSync(join(dirname(file), name), { force: true });
      removed++;
    }
  }
  return removed;
}

export function serializeState(state: State): string {
  return `${JSON.stringify(exportData(state), null, 2)}\n`;
}

/** Replace the contents of `target` with `source`, keeping the object identity the engine holds. */
function restoreInto(target: State, source: State): void {
  Object.assign(target, source);
}

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'write error';

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export interface PersisterOptions {
  io?: WriteIo;
  /** Where background save failures are reported (stderr in the server). */
  log?: (message: string) => void;
  /** The first retry's delay after a failed background save (doubles up to a minute). */
  retryFirstMs?: number;
}

export class Persister {
  /** The state at the last commit point, serialised; what a rollback restores. */
  private lastCommitted: string;
  /** False while a background change waits for a retried save. */
  private onDisk = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly retryFirst: number;
  private retryDelay: number;
  private readonly io: WriteIo;
  private readonly log: (message: string) => void;

  constructor(
    readonly file: string,
    private readonly state: State,
    options: PersisterOptions = {},
  ) {
    this.lastCommitted = serializeState(state);
    this.io = options.io ?? realIo;
    this.retryFirst = options.retryFirstMs ?? RETRY_FIRST_MS;
    this.retryDelay = this.retryFirst;
    this.log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
  }

  /** True when everything in memory is on disk. */
  get saved(): boolean {
    return this.onDisk;
  }

  /** A request's change: write it, or roll it back and throw a 500 that says it was not applied. */
  save(state: State = this.state): void {
    let next: string;
    try {
      next = serializeState(state);
    } catch (err) {
      this.rollback(state);
      throw new ApiError(500, {
        detail: `The change holds a value that cannot be stored (${err instanceof Error ? err.name : 'error'}); it was not applied.`,
      });
    }
    if (next === this.lastCommitted && this.onDisk) return;
    try {
      writeFileAtomic(this.file, next, this.io);
    } catch (err) {
      this.rollback(state);
      throw new ApiError(500, {
        detail: `Could not save the data file (${errorCode(err)}); the change was not applied.`,
      });
    }
    this.written(next);
  }

  /** Work the engine already did: never throws; a failed write is retried with backoff. */
  saveInBackground(state: State = this.state): void {
    let next: string;
    try {
      next = serializeState(state);
    } catch (err) {
      // Only the engine's own code gets here (request values are bounded before they are applied).
      this.log(`oncall-mcp: the engine's state cannot be serialised (${err instanceof Error ? err.message : String(err)}); not saved, will retry`);
      this.scheduleRetry();
      return;
    }
    if (next === this.lastCommitted && this.onDisk) return;
    this.lastCommitted = next;
    try {
      writeFileAtomic(this.file, next, this.io);
    } catch (err) {
      this.onDisk = false;
      this.log(
        `oncall-mcp: could not save ${this.file} (${errorCode(err)}); the engine keeps running on what is in memory and retries in ${this.retryDelay} ms`,
      );
      this.scheduleRetry();
      return;
    }
    this.written(next);
  }

  /** Save what is in memory now if a background save is still owed (shutdown calls it). */
  flush(): void {
    if (this.onDisk) return;
    this.saveInBackground();
  }

  /** Stop retrying (the process is exiting or the backend is discarded). */
  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private written(next: string): void {
    const recovered = !this.onDisk;
    this.lastCommitted = next;
    this.onDisk = true;
    this.retryDelay = this.retryFirst;
    this.close();
    if (recovered) this.log(`oncall-mcp: ${this.file} is saved again`);
  }

  private rollback(state: State): void {
    restoreInto(state, importData(JSON.parse(this.lastCommitted)));
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.onDisk = false; // force the write even if nothing changed since the failed attempt
      this.saveInBackground();
    }, delay);
    this.retryTimer.unref();
  }
}
