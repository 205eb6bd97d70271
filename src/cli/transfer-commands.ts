/** `oncall-mcp export` and `oncall-mcp import`: an organisation out of and into the engine's database. */
import { DEMO_ORGANISATION } from '../demo/organisation.js';
import { EngineOpenError, exportOrganisation, importOrganisation } from '../engine/index.js';
import { type Options, UsageError } from './options.js';

type Log = (message: string) => void;

/** Write the organisation as a data file to FILE (atomically) or stdout. */
export function exportCommand(options: Options, write: (chunk: string) => void, err: Log): number {
  const out = options.rest[0];
  try {
    const source = exportOrganisation({
      seed: DEMO_ORGANISATION,
      data: options.data,
      persist: options.persist,
      db: options.db,
      out,
      write,
    });
    if (out && out !== '-') err(`oncall-mcp: exported ${source} to ${out}`);
    return 0;
  } catch (e) {
    if (e instanceof EngineOpenError) throw new UsageError(e.message);
    throw e;
  }
}

/** Check a data file with the loader's rules and store it in a database. */
export function importCommand(options: Options, err: Log): number {
  try {
    err(`oncall-mcp: ${importOrganisation({ file: options.rest[0]!, db: options.db!, replace: options.replace })}`);
    return 0;
  } catch (e) {
    if (e instanceof EngineOpenError) throw new UsageError(e.message);
    throw e;
  }
}
