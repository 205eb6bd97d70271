/**
 * Small leaks and upstream surprises: ids that would walk the live API's paths, answers that are
 * too large or not JSON, internal exception text in tool results, credentials in the API URL.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBackend } from '../../src/cli/backend.js';
import { redactUrl } from '../../src/cli/http-config.js';
import { HttpBackend } from '../../src/http-backend/backend.js';
import { connect } from '../helpers.js';

/** A loopback server that records every request and answers with `answer`. */
async function upstream(answer: (res: ServerResponse) => void) {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    answer(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const backend = new HttpBackend({ baseUrl: url, token: 'tok', backoffMs: 1, maxRetries: 0 });
  stops.push(async () => {
    await backend.close();
    await new Promise((r) => server.close(r));
  });
  return { paths, backend };
}
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('ids that look like paths never reach the live API', () => {
  it.each(['..', '../users', 'F1/../../users', '%2e%2e', 'F1?page=2', 'F1#x', 'F1 2', ''])('%j', async (id) => {
    const { paths, backend } = await upstream((res) => res.end('{}'));
    await expect(backend.escalationChains.get(id)).rejects.toMatchObject({
      status: 400,
      body: { detail: expect.stringContaining('is not a valid id') },
    });
    await expect(backend.alertGroups.action(id, 'acknowledge')).rejects.toMatchObject({ status: 400 });
    expect(paths).toEqual([]);
  });

  it('an ordinary id still goes through', async () => {
    // A whole chain: answers are checked against the chain's shape (src/http-backend/shapes.ts).
    const { paths, backend } = await upstream((res) => res.end('{"id":"F5JU6KJET33FE","name":"default","team_id":null}'));
    await backend.escalationChains.get('F5JU6KJET33FE');
    expect(paths).toEqual(['/api/v1/escalation_chains/F5JU6KJET33FE/']);
  });
});

describe('upstream answers are bounded', () => {
  it('an answer over 32 MiB is refused without being buffered', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const { backend } = await upstream((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const pump = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => {});
      pump();
    });
    await expect(backend.escalationChains.list({})).rejects.toMatchObject({
      status: 502,
      body: { detail: expect.stringContaining('larger than 33554432 bytes') },
    });
  });

  it('a success answer that is not JSON is an upstream error, not a crash', async () => {
    const { backend } = await upstream((res) => res.end('<html>login</html>'));
    await expect(backend.escalationChains.get('F5JU6KJET33FE')).rejects.toMatchObject({
      status: 502,
      body: { detail: expect.stringContaining('with a body that is not JSON') },
    });
  });
});

describe('internal errors', () => {
  it('the exception text stays in the log; a write says the change may or may not have happened', async () => {
    const logs: string[] = [];
    const h = await connect({ log: (m) => logs.push(m) });
    const secret = 'at /srv/oncall/secret-path.ts: db password hunter2';
    h.backend.escalationChains.get = async () => {
      throw new Error(secret);
    };
    h.backend.escalationChains.create = async () => {
      throw new Error(secret);
    };
    const read = await h.call('get_escalation_chain', { escalation_chain_id: 'F5JU6KJET33FE' });
    const write = await h.call('create_escalation_chain', { name: 'x' });
    for (const result of [read, write]) {
      expect(result.isError).toBe(true);
      expect(result.text).not.toContain('hunter2');
      expect(result.text).not.toContain('secret-path');
    }
    expect(read.text).toContain('the call may be repeated');
    expect(write.text).toContain('may or may not have been made');
    expect(write.text).not.toContain('may be repeated');
    expect(logs.join('\n')).toContain('hunter2'); // where an operator can find it
    await h.close();
  });
});

describe('credentials inside ONCALL_API_URL', () => {
  it('are masked in the start-up line and in errors', async () => {
    expect(redactUrl('https://admin:s3cret@oncall.example.com/oncall')).toBe('https://****:****@oncall.example.com/oncall');
    expect(redactUrl('https://oncall.example.com/')).toBe('https://oncall.example.com/');
    const built = await buildBackend(
      { backend: 'http', apiUrl: 'https://admin:s3cret@oncall.example.com', webhookAllow: [], data: undefined, persist: false, publicUrl: undefined, tokenFile: undefined, authScheme: undefined },
      () => {},
      { ONCALL_API_TOKEN: 'tok' },
    );
    expect(built.source).not.toContain('s3cret');
    expect(built.source).toContain('****');
    await (built.backend as HttpBackend).close();
    await expect(
      buildBackend(
        { backend: 'http', apiUrl: 'ftp://admin:s3cret@host', webhookAllow: [], data: undefined, persist: false, publicUrl: undefined, tokenFile: undefined, authScheme: undefined },
        () => {},
        { ONCALL_API_TOKEN: 'tok' },
      ),
    ).rejects.toThrow(/^(?!.*s3cret).*not an http\(s\) URL/);
  });
});
