// Liveness (the process answers) and readiness. Readiness follows what the gateway itself needs
// (its session database): a service behind it that is down answers 503 on its own routes, and the
// rest of the portal keeps serving, so it is reported here but does not take the gateway out.
// Probes are never rate limited: a client that spends its budget must not make the gateway unready.
import type { FastifyInstance } from 'fastify';
import type { HealthCheck } from '../backends.js';

export function healthRoutes(app: FastifyInstance, own: HealthCheck[], services: HealthCheck[]): void {
  const probe = { schema: { hide: true }, config: { rateLimit: false } } as const;
  const run = (checks: HealthCheck[]) =>
    Promise.all(checks.map(async (c) => [c.name, await c.ready().catch(() => false)] as const)).then(Object.fromEntries<boolean>);
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_request, reply) => {
    const [checks, serving] = await Promise.all([run(own), run(services)]);
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks, services: serving });
  });
}
