// Runs only the browser tests: `npm test -w @portico/e2e` (the root vitest config runs them with
// everything else). One file at a time: each starts browsers, and some the whole platform.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
