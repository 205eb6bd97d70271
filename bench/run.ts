/**
 * `npm run bench`: prints figures; asserts nothing. Every section says what it measured and how.
 */
import { cpus } from 'node:os';
import { benchDryRun } from './dry-run.js';
import { benchHostileBody } from './hostile-body.js';
import { benchHostileLatency } from './hostile-latency.js';
import { benchHttpBackend } from './http-backend.js';
import { benchHttpBudget } from './http-budget.js';
import { benchOrgScale } from './org-scale.js';
import { benchScaleIngestion } from './scale-ingestion.js';
import { benchScaleScheduler } from './scale-scheduler.js';
import { benchScaleSchedules } from './scale-schedules.js';
import { benchSchedules } from './schedules.js';
import { benchSimulation } from './simulation.js';
import { benchStartup } from './startup.js';
import { benchStorage } from './storage.js';
import { benchTemplates } from './templates.js';
import { benchModelTokens } from './tokens.js';
import { benchToolCalls } from './tool-calls.js';
import { benchWebhooks } from './webhooks.js';

console.log(
  `oncall-mcp benchmarks — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})\n`,
);
await benchStartup(15);
await benchToolCalls(2000);
await benchModelTokens();
await benchOrgScale(); // the same calls at 10, 1,000 and 10,000 users
await benchDryRun(); // dry_run against the real write, at 14 to 1,004 chains
await benchSimulation(); // simulate_escalation on the demo and with 1,000 / 10,000 more chains
await benchStorage(); // the database at the demo size and with 100,000 alert groups of history
await benchScaleIngestion(); // alerts/s and p99 at 1k/10k/100k alert groups of history, memory and SQLite
await benchScaleScheduler(); // lateness at 100/1k/10k escalating groups; SIGTERM while 10k are due
await benchSchedules();
await benchScaleSchedules(); // final schedules over final events; current_oncall over 20 schedule steps
await benchTemplates();
await benchHttpBackend();
await benchHttpBudget(); // upstream requests per tool call on a 2,000-user organisation, cold and warm
await benchWebhooks(2000);
await benchHostileBody(); // RSS of the REST server around 300 MiB bodies it must refuse
await benchHostileLatency(); // what alerts hitting expensive routes cost everybody else's requests
await (await import('./load.js')).benchLoad(); // 50 sessions × 200 calls over Streamable HTTP
