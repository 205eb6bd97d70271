/**
 * Model-visible tokens of the tool definitions: what a client puts in the model's context for each
 * tool (name, description, input schema, as JSON), counted with a real tokenizer. js-tiktoken's
 * o200k_base is the encoding of current OpenAI models; cl100k_base (GPT-4) is printed beside it as
 * a second opinion. Other vendors' tokenizers are not public, but BPE counts of English and JSON
 * land within a few percent of each other, so the ratios between tools hold.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { getEncoding } from 'js-tiktoken';
import { demoState } from '../src/demo/state.js';
import { MemoryBackend } from '../src/engine/memory-backend.js';
import { createServer, type ServerOptions } from '../src/server.js';
import { TOOLSETS, type Toolset } from '../src/tools/define.js';
import { row } from './stats.js';

const o200k = getEncoding('o200k_base');
const cl100k = getEncoding('cl100k_base');

interface Listed {
  name: string;
  description?: string | undefined;
  inputSchema: unknown;
}

/** The part of a tools/list entry a client hands the model. */
const modelVisible = (t: Listed) =>
  JSON.stringify({ name: t.name, description: t.description, inputSchema: t.inputSchema });

export async function listedTools(opts: Pick<ServerOptions, 'readOnly' | 'toolsets'> = {}): Promise<Listed[]> {
  const backend = new MemoryBackend({ state: demoState() });
  const server = createServer({ backend, ...opts, log: () => {} });
  const client = new Client({ name: 'bench', version: '1' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(c), server.connect(s)]);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

export const tokens = (t: Listed) => o200k.encode(modelVisible(t)).length;

function summary(label: string, tools: Listed[]): string {
  const total = tools.reduce((sum, t) => sum + tokens(t), 0);
  const cl = tools.reduce((sum, t) => sum + cl100k.encode(modelVisible(t)).length, 0);
  const perTool = tools.length ? (total / tools.length).toFixed(0) : '-';
  return row(label, `${String(tools.length).padStart(2)} tools`, `${String(total).padStart(6)} tokens`, `${perTool.padStart(4)}/tool`, `(cl100k ${cl})`);
}

export async function benchModelTokens(): Promise<void> {
  console.log('\nmodel-visible tool definitions (name + description + input schema as JSON; js-tiktoken o200k_base)');
  const all = await listedTools();
  const sorted = [...all].sort((a, b) => tokens(b) - tokens(a));
  for (const t of sorted) console.log(row(`  ${t.name}`, String(tokens(t)).padStart(5)));
  console.log(summary('default (every tool)', all));
  console.log(summary('--read-only', await listedTools({ readOnly: true })));
  for (const set of TOOLSETS) console.log(summary(`--toolsets ${set}`, await listedTools({ toolsets: [set] as Toolset[] })));
  const full = JSON.stringify({ tools: all });
  console.log(row('full tools/list (with output schemas)', `${o200k.encode(full).length} tokens`, `${Buffer.byteLength(full)} bytes`));
}
