// `npm run build`: the server as ESM bundles, dist/main.js and the chunks its import()s reach in
// dist/chunks/, so start-up reads a few files instead of resolving some 500 modules, and compiles
// only what runs before `initialize` (spawn -> initialize: bench/startup.ts).
//
// Kept out of the bundle, loaded from node_modules at run time (all in `dependencies`, so a
// published package resolves them from its own node_modules):
// - better-sqlite3: a native addon; its JavaScript finds its compiled .node file next to itself;
// - @jitl/quickjs-wasmfile-release-sync: the template sandbox reads its .wasm file next to it;
// - nunjucks: the sandbox reads nunjucks' browser bundle from the package to run inside QuickJS,
//   and the Node build requires optional watchers (chokidar) it never uses here.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const EXTERNAL = ['better-sqlite3', '@jitl/quickjs-wasmfile-release-sync', 'nunjucks', 'undici'];

/**
 * esbuild hoists an external `import` to the top of the bundle, so these packages would load at
 * start-up although only the engine uses them, and the engine loads after `initialize` (its
 * modules are reached through `import()`, which the bundle evaluates on demand). So each `import`
 * of one becomes a small CommonJS module that `require()`s it (Node's require, from the banner):
 * the package loads when the engine's module is evaluated, not before.
 */
const lazyExternals = {
  name: 'lazy-externals',
  setup(b) {
    const filter = new RegExp(`^(${EXTERNAL.map((e) => e.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.kind === 'require-call' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-external' });
    b.onLoad({ filter: /.*/, namespace: 'lazy-external' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

const dist = fileURLToPath(new globalThis.URL('../dist', import.meta.url));
rmSync(dist, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [lazyExternals],
  // CommonJS dependencies inside an ESM bundle still call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __bundleRequire } from \'node:module\';\nconst require = __bundleRequire(import.meta.url);',
  },
  minify: !process.env.BUNDLE_NO_MINIFY,
  sourcemap: 'linked',
  legalComments: 'external',
  logLevel: 'warning',
};
// Split: what only the engine uses (reached through `import()`) goes to chunks that are compiled
// when the engine first loads, after `initialize`; start-up compiles the MCP surface and tools.
await build({
  ...common,
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
// The engine alone, for child processes of tests and benchmarks that drive it without MCP
// (test/fixtures/write-loop.mjs, bench/storage-child.mjs). Not in the published package.
await build({
  ...common,
  stdin: {
    contents: 'export * from \'./src/engine/index.ts\';\nexport { DEMO_ORGANISATION } from \'./src/demo/organisation.ts\';',
    resolveDir: fileURLToPath(new globalThis.URL('..', import.meta.url)),
    sourcefile: 'engine-entry.ts',
    loader: 'ts',
  },
  outfile: 'dist/engine.js',
});
