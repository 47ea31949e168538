// A second gateway in front of services a test already runs, with settings of its own (a clock
// tolerance of 0, a contacts service the test will stop). It goes once startPlatform can pass
// gateway settings and stop one service (asked of the harness).
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@portico/kit/config';
import { gatewayEnv, startGateway } from '@portico/gateway';
import { baseEnvironment, freePort } from '@portico/testing';

export interface SecondGateway {
  url: string;
  stop(): Promise<void>;
}

export async function startSecondGateway(services: { auth: string; contacts: string }, settings: Record<string, string> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = await startGateway(
    loadConfig(gatewayEnv, {
      ...baseEnvironment(`test_gateway_${randomUUID().slice(0, 8)}`),
      HTTP_PORT: String(port),
      PUBLIC_URL: url,
      AUTH_GRPC_URL: services.auth,
      CONTACTS_GRPC_URL: services.contacts,
      RATE_LIMIT_PER_MINUTE: '10000',
      ...settings,
    }),
  );
  return {
    url,
    async stop() {
      await gateway.connection.dropDatabase().catch(() => {});
      await gateway.lifecycle.shutdown('test over');
    },
  } satisfies SecondGateway;
}
