// Typed server handlers for a protobuf-es service on @grpc/grpc-js: one shape per method kind,
// promises and async iterables instead of callbacks, and errors mapped to gRPC status codes
// without leaking internals.
import { create, type DescMessage, type DescMethod, type DescService, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import {
  Metadata,
  type handleClientStreamingCall,
  type handleUnaryCall,
  type sendUnaryData,
  status,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { serviceDefinition } from './service-definition.js';

/** Throw this from a handler to answer with a chosen status; anything else becomes INTERNAL. */
export class GrpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}

export interface CallContext {
  metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  signal: AbortSignal;
  peer: string;
}

type Out<M extends DescMessage> = MessageInitShape<M>;
type In<M extends DescMessage> = MessageShape<M>;

export type UnaryHandler<I extends DescMessage, O extends DescMessage, C = CallContext> = (request: In<I>, ctx: C) => Promise<Out<O>>;
export type ServerStreamingHandler<I extends DescMessage, O extends DescMessage, C = CallContext> = (
  request: In<I>,
  ctx: C,
) => AsyncIterable<Out<O>>;
export type ClientStreamingHandler<I extends DescMessage, O extends DescMessage, C = CallContext> = (
  requests: AsyncIterable<In<I>>,
  ctx: C,
) => Promise<Out<O>>;
export type BidiStreamingHandler<I extends DescMessage, O extends DescMessage, C = CallContext> = (
  requests: AsyncIterable<In<I>>,
  ctx: C,
) => AsyncIterable<Out<O>>;

type HandlerFor<M extends GenServiceMethods[string], C> = M['methodKind'] extends 'unary'
  ? UnaryHandler<M['input'], M['output'], C>
  : M['methodKind'] extends 'server_streaming'
    ? ServerStreamingHandler<M['input'], M['output'], C>
    : M['methodKind'] extends 'client_streaming'
      ? ClientStreamingHandler<M['input'], M['output'], C>
      : BidiStreamingHandler<M['input'], M['output'], C>;

/** `C` is what each handler receives besides the request: the plain CallContext unless the bridge is told to build more. */
export type ServiceHandlers<S extends GenServiceMethods, C = CallContext> = { [K in keyof S]: HandlerFor<S[K], C> };

/** Called with every failure a handler raised; the place to log it (the client never sees it). */
export type ErrorObserver = (error: unknown, method: string) => void;

export interface BridgeOptions<C> {
  observe?: ErrorObserver;
  /** Builds what handlers receive for one call (e.g. a request id and a logger) from the plain context. */
  context?: (call: CallContext, method: DescMethod) => C;
  /** Turns what a handler threw into what is answered (e.g. a domain error into a GrpcError). */
  mapError?: (error: unknown) => unknown;
}

type AnyCall =
  | ServerUnaryCall<unknown, unknown>
  | ServerReadableStream<unknown, unknown>
  | ServerWritableStream<unknown, unknown>
  | ServerDuplexStream<unknown, unknown>;

function contextOf(call: AnyCall): CallContext {
  const controller = new AbortController();
  (call as NodeJS.EventEmitter).on('cancelled', () => controller.abort());
  return { metadata: call.metadata, signal: controller.signal, peer: call.getPeer() };
}

export function toServiceError(error: unknown, method: string, observe?: ErrorObserver): Partial<ServiceError> {
  if (error instanceof GrpcError) {
    const metadata = new Metadata();
    // Metadata values must be printable ASCII: anything else is written as a JSON \u escape.
    for (const [key, value] of Object.entries(error.details))
      metadata.set(
        key,
        value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      );
    return { code: error.code, details: error.message, metadata };
  }
  observe?.(error, method);
  return { code: status.INTERNAL, details: 'internal error' };
}

/** Builds the untyped implementation grpc-js wants from typed handlers. */
export function implementService<S extends GenServiceMethods, C = CallContext>(
  service: GenService<S>,
  handlers: ServiceHandlers<S, C>,
  options: ErrorObserver | BridgeOptions<C> = {},
): { definition: ReturnType<typeof serviceDefinition>; implementation: UntypedServiceImplementation } {
  const { observe, context, mapError } = typeof options === 'function' ? { observe: options } : (options as BridgeOptions<C>);
  const implementation: UntypedServiceImplementation = {};
  for (const method of (service as DescService).methods) {
    const handle = (handlers as Record<string, unknown>)[method.localName] as (request: unknown, ctx: unknown) => unknown;
    const handler = (request: unknown, ctx: CallContext) => handle(request, context ? context(ctx, method) : ctx);
    const fail = (error: unknown) => toServiceError(mapError ? mapError(error) : error, method.name, observe);
    const reply = (value: unknown) => create(method.output, value as never);
    switch (method.methodKind) {
      case 'unary':
        implementation[method.localName] = ((call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
          (handler(call.request, contextOf(call)) as Promise<unknown>).then(
            (value) => callback(null, reply(value)),
            (error: unknown) => callback(fail(error)),
          );
        }) as handleUnaryCall<unknown, unknown>;
        break;
      case 'server_streaming':
        implementation[method.localName] = (call: ServerWritableStream<unknown, unknown>) => {
          void pump(handler(call.request, contextOf(call)) as AsyncIterable<unknown>, call, reply, fail);
        };
        break;
      case 'client_streaming':
        implementation[method.localName] = ((call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
          (handler(call as AsyncIterable<unknown>, contextOf(call)) as Promise<unknown>).then(
            (value) => callback(null, reply(value)),
            (error: unknown) => callback(fail(error)),
          );
        }) as handleClientStreamingCall<unknown, unknown>;
        break;
      case 'bidi_streaming':
        implementation[method.localName] = (call: ServerDuplexStream<unknown, unknown>) => {
          void pump(handler(call as AsyncIterable<unknown>, contextOf(call)) as AsyncIterable<unknown>, call, reply, fail);
        };
        break;
    }
  }
  return { definition: serviceDefinition(service), implementation };
}

async function pump(
  source: AsyncIterable<unknown>,
  call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>,
  reply: (value: unknown) => unknown,
  fail: (error: unknown) => Partial<ServiceError>,
): Promise<void> {
  try {
    for await (const value of source) {
      if (call.cancelled) return;
      call.write(reply(value));
    }
    call.end();
  } catch (error) {
    // grpc-js turns an 'error' event into the call's status; destroy() would end the stream
    // without one and leave the client waiting for its deadline.
    call.emit('error', fail(error));
  }
}
