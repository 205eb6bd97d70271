/**
 * Spawn → first `initialize` response over stdio, for the built server and for a bare `node`
 * process that answers the same line (the floor no Node program can beat). Runs are interleaved
 * so machine noise hits both alike.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, ms, row } from './stats.js';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
})}\n`;
const BARE_ECHO =
  'process.stdin.once(\'data\', () => process.stdout.write(JSON.stringify({jsonrpc:\'2.0\',id:1,result:{}}) + \'\\n\'))';

function timeFirstResponse(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    child.on('error', reject);
    child.stdout.once('data', () => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill();
      resolve(elapsed);
    });
    child.stdin.write(INITIALIZE);
  });
}

export async function benchStartup(runs: number): Promise<void> {
  const server: number[] = [];
  const bare: number[] = [];
  await timeFirstResponse([BIN]); // warm the file cache
  for (let i = 0; i < runs; i++) {
    bare.push(await timeFirstResponse(['-e', BARE_ECHO]));
    server.push(await timeFirstResponse([BIN]));
  }
  const s = median(server);
  const b = median(bare);
  console.log(`spawn → initialize response over stdio (median of ${runs}, interleaved)`);
  console.log(row('oncall-mcp (dist/main.js, demo organisation)', ms(s, 1)));
  console.log(row('bare node -e echo (floor)', ms(b, 1)));
  console.log(row('ratio', `${(s / b).toFixed(2)}×`, `(+${(s - b).toFixed(1)} ms over the floor)`));
}
