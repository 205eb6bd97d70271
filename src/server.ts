/**
 * `createServer` builds the MCP server for one backend: it picks the tools (toolsets, read-only)
 * and registers each through one wrapper that runs the tool, renders its text, and turns any
 * error into an `isError` result.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, type ListToolsResult, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { OnCallBackend } from './api/backend.js';
import { countUpstreamRequests } from './api/request-budget.js';
import { instructionsFor } from './tools/catalogue.js';
import { invalidArgumentsText } from './tools/arg-errors.js';
import type { AnyTool, Toolset } from './tools/define.js';
import { ALL_TOOLS } from './tools/index.js';
import { indexFor } from './tools/lookup/directory-index.js';
import { type TextFilter, withoutTools } from './tools/references.js';
import { type JsonSchema, portableInputSchema, portableOutputSchema } from './tools/schema.js';
import { clientLog } from './surface/logging.js';
import { registerPrompts } from './surface/prompts.js';
import { registerResources } from './surface/resources.js';
import { type Extra, execute, type Session } from './surface/session.js';
import { VERSION } from './version.js';

export interface ServerOptions {
  backend: OnCallBackend;
  /** Register no tool that changes anything. */
  readOnly?: boolean;
  /** Only these toolsets (default: all). */
  toolsets?: readonly Toolset[];
  /** Where unexpected errors are reported (stderr by default; never stdout, which is the protocol). */
  log?: (message: string) => void;
  /** Debug lines: against a live OnCall, the upstream requests each tool call made. */
  debug?: (message: string) => void;
  /**
   * How long names loaded from a live backend are trusted (default a minute; 0 reloads on every
   * call). The embedded engine says itself when something changed.
   */
  directoryTtlMs?: number;
  /**
   * How often subscribed resources are re-read on a backend without a change feed (a live
   * OnCall), while any is subscribed (default 30 s).
   */
  pollMs?: number;
}

export function selectTools(opts: Pick<ServerOptions, 'readOnly' | 'toolsets'>): AnyTool[] {
  return ALL_TOOLS.filter(
    (tool) =>
      (!opts.readOnly || tool.annotations.readOnlyHint)
      && (!opts.toolsets || opts.toolsets.includes(tool.toolset)),
  );
}

export function createServer(opts: ServerOptions): McpServer {
  const tools = selectTools(opts);
  const server = new McpServer(
    { name: 'oncall-mcp', version: VERSION },
    { instructions: instructionsFor(tools), capabilities: { logging: {} } },
  );
  const session: Session = {
    server,
    backend: opts.backend,
    index: indexFor(opts.backend, opts.directoryTtlMs === undefined ? {} : { ttlMs: opts.directoryTtlMs }),
    log: opts.log ?? ((message: string) => process.stderr.write(`${message}\n`)),
    notify: clientLog(server),
    // No text points to a tool this server does not list (--toolsets, --read-only).
    onlyListed: withoutTools(ALL_TOOLS.filter((t) => !tools.includes(t)).map((t) => t.name)),
  };
  shapeToolHandlers(server, new Map(tools.map((t) => [t.name, t])), session.onlyListed);
  const debug = opts.debug ?? (() => {});
  for (const tool of tools) register(session, tool, debug);
  registerResources(session, opts.pollMs === undefined ? {} : { pollMs: opts.pollMs });
  const prompts = registerPrompts(session, tools);
  // Nothing here changes its lists of tools, resources or prompts while connected: say so.
  server.server.registerCapabilities({
    ...(tools.length ? { tools: { listChanged: false } } : {}),
    resources: { listChanged: false },
    ...(prompts ? { prompts: { listChanged: false } } : {}),
  });
  return server;
}

/**
 * The SDK installs its tools/list and tools/call handlers on the first registerTool; this wraps
 * them as they are installed.
 * - tools/list: input schemas are made portable (schema.ts): one `type` per field, no `$schema`;
 *   output schemas get one `type` per branch (`anyOf` for nullable fields).
 * - tools/call: arguments are checked against the tool's schema before the SDK does, so a bad one
 *   gets the house style (`Invalid arguments: perpage: expected a number at most 100, got the
 *   number 500.`) rather than the SDK's `MCP error -32602: Input validation error: …`.
 */
function shapeToolHandlers(server: McpServer, tools: ReadonlyMap<string, AnyTool>, onlyListed: TextFilter): void {
  const lowLevel = server.server;
  const install = lowLevel.setRequestHandler.bind(lowLevel);
  type Install = typeof lowLevel.setRequestHandler;
  type Handler = (r: unknown, e: unknown) => unknown;
  lowLevel.setRequestHandler = ((schema: Parameters<Install>[0], handler: Parameters<Install>[1]) => {
    if (schema === ListToolsRequestSchema) {
      return install(schema, (async (request: unknown, extra: unknown) => {
        const listed = (await (handler as Handler)(request, extra)) as ListToolsResult;
        return {
          ...listed,
          tools: listed.tools.map((t) => ({
            ...t,
            inputSchema: portableInputSchema(t.inputSchema as JsonSchema),
            ...(t.outputSchema ? { outputSchema: portableOutputSchema(t.outputSchema as JsonSchema) } : {}),
          })),
        };
      }) as Parameters<Install>[1]);
    }
    if (schema !== CallToolRequestSchema) return install(schema, handler);
    return install(schema, (async (request: { params: { name: string; arguments?: unknown } }, extra: unknown) => {
      const tool = tools.get(request.params.name);
      const args = request.params.arguments ?? {};
      const parsed = tool?.input.safeParse(args);
      if (tool && parsed && !parsed.success) {
        const text = onlyListed(invalidArgumentsText(tool, parsed.error.issues, args));
        return { isError: true, content: [{ type: 'text', text }] };
      }
      return (handler as Handler)(request, extra);
    }) as Parameters<Install>[1]);
  }) as Install;
}

function register(session: Session, tool: AnyTool, debug: (m: string) => void): void {
  session.server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input,
      outputSchema: tool.output,
      // The title is the tool's own; annotations.title would only repeat it.
      annotations: {
        ...tool.annotations,
        // Against a live OnCall every call reaches an outside system.
        openWorldHint: tool.annotations.openWorldHint || session.backend.kind === 'http',
      },
    },
    (args: Record<string, unknown>, extra: Extra) =>
      counted(tool, session.backend, debug, () => execute(session, tool, args, extra)),
  );
}

/** Run a call, counting its upstream requests (OnCall allows 300 a minute); logged at debug level. */
async function counted<T>(
  { name }: AnyTool,
  backend: OnCallBackend,
  debug: (m: string) => void,
  call: () => Promise<T>,
): Promise<T> {
  if (backend.kind !== 'http') return call();
  const { result, requests } = await countUpstreamRequests(call);
  debug(`oncall-mcp: ${name}: ${requests} upstream request${requests === 1 ? '' : 's'}`);
  return result;
}
