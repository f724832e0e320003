import { defineConfig } from 'vitest/config';

// test/install/ (a real `npm ci` on a fresh clone) runs alone, after the rest, so its minute of
// installing and compiling does not slow the timing-sensitive tests: `SIGHTLINE_INSTALL_TESTS=1`.
const installTests = process.env.SIGHTLINE_INSTALL_TESTS === '1';

export default defineConfig({
  test: {
    include: installTests ? ['test/install/**/*.test.ts'] : ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: installTests ? [] : ['test/install/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // fast-check runs from a fixed seed (FC_SEED overrides it): property tests are deterministic
    setupFiles: ['test/support/fast-check-seed.ts'],
  },
});
