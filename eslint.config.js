// One tool for lint and format: ESLint with typescript-eslint (correctness) and @stylistic (layout).
// Chosen over Biome because Biome ships per-platform binaries that this project's registry does not
// all serve, which makes `npm ci` refuse the lock file on a clean machine.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  stylistic.configs.customize({
    indent: 2,
    quotes: 'single',
    semi: true,
    commaDangle: 'always-multiline',
    braceStyle: '1tbs',
    arrowParens: true,
    jsx: false,
  }),
  {
    rules: {
      '@stylistic/max-len': ['error', { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreComments: false }],
      '@stylistic/operator-linebreak': ['error', 'before', { overrides: { '=': 'after' } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Engine time comes from the injectable Clock, so tests and simulations can move it.
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/core/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.object.name="Date"][callee.property.name="now"]',
          message: 'Read time from the engine Clock, not Date.now().',
        },
      ],
    },
  },
  // Layers: hosts and tools talk to an OnCallBackend; the engine never reaches up into MCP or hosts.
  ...layerRules(),
);

function layerRules() {
  const upward = {
    group: ['**/tools/*', '**/server.js', '**/transports/*', '**/cli/*', '**/rest/*', '**/http-backend/*', '**/demo/*', '@modelcontextprotocol/*'],
    message: 'The engine never imports MCP, tools, transports, the REST facade or the CLI.',
  };
  const engineSubdomains = ['alerting', 'directory', 'escalation', 'runtime', 'schedules', 'storage'];
  return [
    {
      files: ['src/engine/**/*.ts'],
      ignores: ['src/engine/core/**'],
      rules: { 'no-restricted-imports': ['error', { patterns: [upward] }] },
    },
    {
      // core is what every sub-domain stands on: it imports none of them.
      files: ['src/engine/core/**/*.ts'],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [
            upward,
            { group: [...engineSubdomains.map((d) => `../${d}/*`), '../memory-backend.js', '../simulation.js'], message: 'engine/core imports no other part of the engine.' },
          ],
        }],
      },
    },
    {
      files: ['src/tools/**/*.ts', 'src/server.ts', 'src/surface/**/*.ts', 'src/rest/**/*.ts', 'src/transports/**/*.ts', 'src/api/**/*.ts'],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [{ group: ['**/engine/**'], message: 'Tools, transports and the REST facade talk to an OnCallBackend, never to the engine.' }],
        }],
      },
    },
    {
      // The HTTP backend computes what a live OnCall does not answer (current_oncall on self-hosted
      // OnCall, simulation) with the engine over a fetched snapshot: through its public surface only.
      files: ['src/http-backend/**/*.ts'],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [{ group: ['**/engine/**', '!**/engine/index.js'], message: 'The HTTP backend uses the engine through src/engine/index.ts only.' }],
        }],
      },
    },
    {
      files: ['src/cli/**/*.ts', 'src/main.ts'],
      rules: {
        'no-restricted-imports': ['error', {
          patterns: [{ group: ['**/engine/**', '!**/engine/index.js', '!**/engine/options.js'], message: 'The CLI uses the engine through src/engine/index.ts (and options.ts, the flags it checks) only.' }],
        }],
      },
    },
  ];
}
