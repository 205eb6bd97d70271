import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Engine tests run on a virtual clock; nothing here should need long timeouts.
    testTimeout: 20_000,
  },
});
