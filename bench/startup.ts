/**
 * Spawn → first `initialize` response over stdio, for the built server, for a minimal server on
 * the same SDK (`minimal-server.mjs`: the yardstick), and for a bare `node` process that answers
 * the same line (the floor no Node program can beat). Runs are interleaved so machine noise hits
 * all alike.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, ms, row } from './stats.js';

const BIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const MINIMAL = fileURLToPath(new URL('./minimal-server.mjs', import.meta.url));
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
  const minimal: number[] = [];
  const bare: number[] = [];
  await timeFirstResponse([BIN]); // warm the file cache
  await timeFirstResponse([MINIMAL]);
  for (let i = 0; i < runs; i++) {
    bare.push(await timeFirstResponse(['-e', BARE_ECHO]));
    minimal.push(await timeFirstResponse([MINIMAL]));
    server.push(await timeFirstResponse([BIN]));
  }
  const s = median(server);
  const m = median(minimal);
  const b = median(bare);
  console.log(`spawn → initialize response over stdio (median of ${runs}, interleaved)`);
  console.log(row('oncall-mcp (dist/main.js, demo org)', ms(s, 1)));
  console.log(row('minimal SDK server (1 tool, same SDK + zod)', ms(m, 1)));
  console.log(row('bare node -e echo (floor)', ms(b, 1)));
  console.log(row('oncall-mcp / minimal SDK server', `${(s / m).toFixed(2)}×`, `(${s >= m ? '+' : ''}${(s - m).toFixed(1)} ms)`));
}
