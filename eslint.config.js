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
    ignores: ['src/engine/core/clock.ts', 'src/engine/storage/persistence.ts'],
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
);
