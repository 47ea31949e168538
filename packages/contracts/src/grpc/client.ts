// Typed promise clients for a protobuf-es service over @grpc/grpc-js.
import { create, type DescMessage, type DescService, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { Client, Metadata, type CallOptions, type ChannelCredentials, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
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

type MethodFor<M extends GenServiceMethods[string]> = M['methodKind'] extends 'unary'
  ? UnaryMethod<M['input'], M['output']>
  : M['methodKind'] extends 'server_streaming'
    ? ServerStreamingMethod<M['input'], M['output']>
    : never;

export type ServiceClient<S extends GenServiceMethods> = { [K in keyof S]: MethodFor<S[K]> } & { close(): void; raw: Client };

/** Unary and server-streaming methods; streaming from the client is not used by Portico yet. */
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
    }
  }
  return methods as ServiceClient<S>;
}
