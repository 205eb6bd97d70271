/** The built `oncall-mcp api` as a child process, for benchmarks that measure it from outside. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Start it on a free port with `token` and extra flags; resolves with its base URL once it serves. */
export function startApiProcess(token: string, flags: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'api', '--port', '0', ...flags], {
      env: { PATH: process.env.PATH ?? '', ONCALL_MCP_API_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /serving the OnCall API v1 at (http:\/\/[^ ]+)\/api\/v1\//.exec(stderr);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`api exited ${code}: ${stderr}`)));
  });
}
