// Builds the SPA into dist/, which the gateway serves at / (assets under /assets/, every other
// path falls back to index.html). In development `npm run dev -w @portico/web` serves the app on
// 127.0.0.1:5173 and proxies the API and the login routes to a running gateway, so the session
// cookie and the CSRF token are the gateway's own. There is no mock API in the app.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const gateway = process.env.PORTICO_GATEWAY_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // The services' own rule for reading phone numbers, from its source: the browser refuses what the
    // services would refuse, with the same metadata, before anything is sent.
    alias: { '@portico/kit/phone': fileURLToPath(new URL('../../packages/kit/src/phone/index.ts', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
      '/auth': { target: gateway, changeOrigin: false },
    },
  },
});
