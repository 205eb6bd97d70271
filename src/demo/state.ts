/** The demo organisation as engine state: what tests, benchmarks and simulations start from. */
import type { State } from '../engine/core/state.js';
import { importData } from '../engine/storage/data-file.js';
import { DEMO_ORGANISATION } from './organisation.js';

export function demoState(): State {
  return importData(DEMO_ORGANISATION);
}
