/**
 * `createServer` builds the MCP server for one backend: it picks the tools (toolsets, read-only)
 * and registers each through one wrapper that runs the tool, renders its text, and turns any
 * error into an `isError` result.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolRequestSchema, type CallToolResult, type ServerNotification, type ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { OnCallBackend } from './api/backend.js';
import { ApiError } from './api/errors.js';
import { countUpstreamRequests } from './api/request-budget.js';
import { actingUser } from './tools/acting-user.js';
import { invalidArgumentsText } from './tools/arg-errors.js';
import { fitText, STRUCTURED_CONTINUATION } from './tools/budget.js';
import { type AnyTool, type Confirmation, type Toolset, toolKind } from './tools/define.js';
import { explainError, ToolError } from './tools/errors.js';
import { formatActsAs } from './tools/format.js';
import { ALL_TOOLS } from './tools/index.js';
import { type DirectoryIndex, indexFor } from './tools/lookup/directory-index.js';
import { resolveArgs } from './tools/lookup/resolve.js';
import { Names } from './tools/names.js';
import { MASKED_NOTE, maskSecrets, tokensIn } from './tools/secrets.js';
import { VERSION } from './version.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

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
}

const INSTRUCTIONS = [
  'On-call operations for Grafana OnCall / Cloud IRM: escalation chains and their steps, round robins,',
  'users and teams. Ids are short codes with a type prefix (F chain, E step, U user, T team, S schedule,',
  'WH webhook, G user group); list_* tools find them. Writes change the live on-call setup.',
].join(' ');

export function selectTools(opts: Pick<ServerOptions, 'readOnly' | 'toolsets'>): AnyTool[] {
  return ALL_TOOLS.filter(
    (tool) =>
      (!opts.readOnly || tool.annotations.readOnlyHint)
      && (!opts.toolsets || opts.toolsets.includes(tool.toolset)),
  );
}

export function createServer(opts: ServerOptions): McpServer {
  const server = new McpServer({ name: 'oncall-mcp', version: VERSION }, { instructions: INSTRUCTIONS });
  const log = opts.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const index = indexFor(opts.backend, opts.directoryTtlMs === undefined ? {} : { ttlMs: opts.directoryTtlMs });
  const tools = selectTools(opts);
  checkArgumentsFirst(server, new Map(tools.map((t) => [t.name, t])));
  const debug = opts.debug ?? (() => {});
  for (const tool of tools) register(server, tool, opts.backend, index, log, debug);
  return server;
}

/**
 * Arguments are checked against the tool's schema before the SDK does, so a bad one gets the
 * house style (`Invalid arguments: perpage: expected a number at most 100, got the number 500.`)
 * rather than the SDK's `MCP error -32602: Input validation error: …`. The SDK installs its
 * tools/call handler on the first registerTool; this wraps it as it is installed.
 */
function checkArgumentsFirst(server: McpServer, tools: ReadonlyMap<string, AnyTool>): void {
  const lowLevel = server.server;
  const install = lowLevel.setRequestHandler.bind(lowLevel);
  type Install = typeof lowLevel.setRequestHandler;
  lowLevel.setRequestHandler = ((schema: Parameters<Install>[0], handler: Parameters<Install>[1]) => {
    if (schema !== CallToolRequestSchema) return install(schema, handler);
    return install(schema, (async (request: { params: { name: string; arguments?: unknown } }, extra: unknown) => {
      const tool = tools.get(request.params.name);
      const args = request.params.arguments ?? {};
      const parsed = tool?.input.safeParse(args);
      if (tool && parsed && !parsed.success) {
        return { isError: true, content: [{ type: 'text', text: invalidArgumentsText(tool, parsed.error.issues, args) }] };
      }
      return (handler as (r: unknown, e: unknown) => unknown)(request, extra);
    }) as Parameters<Install>[1]);
  }) as Install;
}

/** Every text block: tokens masked (with a note saying where the real values are), then the budget. */
function finish(text: string, tokens: Iterable<string>, continuation: Parameters<typeof fitText>[1]): string {
  const masked = maskSecrets(text, tokens);
  return fitText(masked.text, continuation, { footer: masked.masked ? [MASKED_NOTE] : [] });
}

function register(
  server: McpServer,
  tool: AnyTool,
  backend: OnCallBackend,
  index: DirectoryIndex,
  log: (m: string) => void,
  debug: (m: string) => void,
): void {
  const writes = !tool.annotations.readOnlyHint;
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.input,
      outputSchema: tool.output,
      annotations: {
        title: tool.title,
        ...tool.annotations,
        // Against a live OnCall every call reaches an outside system.
        openWorldHint: tool.annotations.openWorldHint || backend.kind === 'http',
      },
    },
    async (args: Record<string, unknown>, extra: Extra) => counted<CallToolResult>(tool, backend, debug, async () => {
      let resolved: Record<string, unknown> | undefined;
      try {
        resolved = await resolveArgs(index, args);
        const names = new Names(index);
        let out: unknown;
        try {
          out = await tool.run(resolved, {
            backend,
            index,
            names,
            signal: extra.signal,
            confirm: (message) => confirmWithHuman(server, extra, message),
          });
        } finally {
          if (writes) index.invalidateWritable(); // names and ids may have changed, even on a failure
        }
        const done = resolved;
        let text = await tool.text(out, { args: done, names, backend });
        // OnCall attributes the write to the token's user: the human reading it must see whose name is on it.
        if (writes) text = `${text}\n${formatActsAs(await actingUser(backend))}`;
        const continuation = tool.continuation
          ? (cut: Parameters<NonNullable<AnyTool['continuation']>>[0]['cut']) => tool.continuation!({ args: done, out, cut })
          : () => STRUCTURED_CONTINUATION;
        const content = [{ type: 'text' as const, text: finish(text, tokensIn(out), continuation) }];
        return { structuredContent: out as Record<string, unknown>, content };
      } catch (err) {
        if (!(err instanceof ApiError) && !(err instanceof ToolError)) {
          log(
            `oncall-mcp: unexpected error in ${tool.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          );
        }
        const text = await explainError(err, toolKind(tool), { tool, given: args, resolved, backend, index });
        return { isError: true, content: [{ type: 'text', text: finish(text, [], () => 'Fix the problems shown first.') }] };
      }
    }),
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

/** How long a human may take to answer a confirmation; after that nothing is done. */
const CONFIRM_TIMEOUT_MS = 5 * 60_000;

/**
 * Ask the client's human to confirm (MCP form elicitation). A client without the capability gets
 * `unsupported` and the tool acts as it would without asking; a stateless server never saw the
 * client's capabilities, so it cannot ask either. No answer in time counts as cancelled.
 */
async function confirmWithHuman(
  server: McpServer,
  extra: Extra,
  question: string | (() => Promise<string>),
): Promise<Confirmation> {
  if (!server.server.getClientCapabilities()?.elicitation?.form) return 'unsupported';
  const message = typeof question === 'string' ? question : await question();
  try {
    const answer = await server.server.elicitInput(
      {
        mode: 'form',
        message,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Confirm', description: 'Yes, do it' } },
          required: ['confirm'],
        },
      },
      { signal: extra.signal, timeout: CONFIRM_TIMEOUT_MS, relatedRequestId: extra.requestId },
    );
    if (answer.action === 'accept') return answer.content?.confirm === true ? 'accepted' : 'declined';
    return answer.action === 'decline' ? 'declined' : 'cancelled';
  } catch {
    return 'cancelled'; // the call was cancelled, the answer timed out, or the client failed to ask
  }
}
