/**
 * One process per data file. Two servers persisting to the same file would each write their own
 * view over the other's, silently losing changes, so the second one is refused at start.
 *
 * The lock is a `<file>.lock` created exclusively (`O_EXCL`) holding the owner's pid and host. A
 * lock whose process is gone (a crash, SIGKILL) is stale and taken over, so a restart after a crash
 * needs no manual step. A pid-and-liveness check fits this one-machine case better than mtime-based
 * lock libraries, which refuse a restart until their staleness timeout has passed.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export class FileLockedError extends Error {
  override readonly name = 'FileLockedError';
}

interface LockOwner {
  pid: number;
  host: string;
}

function readOwner(lockFile: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return { pid: parsed.pid, host: parsed.host };
  } catch {
    // unreadable or half-written (its writer died between create and write): treat as stale
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

export class FileLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly lockFile: string) {
    process.once('exit', this.onExit);
  }

  /** Take the lock on `file` or throw FileLockedError naming the process that holds it. */
  static acquire(file: string): FileLock {
    const lockFile = `${file}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(lockFile, 'wx', 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = readOwner(lockFile);
        const here = owner?.host === hostname();
        if (owner && (!here || (owner.pid !== process.pid && isAlive(owner.pid)))) {
          throw new FileLockedError(
            `${file} is in use by another oncall-mcp (pid ${owner.pid} on ${owner.host}). Stop that process or use `
            + `another data file; if no such process runs, delete ${lockFile}.`,
          );
        }
        rmSync(lockFile, { force: true }); // stale: its owner is gone
        continue;
      }
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname() }));
      } finally {
        closeSync(fd);
      }
      return new FileLock(lockFile);
    }
    throw new FileLockedError(`${file}: another process keeps taking ${lockFile}; try again`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    if (readOwner(this.lockFile)?.pid === process.pid) rmSync(this.lockFile, { force: true });
  }
}
