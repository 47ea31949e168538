// What a signer sends when they sign: their typed full name, and optionally a drawn signature
// (signature_pad's stroke points and the PNG it drew). The typed name alone is a complete
// signature: it is the accessible alternative to drawing (keyboard, screen reader, no pointer),
// and the result says which way the person signed so the evidence records it.
import { fileTypeFromBuffer } from 'file-type';
import { z } from 'zod';

/** Longest typed name accepted; longer is a paste gone wrong rather than somebody's name. */
export const TYPED_NAME_MAX_LENGTH = 200;
/** Bounds on a drawing, so a submission stays a signature rather than a payload. */
export const DRAWING_LIMITS = Object.freeze({ strokes: 100, pointsPerStroke: 5_000, points: 20_000, imageBytes: 512 * 1024 });

const finite = z.number().finite();

/** One point as signature_pad's toData() gives it. */
export const strokePointSchema = z.object({
  x: finite,
  y: finite,
  time: finite,
  pressure: finite.optional(),
});

/** One stroke (a pen-down to pen-up) as signature_pad's toData() gives it; pen settings optional. */
export const strokeSchema = z.object({
  points: z.array(strokePointSchema).max(DRAWING_LIMITS.pointsPerStroke),
  penColor: z.string().max(64).optional(),
  dotSize: finite.optional(),
  minWidth: finite.optional(),
  maxWidth: finite.optional(),
  velocityFilterWeight: finite.optional(),
  compositeOperation: z.string().max(64).optional(),
});

export const drawnSignatureSchema = z.object({
  strokes: z.array(strokeSchema).max(DRAWING_LIMITS.strokes),
  /** The PNG signature_pad drew, base64 or a `data:image/png;base64,` address. */
  imagePng: z.string(),
});

export const signatureSubmissionSchema = z.object({
  typedName: z.string(),
  drawing: drawnSignatureSchema.optional(),
});

export type StrokePoint = z.infer<typeof strokePointSchema>;
export type Stroke = z.infer<typeof strokeSchema>;
export type DrawnSignature = z.infer<typeof drawnSignatureSchema>;
export type SignatureSubmission = z.infer<typeof signatureSubmissionSchema>;

/** How the person signed: recorded in the evidence. */
export type SignatureMethod = 'typed-name' | 'typed-name-and-drawing';

export interface AcceptedSignature {
  /** The typed name, trimmed and with runs of spaces made one. */
  typedName: string;
  method: SignatureMethod;
  /** Present when the person drew: the strokes as sent and the PNG's bytes. */
  drawing?: { strokes: Stroke[]; imagePng: Uint8Array };
}

export interface SignatureViolation {
  field: 'typedName' | 'drawing' | 'drawing.strokes' | 'drawing.imagePng';
  message: string;
}

export type SignatureValidation = { ok: true; signature: AcceptedSignature } | { ok: false; violations: SignatureViolation[] };

const DATA_URL_PREFIX = /^data:image\/png;base64,/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The typed name as it is kept: trimmed, inner whitespace (and control characters) made one space. */
export function normaliseTypedName(typedName: string): string {
  return typedName.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim();
}

/**
 * Checks a submission: a typed name that is not blank and not too long; a drawing, when present,
 * with at least one point and a PNG image within bounds. Every problem is listed at once, with
 * the field it belongs to, in words the signer can act on.
 */
export async function validateSignatureSubmission(input: unknown): Promise<SignatureValidation> {
  const parsed = signatureSubmissionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      violations: parsed.error.issues.map((issue) => ({
        field: fieldOf(issue.path),
        message: issue.code === 'too_big' ? 'is too large for a signature' : 'is not a signature this form sends',
      })),
    };
  }
  const violations: SignatureViolation[] = [];
  const typedName = normaliseTypedName(parsed.data.typedName);
  if (typedName === '') violations.push({ field: 'typedName', message: 'Type your full name to sign' });
  else if (typedName.length > TYPED_NAME_MAX_LENGTH)
    violations.push({ field: 'typedName', message: `A name is at most ${TYPED_NAME_MAX_LENGTH} characters` });

  let drawing: AcceptedSignature['drawing'];
  if (parsed.data.drawing) {
    const { strokes, imagePng } = parsed.data.drawing;
    const points = strokes.reduce((sum, stroke) => sum + stroke.points.length, 0);
    if (points === 0)
      violations.push({
        field: 'drawing.strokes',
        message: 'The drawn signature is empty: draw it, or clear it and sign with your typed name',
      });
    else if (points > DRAWING_LIMITS.points) violations.push({ field: 'drawing.strokes', message: 'The drawn signature is too large' });
    const image = await pngBytes(imagePng);
    if (typeof image === 'string') violations.push({ field: 'drawing.imagePng', message: image });
    else drawing = { strokes, imagePng: image };
  }
  if (violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    signature: drawing ? { typedName, method: 'typed-name-and-drawing', drawing } : { typedName, method: 'typed-name' },
  };
}

/** The PNG's bytes, or why they are not a signature image. The type is read from the bytes. */
async function pngBytes(imagePng: string): Promise<Uint8Array | string> {
  const base64 = imagePng.replace(DATA_URL_PREFIX, '');
  if (base64 === '') return 'The drawn signature has no image';
  // Base64 grows bytes by 4/3: refuse before decoding anything far beyond the limit.
  if (base64.length > Math.ceil((DRAWING_LIMITS.imageBytes * 4) / 3) + 4) return 'The signature image is too large';
  if (!BASE64.test(base64)) return 'The signature image is not a PNG image';
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (bytes.byteLength > DRAWING_LIMITS.imageBytes) return 'The signature image is too large';
  const type = await fileTypeFromBuffer(bytes);
  return type?.mime === 'image/png' ? bytes : 'The signature image is not a PNG image';
}

function fieldOf(path: readonly PropertyKey[]): SignatureViolation['field'] {
  if (path[0] === 'typedName') return 'typedName';
  if (path[0] !== 'drawing') return 'typedName';
  if (path[1] === 'strokes') return 'drawing.strokes';
  if (path[1] === 'imagePng') return 'drawing.imagePng';
  return 'drawing';
}
