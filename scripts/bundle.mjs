// `npm run build`: the server as one ESM file, dist/main.js, so start-up reads one file instead of
// resolving and compiling some 500 modules (spawn -> initialize: bench/startup.ts).
//
// Kept out of the bundle, loaded from node_modules at run time:
// - @jitl/quickjs-wasmfile-release-sync: the template sandbox reads its .wasm file next to it;
// - nunjucks: the sandbox reads nunjucks' browser bundle from the package to run inside QuickJS,
//   and the Node build requires optional watchers (chokidar) it never uses here.
// Both stay in `dependencies`, so a published package resolves them from its own node_modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@jitl/quickjs-wasmfile-release-sync', 'nunjucks'],
  // CommonJS dependencies inside an ESM bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);" },
  minify: !process.env.BUNDLE_NO_MINIFY,
  sourcemap: 'linked',
  legalComments: 'external',
  logLevel: 'warning',
});
