/**
 * `npm run bench:surface`: what a client pays for this server before the first call, in one run:
 * model-visible tokens per tool (default, --read-only, each toolset) and spawn → initialize against
 * a minimal server on the same SDK. Prints figures; asserts nothing.
 */
import { cpus } from 'node:os';
import { benchStartup } from './startup.js';
import { benchModelTokens } from './tokens.js';

console.log(`oncall-mcp surface — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})\n`);
await benchStartup(15);
await benchModelTokens();
