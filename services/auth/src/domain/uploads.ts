// What the clinic may upload as its logo and handbook. The declared content type must be on the
// allow-list and agree with the first bytes: a mislabelled file (an executable called logo.png)
// is refused rather than served to every patient. No I/O here.
import { InvalidInput, type Violation } from '@portico/kit/domain';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type UploadKind = 'logo' | 'handbook';

const startsWith = (content: Buffer, signature: number[]) => signature.every((byte, i) => content[i] === byte);

/** Each allowed type and how its bytes begin. */
const SIGNATURES: Record<string, (content: Buffer) => boolean> = {
  'application/pdf': (c) => startsWith(c, [0x25, 0x50, 0x44, 0x46, 0x2d]), // %PDF-
  'image/png': (c) => startsWith(c, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (c) => startsWith(c, [0xff, 0xd8, 0xff]),
  'image/svg+xml': (c) => isSafeSvg(c),
};

/**
 * An SVG is XML that browsers may run scripts from when it is opened directly: only a plain
 * drawing is accepted — an <svg> root and no script, event handler, foreign object or
 * external reference.
 */
function isSafeSvg(content: Buffer): boolean {
  const text = content.toString('utf8');
  if (!/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return false;
  return !/<script|<foreignObject|\son[a-z]+\s*=|javascript:|<!ENTITY|(xlink:)?href\s*=\s*["'](?!#|data:image\/)/i.test(text);
}

export const ALLOWED_TYPES: Record<UploadKind, string[]> = {
  logo: ['image/png', 'image/jpeg', 'image/svg+xml'],
  handbook: ['application/pdf'],
};

export interface Upload {
  content: Buffer;
  contentType: string;
  fileName: string;
}

const FILE_NAME = /^[^\\/\p{Cc}]{1,200}$/u;

/** Checks an upload and returns it with its content type in canonical spelling. */
export function validateUpload(kind: UploadKind, upload: Upload): Upload {
  const contentType = upload.contentType.trim().toLowerCase();
  const violations: Violation[] = [];
  if (upload.content.length === 0) violations.push({ field: 'content', message: 'is empty' });
  else if (upload.content.length > MAX_UPLOAD_BYTES) violations.push({ field: 'content', message: 'must be at most 10 MiB' });
  if (!ALLOWED_TYPES[kind].includes(contentType))
    violations.push({ field: 'content_type', message: `must be one of ${ALLOWED_TYPES[kind].join(', ')}` });
  else if (upload.content.length > 0 && !SIGNATURES[contentType]!(upload.content))
    violations.push({
      field: 'content',
      message: contentType === 'image/svg+xml' ? 'is not a plain SVG drawing' : `is not a ${contentType} file`,
    });
  const fileName = upload.fileName.trim();
  if (fileName !== '' && !FILE_NAME.test(fileName))
    violations.push({ field: 'file_name', message: 'must be 1 to 200 characters without slashes or control characters' });
  if (violations.length) throw new InvalidInput(kind, violations);
  return { content: upload.content, contentType, fileName };
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/svg+xml': 'svg',
};

/** Where an upload is kept: per clinic, per kind, a new name each time. */
export function objectKeyFor(clinicId: string, kind: UploadKind, uploadId: string, contentType: string): string {
  return `organisations/${encodeURIComponent(clinicId)}/${kind}/${uploadId}.${EXTENSIONS[contentType] ?? 'bin'}`;
}
