// The gateway: Portico's only public entry, a backend for frontend in front of the services.
import { forwardedMetadata, status } from '@portico/kit/grpc';
import { createTokenVerifier } from '@portico/kit/identity';
import { periodicJob } from '@portico/kit/jobs';
import { isMainModule, Lifecycle, withRetry } from '@portico/kit/lifecycle';
import { flushTelemetryAtShutdown } from '@portico/kit/telemetry';
import { createLogger } from '@portico/kit/logging';
import { connectMongo, isMongoHealthy } from '@portico/kit/mongo';
import { buildGateway } from './app.js';
import { loadGatewayConfig, type GatewayConfig } from './config.js';
import { sessionCookieFor } from './http/authentication.js';
import { backendHealthChecks, connectServices } from './backends.js';
import { OidcClient } from './session/oidc.js';
import { Sealer } from './session/sealing.js';
import { SessionStore } from './session/session-store.js';

export async function startGateway(config: GatewayConfig) {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);
  // Registered first so it runs last: the spans of the last requests and of the shutdown are sent.
  lifecycle.onShutdown('telemetry', () => flushTelemetryAtShutdown());

  const verify = createTokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    clockToleranceSeconds: config.OIDC_CLOCK_TOLERANCE_SECONDS,
    ...(config.OIDC_JWKS_URL ? { jwksUrl: config.OIDC_JWKS_URL } : {}),
  });
  const clients = connectServices(config, config.GRPC_TIMEOUT_MS);
  const serviceHealth = backendHealthChecks(config);
  lifecycle.onShutdown('service clients', () => [...Object.values(clients), ...serviceHealth].forEach((c) => c.close()));

  const connection = await connectMongo({ url: config.MONGO_URL, dbName: config.MONGO_DB, logger });
  lifecycle.onShutdown('mongo', () => connection.close());
  const sealer = new Sealer(config.SESSION_SECRET);
  const sessions = new SessionStore(connection, sealer, {
    idleMs: config.SESSION_IDLE_SECONDS * 1000,
    absoluteMs: config.SESSION_ABSOLUTE_SECONDS * 1000,
  });
  await sessions.init();
  // Sessions past their idle or absolute limit are refused on read already; the sweep removes them.
  const sweeper = periodicJob({ name: 'session sweep', intervalMs: 60_000, logger, run: () => sessions.sweep() });
  sweeper.start();
  lifecycle.onShutdown('session sweeper', () => sweeper.stop());

  const oidc = await withRetry(
    () =>
      OidcClient.discover({
        issuer: config.OIDC_ISSUER,
        clientId: config.OIDC_CLIENT_ID,
        clientSecret: config.OIDC_CLIENT_SECRET,
        redirectUri: new URL('/auth/callback', config.PUBLIC_URL).href,
        // A page that says the person has logged out, rather than a bare sign-in form.
        postLogoutRedirectUri: new URL('/logged-out', config.PUBLIC_URL).href,
      }),
    {
      attempts: 30,
      initialMs: 500,
      maxMs: 5_000,
      onRetry: (_e, attempt) => logger.warn({ attempt }, 'Keycloak not reachable yet, retrying'),
    },
  );

  const readiness = [{ name: 'mongodb', ready: async () => isMongoHealthy(connection) }];
  // The first login of an invited person accepts their invitation (people never invited have none).
  const onLogin = async (accessToken: string) => {
    const { sub } = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { sub: string };
    await clients.auth.acceptInvitation({ userId: sub }, { metadata: forwardedMetadata(accessToken) }).catch((error: { code?: number }) => {
      if (error.code !== status.NOT_FOUND && error.code !== status.FAILED_PRECONDITION) throw error;
    });
  };
  const app = await buildGateway({
    config,
    logger,
    verify,
    clients,
    readiness,
    serviceHealth,
    sessions,
    oidc,
    sealer,
    cookie: sessionCookieFor(config.PUBLIC_URL),
    onLogin,
  });
  const url = await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  lifecycle.onShutdown('http server', () => app.close());
  return { app, url, lifecycle, logger, sessions, connection };
}

if (isMainModule(import.meta.url)) {
  const config = loadGatewayConfig();
  const gateway = await startGateway(config);
  gateway.lifecycle.handleSignals(10_000);
}
