import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OpenDocumentResponseSchema, UploadFileRequestSchema } from '../gen/portico/documents/v1/documents_pb.js';
import { chunkBuffer, serializerOf } from './service-definition.js';

describe('the serializer of messages that carry a file', () => {
  const serialize = serializerOf(UploadFileRequestSchema);

  it.each([0, 1, 127, 128, 16_383, 16_384, 256 * 1024, 2_097_152])('writes a chunk of %i bytes exactly as protobuf-es does', (size) => {
    const message = create(UploadFileRequestSchema, { part: { case: 'chunk', value: randomBytes(size) } });
    const written = serialize(message);
    expect(Buffer.compare(written, Buffer.from(toBinary(UploadFileRequestSchema, message)))).toBe(0);
    const read = fromBinary(UploadFileRequestSchema, written);
    expect(read.part.case).toBe('chunk');
    expect(Buffer.from(read.part.value as Uint8Array).equals(Buffer.from(message.part.value as Uint8Array))).toBe(true);
  });

  it('writes the description that comes first, and responses, as protobuf-es does', () => {
    const details = create(UploadFileRequestSchema, {
      part: {
        case: 'details',
        value: { patientId: 'a7c0f1d2-0000-4000-8000-000000000001', file: { fileName: 'scan.pdf', sizeBytes: 42n } },
      },
    });
    expect(Buffer.compare(serialize(details), Buffer.from(toBinary(UploadFileRequestSchema, details)))).toBe(0);
    const empty = create(UploadFileRequestSchema, {});
    expect(serialize(empty).length).toBe(0);
    const response = create(OpenDocumentResponseSchema, { part: { case: 'chunk', value: randomBytes(70_000) } });
    expect(
      Buffer.compare(serializerOf(OpenDocumentResponseSchema)(response), Buffer.from(toBinary(OpenDocumentResponseSchema, response))),
    ).toBe(0);
  });

  it('writes a chunk filled into a chunk buffer around it, without a copy, and a shorter last one too', () => {
    for (const [size, length] of [
      [256 * 1024, 256 * 1024],
      [256 * 1024, 1000],
      [100, 100],
      [256 * 1024, 0],
    ] as const) {
      const buffer = chunkBuffer(size);
      randomBytes(size).copy(buffer.bytes);
      const bytes = length === size ? buffer.bytes : buffer.view(length);
      const message = create(UploadFileRequestSchema, { part: { case: 'chunk', value: bytes } });
      const written = serialize(message);
      expect(Buffer.compare(written, Buffer.from(toBinary(UploadFileRequestSchema, message)))).toBe(0);
      expect(written.buffer).toBe(bytes.buffer);
    }
    // A chunk from anywhere else is copied: nothing before its bytes is written over.
    const shared = Buffer.alloc(64, 7);
    const message = create(UploadFileRequestSchema, { part: { case: 'chunk', value: shared.subarray(8) } });
    expect(Buffer.compare(serialize(message), Buffer.from(toBinary(UploadFileRequestSchema, message)))).toBe(0);
    expect(shared.subarray(0, 8).every((b) => b === 7)).toBe(true);
  });
});
