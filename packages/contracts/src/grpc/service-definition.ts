// Turns a protobuf-es service descriptor into the ServiceDefinition @grpc/grpc-js expects, so
// both server and client speak binary protobuf encoded by protobuf-es (no proto-loader at run time).
import { fromBinary, toBinary, type DescMethod, type DescService } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

export function grpcPath(service: DescService, method: DescMethod): string {
  return `/${service.typeName}/${method.name}`;
}

export function methodDefinition(service: DescService, method: DescMethod): MethodDefinition<unknown, unknown> {
  const streams = {
    unary: [false, false],
    server_streaming: [false, true],
    client_streaming: [true, false],
    bidi_streaming: [true, true],
  }[method.methodKind];
  return {
    path: grpcPath(service, method),
    requestStream: streams[0]!,
    responseStream: streams[1]!,
    requestSerialize: (message) => Buffer.from(toBinary(method.input, message as never)),
    requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
    responseSerialize: (message) => Buffer.from(toBinary(method.output, message as never)),
    responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    originalName: method.localName,
  };
}

/** Keys are the protobuf-es local method names (`listContacts`), as in the generated shape. */
export function serviceDefinition(service: DescService): ServiceDefinition {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) definition[method.localName] = methodDefinition(service, method);
  return definition as ServiceDefinition;
}
