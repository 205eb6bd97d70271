/**
 * Writing a file so that a crash at any point leaves either the old file or the new one (what
 * `oncall-mcp export FILE` does): a temp file in the same directory, every byte written (a short
 * write is an error, not a truncated file), fsync, rename over the target, fsync the directory.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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

/** Replace `file` with `contents` (a string, or chunks written one after another) atomically. */
export function writeFileAtomic(file: string, contents: string | Iterable<string>, io: WriteIo = realIo): void {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    for (const chunk of typeof contents === 'string' ? [contents] : contents) writeAll(fd, Buffer.from(chunk, 'utf8'), io);
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
