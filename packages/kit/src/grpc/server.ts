// A Portico gRPC server: the service's handlers plus standard health (reflecting the service's
// dependencies), server reflection, and a graceful shutdown that lets calls in flight finish.
import type { DescService } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { implementService, reflectionPackageDefinition, type ServiceHandlers as BridgedHandlers } from '@portico/contracts/grpc';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { requestContext, type AccessControl, type RequestContext } from '../requests/index.js';
import { toGrpcError, type ErrorTranslation } from './errors.js';

/** Handlers of a Portico service: each gets the request and the call's RequestContext. */
export type ServiceHandlers<S extends GenServiceMethods> = BridgedHandlers<S, RequestContext>;

/** What the bridge gives every call: the service's logger, its access control, its error translations. */
export interface Bridge {
  logger: Logger;
  access: AccessControl;
  errors?: ErrorTranslation[];
}

export interface ServiceRegistration {
  service: DescService;
  register(server: Server, bridge: Bridge): void;
}

/** Pairs a generated service with its typed handlers. */
export function registration<S extends GenServiceMethods>(service: GenService<S>, handlers: ServiceHandlers<S>): ServiceRegistration {
  return {
    service: service as DescService,
    register(server, bridge) {
      const { definition, implementation } = implementService(service, handlers, {
        context: (call, method) => requestContext(call, method, bridge),
        mapError: (error) => toGrpcError(error, bridge.errors),
        observe: (error, method) => bridge.logger.error({ err: error, method }, 'handler failed'),
      });
      server.addService(definition, implementation);
    },
  };
}

/** A dependency whose state decides whether the server answers SERVING. */
export interface DependencyCheck {
  name: string;
  healthy(): boolean | Promise<boolean>;
}

export interface PorticoGrpcServer {
  port: number;
  server: Server;
  /** Graceful: stops accepting calls, waits up to graceMs for calls in flight, then forces. */
  shutdown(graceMs: number): Promise<void>;
  /** Re-evaluates the dependency checks now (also done every few seconds). */
  refreshHealth(): Promise<boolean>;
}

export async function startGrpcServer(options: {
  port: number;
  host?: string;
  services: ServiceRegistration[];
  dependencies: DependencyCheck[];
  logger: Logger;
  bridge: Omit<Bridge, 'logger'>;
  healthIntervalMs?: number;
  /** Largest request accepted; 4 MiB unless a service takes uploads in one message. */
  maxReceiveMessageBytes?: number;
  /** HTTP/2 receive window per call, for services that take files as client streams (64 KiB otherwise). */
  receiveWindowBytes?: number;
}): Promise<PorticoGrpcServer> {
  const { logger } = options;
  const server = new Server({ 'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 4 * 1024 * 1024 });
  for (const registration of options.services) registration.register(server, { ...options.bridge, logger });

  const names = options.services.map((r) => r.service.typeName);
  const health = new HealthImplementation(Object.fromEntries([['', 'NOT_SERVING'], ...names.map((n) => [n, 'NOT_SERVING'])]));
  health.addToServer(server);
  new ReflectionService(reflectionPackageDefinition(options.services.map((r) => r.service)) as never).addToServer(server);

  let lastHealthy: boolean | undefined;
  const refreshHealth = async () => {
    const results = await Promise.all(
      options.dependencies.map(async (d) => ({ name: d.name, ok: await Promise.resolve(d.healthy()).catch(() => false) })),
    );
    const healthy = results.every((r) => r.ok);
    if (healthy !== lastHealthy) {
      logger.info({ dependencies: results }, healthy ? 'serving' : 'not serving: a dependency is down');
      lastHealthy = healthy;
    }
    for (const name of ['', ...names]) health.setStatus(name, healthy ? 'SERVING' : 'NOT_SERVING');
    return healthy;
  };

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host ?? '127.0.0.1'}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  widenReceiveWindows(server, options.receiveWindowBytes);
  await refreshHealth();
  const timer = setInterval(() => void refreshHealth(), options.healthIntervalMs ?? 5_000);
  timer.unref();
  logger.info({ port, services: names }, 'gRPC server listening');

  return {
    port,
    server,
    refreshHealth,
    async shutdown(graceMs) {
      clearInterval(timer);
      for (const name of ['', ...names]) health.setStatus(name, 'NOT_SERVING');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          logger.warn({ graceMs }, 'calls still in flight after the grace period: forcing shutdown');
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}

/**
 * HTTP/2 lets a sender have only the receiver's window of bytes in flight per stream: 64 KiB by
 * default, which grpc-js's server does not let one change. A file sent as a client stream then
 * waits for a WINDOW_UPDATE every 64 KiB. Each new connection is told a larger window instead
 * (HTTP/2 SETTINGS, and the connection's own window). grpc-js keeps its HTTP/2 servers in a
 * private field; without it (a later grpc-js) the default stays, slower but correct.
 */
function widenReceiveWindows(server: Server, bytes: number | undefined): void {
  if (!bytes) return;
  const servers = (server as unknown as { http2Servers?: Map<import('node:http2').Http2Server, unknown> }).http2Servers;
  for (const http2Server of servers?.keys() ?? [])
    http2Server.on('session', (session) => {
      session.settings({ initialWindowSize: bytes });
      session.setLocalWindowSize(bytes * 4);
    });
}
