import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Engine tests run on a virtual clock; nothing here should need long timeouts.
    testTimeout: 20_000,
    // The database store checks that every commit names each configuration kind it changed.
    env: { ONCALL_MCP_VERIFY_COMMITS: '1' },
    projects: [
      // extends: the root options (the timeout above) apply to each project too.
      { extends: true, test: { name: 'memory', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        // The parity suite: the same tool tests through the HTTP backend and the REST facade.
        test: {
          name: 'http',
          include: ['test/tools/**/*.test.ts', 'test/registry.test.ts'],
          env: { ONCALL_TEST_BACKEND: 'http', ONCALL_MCP_VERIFY_COMMITS: '1' },
        },
      },
    ],
  },
});
