/**
 * The embedded engine's public surface: what the CLI (and anything else that hosts the engine)
 * may use. Everything else under src/engine/ is internal; lint keeps hosts to this module.
 */
export { MemoryBackend, type MemoryBackendOptions } from './memory-backend.js';
export { parseAllowEntry } from './runtime/outgoing/address-policy.js';
export type { DataFileInput } from './storage/data-file.js';
export { EngineOpenError, loadDataFile, openEngine, type OpenedEngine, type OpenOptions } from './storage/open.js';
export { exportOrganisation, type ExportOptions, importOrganisation, type ImportOptions } from './storage/transfer.js';
export { SnapshotError, snapshotEngine } from './snapshot.js';
export { simulateAlert, simulatedInstant } from './alerting/alert-preview.js';
