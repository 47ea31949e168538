// Clients for Portico services: every call carries a deadline, and only methods the contract marks
// as free of side effects (`option idempotency_level = NO_SIDE_EFFECTS` or IDEMPOTENT) are retried.
import type { DescService } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { createServiceClient, type CallSettings, type ServiceClient } from '@portico/contracts/grpc';
import { credentials, Metadata } from '@grpc/grpc-js';

export function retryableMethods(service: DescService): string[] {
  return service.methods
    .filter(
      (m) =>
        m.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS || m.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT,
    )
    .map((m) => m.name);
}

/** The grpc-js service config that retries only the idempotent methods, on UNAVAILABLE. */
export function retryServiceConfig(service: DescService): string {
  const retryable = retryableMethods(service);
  return JSON.stringify({
    methodConfig: retryable.length
      ? [
          {
            name: retryable.map((method) => ({ service: service.typeName, method })),
            retryPolicy: {
              maxAttempts: 3,
              initialBackoff: '0.1s',
              maxBackoff: '1s',
              backoffMultiplier: 2,
              retryableStatusCodes: ['UNAVAILABLE'],
            },
          },
        ]
      : [],
  });
}

export interface ClientOptions {
  /** Deadline applied to calls that do not bring their own. */
  defaultTimeoutMs?: number;
  /** Largest answer accepted; 4 MiB unless the service sends files in one message. */
  maxReceiveMessageBytes?: number;
}

/** A typed client whose calls get a default deadline and retry per the contract's idempotency. */
export function connectService<S extends GenServiceMethods>(
  service: GenService<S>,
  address: string,
  options: ClientOptions = {},
): ServiceClient<S> {
  const desc = service as DescService;
  const client = createServiceClient(service, address, credentials.createInsecure(), {
    'grpc.service_config': retryServiceConfig(desc),
    'grpc.enable_retries': 1,
    'grpc.keepalive_time_ms': 30_000,
    ...(options.maxReceiveMessageBytes ? { 'grpc.max_receive_message_length': options.maxReceiveMessageBytes } : {}),
  });
  const timeout = options.defaultTimeoutMs ?? 5_000;
  const wrapped: Record<string, unknown> = { close: client.close, raw: client.raw };
  for (const method of desc.methods) {
    const call = (client as unknown as Record<string, (r: unknown, s?: CallSettings) => unknown>)[method.localName]!;
    wrapped[method.localName] = (request: unknown, settings: CallSettings = {}) =>
      call(request, { ...settings, deadline: settings.deadline ?? new Date(Date.now() + timeout) });
  }
  return wrapped as ServiceClient<S>;
}

/**
 * The metadata of an incoming call passed on to the next hop: the caller's own token (identity on
 * every hop) and where the request came from.
 */
export function callerMetadata(incoming: Metadata): Metadata {
  const token =
    incoming
      .get('authorization')[0]
      ?.toString()
      .replace(/^Bearer /i, '') ?? '';
  return forwardedMetadata(token, {
    'x-request-id': incoming.get('x-request-id')[0]?.toString(),
    'x-forwarded-for': incoming.get('x-forwarded-for')[0]?.toString(),
  });
}

/** Metadata that forwards the caller's identity (and the request id) to the next hop. */
export function forwardedMetadata(accessToken: string, extra: Record<string, string | undefined> = {}): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${accessToken}`);
  for (const [key, value] of Object.entries(extra)) if (value) metadata.set(key, value);
  return metadata;
}
