// The storage benchmark's measuring process (run from the built dist/): opens a database as the
// server does, then prints start-up time, RSS after start-up, the median write, and RSS along
// the writes, as one JSON line. A fresh process, so RSS is this database's and nothing else's.
import { writeSync } from 'node:fs';
import process from 'node:process';
import { DEMO_ORGANISATION, openEngine } from '../dist/engine.js';

const [file, writesArg] = process.argv.slice(2);
const writes = Number(writesArg);
const mb = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};
const heap = () => process.memoryUsage().heapUsed / 2 ** 20;
const t0 = process.hrtime.bigint();
const { backend } = openEngine({ seed: DEMO_ORGANISATION, db: file, log: () => {} });
const startupMs = Number(process.hrtime.bigint() - t0) / 1e6;
const rssAfterStart = mb();
// Actions go round the open groups, so no single timeline grows by thousands of entries.
const open = (await backend.alertGroups.list({ state: 'new', perpage: 1000 })).results.map((g) => g.id);
const policy = 'E3GA6SJETWWJS'; // the demo's wait step
const samples = { policy: [], action: [] };
let rssAfterTenth = 0;
let heapAfterTenth = 0;
let rssAfterHalf = 0;
for (let i = 0; i < writes; i++) {
  const t = process.hrtime.bigint();
  if (i % 2 === 0 || !open.length) {
    await backend.escalationPolicies.update(policy, { type: 'wait', duration: i % 4 === 0 ? 120 : 300 });
    samples.policy.push(Number(process.hrtime.bigint() - t) / 1e6);
  } else {
    await backend.alertGroups.action(open[Math.floor(i / 4) % open.length], i % 4 === 1 ? 'acknowledge' : 'unacknowledge');
    samples.action.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  if (i + 1 === writes / 10) {
    rssAfterTenth = mb();
    heapAfterTenth = heap();
  }
  if (i + 1 === writes / 2) rssAfterHalf = mb();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssAfterWrites = mb();
const heapAfterWrites = heap();
await backend.lifecycle.stop(0);
writeSync(1, `${JSON.stringify({
  startupMs, rssAfterStart, rssAfterTenth, rssAfterHalf, rssAfterWrites, heapAfterTenth, heapAfterWrites,
  residentGroups: backend.state.alertGroups.size,
  policyMs: median(samples.policy), actionMs: median(samples.action),
})}\n`);
