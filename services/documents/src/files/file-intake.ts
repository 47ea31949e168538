// Receives a file sent as a client stream (a description, then chunks of bytes) and writes it to
// the object store as it arrives: only its first SNIFF_BYTES are held, to decide its type before
// a byte is stored. Whatever goes wrong — a refused type, a stream that ends short or runs long, a
// cancelled call — nothing is left in the bucket; the caller writes the metadata only after this
// succeeded, and removes the object again if that write fails (keepOrDiscard).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { InvalidInput } from '@portico/kit/domain';
import type { ObjectStore } from '@portico/kit/objects';
import { checkAnnouncedSize, isWordDocument, judgeHead, sanitiseFileName, SNIFF_BYTES, type AcceptedType } from '../domain/files.js';

/** A client-stream message: the description (whatever its shape) or a chunk of bytes. */
export type StreamedPart<D> = {
  part: { case: 'details'; value: D } | { case: 'chunk'; value: Uint8Array } | { case: undefined; value?: undefined };
};

export interface ReceivedFile {
  objectKey: string;
  fileName: string;
  contentType: AcceptedType;
  sizeBytes: number;
  sha256: string;
}

/** The first message of a stream, which must describe what follows; the rest stays unread. */
export async function detailsOf<D>(
  requests: AsyncIterable<StreamedPart<D>>,
): Promise<{ details: D; rest: AsyncIterator<StreamedPart<D>> }> {
  const rest = requests[Symbol.asyncIterator]();
  const first = await rest.next();
  if (first.done || first.value.part.case !== 'details')
    throw new InvalidInput('request', [{ field: 'details', message: 'must come first, before the bytes' }]);
  return { details: first.value.part.value, rest };
}

const cutOff = () => new InvalidInput('file', [{ field: 'file', message: 'was cut off before its end: nothing was kept, send it again' }]);
const tooLong = () => new InvalidInput('file', [{ field: 'file', message: 'has more bytes than its announced size' }]);

/** The chunks that follow the description, ending early when the call is cancelled. */
async function* chunksOf<D>(rest: AsyncIterator<StreamedPart<D>>, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const cancelled = new Promise<never>((_, reject) => {
    const fail = () => reject(cutOff());
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  cancelled.catch(() => {});
  for (;;) {
    const next = await Promise.race([rest.next(), cancelled]);
    if (next.done) return;
    if (next.value.part.case !== 'chunk') throw new InvalidInput('request', [{ field: 'details', message: 'may be sent once only' }]);
    if (next.value.part.value.length > 0) yield next.value.part.value;
  }
}

export interface IntakeOptions {
  objects: ObjectStore;
  objectKey: string;
  /** What the sender announced: its device's name for the file and how many bytes follow. */
  announced: { fileName: string; sizeBytes: bigint };
  allowed: readonly AcceptedType[];
  limitBytes: number;
  signal: AbortSignal;
}

export async function receiveFile<D>(rest: AsyncIterator<StreamedPart<D>>, options: IntakeOptions): Promise<ReceivedFile> {
  const size = checkAnnouncedSize(options.announced.sizeBytes, options.limitBytes);
  const chunks = chunksOf(rest, options.signal);
  // The head, to decide the type before anything is stored.
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < Math.min(SNIFF_BYTES, size)) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  if (headBytes > size) throw tooLong();
  if (headBytes < size && ended) throw cutOff();
  const verdict = await judgeHead(Buffer.concat(head), headBytes === size, options.allowed);
  if (verdict.decision === 'refuse') throw new InvalidInput('file', [verdict.violation]);

  const digest = createHash('sha256');
  async function* body(): AsyncGenerator<Uint8Array> {
    let sent = 0;
    const pass = (chunk: Uint8Array) => {
      sent += chunk.length;
      if (sent > size) throw tooLong();
      digest.update(chunk);
      return chunk;
    };
    for (const chunk of head) yield pass(chunk);
    head.length = 0;
    for await (const chunk of chunks) yield pass(chunk);
    // Throwing here, before the last byte is handed over, aborts the PUT: nothing is stored.
    if (sent < size) throw cutOff();
  }
  await options.objects.putStream(
    options.objectKey,
    Readable.from(body(), { objectMode: false }),
    size,
    verdict.contentType,
    options.signal,
  );

  if (verdict.decision === 'check-whole') {
    const whole = Readable.toWeb(await options.objects.read(options.objectKey)) as ReadableStream<Uint8Array>;
    const isWord = await isWordDocument(whole).catch(() => false);
    if (!isWord) {
      await options.objects.remove(options.objectKey);
      throw new InvalidInput('file', [{ field: 'file', message: 'is a zip archive, not a Word document' }]);
    }
  }
  return {
    objectKey: options.objectKey,
    fileName: sanitiseFileName(options.announced.fileName, verdict.contentType),
    contentType: verdict.contentType,
    sizeBytes: size,
    sha256: digest.digest('hex'),
  };
}

/** Writes the metadata of a stored file; if that fails, the object is removed so no orphan stays. */
export async function keepOrDiscard<T>(objects: ObjectStore, objectKey: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await objects.remove(objectKey).catch(() => {});
    throw error;
  }
}

/** A stored file read back as a stream of parts: its description, then its bytes in chunks. */
export async function* fileParts(
  objects: ObjectStore,
  file: { objectKey: string; fileName: string; contentType: string; sizeBytes: number; sha256: string },
): AsyncGenerator<{ part: { case: 'file'; value: object } | { case: 'chunk'; value: Uint8Array } }> {
  const stream = await objects.read(file.objectKey);
  yield { part: { case: 'file', value: descriptionOf(file) } };
  for await (const chunk of stream) yield { part: { case: 'chunk', value: chunk as Buffer } };
}

export const descriptionOf = (file: { fileName: string; contentType: string; sizeBytes: number; sha256: string }) => ({
  fileName: file.fileName,
  contentType: file.contentType,
  sizeBytes: BigInt(file.sizeBytes),
  sha256: file.sha256,
});
