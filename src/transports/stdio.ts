import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/** Serve MCP on stdin/stdout until stdin closes or a termination signal arrives. */
export async function serveStdio(server: McpServer, log: (m: string) => void): Promise<void> {
  const transport = new StdioServerTransport();
  const stop = async (signal: string) => {
    log(`oncall-mcp: ${signal}, shutting down`);
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await server.connect(transport);
}
