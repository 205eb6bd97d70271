import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export interface StdioHandle {
  /** Close the session (the caller owns signals and exiting). */
  close(): Promise<void>;
}

/** Serve MCP on stdin/stdout; the process lives as long as stdin is open. */
export async function serveStdio(server: McpServer): Promise<StdioHandle> {
  await server.connect(new StdioServerTransport());
  return { close: () => server.close() };
}
