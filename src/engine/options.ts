/**
 * What the CLI checks of the engine's options while it parses flags, without loading the engine:
 * `src/engine/index.ts` reaches every module (the template sandbox's WebAssembly, SQLite), and the
 * bundled server loads those only once the backend opens, after `initialize` (src/cli/commands.ts).
 */
export { parseAllowEntry } from './runtime/outgoing/address-policy.js';
