/**
 * `--persist`: after every mutation the whole state is written to the data file before the tool
 * result returns. The write is atomic: a temp file in the same directory, fsync, rename over the
 * target, fsync the directory. A crash at any point leaves either the old file or the new one.
 *
 * If the write fails (disk full, permissions), the in-memory state is rolled back to what is on
 * disk and the caller gets an error, so memory and file never disagree.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ApiError } from '../api/errors.js';
import { exportData, importData } from './data-file.js';
import type { State } from './state.js';

export function writeFileAtomic(file: string, contents: string): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    writeSync(fd, contents);
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

export function serializeState(state: State): string {
  return `${JSON.stringify(exportData(state), null, 2)}\n`;
}

/** Replace the contents of `target` with `source`, keeping the object identity the engine holds. */
function restoreInto(target: State, source: State): void {
  Object.assign(target, source);
}

export class Persister {
  private lastWritten: string;

  constructor(
    readonly file: string,
    initial: State,
  ) {
    this.lastWritten = serializeState(initial);
  }

  /** Write the state if it changed; on failure roll the state back and throw a 500. */
  save(state: State): void {
    const next = serializeState(state);
    if (next === this.lastWritten) return;
    try {
      writeFileAtomic(this.file, next);
      this.lastWritten = next;
    } catch (err) {
      restoreInto(state, importData(JSON.parse(this.lastWritten)));
      const code = (err as NodeJS.ErrnoException).code ?? 'write error';
      throw new ApiError(500, {
        detail: `Could not save the data file (${code}); the change was not applied.`,
      });
    }
  }
}
