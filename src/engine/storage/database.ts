/**
 * The engine's database (`--db FILE`, and `--persist`): SQLite through better-sqlite3, one file.
 *
 * What is stored: the engine's own records as JSON, one row each. Configuration (users, teams,
 * schedules, chains, policies, integrations, routes, ...; every map of the state that is not
 * history) in `config`, keyed by kind and id; alert groups, alerts and resolution notes in their
 * own tables with the columns lists filter on; webhook responses appended to theirs. `pos` keeps
 * creation order, which is the order the engine lists things in.
 *
 * Every commit writes only what changed, in one transaction:
 * - configuration: each commit names the kinds it touched (`ConfigChange`, e.g. a new step names
 *   `policies`), and only those are compared record by record with what was last saved (a JSON
 *   string per record). Work is in proportion to the kinds touched, not to the organisation (a
 *   commit on a 10,000-user organisation does not serialise its users). A commit that owes a
 *   failed save, and the retry, compare everything. With `verifyCommits` (the tests set
 *   ONCALL_MCP_VERIFY_COMMITS=1) every commit also compares the kinds it did not name and fails
 *   loudly if one changed, so a commit site that forgets a kind cannot pass the tests;
 * - history is far too large for that, so what changes it marks the record (`markChanged` in
 *   core/history.ts; `runtime.touch(group)` does it for groups); a marked record still in memory
 *   is written, one no longer in memory is deleted;
 * - webhook responses are only ever appended: what is past the last saved index is inserted.
 * The database runs in WAL mode with `synchronous=FULL`: when a commit returns, it is on disk, and
 * a crash at any instant leaves the last committed transaction. It is opened with
 * `locking_mode=EXCLUSIVE` and written at once, so the process holds the file's lock until it
 * exits and a second process is refused at start.
 *
 * Memory stays bounded as history grows: at start only the alert groups the runtime needs (not
 * resolved, or with pending work) are loaded, with their alerts and notes; resolved groups that
 * were used recently stay resident up to a limit; the rest are read from the database when asked
 * for (the store is the state's `HistoryArchive`).
 *
 * The two kinds of commit keep their meaning (see core/context.ts):
 * - a request's change (`save`): if it cannot be serialised or written, memory is rolled back to
 *   the last commit point and the caller gets a 500 saying the change was not applied;
 * - work the engine did on its own (`saveInBackground`): it has already happened (a person was
 *   notified, a webhook sent), so memory stays the truth, the failure is logged and the save is
 *   retried with backoff until it lands. It never throws.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import type { ConfigChange, ConfigKind, StateStore } from '../core/context.js';
import {
  type ArchivedAlertFilter,
  type ArchivedGroupFilter,
  type ArchivedRef,
  attachArchive,
  detachArchive,
  type HistoryArchive,
  type HistoryKind,
} from '../core/history.js';
import {
  type AlertGroupRecord,
  type AlertRecord,
  emptyState,
  type ResolutionNoteRecord,
  type State,
  type WebhookResponseRecord,
} from '../core/state.js';
import { hasPendingWork } from '../runtime/runtime.js';
import { indexChanged } from '../core/alert-group-index.js';

/** Bumped when the tables or the records' shapes change; older files are refused by name. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS config (
  kind TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alert_groups (
  id TEXT PRIMARY KEY, pos INTEGER NOT NULL, created_at INTEGER NOT NULL, integration_id TEXT NOT NULL,
  route_id TEXT, resolved INTEGER NOT NULL, live INTEGER NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_groups_live ON alert_groups (live);
CREATE INDEX IF NOT EXISTS alert_groups_pos ON alert_groups (pos);
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, pos INTEGER NOT NULL, group_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_group ON alerts (group_id);
CREATE INDEX IF NOT EXISTS alerts_pos ON alerts (pos);
CREATE TABLE IF NOT EXISTS resolution_notes (
  id TEXT PRIMARY KEY, pos INTEGER NOT NULL, group_id TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resolution_notes_group ON resolution_notes (group_id);
CREATE TABLE IF NOT EXISTS webhook_responses (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
`;

const HISTORY_KINDS: readonly HistoryKind[] = ['alertGroups', 'alerts', 'resolutionNotes'];
const TABLE: Record<HistoryKind, string> = {
  alertGroups: 'alert_groups',
  alerts: 'alerts',
  resolutionNotes: 'resolution_notes',
};

type ConfigMapKind = Exclude<
  { [K in keyof State]: State[K] extends Map<string, unknown> ? K : never }[keyof State],
  HistoryKind
>;
type SingletonKind = Exclude<keyof State, ConfigMapKind | HistoryKind | 'webhookResponses'>;

/**
 * The state's configuration maps and single objects, found from the state itself so a kind added
 * to the state is stored without a change here.
 */
function configKinds(): { maps: ConfigMapKind[]; singletons: SingletonKind[] } {
  const maps: ConfigMapKind[] = [];
  const singletons: SingletonKind[] = [];
  for (const [key, value] of Object.entries(emptyState())) {
    if ((HISTORY_KINDS as readonly string[]).includes(key) || key === 'webhookResponses') continue;
    if (value instanceof Map) maps.push(key as ConfigMapKind);
    else singletons.push(key as SingletonKind);
  }
  return { maps, singletons };
}
const KINDS = configKinds();
const ALL_CONFIG_KINDS: readonly ConfigKind[] = [...KINDS.maps, ...KINDS.singletons];

/** A group stays in memory while it is open or the runtime has work for it. */
export function mustStayResident(group: AlertGroupRecord): boolean {
  return !group.resolved || hasPendingWork(group);
}

/** Thrown when the database cannot be opened; the message names the file and the fix. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

const errorCode = (err: unknown) => (err as { code?: string }).code ?? (err instanceof Error ? err.name : 'error');

/** The process holding a lock on `file`, from Linux's lock table; undefined elsewhere. */
function lockHolder(file: string): number | undefined {
  try {
    const inode = statSync(file).ino;
    for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
      const parts = line.trim().split(/\s+/).filter((p) => p !== '->');
      const where = parts[5]?.split(':');
      const pid = Number(parts[4]);
      if (where?.length === 3 && Number(where[2]) === inode && pid !== process.pid && pid > 0) return pid;
    }
  } catch {
    // no lock table here: the message goes without the pid
  }
  return undefined;
}

/**
 * Open (creating if needed) and lock the database. Refuses a file another process holds, a file
 * that is not a database, and a database of another schema version, each with a message that
 * names the file and what to do.
 */
export function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    // The database holds webhook credentials and integration tokens: a new file is the owner's only
    // (SQLite gives its WAL the same permissions).
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    db = new Database(file, { timeout: 200 });
  } catch (err) {
    throw new DatabaseOpenError(`${file}: cannot open it (${errorCode(err)})`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Copy the WAL back into the database every ~40 MB rather than SQLite's 4 MB: during an alert
    // storm the same index pages are rewritten commit after commit, and a rarer checkpoint copies
    // each once (three paired ingestion runs here: 1,992 → 2,218 alerts/s on average, a gain about as
    // large as this machine's run-to-run noise). Durability is the WAL's either way; the
    // file is cut back to 64 MB after a checkpoint so it does not keep a storm's size on disk.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== 0 && version !== SCHEMA_VERSION) {
      throw new DatabaseOpenError(
        `${file}: a database of schema version ${version}; this oncall-mcp reads version ${SCHEMA_VERSION}. `
        + 'Open it with the oncall-mcp that wrote it and move the organisation with `oncall-mcp export` / `import`.',
      );
    }
    // A write now takes the exclusive lock, held until the process closes the database.
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      db.prepare('INSERT INTO meta (key, value) VALUES (\'opened_by_pid\', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(String(process.pid));
    }).immediate();
  } catch (err) {
    db.close();
    if (err instanceof DatabaseOpenError) throw err;
    const code = errorCode(err);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      const pid = lockHolder(file);
      throw new DatabaseOpenError(
        `${file} is in use by another process${pid ? ` (pid ${pid})` : ''}, most likely another oncall-mcp serving it. `
        + 'Stop that process, or use another --db FILE.',
      );
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseOpenError(
        `${file}: not an oncall-mcp database (${code}). If it is a JSON data file, use --data ${file}, `
        + `or load it into a database: oncall-mcp import ${file} --db FILE`,
      );
    }
    throw new DatabaseOpenError(`${file}: cannot open it (${code})`);
  }
  // Case-insensitive search in alert payloads with JavaScript's own lower-casing (SQLite's lower()
  // only knows ASCII), so archived alerts match exactly as resident ones do.
  db.function('payload_contains', { deterministic: true }, (text: unknown, needle: unknown) =>
    String(text).toLowerCase().includes(String(needle)) ? 1 : 0,
  );
  return db;
}

/** True when the database holds an organisation. */
export function holdsOrganisation(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM config LIMIT 1').get() !== undefined;
}

export function readMeta(db: Database.Database, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function writeMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

interface GroupRow {
  id: string;
  pos: number;
  created_at: number;
  integration_id: string;
  route_id: string | null;
  resolved: number;
  live: number;
  body: string;
}
interface AlertRow {
  id: string;
  pos: number;
  group_id: string;
  created_at: number;
  payload: string;
}
interface NoteRow {
  id: string;
  pos: number;
  group_id: string;
  body: string;
}

function groupRow(group: AlertGroupRecord, pos: number): GroupRow {
  return {
    id: group.id,
    pos,
    created_at: group.createdAt,
    integration_id: group.integrationId,
    route_id: group.routeId,
    resolved: group.resolved ? 1 : 0,
    live: mustStayResident(group) ? 1 : 0,
    body: JSON.stringify(group),
  };
}
function alertRow(alert: AlertRecord, pos: number): AlertRow {
  return {
    id: alert.id,
    pos,
    group_id: alert.alertGroupId,
    created_at: alert.createdAt,
    payload: JSON.stringify(alert.payload) ?? 'null',
  };
}
function noteRow(note: ResolutionNoteRecord, pos: number): NoteRow {
  return { id: note.id, pos, group_id: note.alertGroupId, body: JSON.stringify(note) };
}
const alertOf = (row: AlertRow): AlertRecord => ({
  id: row.id,
  alertGroupId: row.group_id,
  createdAt: row.created_at,
  payload: JSON.parse(row.payload),
});

/** The SQL that writes one history record, per kind. */
function historyStatements(db: Database.Database) {
  return {
    alertGroups: {
      upsert: db.prepare(
        `INSERT INTO alert_groups (id, pos, created_at, integration_id, route_id, resolved, live, body)
         VALUES (@id, @pos, @created_at, @integration_id, @route_id, @resolved, @live, @body)
         ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, integration_id = excluded.integration_id,
           route_id = excluded.route_id, resolved = excluded.resolved, live = excluded.live, body = excluded.body`,
      ),
      remove: db.prepare('DELETE FROM alert_groups WHERE id = ?'),
    },
    alerts: {
      upsert: db.prepare(
        `INSERT INTO alerts (id, pos, group_id, created_at, payload) VALUES (@id, @pos, @group_id, @created_at, @payload)
         ON CONFLICT (id) DO UPDATE SET group_id = excluded.group_id, created_at = excluded.created_at, payload = excluded.payload`,
      ),
      remove: db.prepare('DELETE FROM alerts WHERE id = ?'),
    },
    resolutionNotes: {
      upsert: db.prepare(
        `INSERT INTO resolution_notes (id, pos, group_id, body) VALUES (@id, @pos, @group_id, @body)
         ON CONFLICT (id) DO UPDATE SET group_id = excluded.group_id, body = excluded.body`,
      ),
      remove: db.prepare('DELETE FROM resolution_notes WHERE id = ?'),
    },
  };
}

/** Write a whole organisation into an empty database (seeding, import), in one transaction. */
export function writeOrganisation(db: Database.Database, state: State, meta: Record<string, string> = {}): void {
  const history = historyStatements(db);
  const config = db.prepare('INSERT INTO config (kind, id, pos, body) VALUES (?, ?, ?, ?)');
  const response = db.prepare('INSERT INTO webhook_responses (body) VALUES (?)');
  db.transaction(() => {
    for (const table of ['config', 'alert_groups', 'alerts', 'resolution_notes', 'webhook_responses']) {
      db.prepare(`DELETE FROM ${table}`).run();
    }
    for (const kind of KINDS.maps) {
      let pos = 0;
      for (const [id, record] of state[kind] as Map<string, unknown>) {
        config.run(kind, id, pos++, JSON.stringify(record));
      }
    }
    for (const kind of KINDS.singletons) config.run(kind, '', 0, JSON.stringify(state[kind]));
    let pos = 0;
    for (const group of state.alertGroups.values()) history.alertGroups.upsert.run(groupRow(group, pos++));
    pos = 0;
    for (const alert of state.alerts.values()) history.alerts.upsert.run(alertRow(alert, pos++));
    pos = 0;
    for (const note of state.resolutionNotes.values()) history.resolutionNotes.upsert.run(noteRow(note, pos++));
    for (const r of state.webhookResponses) response.run(JSON.stringify(r));
    for (const [key, value] of Object.entries(meta)) writeMeta(db, key, value);
  }).immediate();
}

/** Configuration rows of a kind, in creation order. */
function configRows(db: Database.Database): Array<{ kind: string; id: string; pos: number; body: string }> {
  return db.prepare('SELECT kind, id, pos, body FROM config ORDER BY kind, pos').all() as Array<{
    kind: string;
    id: string;
    pos: number;
    body: string;
  }>;
}

function knownKind(kind: string): 'map' | 'singleton' | undefined {
  if ((KINDS.maps as readonly string[]).includes(kind)) return 'map';
  if ((KINDS.singletons as readonly string[]).includes(kind)) return 'singleton';
  return undefined;
}

/**
 * Everything the database holds, history included, as one state: what `export` writes and what
 * tests compare memory with. Memory grows with history here; the server never calls it.
 */
export function readWholeOrganisation(db: Database.Database): State {
  const state = readConfiguration(db);
  for (const row of db.prepare('SELECT body FROM alert_groups ORDER BY pos').all() as GroupRow[]) {
    const group = JSON.parse(row.body) as AlertGroupRecord;
    state.alertGroups.set(group.id, group);
  }
  for (const row of db.prepare('SELECT * FROM alerts ORDER BY pos').all() as AlertRow[]) state.alerts.set(row.id, alertOf(row));
  for (const row of db.prepare('SELECT body FROM resolution_notes ORDER BY pos').all() as NoteRow[]) {
    const note = JSON.parse(row.body) as ResolutionNoteRecord;
    state.resolutionNotes.set(note.id, note);
  }
  state.webhookResponses = (db.prepare('SELECT body FROM webhook_responses ORDER BY seq').all() as Array<{ body: string }>)
    .map((r) => JSON.parse(r.body) as WebhookResponseRecord);
  return state;
}

/** The configuration alone (no history): what an export starts from before it streams the rest. */
export function readConfiguration(db: Database.Database): State {
  const state = emptyState();
  for (const row of configRows(db)) loadConfigRow(state, row);
  return state;
}

function loadConfigRow(state: State, row: { kind: string; id: string; body: string }): void {
  const kind = knownKind(row.kind);
  if (kind === 'map') (state[row.kind as ConfigMapKind] as Map<string, unknown>).set(row.id, JSON.parse(row.body));
  else if (kind === 'singleton') (state as unknown as Record<string, unknown>)[row.kind] = JSON.parse(row.body);
  else throw new DatabaseOpenError(`the database holds records of an unknown kind "${row.kind}"`);
}

/** The history export streams rows in creation order, never holding them all. */
export function* historyRows(db: Database.Database, kind: HistoryKind | 'webhookResponses'): Generator<unknown> {
  if (kind === 'alerts') {
    for (const row of db.prepare('SELECT * FROM alerts ORDER BY pos').iterate() as Iterable<AlertRow>) yield alertOf(row);
    return;
  }
  const sql = kind === 'webhookResponses'
    ? 'SELECT body FROM webhook_responses ORDER BY seq'
    : `SELECT body FROM ${TABLE[kind]} ORDER BY pos`;
  for (const row of db.prepare(sql).iterate() as Iterable<{ body: string }>) yield JSON.parse(row.body);
}

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 60_000;
/** Resolved alert groups kept in memory after use, beyond the ones the runtime needs. */
const RESIDENT_RESOLVED_GROUPS = 500;
/** Webhook responses kept in memory after they are saved (the API never reads them back). */
const RESIDENT_WEBHOOK_RESPONSES = 1_000;

export interface DatabaseStoreOptions {
  /** Where background save failures are reported (stderr in the server). */
  log?: (message: string) => void;
  /** The first retry's delay after a failed background save (doubles up to a minute). */
  retryFirstMs?: number;
  /** How many resolved alert groups stay in memory after use. */
  residentResolvedGroups?: number;
  /**
   * Also compare the configuration kinds a commit did not name, and throw if one changed (a
   * commit site that forgot a kind). Costs a full comparison per commit: for tests.
   * Default: ONCALL_MCP_VERIFY_COMMITS=1 in the environment.
   */
  verifyCommits?: boolean;
}

interface ConfigEntry {
  json: string;
  pos: number;
}

/** One commit's writes, computed before anything is written. */
interface ChangeSet {
  config: Array<{ kind: string; id: string; pos: number; json: string }>;
  configDeletes: Array<{ kind: string; id: string }>;
  history: Array<{ kind: HistoryKind; id: string; row: GroupRow | AlertRow | NoteRow | undefined }>;
  responses: WebhookResponseRecord[];
  /** Configuration as it will be after the write (what the mirrors become). */
  nextConfig: Map<string, Map<string, ConfigEntry>>;
}

const historyKey = (kind: HistoryKind, id: string) => `${kind}\u0000${id}`;

export class DatabaseStore implements StateStore, HistoryArchive {
  /**
   * Configuration as of the last commit point, per kind (what a rollback restores), and as it is
   * in the database. They differ only while a failed background save waits for its retry.
   */
  private committed = new Map<string, Map<string, ConfigEntry>>();
  private onDisk = new Map<string, Map<string, ConfigEntry>>();
  /** History records marked since the last commit point. */
  private readonly dirty = new Set<string>();
  /**
   * History records whose last commit point is not in the database yet (a failed background save):
   * their JSON at that point (null when deleted), what a rollback restores instead of the database.
   */
  private readonly owed = new Map<string, string | null>();
  /** Creation rank of each resident history record, and the next rank per kind. */
  private readonly ranks: Record<HistoryKind, Map<string, number>> = {
    alertGroups: new Map(),
    alerts: new Map(),
    resolutionNotes: new Map(),
  };

  private readonly nextRank: Record<HistoryKind, number>;
  /** Resolved groups in memory, least recently used first. */
  private readonly recent = new Map<string, true>();
  /** Index in `state.webhookResponses` of the first one not in the database, and of the commit point. */
  private responsesSaved: number;
  private responsesCommitted: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly retryFirst: number;
  private retryDelay: number;
  private readonly residentLimit: number;
  private readonly log: (message: string) => void;
  private readonly statements;
  private closed = false;
  /** A background save failed and has not landed since. */
  private failing = false;
  private readonly verifyCommits: boolean;

  /** Open the store on a database that holds an organisation: loads what must be in memory. */
  constructor(
    readonly db: Database.Database,
    readonly file: string,
    options: DatabaseStoreOptions = {},
  ) {
    this.log = options.log ?? ((m) => process.stderr.write(`${m}\n`));
    this.retryFirst = options.retryFirstMs ?? RETRY_FIRST_MS;
    this.retryDelay = this.retryFirst;
    this.residentLimit = options.residentResolvedGroups ?? RESIDENT_RESOLVED_GROUPS;
    this.verifyCommits = options.verifyCommits ?? process.env.ONCALL_MCP_VERIFY_COMMITS === '1';
    this.statements = {
      history: historyStatements(db),
      configUpsert: db.prepare(
        'INSERT INTO config (kind, id, pos, body) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET pos = excluded.pos, body = excluded.body',
      ),
      configDelete: db.prepare('DELETE FROM config WHERE kind = ? AND id = ?'),
      response: db.prepare('INSERT INTO webhook_responses (body) VALUES (?)'),
      groupBody: db.prepare('SELECT body FROM alert_groups WHERE id = ?').pluck(),
      alertById: db.prepare('SELECT * FROM alerts WHERE id = ?'),
      noteBody: db.prepare('SELECT body FROM resolution_notes WHERE id = ?').pluck(),
      noteGroup: db.prepare('SELECT group_id FROM resolution_notes WHERE id = ?').pluck(),
      alertsOfGroup: db.prepare('SELECT * FROM alerts WHERE group_id = ? ORDER BY pos'),
      notesOfGroup: db.prepare('SELECT id, pos, body FROM resolution_notes WHERE group_id = ? ORDER BY pos'),
      holds: db.prepare(
        `SELECT 1 FROM alert_groups WHERE id = @id UNION ALL SELECT 1 FROM alerts WHERE id = @id
         UNION ALL SELECT 1 FROM resolution_notes WHERE id = @id LIMIT 1`,
      ).pluck(),
      rank: db.prepare('SELECT pos FROM alert_groups WHERE id = ?').pluck(),
    };
    const max = (table: string) => ((db.prepare(`SELECT max(pos) FROM ${table}`).pluck().get() as number | null) ?? -1) + 1;
    this.nextRank = { alertGroups: max('alert_groups'), alerts: max('alerts'), resolutionNotes: max('resolution_notes') };
    this.state = this.load();
    this.responsesSaved = 0;
    this.responsesCommitted = 0;
    attachArchive(this.state, this);
  }

  /** The state the engine runs on; history beyond the resident part stays in the database. */
  readonly state: State;

  private load(): State {
    const state = emptyState();
    for (const row of configRows(this.db)) {
      loadConfigRow(state, row);
      let entries = this.committed.get(row.kind);
      if (!entries) this.committed.set(row.kind, (entries = new Map()));
      entries.set(row.id, { json: row.body, pos: row.pos });
    }
    this.onDisk = this.committed;
    const groups = this.db.prepare('SELECT id, pos, body FROM alert_groups WHERE live = 1 ORDER BY pos').all() as GroupRow[];
    for (const row of groups) {
      state.alertGroups.set(row.id, JSON.parse(row.body) as AlertGroupRecord);
      this.ranks.alertGroups.set(row.id, row.pos);
    }
    const alerts = this.db
      .prepare('SELECT * FROM alerts WHERE group_id IN (SELECT id FROM alert_groups WHERE live = 1) ORDER BY pos')
      .all() as AlertRow[];
    for (const row of alerts) {
      state.alerts.set(row.id, alertOf(row));
      this.ranks.alerts.set(row.id, row.pos);
    }
    const notes = this.db
      .prepare('SELECT id, pos, body FROM resolution_notes WHERE group_id IN (SELECT id FROM alert_groups WHERE live = 1) ORDER BY pos')
      .all() as NoteRow[];
    for (const row of notes) {
      state.resolutionNotes.set(row.id, JSON.parse(row.body) as ResolutionNoteRecord);
      this.ranks.resolutionNotes.set(row.id, row.pos);
    }
    return state;
  }

  /** True when everything in memory is stored. */
  get saved(): boolean {
    return !this.failing && this.owed.size === 0 && this.responsesSaved === this.state.webhookResponses.length;
  }

  // ---- commits ----

  /** A request's change: write it, or roll memory back and throw a 500 that says it was not applied. */
  save(_state: State, changed: ConfigChange): void {
    this.checkUndeclared(changed);
    let changes: ChangeSet;
    try {
      changes = this.collect(changed);
    } catch (err) {
      this.rollback();
      throw new ApiError(500, {
        detail: `The change holds a value that cannot be stored (${err instanceof Error ? err.name : 'error'}); it was not applied.`,
      });
    }
    try {
      this.write(changes);
    } catch (err) {
      this.rollback();
      throw new ApiError(500, { detail: `Could not save the database (${errorCode(err)}); the change was not applied.` });
    }
    this.written(changes);
    if (this.failing) {
      // This commit also wrote what a failed background save owed.
      this.failing = false;
      this.stopRetrying();
      this.log(`oncall-mcp: ${this.file} is saved again`);
    }
  }

  /** Work the engine already did: never throws; a failed write is retried with backoff. */
  saveInBackground(_state?: State, changed?: ConfigChange): void {
    if (this.closed) return;
    if (changed) this.checkUndeclared(changed);
    let changes: ChangeSet;
    try {
      changes = this.collect(changed);
    } catch (err) {
      // Only the engine's own code gets here (request values are bounded before they are applied).
      this.log(`oncall-mcp: the engine's state cannot be serialised (${err instanceof Error ? err.message : String(err)}); not saved, will retry`);
      this.failing = true;
      this.scheduleRetry();
      return;
    }
    try {
      this.write(changes);
    } catch (err) {
      this.owe(changes);
      this.failing = true;
      this.log(
        `oncall-mcp: could not save ${this.file} (${errorCode(err)}); the engine keeps running on what is in memory and retries in ${this.retryDelay} ms`,
      );
      this.scheduleRetry();
      return;
    }
    this.written(changes);
    if (this.failing) {
      this.failing = false;
      this.stopRetrying();
      this.log(`oncall-mcp: ${this.file} is saved again`);
    }
  }

  /** Save now what a failed background save still owes (shutdown calls it). */
  flush(): void {
    if (!this.saved) this.saveInBackground();
  }

  /** Stop retrying and close the database (which releases its lock). */
  close(): void {
    if (this.closed) return;
    this.stopRetrying();
    this.closed = true;
    detachArchive(this.state);
    this.db.close();
  }

  /**
   * The tests' check that a commit named every configuration kind it changed (see
   * `verifyCommits`). Not an ApiError: it is a bug in the engine, and must not read as a refusal.
   */
  private checkUndeclared(changed: ConfigChange): void {
    if (!this.verifyCommits || this.owesConfig()) return;
    const unnamed = ALL_CONFIG_KINDS.filter((k) => !changed.includes(k));
    const probe = this.collect(unnamed, false);
    const first = probe.config[0] ?? probe.configDeletes[0];
    if (first) throw new Error(`engine bug: a commit changed ${first.kind} ${first.id || '(the record)'} without naming '${first.kind}'`);
  }

  /** The configuration in memory may differ from the database beyond what the next commit names. */
  private owesConfig(): boolean {
    return this.failing || this.committed !== this.onDisk;
  }

  /**
   * What this commit writes: configuration of the kinds named (all of them when `changed` is not
   * given, or a failed save is owed) that differs from the database, marked history, new responses.
   */
  private collect(changed?: ConfigChange, withHistory = true): ChangeSet {
    const state = this.state;
    const kinds = new Set<ConfigKind>(changed && !this.owesConfig() ? changed : ALL_CONFIG_KINDS);
    const changes: ChangeSet = { config: [], configDeletes: [], history: [], responses: [], nextConfig: new Map() };
    const diff = (kind: string, records: Iterable<[string, unknown]>) => {
      const disk = this.onDisk.get(kind) ?? new Map<string, ConfigEntry>();
      const next = new Map<string, ConfigEntry>();
      let maxPos = -1;
      for (const entry of disk.values()) maxPos = Math.max(maxPos, entry.pos);
      let lastPos = -1;
      let reordered = false;
      for (const [id, record] of records) {
        const json = JSON.stringify(record);
        if (json === undefined) throw new TypeError(`${kind} ${id} is not storable`);
        const before = disk.get(id);
        if (before && before.pos < lastPos) reordered = true;
        const pos = before ? before.pos : ++maxPos;
        lastPos = pos;
        next.set(id, { json, pos });
      }
      if (reordered) {
        // Something changed the map's order (rare): renumber the kind so a reload keeps it.
        let pos = 0;
        for (const entry of next.values()) entry.pos = pos++;
      }
      for (const [id, entry] of next) {
        const before = disk.get(id);
        const same = before && before.json === entry.json && before.pos === entry.pos;
        if (!same) changes.config.push({ kind, id, ...entry });
      }
      for (const id of disk.keys()) if (!next.has(id)) changes.configDeletes.push({ kind, id });
      changes.nextConfig.set(kind, next);
    };
    for (const kind of KINDS.maps) {
      if (kinds.has(kind)) diff(kind, state[kind] as Map<string, unknown>);
      else if (this.onDisk.has(kind)) changes.nextConfig.set(kind, this.onDisk.get(kind)!); // unchanged, shared
    }
    for (const kind of KINDS.singletons) {
      if (kinds.has(kind)) diff(kind, [['', state[kind]]]);
      else if (this.onDisk.has(kind)) changes.nextConfig.set(kind, this.onDisk.get(kind)!);
    }
    if (!withHistory) return changes;

    const keys = new Set([...this.owed.keys(), ...this.dirty]);
    for (const key of keys) {
      const [kind, id] = key.split('\u0000') as [HistoryKind, string];
      changes.history.push({ kind, id, row: this.rowOf(kind, id) });
    }
    changes.responses = state.webhookResponses.slice(this.responsesSaved);
    // Serialise responses now, so a value that cannot be stored fails before anything is written.
    for (const r of changes.responses) JSON.stringify(r);
    return changes;
  }

  /** The row a resident history record is stored as; undefined when it is no longer in memory. */
  private rowOf(kind: HistoryKind, id: string): GroupRow | AlertRow | NoteRow | undefined {
    const state = this.state;
    if (kind === 'alertGroups') {
      const group = state.alertGroups.get(id);
      return group && groupRow(group, this.pos(kind, id));
    }
    if (kind === 'alerts') {
      const alert = state.alerts.get(id);
      return alert && alertRow(alert, this.pos(kind, id));
    }
    const note = state.resolutionNotes.get(id);
    return note && noteRow(note, this.pos(kind, id));
  }

  private write(changes: ChangeSet): void {
    const { statements } = this;
    this.db.transaction(() => {
      for (const c of changes.config) statements.configUpsert.run(c.kind, c.id, c.pos, c.json);
      for (const c of changes.configDeletes) statements.configDelete.run(c.kind, c.id);
      for (const h of changes.history) {
        const table = statements.history[h.kind];
        if (h.row) table.upsert.run(h.row);
        else table.remove.run(h.id);
      }
      for (const r of changes.responses) statements.response.run(JSON.stringify(r));
    }).immediate();
  }

  /** After a successful write: memory, the commit point and the database agree. */
  private written(changes: ChangeSet): void {
    // The mirrors are replaced whole on every commit, never changed in place, so they can be shared.
    this.committed = changes.nextConfig;
    this.onDisk = changes.nextConfig;
    this.owed.clear();
    for (const h of changes.history) {
      const key = historyKey(h.kind, h.id);
      this.dirty.delete(key);
      if (!h.row) this.ranks[h.kind].delete(h.id);
      if (h.kind === 'alertGroups') this.used(h.id);
    }
    this.responsesSaved = this.responsesCommitted = this.state.webhookResponses.length;
    this.trimResident();
  }

  /** A background save failed: its changes become the commit point, still owed to the database. */
  private owe(changes: ChangeSet): void {
    this.committed = changes.nextConfig;
    for (const h of changes.history) {
      const key = historyKey(h.kind, h.id);
      this.owed.set(key, h.row ? JSON.stringify(h.row) : null);
      this.dirty.delete(key);
    }
    this.responsesCommitted = this.state.webhookResponses.length;
  }

  /** Put memory back to the last commit point (a request's change that could not be saved). */
  private rollback(): void {
    const state = this.state as unknown as Record<string, unknown>;
    for (const kind of KINDS.maps) {
      const committed = this.committed.get(kind) ?? new Map<string, ConfigEntry>();
      const entries = [...committed].sort((a, b) => a[1].pos - b[1].pos);
      state[kind] = new Map(entries.map(([id, e]) => [id, JSON.parse(e.json)]));
    }
    for (const kind of KINDS.singletons) {
      const entry = this.committed.get(kind)?.get('');
      if (entry) state[kind] = JSON.parse(entry.json);
    }
    for (const key of this.dirty) {
      const [kind, id] = key.split('\u0000') as [HistoryKind, string];
      const owed = this.owed.get(key);
      const row = owed !== undefined ? (owed === null ? undefined : JSON.parse(owed)) : this.storedRow(kind, id);
      this.restoreRecord(kind, id, row);
    }
    this.dirty.clear();
    this.state.webhookResponses.length = this.responsesCommitted;
  }

  private storedRow(kind: HistoryKind, id: string): GroupRow | AlertRow | NoteRow | undefined {
    return this.db.prepare(`SELECT * FROM ${TABLE[kind]} WHERE id = ?`).get(id) as GroupRow | AlertRow | NoteRow | undefined;
  }

  /** Put one history record back as a row says (or remove it when there is none). */
  private restoreRecord(kind: HistoryKind, id: string, row: GroupRow | AlertRow | NoteRow | undefined): void {
    const map = this.state[kind] as Map<string, unknown>;
    if (kind === 'alertGroups') indexChanged(this.state, id);
    if (!row) {
      map.delete(id);
      this.ranks[kind].delete(id);
      return;
    }
    map.set(id, kind === 'alerts' ? alertOf(row as AlertRow) : JSON.parse((row as GroupRow | NoteRow).body));
    this.ranks[kind].set(id, row.pos);
  }

  // ---- memory bound ----

  private used(groupId: string): void {
    const group = this.state.alertGroups.get(groupId);
    this.recent.delete(groupId);
    if (group && !mustStayResident(group)) this.recent.set(groupId, true);
  }

  /** Archive the least recently used resolved groups beyond the limit (they are all saved). */
  private trimResident(): void {
    while (this.recent.size > this.residentLimit) {
      const id = this.recent.keys().next().value as string;
      this.recent.delete(id);
      const group = this.state.alertGroups.get(id);
      if (!group || mustStayResident(group) || this.dirty.has(historyKey('alertGroups', id))) continue;
      this.evict(group);
    }
    const responses = this.state.webhookResponses;
    if (responses.length > RESIDENT_WEBHOOK_RESPONSES && this.responsesSaved === responses.length) {
      const drop = responses.length - RESIDENT_WEBHOOK_RESPONSES;
      responses.splice(0, drop);
      this.responsesSaved -= drop;
      this.responsesCommitted -= drop;
    }
  }

  private evict(group: AlertGroupRecord): void {
    const { state } = this;
    for (const alertId of group.alertIds) {
      state.alerts.delete(alertId);
      this.ranks.alerts.delete(alertId);
    }
    for (const [noteId, note] of state.resolutionNotes) {
      if (note.alertGroupId === group.id) {
        state.resolutionNotes.delete(noteId);
        this.ranks.resolutionNotes.delete(noteId);
      }
    }
    state.alertGroups.delete(group.id);
    indexChanged(state, group.id);
    this.ranks.alertGroups.delete(group.id);
  }

  // ---- HistoryArchive ----

  markChanged(kind: HistoryKind, id: string): void {
    this.dirty.add(historyKey(kind, id));
  }

  pos(kind: HistoryKind, id: string): number {
    let rank = this.ranks[kind].get(id);
    if (rank === undefined) {
      rank = this.nextRank[kind]++;
      this.ranks[kind].set(id, rank);
    }
    return rank;
  }

  restoreGroup(id: string): AlertGroupRecord | undefined {
    const resident = this.state.alertGroups.get(id);
    if (resident) return resident;
    if (this.owed.get(historyKey('alertGroups', id)) === null) return undefined;
    const row = this.storedRow('alertGroups', id) as GroupRow | undefined;
    if (!row) return undefined;
    this.restoreRecord('alertGroups', id, row);
    for (const alert of this.statements.alertsOfGroup.all(id) as AlertRow[]) this.restoreRecord('alerts', alert.id, alert);
    for (const note of this.statements.notesOfGroup.all(id) as NoteRow[]) this.restoreRecord('resolutionNotes', note.id, note);
    this.used(id);
    return this.state.alertGroups.get(id);
  }

  groupOfNote(id: string): string | undefined {
    return this.statements.noteGroup.get(id) as string | undefined;
  }

  peekGroup(id: string): AlertGroupRecord | undefined {
    const body = this.statements.groupBody.get(id) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as AlertGroupRecord);
  }

  peekAlert(id: string): AlertRecord | undefined {
    const row = this.statements.alertById.get(id) as AlertRow | undefined;
    return row && alertOf(row);
  }

  peekNote(id: string): ResolutionNoteRecord | undefined {
    const body = this.statements.noteBody.get(id) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as ResolutionNoteRecord);
  }

  holds(id: string): boolean {
    return this.statements.holds.get({ id }) !== undefined;
  }

  /** Ids a query over archived rows must leave out: resident ones (memory is newer) and owed deletions. */
  private excluded(kind: HistoryKind): string {
    const ids = [...(this.state[kind] as Map<string, unknown>).keys()];
    for (const [key, json] of this.owed) {
      const [k, id] = key.split('\u0000') as [HistoryKind, string];
      if (k === kind && json === null) ids.push(id);
    }
    return JSON.stringify(ids);
  }

  archivedGroups(filter: ArchivedGroupFilter): ArchivedRef[] {
    const where = ['id NOT IN (SELECT value FROM json_each(@excluded))'];
    const params: Record<string, unknown> = { excluded: this.excluded('alertGroups') };
    if (filter.id !== undefined) {
      where.push('id = @id');
      params.id = filter.id;
    }
    if (filter.routeId !== undefined) {
      where.push('route_id = @route');
      params.route = filter.routeId;
    }
    if (filter.integrationIds !== undefined) {
      where.push('integration_id IN (SELECT value FROM json_each(@integrations))');
      params.integrations = JSON.stringify(filter.integrationIds);
    }
    if (filter.createdFrom !== undefined) {
      where.push('created_at >= @from AND created_at <= @to');
      params.from = filter.createdFrom;
      params.to = filter.createdTo;
    }
    return this.db
      .prepare(`SELECT id, pos, created_at AS createdAt FROM alert_groups WHERE ${where.join(' AND ')} ORDER BY pos`)
      .all(params) as ArchivedRef[];
  }

  archivedAlerts(filter: ArchivedAlertFilter): ArchivedRef[] {
    const where = ['group_id NOT IN (SELECT value FROM json_each(@groups))', 'id NOT IN (SELECT value FROM json_each(@excluded))'];
    const params: Record<string, unknown> = { groups: this.excluded('alertGroups'), excluded: this.excluded('alerts') };
    if (filter.id !== undefined) {
      where.push('id = @id');
      params.id = filter.id;
    }
    if (filter.alertGroupId !== undefined) {
      where.push('group_id = @group');
      params.group = filter.alertGroupId;
    }
    if (filter.search !== undefined) {
      where.push('payload_contains(payload, @search)');
      params.search = filter.search;
    }
    return this.db
      .prepare(`SELECT id, pos, created_at AS createdAt FROM alerts WHERE ${where.join(' AND ')} ORDER BY pos`)
      .all(params) as ArchivedRef[];
  }

  archivedNotes(filter: { alertGroupId?: string | undefined }): ArchivedRef[] {
    const where = ['n.group_id NOT IN (SELECT value FROM json_each(@groups))', 'n.id NOT IN (SELECT value FROM json_each(@excluded))'];
    const params: Record<string, unknown> = { groups: this.excluded('alertGroups'), excluded: this.excluded('resolutionNotes') };
    if (filter.alertGroupId !== undefined) {
      where.push('n.group_id = @group');
      params.group = filter.alertGroupId;
    }
    return this.db
      .prepare(
        `SELECT n.id, n.pos, coalesce(g.created_at, 0) AS createdAt FROM resolution_notes n
         LEFT JOIN alert_groups g ON g.id = n.group_id WHERE ${where.join(' AND ')} ORDER BY n.pos`,
      )
      .all(params) as ArchivedRef[];
  }

  // ---- retries ----

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.saveInBackground();
    }, delay);
    this.retryTimer.unref();
  }

  private stopRetrying(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryDelay = this.retryFirst;
  }
}
