// What a file sent to the clinic may be, decided from its bytes (file-type), never from its name
// or the type the sender declared; and the name it is kept under. No I/O here.
import { fileTypeFromBuffer, fileTypeFromStream } from 'file-type';
import { InvalidInput, type Violation } from '@portico/kit/domain';

/** The kinds of file Portico keeps, by the type file-type reads from their bytes. */
export const ACCEPTED_TYPES = {
  'application/pdf': { extension: 'pdf', label: 'PDF' },
  'image/jpeg': { extension: 'jpg', label: 'JPEG image' },
  'image/png': { extension: 'png', label: 'PNG image' },
  'image/heic': { extension: 'heic', label: 'HEIC image' },
  'image/heif': { extension: 'heif', label: 'HEIF image' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extension: 'docx', label: 'Word document' },
} as const;

export type AcceptedType = keyof typeof ACCEPTED_TYPES;
export const PDF: AcceptedType = 'application/pdf';
const DOCX: AcceptedType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const EVERY_ACCEPTED_TYPE = Object.keys(ACCEPTED_TYPES) as AcceptedType[];

/** How much of a file is read before its type is decided: enough for every signature file-type checks. */
export const SNIFF_BYTES = 64 * 1024;

/** What the head of a file says it is. */
export type Verdict =
  | { decision: 'accept'; contentType: AcceptedType }
  /** A zip whose head does not settle whether it is a Word document: the whole file decides. */
  | { decision: 'check-whole'; contentType: AcceptedType }
  | { decision: 'refuse'; violation: Violation };

const listOf = (allowed: readonly AcceptedType[]) =>
  new Intl.ListFormat('en', { type: 'disjunction' }).format(allowed.map((t) => ACCEPTED_TYPES[t].label));

const refusal = (message: string): Verdict => ({ decision: 'refuse', violation: { field: 'file', message } });

/**
 * Decides from the first bytes (`head`, all of them when `complete`) whether the file is one of
 * `allowed`. A Word document is a zip: it is accepted only when it is a real OOXML package (its
 * [Content_Types].xml names a word-processing document), which may need the whole file.
 */
export async function judgeHead(head: Uint8Array, complete: boolean, allowed: readonly AcceptedType[]): Promise<Verdict> {
  const found = await fileTypeFromBuffer(head);
  const zipFamily = found?.mime === 'application/zip' || found?.mime === DOCX;
  if (zipFamily && allowed.includes(DOCX)) {
    if (!complete) return { decision: 'check-whole', contentType: DOCX };
    if (found?.mime === DOCX) return { decision: 'accept', contentType: DOCX };
    return refusal('is a zip archive, not a Word document');
  }
  if (found && (allowed as readonly string[]).includes(found.mime)) return { decision: 'accept', contentType: found.mime as AcceptedType };
  // HEIF brands file-type names separately (sequences) are still HEIF pictures.
  if (found?.mime.startsWith('image/heic') && allowed.includes('image/heic')) return { decision: 'accept', contentType: 'image/heic' };
  if (found?.mime.startsWith('image/heif') && allowed.includes('image/heif')) return { decision: 'accept', contentType: 'image/heif' };
  return refusal(`is not a ${listOf(allowed)}${found ? '' : ' (its type could not be recognised)'}`);
}

/** The whole file's verdict for a zip: a Word document or not. */
export async function isWordDocument(whole: ReadableStream<Uint8Array>): Promise<boolean> {
  return (await fileTypeFromStream(whole))?.mime === DOCX;
}

/** Longest stored name, extension included. */
export const MAX_FILE_NAME = 120;

/**
 * The name a file is kept and sent under: the last part of any path, without control or
 * formatting characters (which could reorder what is shown, e.g. a right-to-left override),
 * without leading dots, at most MAX_FILE_NAME characters, and ending in its type's extension.
 */
export function sanitiseFileName(given: string, contentType: AcceptedType): string {
  const extension = ACCEPTED_TYPES[contentType].extension;
  const lastPart = given.split(/[/\\]/).pop() ?? '';
  const cleaned = lastPart
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/["<>:|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .trim();
  const dot = cleaned.lastIndexOf('.');
  const current = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
  const sameType = current === extension || (extension === 'jpg' && current === 'jpeg');
  let stem = (sameType ? cleaned.slice(0, dot) : cleaned).replace(/[\s.]+$/, '');
  const ending = `.${sameType ? current : extension}`;
  if (stem === '') stem = 'file';
  // Cut by code points so a character outside the BMP is never split in half.
  stem = [...stem]
    .slice(0, MAX_FILE_NAME - ending.length)
    .join('')
    .trimEnd();
  return `${stem}${ending}`;
}

export const MEGABYTE = 1024 * 1024;

/** The announced size, checked before any byte is read. */
export function checkAnnouncedSize(sizeBytes: bigint | number, limitBytes: number): number {
  const size = Number(sizeBytes);
  const violations: Violation[] = [];
  if (!Number.isSafeInteger(size) || size <= 0)
    violations.push({ field: 'file.size_bytes', message: 'is empty: choose a file with content' });
  else if (size > limitBytes)
    violations.push({ field: 'file.size_bytes', message: `is larger than the limit of ${Math.floor(limitBytes / MEGABYTE)} MB` });
  if (violations.length) throw new InvalidInput('file', violations);
  return size;
}
