// One test run for the whole repository: unit tests beside the code, tests against the real
// servers under each deployable's test/ folder, and the repository-wide ones under test/.
//
// Most files share the real servers without getting in each other's way (each has its own
// databases, users and topics' keys), so they run in parallel. A file that stops or starts a
// server, or that builds and runs images or the whole platform, runs alone, after the others:
// it is listed in `runsAlone`.
import { defineConfig } from 'vitest/config';

const everything = [
  'packages/*/src/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'services/*/src/**/*.test.ts',
  'services/*/test/**/*.test.ts',
  'gateway/src/**/*.test.ts',
  'gateway/test/**/*.test.ts',
  // The web app's own tests (no server, no browser).
  'gateway/web/test/**/*.test.ts',
  'test/**/*.test.ts',
  // Browser tests of the walkthrough (Debian's Chromium, playwright-core, axe).
  'e2e/tests/**/*.test.ts',
];

const runsAlone = [
  // Stops and starts Kafka.
  'services/contacts/test/outbox-resilience.test.ts',
  // Helm, kubernetes-validate and checkov: each file keeps both cores busy for a while.
  'test/delivery/**/*.test.ts',
  // Builds and runs the container images.
  'test/images/**/*.test.ts',
  // Runs `make dev` and stops it with signals.
  'test/platform/dev-*.test.ts',
];

const shared = {
  exclude: ['**/node_modules/**', '**/dist/**'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'together',
          include: everything,
          exclude: [...shared.exclude, ...runsAlone],
          // Two cores: the tests mostly wait on the servers, so three files at a time keep them busy.
          maxWorkers: Number(process.env.TEST_WORKERS ?? 3),
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'alone',
          include: runsAlone,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
