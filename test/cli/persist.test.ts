import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { databaseContent } from '../storage-helpers.js';
import { BIN } from './run-cli.js';

async function start(file: string) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, '--data', file, '--persist'],
    stderr: 'pipe',
  });
  const client = new Client({ name: 'persist-test', version: '1' });
  await client.connect(transport);
  return { client, transport };
}

const structured = (r: Awaited<ReturnType<Client['callTool']>>) =>
  r.structuredContent as Record<string, unknown>;

describe('--persist', () => {
  it('an acknowledged change survives SIGKILL and a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-'));
    const file = join(dir, 'org.json');
    const first = await start(file);
    const created = structured(
      await first.client.callTool({
        name: 'create_escalation_chain',
        arguments: { name: 'survives a crash' },
      }),
    );
    await first.client.callTool({
      name: 'advance_round_robin',
      arguments: { escalation_policy_id: 'E1VSUYR3PM58D' },
    });
    process.kill(first.transport.pid!, 'SIGKILL');
    await first.client.close();
    // Acknowledged means on disk already: the killed process had no chance to save anything more.
    expect(databaseContent(`${file}.db`).chains.get(created.id as string)?.name).toBe('survives a crash');

    const second = await start(file);
    const chain = structured(
      await second.client.callTool({
        name: 'get_escalation_chain',
        arguments: { escalation_chain_id: created.id },
      }),
    );
    expect(chain).toMatchObject({ id: created.id, name: 'survives a crash' });
    // The round-robin pointer persisted too: carol was skipped before, so frank is next now.
    const rr = structured(
      await second.client.callTool({
        name: 'advance_round_robin',
        arguments: { escalation_policy_id: 'E1VSUYR3PM58D' },
      }),
    );
    expect(rr).toEqual({ user_id: 'U2PI83F3X2YCU', username: 'ivan' });
    await second.client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a kill in the middle of a burst of writes never leaves a half-written database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oncall-mcp-'));
    const file = join(dir, 'org.json');
    const { client, transport } = await start(file);
    // Once a write is answered the database is open (the server opens it after `initialize`).
    await client.callTool({ name: 'create_escalation_chain', arguments: { name: 'before the burst' } });
    const writes = Array.from({ length: 60 }, (_, i) =>
      client
        .callTool({ name: 'create_escalation_chain', arguments: { name: `burst ${i}` } })
        .catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 40));
    process.kill(transport.pid!, 'SIGKILL');
    await Promise.all(writes);
    await client.close();
    const state = databaseContent(`${file}.db`); // opens, and holds whole commits only
    expect(state.chains.size).toBeGreaterThanOrEqual(4);
    const burst = [...state.chains.values()].filter((c) => c.name.startsWith('burst ')).map((c) => Number(c.name.slice(6)));
    expect(burst.every((n) => n >= 0 && n < 60)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
