// The gateway's OpenAPI document, built from its routes without reaching any server: the web app
// generates its API types from the committed copy (gateway/openapi.json), and a test keeps that
// copy equal to what the routes declare. `npm run openapi -w @portico/gateway` rewrites it.
import { isMainModule } from '@portico/kit/lifecycle';
import { createLogger } from '@portico/kit/logging';
import { buildGateway } from './app.js';
import { gatewayEnv } from './config.js';
import { sessionCookieFor } from './http/authentication.js';
import { addressVariable, backendNames, connectServices } from './backends.js';

/** Stands in for a server connection the document never needs; using it is a programming error. */
function notConnected<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => {
      throw new Error(`${what} is not connected: this gateway only describes its routes`);
    },
  });
}

export async function openApiDocument(): Promise<Record<string, unknown>> {
  // Placeholders that pass validation: nothing is contacted, and no value here reaches the document.
  const config = gatewayEnv.parse({
    OIDC_ISSUER: 'http://127.0.0.1/realms/portico',
    OIDC_AUDIENCE: 'portico-api',
    MONGO_URL: 'mongodb://127.0.0.1:1',
    OIDC_CLIENT_SECRET: 'not-used',
    SESSION_SECRET: 'not-used-not-used-not-used-not-used',
    ...Object.fromEntries(backendNames.map((name) => [addressVariable(name), '127.0.0.1:1'])),
  });
  // gRPC clients connect on their first call, which never comes.
  const clients = connectServices(config, config.GRPC_TIMEOUT_MS);
  const app = await buildGateway({
    config,
    logger: createLogger('gateway', 'silent'),
    verify: () => Promise.reject(new Error('the token verifier is not connected')),
    clients,
    readiness: [],
    serviceHealth: [],
    sessions: notConnected('the session store'),
    oidc: notConnected('the OpenID Connect client'),
    sealer: notConnected('the sealer'),
    cookie: sessionCookieFor(config.PUBLIC_URL),
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    for (const client of Object.values(clients)) client.close();
  }
}

if (isMainModule(import.meta.url)) process.stdout.write(`${JSON.stringify(await openApiDocument(), null, 2)}\n`);
