/**
 * Spawn → first `initialize` response over stdio, for the built server, for a minimal server on
 * the same SDK (`minimal-server.mjs`: the yardstick), and for a bare `node` process that answers
 * the same line (the floor no Node program can beat). Runs are interleaved so machine noise hits
 * all alike. Then spawn → the answer to a first tool call sent right after `initialize`: the
 * server answers `initialize` before it opens the engine (src/api/deferred-backend.ts), so this is
 * where opening the engine shows.
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

const line = (message: object) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`;
const INITIALIZED = line({ method: 'notifications/initialized' });
const callTool = (name: string, args: object) => line({ id: 2, method: 'tools/call', params: { name, arguments: args } });
const SERVER_CALL = callTool('get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' });
const MINIMAL_CALL = callTool('echo', { text: 'hi' });

/** ms from spawn until stdout has a line with `"id":<waitFor>` (the first line for id 1). */
function timeFirstResponse(args: string[], input = INITIALIZE, waitFor = 1): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    child.on('error', reject);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes(`"id":${waitFor}`)) return;
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill();
      resolve(elapsed);
    });
    child.stdin.write(input);
  });
}

export async function benchStartup(runs: number): Promise<void> {
  const server: number[] = [];
  const minimal: number[] = [];
  const bare: number[] = [];
  const serverCall: number[] = [];
  const minimalCall: number[] = [];
  await timeFirstResponse([BIN]); // warm the file cache
  await timeFirstResponse([MINIMAL]);
  for (let i = 0; i < runs; i++) {
    bare.push(await timeFirstResponse(['-e', BARE_ECHO]));
    minimal.push(await timeFirstResponse([MINIMAL]));
    server.push(await timeFirstResponse([BIN]));
    minimalCall.push(await timeFirstResponse([MINIMAL], INITIALIZE + INITIALIZED + MINIMAL_CALL, 2));
    serverCall.push(await timeFirstResponse([BIN], INITIALIZE + INITIALIZED + SERVER_CALL, 2));
  }
  const s = median(server);
  const m = median(minimal);
  const b = median(bare);
  console.log(`spawn → initialize response over stdio (median of ${runs}, interleaved)`);
  console.log(row('oncall-mcp (dist/main.js, demo org)', ms(s, 1)));
  console.log(row('minimal SDK server (1 tool, same SDK + zod)', ms(m, 1)));
  console.log(row('bare node -e echo (floor)', ms(b, 1)));
  console.log(row('oncall-mcp / minimal SDK server', `${(s / m).toFixed(2)}×`, `(${s >= m ? '+' : ''}${(s - m).toFixed(1)} ms)`));
  const sc = median(serverCall);
  const mc = median(minimalCall);
  console.log(`spawn → answer to a first tools/call sent with initialize (median of ${runs}, same runs)`);
  console.log(row('oncall-mcp get_escalation_chain', ms(sc, 1)));
  console.log(row('minimal SDK server echo', ms(mc, 1)));
}
