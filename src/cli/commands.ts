/** What each command does once the options are parsed. Returns the exit code. */
import { readFileSync } from 'node:fs';
import { createServer, selectTools } from '../server.js';
import { toolKind } from '../tools/define.js';
import { ALL_TOOLS } from '../tools/index.js';
import { MemoryBackend } from '../engine/memory-backend.js';
import { buildBackend } from './backend.js';
import { type Options, UsageError } from './options.js';

type Log = (message: string) => void;

export async function serve(options: Options, log: Log): Promise<number> {
  const { backend, source } = buildBackend(options, log);
  // Escalations and notifications run on a real timer while the server runs.
  if (backend instanceof MemoryBackend) backend.runtime.startTimer();
  const server = createServer({ backend, readOnly: options.readOnly, ...toolsets(options), log });
  const { serveStdio } = await import('../transports/stdio.js');
  await serveStdio(server, log);
  log(
    `oncall-mcp: serving ${selectTools({ readOnly: options.readOnly, ...toolsets(options) }).length} tools over stdio on ${source}`,
  );
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

  const { backend } = buildBackend(options, err);
  // Catch up on escalation work that fell due while nothing ran (a one-shot call keeps no timer).
  if (backend instanceof MemoryBackend) backend.runtime.runDue();
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
