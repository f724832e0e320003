import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // fast-check runs from a fixed seed (FC_SEED overrides it): property tests are deterministic
    setupFiles: ['test/support/fast-check-seed.ts'],
  },
});
