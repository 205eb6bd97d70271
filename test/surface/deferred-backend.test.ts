/**
 * The backend the stdio server opens after `initialize` (src/api/deferred-backend.ts): the server
 * answers what needs no backend before it opens, calls wait for it, and a change listener
 * attached before it opened hears the engine's changes afterwards.
 */
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { OnCallBackend } from '../../src/api/backend.js';
import { deferredBackend } from '../../src/api/deferred-backend.js';
import { demoState } from '../../src/demo/state.js';
import { VirtualClock } from '../../src/engine/core/clock.js';
import { MemoryBackend } from '../../src/engine/memory-backend.js';
import { connect, type Harness, IDS, NOW } from '../helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A deferred backend over `real` whose opening finishes when `release()` is called. */
function gated(real: OnCallBackend) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let opened = 0;
  const deferred = deferredBackend(real.kind, async () => {
    opened++;
    await gate;
    return real;
  });
  return { deferred, release, opened: () => opened };
}

describe('a backend opened after initialize', () => {
  it('lists tools before it opens; a call waits for it and then answers as the real one', async () => {
    let g: ReturnType<typeof gated> | undefined;
    h = await connect({
      wrapBackend: (real) => {
        g = gated(real);
        return g.deferred.backend;
      },
    });
    expect((await h.client.listTools()).tools.length).toBeGreaterThan(40);
    expect(g!.opened()).toBe(0); // nothing so far needed it
    let answered = false;
    const call = h.call('get_escalation_chain', { escalation_chain_id: IDS.defaultChain }).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(g!.opened()).toBe(1); // the call asked for it...
    expect(answered).toBe(false); // ...and waits while it opens
    g!.release();
    const result = await call;
    expect(result.isError).toBe(false);
    expect(result.data).toMatchObject({ id: IDS.defaultChain, name: 'default' });
    await g!.deferred.open(); // idempotent: the same backend, opened once
    expect(g!.opened()).toBe(1);
  });

  it('a change listener attached before it opened hears changes after', async () => {
    const engine = new MemoryBackend({ state: demoState(), clock: VirtualClock.at(NOW) });
    const g = gated(engine);
    let heard = 0;
    g.deferred.backend.changes!.subscribe(() => heard++);
    g.release();
    await g.deferred.open();
    await engine.escalation.create({ users: [{ id: IDS.bob, important: false }], title: 'x' });
    await new Promise((r) => setTimeout(r, 20));
    expect(heard).toBeGreaterThan(0);
  });

  it('a client subscribed through it receives the update when an alert group is acknowledged', async () => {
    h = await connect({ wrapBackend: (real) => deferredBackend(real.kind, async () => real).backend });
    const page = await h.ok('create_escalation', { users: [{ id: IDS.bob, important: false }], title: 'disk full' });
    const uri = `oncall://alert-groups/${page.data.id as string}`;
    const seen: string[] = [];
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void seen.push(n.params.uri));
    await h.client.subscribeResource({ uri });
    await h.ok('update_alert_group', { alert_group_id: page.data.id, action: 'acknowledge' });
    const deadline = Date.now() + 5000;
    while (!seen.includes(uri) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toContain(uri);
  });
});
