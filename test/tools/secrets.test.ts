/**
 * Credentials inside URLs never reach tool text: a Slack incoming-webhook path, `?token=` queries and
 * `user:password@` in a webhook's URL are masked; the structured content keeps the API shape.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { demoState } from '../../src/demo/state.js';
import { connect, type Harness } from '../helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('credentials in webhook URLs', () => {
  it('are masked in list_webhooks text, and the structured content is the API shape', async () => {
    const state = demoState();
    const hook = [...state.webhooks.values()][0]!;
    const slackPath = 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx';
    hook.url = slackPath;
    const other = [...state.webhooks.values()][1]!;
    other.url = 'https://ops:hunter2@status.example.net/api/incidents?token=s3cr3tvalue&team=sre';
    h = await connect({ state });
    const r = await h.ok('list_webhooks', {});
    for (const secret of ['abcdefghijklmnopqrstuvwx', 'hunter2', 's3cr3tvalue']) expect(r.text).not.toContain(secret);
    expect(r.text).toContain('https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/****');
    expect(r.text).toContain('https://****:****@status.example.net/api/incidents?token=****&team=sre');
    expect(r.text).toContain('masked (****)');
    expect(r.data.results.map((w: { url: string }) => w.url)).toContain(slackPath);
  });
});
