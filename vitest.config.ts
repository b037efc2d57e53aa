import { defineConfig } from 'vitest/config';

// One vitest run for every package's unit tests (tests live beside the code).
// Browser tests are in e2e/ and run through Playwright, not here.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'sync-server/src/**/*.test.ts', 'app/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
