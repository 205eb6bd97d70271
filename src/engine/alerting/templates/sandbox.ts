/**
 * Templates render inside QuickJS compiled to WebAssembly: a separate JavaScript engine with its
 * own heap, its own intrinsics and no host function in it. The context goes in as JSON text and
 * the result comes out as a string, so nothing a template does can reach Node, the engine state or
 * the file system. What this module adds around it:
 *
 * - a time budget per call (the runtime's interrupt handler checks a deadline), a memory limit and
 *   a stack limit per runtime, each turned into a `SandboxError` with a plain message;
 * - recovery: after the memory limit the realm (runtime + context) is rebuilt, since the code in
 *   it may have stopped half-way; if the host's own stack overflows inside the WebAssembly code
 *   (QuickJS's stack check counts the WebAssembly stack, not the host's), the whole WebAssembly
 *   instance is discarded, as its stack pointer and heap can no longer be trusted, and a spare
 *   instance takes over;
 * - a lazily built realm: evaluating nunjucks costs tens of milliseconds, paid on the first render,
 *   not at start-up. Loading the WebAssembly module itself is the top-level await below.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { sandboxSource } from './sandbox-source.js';

export interface SandboxLimits {
  /** Wall-clock budget of one render, ms. */
  renderMs: number;
  /** Wall-clock budget of compiling a template not yet cached, ms (compiling is 5-15 ms). */
  compileMs: number;
  /** The whole WebAssembly memory of an instance: QuickJS, nunjucks, the cache and the render. */
  memoryBytes: number;
  stackBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  renderMs: 50,
  compileMs: 150,
  memoryBytes: 64 * 1024 * 1024,
  // QuickJS measures the WebAssembly stack, which grows several times slower than the host's;
  // 128 KiB keeps ordinary recursion inside QuickJS's own check on Node's default 984 KiB stack.
  stackBytes: 128 * 1024,
};

/** Setup is trusted code; its deadline only guards against a broken build hanging the process. */
const SETUP_MS = 10_000;

export type SandboxFailure = 'template' | 'time' | 'memory' | 'stack' | 'jobs' | 'unavailable';

export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  constructor(
    readonly kind: SandboxFailure,
    message: string,
  ) {
    super(message);
  }
}

const require = createRequire(import.meta.url);
// The package's types describe its CommonJS build; under ESM the default export is the variant.
const releaseSync = ('default' in releaseSyncImport ? releaseSyncImport.default : releaseSyncImport) as QuickJSSyncVariant;
// lib ES2023 has no WebAssembly types; only `compile` is needed. Compiling once lets every
// instance (the first, spares after a restart) instantiate in a few milliseconds.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  Memory: new (descriptor: { initial: number; maximum: number }) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const wasmModule = await wasm.compile(readFileSync(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')));
const PAGE = 65_536;

/**
 * Each instance gets its own linear memory whose MAXIMUM is the memory limit. QuickJS's own
 * limit (`setMemoryLimit`) cannot be trusted alone: in this build it has no malloc_usable_size,
 * so it counts a few bytes per allocation and only refuses single allocations over the limit
 * (1,000 strings of 100 KB got 100 MB past a 32 MiB limit). The WebAssembly memory cannot grow
 * past its maximum, so malloc fails there and QuickJS reports "out of memory".
 */
function newInstance(memoryBytes: number): Promise<QuickJSWASMModule> {
  const pages = Math.ceil(memoryBytes / PAGE);
  const wasmMemory = new wasm.Memory({ initial: Math.min(256, pages), maximum: pages });
  return newQuickJSWASMModuleFromVariant(
    newVariant(releaseSync, { wasmModule: wasmModule as never, wasmMemory: wasmMemory as never }),
  );
}

/** A runtime and a context with nunjucks loaded, and handles on the two entry points. */
class Realm {
  private deadline = Number.POSITIVE_INFINITY;
  interrupted = false;

  private constructor(
    readonly runtime: QuickJSRuntime,
    readonly context: QuickJSContext,
    readonly prepare: QuickJSHandle,
    readonly render: QuickJSHandle,
    readonly regexTest: QuickJSHandle,
  ) {
    runtime.setInterruptHandler(() => {
      if (performance.now() <= this.deadline) return false;
      this.interrupted = true;
      return true;
    });
  }

  static build(instance: QuickJSWASMModule, limits: SandboxLimits, source: string): Realm {
    const runtime = instance.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    const context = runtime.newContext();
    const deadline = performance.now() + SETUP_MS;
    runtime.setInterruptHandler(() => performance.now() > deadline);
    const entries = context.unwrapResult(context.evalCode(source, 'oncall-templates.js'));
    const prepare = context.getProp(entries, 0);
    const render = context.getProp(entries, 1);
    const regexTest = context.getProp(entries, 2);
    entries.dispose();
    return new Realm(runtime, context, prepare, render, regexTest);
  }

  /** Run `fn` with a deadline `ms` from now. */
  within<T>(ms: number, fn: () => T): T {
    this.interrupted = false;
    this.deadline = performance.now() + ms;
    try {
      return fn();
    } finally {
      this.deadline = Number.POSITIVE_INFINITY;
    }
  }

  dispose(): void {
    this.prepare.dispose();
    this.render.dispose();
    this.regexTest.dispose();
    this.context.dispose();
    this.runtime.dispose();
  }
}

const MAX_MESSAGE = 300;

/** First line of a nunjucks error, without its "(unknown path)" and "Error: " prefixes. */
export function cleanMessage(message: string): string {
  const line =
    message
      .replace(/^\(unknown path\)\s*/, '')
      .replace(/^(\[Line \d+, Column \d+\]\s*)?/, '$1')
      .replace(/^(Template render error: )?(\w*Error: )?/, '')
      .split('\n')[0] ?? message;
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

/**
 * The message of what a template threw, read without `dump` (which would serialise whatever was
 * thrown). Reading `message` may run a getter of the template's: it still runs under the deadline.
 */
function errorMessage(context: QuickJSContext, error: QuickJSHandle): string {
  try {
    if (context.typeof(error) === 'string') return context.getString(error);
    if (context.typeof(error) !== 'object') return 'template error';
    return context.getProp(error, 'message').consume((m) =>
      context.typeof(m) === 'string' ? context.getString(m) : 'template error',
    );
  } catch {
    return 'template error';
  }
}

export class TemplateSandbox {
  private instance: QuickJSWASMModule | undefined;
  private spare: QuickJSWASMModule | undefined;
  private loading: Promise<void> | undefined;
  private realm: Realm | undefined;
  private source: string | undefined;
  /** Counters for tests and the benchmark: how often each recovery happened. */
  readonly stats = { realmsBuilt: 0, instancesDiscarded: 0 };

  constructor(
    instance: QuickJSWASMModule,
    readonly limits: SandboxLimits = DEFAULT_LIMITS,
  ) {
    this.instance = instance;
  }

  static async create(limits: SandboxLimits = DEFAULT_LIMITS): Promise<TemplateSandbox> {
    return new TemplateSandbox(await newInstance(limits.memoryBytes), limits);
  }

  /** Compile (or find cached) and render; every failure is a SandboxError. */
  render(template: string, contextJson: string, now: number, zonesJson = '{}'): string {
    const realm = this.currentRealm();
    try {
      realm.within(this.limits.compileMs, () => this.call(realm, realm.prepare, [template]));
      const text = realm.within(this.limits.renderMs, () =>
        this.call(realm, realm.render, [template, contextJson, now, zonesJson]),
      );
      // A synchronous render queues no promise jobs; a template that did would keep code alive in
      // the runtime for later. Nothing ever runs them: the realm is dropped instead.
      if (realm.runtime.hasPendingJob()) {
        this.dropRealm();
        throw new SandboxError('jobs', 'template left asynchronous work queued; it was discarded');
      }
      return text;
    } catch (err) {
      if (err instanceof SandboxError) {
        if (err.kind === 'memory') this.dropRealm();
        if (err.kind === 'template' && realm.runtime.hasPendingJob()) this.dropRealm();
        throw err;
      }
      // Anything else escaped the WebAssembly code itself (the host's stack overflowed inside it,
      // or QuickJS aborted): its memory can no longer be trusted.
      this.discardInstance();
      throw new SandboxError('stack', 'template nested too deeply (the sandbox was restarted)');
    }
  }

  /** `new RegExp(source, flags).test(text)` inside the sandbox, within the render budget. */
  regexTest(source: string, flags: string, text: string): boolean {
    const realm = this.currentRealm();
    try {
      return realm.within(this.limits.renderMs, () => this.call(realm, realm.regexTest, [source, flags, text])) === '1';
    } catch (err) {
      if (err instanceof SandboxError) {
        if (err.kind === 'memory') this.dropRealm();
        throw err;
      }
      this.discardInstance();
      throw new SandboxError('stack', 'regex nested too deeply (the sandbox was restarted)');
    }
  }

  /** Build the realm now (e.g. off the critical path) instead of on the first render. */
  warm(): void {
    this.currentRealm();
  }

  private call(realm: Realm, fn: QuickJSHandle, args: Array<string | number>): string {
    const { context } = realm;
    // Strings go in and come out as JSON (the sandbox's `wire`): no NUL ever reaches QuickJS's C strings.
    const handles = args.map((a) => (typeof a === 'number' ? context.newNumber(a) : context.newString(JSON.stringify(a))));
    try {
      const result = context.callFunction(fn, context.undefined, ...handles);
      if (result.error) throw this.classify(realm, result.error.consume((h) => errorMessage(context, h)));
      const text = result.value.consume((h) => (context.typeof(h) === 'string' ? context.getString(h) : '""'));
      return JSON.parse(text) as string;
    } finally {
      for (const h of handles) h.dispose();
    }
  }

  private classify(realm: Realm, message: string): SandboxError {
    if (realm.interrupted) return new SandboxError('time', 'template exceeded its time budget');
    // QuickJS's own size caps ("string too long", "invalid array length") are memory limits too.
    if (/out of memory|string too long|invalid array length/.test(message)) {
      return new SandboxError('memory', `template exceeded its memory limit (${this.limits.memoryBytes >> 20} MiB)`);
    }
    if (/stack overflow/.test(message)) return new SandboxError('stack', 'template nested too deeply');
    return new SandboxError('template', cleanMessage(message));
  }

  private currentRealm(): Realm {
    if (this.realm) return this.realm;
    if (!this.instance) {
      this.loadSpare();
      throw new SandboxError('unavailable', 'the template sandbox is restarting; try again shortly');
    }
    this.source ??= sandboxSource();
    this.realm = Realm.build(this.instance, this.limits, this.source);
    this.stats.realmsBuilt++;
    this.loadSpare(); // ready before it is needed, off the render path
    return this.realm;
  }

  private dropRealm(): void {
    const realm = this.realm;
    this.realm = undefined;
    try {
      realm?.dispose();
    } catch {
      this.discardInstance(); // QuickJS found its heap inconsistent while freeing it
    }
  }

  private discardInstance(): void {
    // Nothing of the old instance is touched again, not even to free it: the garbage collector
    // reclaims its memory with the last reference.
    this.realm = undefined;
    this.instance = this.spare;
    this.spare = undefined;
    this.stats.instancesDiscarded++;
    this.loadSpare();
  }

  private loadSpare(): void {
    if (this.spare || this.loading) return;
    this.loading = newInstance(this.limits.memoryBytes).then(
      (instance) => {
        this.loading = undefined;
        if (this.instance) this.spare = instance;
        else this.instance = instance;
      },
      () => {
        this.loading = undefined; // the next render tries again
      },
    );
  }

  /** Resolves once a spare (or replacement) instance has loaded: tests wait on it. */
  async settled(): Promise<void> {
    while (this.loading) await this.loading;
  }
}
