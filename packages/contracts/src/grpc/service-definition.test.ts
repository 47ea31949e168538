import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OpenDocumentResponseSchema, UploadFileRequestSchema } from '../gen/portico/documents/v1/documents_pb.js';
import { serializerOf } from './service-definition.js';

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
});
