/** What each command does once the options are parsed. Returns the exit code. */
import { readFileSync } from 'node:fs';
import { createServer, selectTools } from '../server.js';
import { toolKind } from '../tools/define.js';
import { ALL_TOOLS } from '../tools/index.js';
import { HTTP_DEFAULTS } from '../transports/http-defaults.js';
import { createLogger } from '../transports/log.js';
import { deferredBackend } from '../api/deferred-backend.js';
import { type Options, UsageError } from './options.js';

type Log = (message: string) => void;

/** Over stdio, how long the backend waits for a client's first message before it opens anyway. */
const OPEN_WITHOUT_CLIENT_MS = 100;

/**
 * Serve MCP over stdio or HTTP until SIGTERM/SIGINT, then stop gracefully: in-flight calls finish
 * (bounded), sessions close, the escalation timer stops, webhooks already sent settle, exit 0.
 */
export async function serve(options: Options, write: Log): Promise<number> {
  const log = createLogger(options.logLevel, write);
  // The engine (its modules, the template sandbox's WebAssembly, SQLite, the demo organisation)
  // loads with the backend (`import()`: the bundle evaluates it only then). Over HTTP it opens
  // before listening, so a bad data file or a taken lock stops the server before any client comes.
  // Over stdio it opens right after `initialize` is answered (deferred-backend.ts, and below);
  // calls wait for it. A bad data file or a taken lock still ends the process with the same
  // message and exit code, only after `initialize` instead of before.
  const open = async () => (await import('./backend.js')).buildBackend(options, log.warn);
  const deferred = options.transport === 'http'
    ? undefined
    : deferredBackend(options.backend === 'http' ? 'http' : 'memory', async () => {
        try {
          const built = await open();
          log.info(`oncall-mcp: serving ${count} tools over stdio on ${built.source}`);
          return built.backend;
        } catch (err) {
          // What main() would have said had it opened before serving: the reason, exit 2 for usage.
          write(`oncall-mcp: ${err instanceof Error ? err.message : String(err)}`);
          process.exit(err instanceof UsageError ? 2 : 1);
        }
      });
  const { backend, source } = deferred ? { backend: deferred.backend, source: '' } : await open();
  const selection = { readOnly: options.readOnly, ...toolsets(options) };
  const makeServer = () => createServer({ backend, ...selection, log: log.error, debug: log.debug });
  const count = selectTools(selection).length;

  let close: () => Promise<void>;
  if (options.transport === 'http') {
    const { serveHttp } = await import('../transports/http.js');
    if (options.authToken && options.authToken.reveal().length < 16) {
      log.warn('oncall-mcp: the bearer token is short; use a long random one (e.g. openssl rand -hex 32)');
    }
    let handle: Awaited<ReturnType<typeof serveHttp>>;
    try {
      handle = await serveHttp({
        createServer: makeServer,
        host: options.host,
        port: options.port,
        stateless: options.stateless,
        authToken: options.authToken,
        allowedHosts: options.allowedHosts,
        allowedOrigins: options.allowedOrigins,
        maxSessions: options.maxSessions,
        log,
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
        throw new UsageError(`cannot listen on ${options.host} port ${options.port} (${code}); try another --host or --port (0 = any free port)`);
      }
      throw err;
    }
    // Always printed (whatever the log level): it is how a user, or a test, learns the port.
    write(
      `oncall-mcp: serving ${count} tools on ${source} at ${handle.url}`
      + ` (${options.stateless ? 'stateless' : 'sessions'}; legacy SSE at ${handle.origin}/sse;`
      + ` ${options.authToken ? 'bearer token required' : 'no auth: loopback only'})`,
    );
    close = handle.close;
  } else {
    const { serveStdio } = await import('../transports/stdio.js');
    const server = makeServer();
    close = (await serveStdio(server)).close;
    // Open once the client's first message (its `initialize`, sent as it spawns) is answered: the
    // SDK's listener came first, and its answer goes out before setImmediate runs. Or when stdin
    // ends, or OPEN_WITHOUT_CLIENT_MS after start-up without a message, so a server nobody talks
    // to yet still takes its database's lock and reports a bad data file.
    const opening = deferred!;
    const openSoon = () => setImmediate(() => void opening.open());
    process.stdin.once('data', openSoon).once('end', openSoon);
    setTimeout(openSoon, OPEN_WITHOUT_CLIENT_MS);
  }
  // Escalations and notifications run on a real timer while the server runs (embedded engine).
  backend.lifecycle?.start();

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`oncall-mcp: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log.info(`oncall-mcp: ${signal}, finishing in-flight calls and shutting down`);
    void (async () => {
      try {
        await close();
      } catch (err) {
        log.error(`oncall-mcp: error while closing: ${err instanceof Error ? err.message : String(err)}`);
      }
      // State is already written on every change; what remains is the timer and webhooks in flight.
      const saved = (await backend.lifecycle?.stop(HTTP_DEFAULTS.shutdownGraceMs)) ?? true;
      process.exit(saved ? 0 : 1);
    })();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return -1; // keep running
}

/** One line per tool: name, read/write/destructive, the first sentence of its description. */
export function listTools(options: Options, out: Log): number {
  const tools = selectTools({ readOnly: options.readOnly, ...toolsets(options) });
  const width = Math.max(...ALL_TOOLS.map((t) => t.name.length));
  for (const tool of tools) {
    const summary = tool.description.split(/(?<=\.)\s/)[0];
    out(`${tool.name.padEnd(width)}  ${toolKind(tool).padEnd(11)}  ${summary}`);
  }
  return 0;
}

/** Run one tool through a real MCP client, exactly as an agent would call it. */
export async function callTool(options: Options, out: Log, err: Log): Promise<number> {
  const [name, rawArgs] = options.rest;
  if (!name)
    throw new UsageError(
      'call: which tool? Usage: oncall-mcp call <tool> [\'<json args>\'] (see oncall-mcp tools)',
    );
  const tools = selectTools({ readOnly: options.readOnly, ...toolsets(options) });
  if (!tools.some((t) => t.name === name)) {
    throw new UsageError(
      `call: no tool "${name}"${ALL_TOOLS.some((t) => t.name === name) ? ' with these options' : ''} (see oncall-mcp tools)`,
    );
  }
  const args = parseJsonArgs(rawArgs === '-' ? readFileSync(0, 'utf8') : rawArgs);

  const { buildBackend } = await import('./backend.js');
  const { backend } = await buildBackend(options, err);
  // Catch up on escalation work that fell due while nothing ran (a one-shot call keeps no timer).
  backend.lifecycle?.catchUp();
  const server = createServer({ backend, readOnly: options.readOnly, ...toolsets(options), log: err });
  const [{ Client }, { InMemoryTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/inMemory.js'),
  ]);
  const client = new Client({ name: 'oncall-mcp-cli', version: '1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(clientSide), server.connect(serverSide)]);
  try {
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as Array<{ type: string; text?: string }>)
      .filter((c) => c.type === 'text')
      .map((c) => c.text)
      .join('\n');
    if (result.isError) {
      err(text);
      return 1;
    }
    out(options.json ? JSON.stringify(result.structuredContent, null, 2) : text);
    return 0;
  } finally {
    await client.close();
    await backend.lifecycle?.stop(HTTP_DEFAULTS.shutdownGraceMs);
  }
}

function parseJsonArgs(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`call: the arguments are not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      'call: the arguments must be a JSON object, e.g. \'{"escalation_chain_id":"F5JU6KJET33FE"}\'',
    );
  }
  return parsed as Record<string, unknown>;
}

function toolsets(options: Options) {
  return options.toolsets ? { toolsets: options.toolsets } : {};
}
