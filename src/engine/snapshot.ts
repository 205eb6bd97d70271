/**
 * The engine over a snapshot of someone else's organisation (a live OnCall's configuration as the
 * HTTP backend fetched it), frozen at one instant: what lets answers a live OnCall does not give
 * (current_oncall on self-hosted OnCall, simulation) be computed by the engine's own logic. The
 * snapshot lives in memory only and sends nothing: no timer runs, no webhook is started, and the
 * organisation it came from is never written to.
 */
import type { OnCallBackend } from '../api/backend.js';
import { VirtualClock } from './core/clock.js';
import { MemoryBackend } from './memory-backend.js';
import { type DataFileInput, DataFileError, importData } from './storage/data-file.js';

export class SnapshotError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the snapshot is not a consistent organisation: ${problems.slice(0, 5).join('; ')}`);
  }
}

export function snapshotEngine(data: DataFileInput, now: number): OnCallBackend {
  try {
    return new MemoryBackend({ state: importData(data), clock: new VirtualClock(now) });
  } catch (err) {
    if (err instanceof DataFileError) throw new SnapshotError(err.problems);
    throw err;
  }
}
