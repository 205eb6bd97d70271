/**
 * Command-line options with `node:util` parseArgs, each with an `ONCALL_MCP_*` environment
 * equivalent (flags win). Every bad value is reported naming the flag or variable; `UsageError`
 * makes the process exit 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAllowEntry } from '../engine/options.js';
import { TOOLSETS, type Toolset } from '../tools/define.js';
import { HTTP_DEFAULTS } from '../transports/http-defaults.js';
import { LOG_LEVELS, type LogLevel } from '../transports/log.js';
import { isLoopbackHost, Secret } from '../transports/security.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Command = 'serve' | 'call' | 'tools' | 'api' | 'export' | 'import' | 'doctor';
export type BackendName = 'memory' | 'http';
export type TransportName = 'stdio' | 'http';

export interface Options {
  command: Command;
  /** Positional arguments after the command (tool name and JSON for `call`). */
  rest: string[];
  data: string | undefined;
  persist: boolean;
  /** The database the embedded engine stores everything in (`--db`; `--persist` means `<data>.db`). */
  db: string | undefined;
  /** `import`: overwrite an organisation the database already holds. */
  replace: boolean;
  readOnly: boolean;
  toolsets: Toolset[] | undefined;
  publicUrl: string | undefined;
  json: boolean;
  help: boolean;
  version: boolean;
  logLevel: LogLevel;
  /** How `serve` talks MCP. The fields below apply to `http` only. */
  transport: TransportName;
  host: string;
  port: number;
  stateless: boolean;
  /** Extra Host names (hostnames without port) accepted besides the defaults. */
  allowedHosts: string[];
  /** Extra browser origins (`https://app.example.com`) accepted. */
  allowedOrigins: string[];
  maxSessions: number;
  /** From MCP_AUTH_TOKEN or --auth-token-file, never a flag value; prints as [redacted]. */
  authToken: Secret | undefined;
  /** Where the tools' data lives: the embedded engine, or a live Grafana OnCall / Cloud IRM. */
  backend: BackendName;
  /** The http backend: API URL, a file holding its token (else ONCALL_API_TOKEN), auth scheme. */
  apiUrl: string | undefined;
  /** The Grafana stack URL: sent as X-Grafana-URL, and where the API URL is discovered without --api-url. */
  grafanaUrl: string | undefined;
  tokenFile: string | undefined;
  authScheme: string | undefined;
  /** `api`: a file holding the REST API's own token (else ONCALL_MCP_API_TOKEN, else a random one). */
  apiTokenFile: string | undefined;
  /** Host names, `*.domains`, addresses and CIDRs the embedded engine's webhooks may reach although internal. */
  webhookAllow: string[];
  /** `api`: rate limits (0 = off; undefined = OnCall's default). */
  apiLimits: ApiLimits;
}

/** The REST API's rate limits from flags and environment; unset ones keep the defaults. */
export interface ApiLimits {
  /** Requests per minute per API token. */
  rateLimit?: number;
  /** Inbound alerts per integration per 5 minutes. */
  alertRateLimit?: number;
  /** Inbound alerts per organisation per 5 minutes. */
  organizationAlertRateLimit?: number;
  /** Failed authentications per remote address per minute. */
  authFailureLimit?: number;
}

const FLAGS = {
  'data': { type: 'string', env: 'ONCALL_MCP_DATA' },
  'persist': { type: 'boolean', env: 'ONCALL_MCP_PERSIST' },
  'db': { type: 'string', env: 'ONCALL_MCP_DB' },
  'read-only': { type: 'boolean', env: 'ONCALL_MCP_READ_ONLY' },
  'toolsets': { type: 'string', env: 'ONCALL_MCP_TOOLSETS' },
  'public-url': { type: 'string', env: 'ONCALL_MCP_PUBLIC_URL' },
  'log-level': { type: 'string', env: 'ONCALL_MCP_LOG_LEVEL' },
  'transport': { type: 'string', env: 'ONCALL_MCP_TRANSPORT' },
  'host': { type: 'string', env: 'ONCALL_MCP_HOST' },
  'port': { type: 'string', env: 'ONCALL_MCP_PORT' },
  'stateless': { type: 'boolean', env: 'ONCALL_MCP_STATELESS' },
  'allowed-hosts': { type: 'string', env: 'ONCALL_MCP_ALLOWED_HOSTS' },
  'allowed-origins': { type: 'string', env: 'ONCALL_MCP_ALLOWED_ORIGINS' },
  'max-sessions': { type: 'string', env: 'ONCALL_MCP_MAX_SESSIONS' },
  'auth-token-file': { type: 'string', env: 'ONCALL_MCP_AUTH_TOKEN_FILE' },
  'backend': { type: 'string', env: 'ONCALL_MCP_BACKEND' },
  'api-url': { type: 'string', env: 'ONCALL_API_URL' },
  'grafana-url': { type: 'string', env: 'GRAFANA_URL' },
  'token-file': { type: 'string', env: 'ONCALL_MCP_TOKEN_FILE' },
  'auth-scheme': { type: 'string', env: 'ONCALL_MCP_AUTH_SCHEME' },
  'api-token-file': { type: 'string', env: 'ONCALL_MCP_API_TOKEN_FILE' },
  'webhook-allow': { type: 'string', env: 'ONCALL_MCP_WEBHOOK_ALLOW' },
  'rate-limit': { type: 'string', env: 'ONCALL_MCP_RATE_LIMIT' },
  'alert-rate-limit': { type: 'string', env: 'ONCALL_MCP_ALERT_RATE_LIMIT' },
  'org-alert-rate-limit': { type: 'string', env: 'ONCALL_MCP_ORG_ALERT_RATE_LIMIT' },
  'auth-failure-limit': { type: 'string', env: 'ONCALL_MCP_AUTH_FAILURE_LIMIT' },
  'json': { type: 'boolean' },
  'replace': { type: 'boolean' },
  'help': { type: 'boolean', short: 'h' },
  'version': { type: 'boolean', short: 'v' },
} as const;

const COMMANDS: readonly Command[] = ['call', 'tools', 'api', 'export', 'import', 'doctor'];

/** Flags that only mean something to `serve --transport http`. */
const HTTP_FLAGS = [
  'host',
  'port',
  'stateless',
  'allowed-hosts',
  'allowed-origins',
  'max-sessions',
  'auth-token-file',
] as const;

type StringFlag = {
  [K in keyof typeof FLAGS]: (typeof FLAGS)[K] extends { type: 'string'; env: string } ? K : never;
}[keyof typeof FLAGS];
type BooleanFlag = {
  [K in keyof typeof FLAGS]: (typeof FLAGS)[K] extends { type: 'boolean'; env: string } ? K : never;
}[keyof typeof FLAGS];

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  // A token on the command line shows in `ps` and shell history: point at the safe ways instead.
  const tokenFlag = argv.find((a) => /^--(auth-)?token(=|$)/.test(a));
  if (tokenFlag !== undefined) {
    throw new UsageError(
      'a bearer token is never a flag value (it would show in ps and shell history): '
      + 'set MCP_AUTH_TOKEN in the environment or use --auth-token-file FILE',
    );
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;

  const str = (flag: StringFlag): string | undefined => {
    const value = values[flag] ?? env[FLAGS[flag].env];
    if (value === '') throw new UsageError(`--${flag} (${FLAGS[flag].env}) must not be empty`);
    return value;
  };
  const bool = (flag: BooleanFlag): boolean => {
    if (values[flag] !== undefined) return values[flag];
    const raw = env[FLAGS[flag].env];
    if (raw === undefined || raw === '') return false;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new UsageError(`${FLAGS[flag].env} must be true or false, not "${raw}"`);
  };

  const [first, ...rest] = positionals;
  let command: Command = 'serve';
  if (first !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new UsageError(
        `unknown command "${first}" (commands: ${COMMANDS.join(', ')}; none = serve MCP)`,
      );
    }
    command = first as Command;
  }

  const transport = parseTransport(str('transport'));
  if (values.transport !== undefined && command !== 'serve') {
    throw new UsageError(`--transport applies only when serving (no command), not to '${command}'`);
  }
  const httpMode = command === 'serve' && transport === 'http';
  if (!httpMode) {
    // Only an explicit flag is an error: ONCALL_MCP_* variables may be set for other uses.
    const allowed: readonly string[] = command === 'api' ? ['host', 'port'] : [];
    const stray = HTTP_FLAGS.find((f) => values[f] !== undefined && !allowed.includes(f));
    if (stray) throw new UsageError(`--${stray} applies only to 'serve --transport http'`);
  }
  const apiOnly = API_FLAGS.find((f) => values[f] !== undefined && command !== 'api');
  if (apiOnly) throw new UsageError(`--${apiOnly} applies only to 'oncall-mcp api'`);

  const options: Options = {
    command,
    rest: first === undefined ? [] : rest,
    data: str('data'),
    persist: bool('persist'),
    db: str('db'),
    replace: values.replace ?? false,
    readOnly: bool('read-only'),
    toolsets: parseToolsets(str('toolsets')),
    publicUrl: parsePublicUrl(str('public-url')),
    json: values.json ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    logLevel: parseLogLevel(str('log-level')),
    transport,
    host: HTTP_DEFAULTS.host,
    port: HTTP_DEFAULTS.port,
    stateless: false,
    allowedHosts: [],
    allowedOrigins: [],
    maxSessions: HTTP_DEFAULTS.maxSessions,
    authToken: undefined,
    backend: parseBackend(str('backend'), str('api-url') ?? str('grafana-url')),
    apiUrl: str('api-url'),
    grafanaUrl: str('grafana-url'),
    tokenFile: str('token-file'),
    authScheme: str('auth-scheme'),
    apiTokenFile: str('api-token-file'),
    webhookAllow: parseWebhookAllow(str('webhook-allow')),
    apiLimits: {},
  };
  if (options.backend === 'http' && (values.data !== undefined || values.persist !== undefined || values.db !== undefined)) {
    throw new UsageError('--data, --persist and --db are for the embedded engine, not --backend http');
  }
  if ((command === 'export' || command === 'import') && options.backend === 'http') {
    throw new UsageError(`${command} moves the embedded engine's organisation; it does not apply to --backend http`);
  }
  if (values.replace !== undefined && command !== 'import') throw new UsageError('--replace applies only to \'oncall-mcp import\'');
  if (command === 'import') {
    if (!options.rest[0]) throw new UsageError('import: which file? Usage: oncall-mcp import FILE --db DB [--replace]');
    if (!options.db) throw new UsageError('import: into which database? Give --db FILE (or set ONCALL_MCP_DB)');
    if (values.data !== undefined || values.persist !== undefined) {
      throw new UsageError('import reads the FILE argument into --db; --data and --persist do not apply');
    }
  }
  if (command === 'export' && options.rest.length > 1) {
    throw new UsageError('export: at most one output file. Usage: oncall-mcp export [--db DB] [FILE|-]');
  }
  if (options.backend === 'http' && values['webhook-allow'] !== undefined) {
    throw new UsageError('--webhook-allow is for the embedded engine\'s webhooks; with --backend http, Grafana OnCall sends them');
  }
  if (command === 'api') {
    options.host = parseHost(str('host'));
    options.port = parseCount('port', str('port'), 0, 65535) ?? API_DEFAULT_PORT;
    options.apiLimits = parseApiLimits(str);
  }
  if (options.persist && !options.data && !options.db) {
    throw new UsageError('--persist needs --data FILE (the database is FILE.db next to it), or use --db FILE');
  }
  if (httpMode && !options.help && !options.version) {
    // Parsed only when serving over HTTP, so stray ONCALL_MCP_* values never break stdio.
    options.host = parseHost(str('host'));
    options.port = parseCount('port', str('port'), 0, 65535) ?? HTTP_DEFAULTS.port;
    options.stateless = bool('stateless');
    options.allowedHosts = parseList('allowed-hosts', str('allowed-hosts'), parseHostname);
    options.allowedOrigins = parseList('allowed-origins', str('allowed-origins'), parseOrigin);
    options.maxSessions = parseCount('max-sessions', str('max-sessions'), 1, 100_000) ?? HTTP_DEFAULTS.maxSessions;
    options.authToken = readToken(str('auth-token-file'), env);
    if (!isLoopbackHost(options.host) && !options.authToken) {
      throw new UsageError(
        `refusing to serve on ${options.host} without a bearer token: anyone who can reach the port could page `
        + 'people and change escalations. Set MCP_AUTH_TOKEN in the environment (e.g. '
        + 'MCP_AUTH_TOKEN=$(openssl rand -hex 32)) or pass --auth-token-file FILE; or use --host 127.0.0.1',
      );
    }
  }
  return options;
}

/** Flags that only mean something to `oncall-mcp api`. */
const API_FLAGS = ['api-token-file', 'rate-limit', 'alert-rate-limit', 'org-alert-rate-limit', 'auth-failure-limit'] as const;

/** Each limit is a count per window; 0 turns it off. Only the ones given are set. */
function parseApiLimits(str: (flag: StringFlag) => string | undefined): ApiLimits {
  const limits: ApiLimits = {};
  const set = (key: keyof ApiLimits, flag: StringFlag) => {
    const value = parseCount(flag, str(flag), 0, 1_000_000);
    if (value !== undefined) limits[key] = value;
  };
  set('rateLimit', 'rate-limit');
  set('alertRateLimit', 'alert-rate-limit');
  set('organizationAlertRateLimit', 'org-alert-rate-limit');
  set('authFailureLimit', 'auth-failure-limit');
  return limits;
}

/** The REST API's default port (`oncall-mcp api`), OnCall's own development port. */
const API_DEFAULT_PORT = 8080;

/** `--backend`; without it, an API URL or a Grafana URL in the environment means the live OnCall. */
function parseBackend(raw: string | undefined, apiUrl: string | undefined): BackendName {
  if (raw === undefined) return apiUrl ? 'http' : 'memory';
  if (raw === 'memory' || raw === 'http') return raw;
  throw new UsageError(`--backend: "${raw}" is not a backend (choose memory or http)`);
}

function parseTransport(raw: string | undefined): TransportName {
  if (raw === undefined || raw === 'stdio' || raw === 'http') return raw ?? 'stdio';
  throw new UsageError(`--transport: "${raw}" is not a transport (choose stdio or http)`);
}

function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined) return 'warn';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  throw new UsageError(`--log-level: "${raw}" is not a level (choose ${LOG_LEVELS.join(', ')})`);
}

function parseCount(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${flag}: "${raw}" must be a whole number from ${min} to ${max}`);
  return n;
}

function parseList(flag: string, raw: string | undefined, parseOne: (item: string) => string | undefined): string[] {
  if (raw === undefined) return [];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const item of items) {
    const value = parseOne(item);
    if (value === undefined) throw new UsageError(`--${flag}: "${item}" is not valid`);
    out.push(value);
  }
  if (!out.length) throw new UsageError(`--${flag}: give at least one value, comma-separated`);
  return out;
}

/** `--webhook-allow`: each item checked now, so a typo stops the start instead of a delivery later. */
function parseWebhookAllow(raw: string | undefined): string[] {
  const items = parseList('webhook-allow', raw, (item) => item);
  for (const item of items) {
    const entry = parseAllowEntry(item);
    if ('problem' in entry) throw new UsageError(`--webhook-allow: ${entry.problem}`);
  }
  return items;
}

/** A listen address: a name or an IP, IPv6 with or without brackets. */
function parseHost(raw: string | undefined): string {
  if (raw === undefined) return HTTP_DEFAULTS.host;
  const host = raw.replace(/^\[(.*)\]$/, '$1');
  if (parseHostname(host) === undefined) throw new UsageError(`--host: "${raw}" is not a host name or IP address`);
  return host;
}

/** A Host-header name as the SDK compares it: lower case, no port, IPv6 in brackets. */
function parseHostname(item: string): string | undefined {
  const candidate = item.includes(':') && !item.startsWith('[') && item.split(':').length > 2 ? `[${item}]` : item;
  try {
    const url = new URL(`http://${candidate}`);
    if (url.pathname !== '/' || url.search || url.username) return undefined;
    return url.hostname;
  } catch {
    return undefined;
  }
}

/** An origin as browsers send it: scheme://host[:port], nothing else. */
function parseOrigin(item: string): string | undefined {
  try {
    const url = new URL(item);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.pathname !== '/' || url.search || url.username) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The bearer token: --auth-token-file wins over MCP_AUTH_TOKEN. Errors never include it. */
function readToken(file: string | undefined, env: NodeJS.ProcessEnv): Secret | undefined {
  let raw: string;
  let where: string;
  if (file !== undefined) {
    try {
      raw = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--auth-token-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    where = `--auth-token-file ${file}`;
  } else if (env.MCP_AUTH_TOKEN !== undefined) {
    raw = env.MCP_AUTH_TOKEN;
    where = 'MCP_AUTH_TOKEN';
  } else {
    return undefined;
  }
  const token = raw.trim();
  if (!token) throw new UsageError(`${where}: the bearer token is empty`);
  // Printable ASCII only: anything else cannot travel in an HTTP header unchanged.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError(`${where}: the bearer token must be printable ASCII with no spaces or line breaks inside`);
  }
  return new Secret(token);
}

function parseToolsets(raw: string | undefined): Toolset[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(TOOLSETS as readonly string[]).includes(n));
  if (unknown.length || !names.length) {
    throw new UsageError(
      `--toolsets: unknown toolset "${unknown.join(', ')}" (choose from ${TOOLSETS.join(', ')})`,
    );
  }
  return names as Toolset[];
}

function parsePublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--public-url: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--public-url: must be http or https, not ${url.protocol}`);
  }
  return raw.replace(/\/+$/, '');
}
