// One test run for the whole repository: unit tests beside the code, tests against the real
// servers under each deployable's test/ folder, and the repository-wide ones under test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'gateway/src/**/*.test.ts',
      'gateway/test/**/*.test.ts',
      'test/**/*.test.ts',
      // Browser tests of the walkthrough (Debian's Chromium, playwright-core, axe).
      'e2e/tests/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The real servers are shared: files that stop Kafka must not run beside the others.
    fileParallelism: false,
    pool: 'forks',
  },
});
