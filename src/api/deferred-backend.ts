/**
 * A backend that opens after the server starts serving instead of before. Loading the embedded
 * engine (its modules, the template sandbox's WebAssembly, SQLite) and opening it on the demo
 * organisation or a data file, which checks every object with OnCall's field rules, takes about
 * as long as the SDK takes to load, and `initialize` needs none of it: over stdio the server
 * answers a waiting `initialize` first and opens the engine right after (`open()`, called by
 * src/cli/commands.ts), or at the first call that needs it, whichever comes first.
 *
 * Everything asynchronous waits for the real backend; what is synchronous is answered until then
 * as the real one would answer it (`now()`: the system clock, which is the engine's outside tests;
 * `revision()`: no commit yet). A kind-`http` backend has no `revision` or change feed, so readers
 * treat it as a live OnCall either way.
 */
import type { BackendLifecycle, ChangeFeed, OnCallBackend } from './backend.js';

export interface DeferredBackend {
  backend: OnCallBackend;
  /** Open now (idempotent); resolves with the real backend, rejects with why it could not open. */
  open(): Promise<OnCallBackend>;
}

type Revisioned = OnCallBackend & { revision?: () => number };
type Method = (...args: unknown[]) => unknown;

export function deferredBackend(kind: OnCallBackend['kind'], opener: () => Promise<OnCallBackend>): DeferredBackend {
  let real: Revisioned | undefined;
  let opening: Promise<OnCallBackend> | undefined;
  let started = false;
  const waiting: Array<() => void> = [];
  const open = () =>
    (opening ??= opener().then((backend) => {
      real = backend;
      if (started) backend.lifecycle?.start();
      waiting.splice(0).forEach((attach) => attach());
      return backend;
    }));

  const lifecycle: BackendLifecycle = {
    start: () => {
      started = true;
      real?.lifecycle?.start();
    },
    catchUp: () => real?.lifecycle?.catchUp(),
    stop: async (graceMs) => (real ? ((await real.lifecycle?.stop(graceMs)) ?? true) : true),
  };
  const changes: ChangeFeed = {
    subscribe(listener) {
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      const attach = () => {
        if (!cancelled) unsubscribe = real?.changes?.subscribe(listener);
      };
      if (real) attach();
      else waiting.push(attach);
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
  };
  const own: Record<PropertyKey, unknown> = {
    kind,
    lifecycle,
    now: () => real?.now() ?? Date.now(),
    // A method of the backend itself, not a group of methods: forwarded once it is open.
    sandbox: async () => {
      const opened = await open();
      if (!opened.sandbox) throw new Error('this backend cannot make a sandbox');
      return opened.sandbox();
    },
    ...(kind === 'memory' ? { changes, revision: () => real?.revision?.() ?? 0 } : {}),
  };
  const groups = new Map<PropertyKey, unknown>();
  const group = (name: PropertyKey) =>
    new Proxy(
      {},
      {
        get: (_target, method) =>
          async (...args: unknown[]) => {
            const backend = (await open()) as unknown as Record<PropertyKey, Record<PropertyKey, Method>>;
            return backend[name]![method]!(...args);
          },
      },
    );
  const backend = new Proxy({} as OnCallBackend, {
    get(_target, prop) {
      if (prop in own) return own[prop];
      if (prop === 'then' || typeof prop === 'symbol') return undefined; // not a thenable, not iterable
      if (prop === 'inbound') return undefined; // inbound alerts arrive over HTTP, which opens eagerly
      if (!groups.has(prop)) groups.set(prop, group(prop));
      return groups.get(prop);
    },
    has: (_target, prop) => prop in own || (typeof prop === 'string' && prop !== 'inbound' && prop !== 'then'),
  });
  return { backend, open };
}
