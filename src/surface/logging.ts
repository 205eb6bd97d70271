/**
 * What the server tells the client while it works, besides answers:
 * - log notifications (`notifications/message`), once the client has asked for them with
 *   logging/setLevel, at that level and above. Until then the client hears nothing and stderr
 *   has what it always had. Messages carry what happened, never a stack, an argument or a secret.
 * - progress notifications for one call, when the client sent a progress token: each page of a
 *   list fetched in full from a live OnCall, and the stages of long work (a simulation).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type LoggingLevel, LoggingLevelSchema, SetLevelRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Extra } from './session.js';

export type ClientLog = (level: LoggingLevel, logger: string, data: string) => Promise<void>;

const LEVELS = LoggingLevelSchema.options;

export function clientLog(server: McpServer): ClientLog {
  let least: number | undefined; // undefined: the client has not asked for log messages
  // Replaces the SDK's own handler (which would send every level before any setLevel).
  server.server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    least = LEVELS.indexOf(request.params.level);
    return {};
  });
  return async (level, logger, data) => {
    if (least === undefined || LEVELS.indexOf(level) < least) return;
    try {
      await server.server.sendLoggingMessage({ level, logger: `oncall-mcp/${logger}`, data });
    } catch {
      // The client went away: a log line is not worth an error.
    }
  };
}

/** A call's progress reporter: each message is one more step (progress counts up, as MCP requires). */
export function progressReporter(extra: Extra): (message: string) => void {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => {};
  let progress = 0;
  return (message) => {
    progress++;
    extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } }).catch(() => {});
  };
}
