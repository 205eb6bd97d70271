import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './run-cli.js';

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('stdio transport against the built bin', () => {
  it('initializes, lists tools and answers a call over real stdio', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN], stderr: 'pipe' });
    client = new Client({ name: 'stdio-test', version: '1' });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('oncall-mcp');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('get_escalation_chain');
    const result = await client.callTool({
      name: 'get_escalation_chain',
      arguments: { escalation_chain_id: 'F5JU6KJET33FE' },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ id: 'F5JU6KJET33FE', name: 'default', team_id: null });
    // Bad input is an isError result; the process keeps answering.
    const bad = await client.callTool({
      name: 'create_escalation_policy',
      arguments: { escalation_chain_id: 'F5JU6KJET33FE', type: 'wait', duration: 30 },
    });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('duration');
    expect((await client.listTools()).tools.length).toBe(tools.length);
  });

  it('answers initialize before it opens the engine; a bad data file then ends it, exit 2, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-'));
    const file = join(dir, 'org.json');
    writeFileSync(file, '{"teams": [');
    const child = spawn(process.execPath, [BIN, '--data', file], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    };
    child.stdin.write(`${JSON.stringify(initialize)}\n`); // stdin stays open: a client that stays
    expect(await exited).toBe(2);
    expect(JSON.parse(stdout.split('\n')[0]!)).toMatchObject({ id: 1, result: { serverInfo: { name: 'oncall-mcp' } } });
    expect(stderr).toContain('not valid JSON');
    rmSync(dir, { recursive: true, force: true });
  });
});
