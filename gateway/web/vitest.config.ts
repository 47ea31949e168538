// The web app's own tests (`npx vitest run --config gateway/web/vitest.config.ts`); none needs a
// server or a browser. The browser tests of the app are in e2e/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
  },
});
