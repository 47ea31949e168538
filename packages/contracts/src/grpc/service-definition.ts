// Turns a protobuf-es service descriptor into the ServiceDefinition @grpc/grpc-js expects, so
// both server and client speak binary protobuf encoded by protobuf-es (no proto-loader at run time).
import { fromBinary, ScalarType, toBinary, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

export function grpcPath(service: DescService, method: DescMethod): string {
  return `/${service.typeName}/${method.name}`;
}

/** Length-delimited wire type: a bytes field's tag ends in it. */
const LENGTH_DELIMITED = 2;

function varintLength(value: number): number {
  let length = 1;
  while (value > 0x7f) {
    value >>>= 7;
    length++;
  }
  return length;
}

function writeVarint(target: Buffer, at: number, value: number): number {
  while (value > 0x7f) {
    target[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  target[at++] = value;
  return at;
}

/**
 * A file travels as messages whose only member is a oneof, set to a bytes field (`chunk`) for all
 * but the first. protobuf-es writes such a message through a writer that grows by doubling
 * (zero-filled copies), then copies the result out, and Buffer.from copies it once more: for a
 * 20 MB upload that is most of the sending process's time, in allocations the garbage collector
 * then chases. A chunk is written here in one allocation instead: the field's tag, the length,
 * the bytes — exactly what toBinary writes (the contract tests compare both). Any other message,
 * or one carrying unknown fields, goes through toBinary.
 */
/** Room left before a chunk's bytes for its message's tag and length (a tag of one byte, a length of up to five). */
const HEADROOM = 6;
const withHeadroom = new WeakSet<Uint8Array>();

/**
 * A buffer to fill with up to `size` bytes of a file and send as a `chunk` (then never touch again):
 * room is left before it, so the serializer writes the message's tag and length there and sends
 * the buffer itself instead of a copy. `view(length)` gives the first `length` bytes for a last,
 * shorter chunk, with the same room.
 */
export function chunkBuffer(size: number): { bytes: Buffer; view(length: number): Buffer } {
  const whole = Buffer.allocUnsafeSlow(HEADROOM + size);
  const framed = (length: number) => {
    const bytes = whole.subarray(HEADROOM, HEADROOM + length);
    withHeadroom.add(bytes);
    return bytes;
  };
  return { bytes: framed(size), view: framed };
}

export function serializerOf(schema: DescMessage): (message: unknown) => Buffer {
  const whole = (message: unknown) => {
    const bytes = toBinary(schema, message as never);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  const [only] = schema.members;
  if (schema.members.length !== 1 || only?.kind !== 'oneof') return whole;
  const chunkFields = new Map(
    only.fields
      .filter((field) => field.fieldKind === 'scalar' && field.scalar === ScalarType.BYTES)
      .map((field) => [field.localName, (field.number << 3) | LENGTH_DELIMITED]),
  );
  if (chunkFields.size === 0) return whole;
  return (message: unknown) => {
    const part = (message as Record<string, { case?: string; value?: unknown }>)[only.localName];
    const tag = part?.case === undefined ? undefined : chunkFields.get(part.case);
    const unknown = (message as { $unknown?: unknown[] }).$unknown;
    if (tag === undefined || !(part!.value instanceof Uint8Array) || unknown?.length) return whole(message);
    const bytes = part!.value;
    const header = varintLength(tag) + varintLength(bytes.byteLength);
    if (withHeadroom.has(bytes) && header <= HEADROOM) {
      const framed = Buffer.from(bytes.buffer, bytes.byteOffset - header, header + bytes.byteLength);
      writeVarint(framed, writeVarint(framed, 0, tag), bytes.byteLength);
      return framed;
    }
    const framed = Buffer.allocUnsafe(header + bytes.byteLength);
    framed.set(bytes, writeVarint(framed, writeVarint(framed, 0, tag), bytes.byteLength));
    return framed;
  };
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
    requestSerialize: serializerOf(method.input),
    // protobuf-es reads a bytes field as a view of the message's buffer: no copy.
    requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
    responseSerialize: serializerOf(method.output),
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
