// Loaded with `node --import @portico/kit/telemetry/register dist/main.js` so OpenTelemetry is in
// place before any other module: ESM modules can only be instrumented through the loader hook.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { startTelemetry } from './index.js';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

// Read here rather than through the service's config because this runs before it.
const metricsPort = Number(process.env.METRICS_PORT ?? 9464);
startTelemetry({
  serviceName: process.env.OTEL_SERVICE_NAME ?? 'portico',
  metricsPort: Number.isInteger(metricsPort) ? metricsPort : 9464,
  metricsHost: process.env.METRICS_HOST ?? '127.0.0.1',
});
await waitForAllMessagesAcknowledged();
