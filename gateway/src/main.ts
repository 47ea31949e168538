// The gateway: Portico's only public entry, a backend for frontend in front of the services.
import { createTokenVerifier } from '@portico/kit/identity';
import { isMainModule, Lifecycle } from '@portico/kit/lifecycle';
import { createLogger } from '@portico/kit/logging';
import { buildGateway } from './app.js';
import { loadGatewayConfig, type GatewayConfig } from './config.js';
import { connectServices, grpcHealthCheck } from './service-clients.js';

export async function startGateway(config: GatewayConfig) {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);

  const verify = createTokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    ...(config.OIDC_JWKS_URL ? { jwksUrl: config.OIDC_JWKS_URL } : {}),
  });
  const clients = connectServices(config);
  lifecycle.onShutdown('service clients', () => Object.values(clients).forEach((c) => c.close()));
  const readiness = [grpcHealthCheck('contacts', config.CONTACTS_GRPC_URL)];

  const app = await buildGateway({ config, logger, verify, clients, readiness });
  const url = await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  lifecycle.onShutdown('http server', () => app.close());
  return { app, url, lifecycle, logger };
}

if (isMainModule(import.meta.url)) {
  const config = loadGatewayConfig();
  const gateway = await startGateway(config);
  gateway.lifecycle.handleSignals(10_000);
}
