/**
 * One MCP session's server and the tool pipeline every request that runs a tool goes through
 * (tools/call, resource reads, prompts): names resolved to ids, the tool's `run` and `text`, the
 * text finished (tools not listed, secrets, budget), errors explained, confirmations asked.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { OnCallBackend } from '../api/backend.js';
import { ApiError } from '../api/errors.js';
import { pageProgress } from '../api/pagination.js';
import { actingUser } from '../tools/acting-user.js';
import { fitText, STRUCTURED_CONTINUATION } from '../tools/budget.js';
import { type AnyTool, type Confirmation, toolKind } from '../tools/define.js';
import { explainError, ToolError } from '../tools/errors.js';
import { formatActsAs } from '../tools/format.js';
import type { DirectoryIndex } from '../tools/lookup/directory-index.js';
import { resolveArgs } from '../tools/lookup/resolve.js';
import { Names } from '../tools/names.js';
import type { TextFilter } from '../tools/references.js';
import { MASKED_NOTE, maskSecrets, tokensIn } from '../tools/secrets.js';
import { type ClientLog, progressReporter } from './logging.js';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * What one MCP session's server works with; the tool pipeline (`execute`) is shared by tools/call,
 * resource reads and anything else that runs a tool for the client.
 */
export interface Session {
  server: McpServer;
  backend: OnCallBackend;
  index: DirectoryIndex;
  /** Unexpected errors, with their stack: stderr only (never to the client). */
  log: (message: string) => void;
  /** Log notifications to the client (logging/setLevel): nothing until it asks for them. */
  notify: ClientLog;
  /** Drops mentions of tools this server does not list (references.ts). */
  onlyListed: TextFilter;
}

/**
 * Every text block: mentions of tools this server does not list dropped, tokens masked (with a
 * note saying where the real values are), then the budget.
 */
export function finish(
  text: string,
  tokens: Iterable<string>,
  continuation: Parameters<typeof fitText>[1],
  onlyListed: TextFilter,
): string {
  const masked = maskSecrets(onlyListed(text), tokens);
  return fitText(masked.text, continuation, { footer: masked.masked ? [MASKED_NOTE] : [] });
}

/**
 * Run a tool as tools/call does: names resolved to ids, the tool's `run` and `text`, the text
 * finished (tools not listed, secrets, budget), errors explained. Resources read through it too.
 */
export async function execute(
  session: Session,
  tool: AnyTool,
  args: Record<string, unknown>,
  extra: Extra,
): Promise<CallToolResult> {
  const { server, backend, index, onlyListed } = session;
  const writes = !tool.annotations.readOnlyHint;
  const started = performance.now();
  let resolved: Record<string, unknown> | undefined;
  try {
    resolved = await resolveArgs(index, args);
    const names = new Names(index);
    let out: unknown;
    const progress = progressReporter(extra);
    try {
      const args = resolved;
      out = await pageProgress.run(progress, () =>
        tool.run(args, {
          backend,
          index,
          names,
          signal: extra.signal,
          progress,
          confirm: (message) =>
            confirmWithHuman(server, extra, async () => onlyListed(typeof message === 'string' ? message : await message())),
        }),
      );
    } finally {
      if (writes) index.invalidateWritable(); // names and ids may have changed, even on a failure
    }
    const done = resolved;
    let text = await tool.text(out, { args: done, names, backend });
    // OnCall attributes the write to the token's user: the human reading it must see whose name is on it.
    if (writes && !isDryRun(out)) text = `${text}\n${formatActsAs(await actingUser(backend))}`;
    const continuation = tool.continuation
      ? (cut: Parameters<NonNullable<AnyTool['continuation']>>[0]['cut']) => tool.continuation!({ args: done, out, cut })
      : () => STRUCTURED_CONTINUATION;
    const content = [{ type: 'text' as const, text: finish(text, tokensIn(out), continuation, onlyListed) }];
    void session.notify('debug', tool.name, `ok in ${Math.round(performance.now() - started)} ms`);
    return { structuredContent: out as Record<string, unknown>, content };
  } catch (err) {
    if (!(err instanceof ApiError) && !(err instanceof ToolError)) {
      session.log(
        `oncall-mcp: unexpected error in ${tool.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      // The client hears that it happened, never the stack (paths, internals).
      void session.notify('error', tool.name, 'internal error (details are in the server log)');
    }
    const text = await explainError(err, toolKind(tool), { tool, given: args, resolved, backend, index });
    const shown = finish(text, [], () => 'Fix the problems shown first.', onlyListed);
    void session.notify('info', tool.name, `failed: ${shown.split('\n')[0]}`);
    return { isError: true, content: [{ type: 'text', text: shown }] };
  }
}

/** A dry run's answer (dry-run.ts): nothing was written, so nobody's name is on anything. */
const isDryRun = (out: unknown) => typeof out === 'object' && out !== null && 'dry_run' in out && !!out.dry_run;

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
