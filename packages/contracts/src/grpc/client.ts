// Typed promise clients for a protobuf-es service over @grpc/grpc-js.
import { create, type DescMessage, type DescService, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { Client, Metadata, type CallOptions, type ChannelCredentials, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { once } from 'node:events';
import { methodDefinition } from './service-definition.js';

export interface CallSettings {
  metadata?: Metadata;
  /** Absolute deadline; every call should have one. */
  deadline?: Date;
  signal?: AbortSignal;
}

type UnaryMethod<I extends DescMessage, O extends DescMessage> = (
  request: MessageInitShape<I>,
  settings?: CallSettings,
) => Promise<MessageShape<O>>;
type ServerStreamingMethod<I extends DescMessage, O extends DescMessage> = (
  request: MessageInitShape<I>,
  settings?: CallSettings,
) => AsyncIterable<MessageShape<O>>;

type ClientStreamingMethod<I extends DescMessage, O extends DescMessage> = (
  requests: AsyncIterable<MessageInitShape<I>>,
  settings?: CallSettings,
) => Promise<MessageShape<O>>;

type MethodFor<M extends GenServiceMethods[string]> = M['methodKind'] extends 'unary'
  ? UnaryMethod<M['input'], M['output']>
  : M['methodKind'] extends 'server_streaming'
    ? ServerStreamingMethod<M['input'], M['output']>
    : M['methodKind'] extends 'client_streaming'
      ? ClientStreamingMethod<M['input'], M['output']>
      : never;

export type ServiceClient<S extends GenServiceMethods> = { [K in keyof S]: MethodFor<S[K]> } & { close(): void; raw: Client };

/** Unary, server-streaming and client-streaming methods (files sent in chunks); no bidirectional ones. */
export function createServiceClient<S extends GenServiceMethods>(
  service: GenService<S>,
  address: string,
  credentials: ChannelCredentials,
  options: ChannelOptions = {},
): ServiceClient<S> {
  const desc = service as DescService;
  const client = new Client(address, credentials, options);
  const methods: Record<string, unknown> = { close: () => client.close(), raw: client };
  for (const method of desc.methods) {
    const def = methodDefinition(desc, method);
    const callOptions = (s: CallSettings): CallOptions => (s.deadline ? { deadline: s.deadline } : {});
    if (method.methodKind === 'unary') {
      methods[method.localName] = (request: unknown, settings: CallSettings = {}) =>
        new Promise((resolve, reject) => {
          const call = client.makeUnaryRequest(
            def.path,
            def.requestSerialize,
            def.responseDeserialize,
            create(method.input, request as never),
            settings.metadata ?? new Metadata(),
            callOptions(settings),
            (error: ServiceError | null, value?: unknown) => (error ? reject(error) : resolve(value)),
          );
          settings.signal?.addEventListener('abort', () => call.cancel(), { once: true });
        });
    } else if (method.methodKind === 'server_streaming') {
      methods[method.localName] = (request: unknown, settings: CallSettings = {}) => {
        const call = client.makeServerStreamRequest(
          def.path,
          def.requestSerialize,
          def.responseDeserialize,
          create(method.input, request as never),
          settings.metadata ?? new Metadata(),
          callOptions(settings),
        );
        settings.signal?.addEventListener('abort', () => call.cancel(), { once: true });
        return call as AsyncIterable<unknown>;
      };
    } else if (method.methodKind === 'client_streaming') {
      methods[method.localName] = (requests: AsyncIterable<unknown>, settings: CallSettings = {}) =>
        new Promise((resolve, reject) => {
          // Settles when the server answers, which may be before the source is used up (a refusal
          // after the first message): writing stops then.
          let answered: () => void = () => {};
          const answer = new Promise<void>((settle) => (answered = settle));
          let over = false;
          const call = client.makeClientStreamRequest(
            def.path,
            def.requestSerialize,
            def.responseDeserialize,
            settings.metadata ?? new Metadata(),
            callOptions(settings),
            (error: ServiceError | null, value?: unknown) => {
              over = true;
              answered();
              if (error) reject(error);
              else resolve(value);
            },
          );
          settings.signal?.addEventListener('abort', () => call.cancel(), { once: true });
          // Written as the source yields, waiting for the transport to drain: the sender never
          // reads ahead of what the network takes, so a large file is never held whole.
          void (async () => {
            try {
              for await (const request of requests) {
                if (over) return;
                if (!call.write(create(method.input, request as never))) await Promise.race([once(call, 'drain'), answer]);
              }
              if (!over) call.end();
            } catch {
              // The source failed (a sender went away): the call is cancelled, so the server
              // keeps nothing of it, and the caller learns it from the call's CANCELLED status.
              call.cancel();
            }
          })();
        });
    }
  }
  return methods as ServiceClient<S>;
}
