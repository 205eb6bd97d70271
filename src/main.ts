#!/usr/bin/env node
/**
 * The `oncall-mcp` command. Parses flags and environment, then serves MCP (default), runs one
 * tool (`call`), lists the tools (`tools`), or serves the OnCall REST API (`api`). Logs go to
 * stderr: stdout is the protocol.
 */
import { callTool, listTools, serve } from './cli/commands.js';
import { parseOptions, UsageError } from './cli/options.js';
import { USAGE } from './cli/usage.js';
import { VERSION } from './version.js';

const out = (message: string) => process.stdout.write(`${message}\n`);
const err = (message: string) => process.stderr.write(`${message}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options.help) {
    out(USAGE);
    return 0;
  }
  if (options.version) {
    out(VERSION);
    return 0;
  }
  switch (options.command) {
    case 'tools':
      return listTools(options, out);
    case 'call':
      return callTool(options, out, err);
    case 'serve':
      return serve(options, err);
    case 'doctor': {
      const { doctor } = await import('./cli/doctor.js');
      return doctor(options, out, err);
    }
    case 'export':
    case 'import': {
      const { exportCommand, importCommand } = await import('./cli/transfer-commands.js');
      return options.command === 'export'
        ? exportCommand(options, (chunk) => process.stdout.write(chunk), err)
        : importCommand(options, err);
    }
    case 'api': {
      // The REST API's framework loads only for this command.
      const [{ runApi }, { buildBackend }] = await Promise.all([import('./cli/api-command.js'), import('./cli/backend.js')]);
      const { backend } = await buildBackend(options, err);
      const { host, port, apiTokenFile: tokenFile, apiLimits: limits } = options;
      const api = { host, port, tokenFile, limits };
      await runApi(backend, api, process.env, err);
      return -1; // keep running
    }
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`oncall-mcp: ${error.message}`);
      err('Run \'oncall-mcp --help\' for usage.');
      process.exitCode = 2;
    } else {
      err(`oncall-mcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    }
  },
);
