// Liveness (the process answers) and readiness (the services it depends on answer SERVING).
import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  ready(): Promise<boolean>;
}

export function healthRoutes(app: FastifyInstance, checks: ReadinessCheck[]): void {
  const hide = { schema: { hide: true } };
  app.get('/healthz', hide, async () => ({ status: 'ok' }));
  app.get('/readyz', hide, async (_request, reply) => {
    const results = await Promise.all(checks.map(async (c) => [c.name, await c.ready().catch(() => false)] as const));
    const ready = results.every(([, ok]) => ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
}
