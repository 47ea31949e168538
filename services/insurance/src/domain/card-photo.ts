// Which card photos are accepted: JPEG, PNG or HEIC (a phone camera's formats), decided by the
// bytes and never by the name or the type the browser claimed, at most 10 MB each.
import { InvalidInput } from '@portico/kit/domain';
import { fileTypeFromBuffer } from 'file-type';
import type { CardSide } from './coverage.js';

export const MAX_CARD_PHOTO_BYTES = 10 * 1024 * 1024;

const ACCEPTED: Record<string, string> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  // iPhones write HEIC; file-type names the HEIF family by its brand.
  'image/heic': 'image/heic',
  'image/heif': 'image/heif',
};

const field = (side: CardSide) => `${side}Photo`;

/** The photo's content type by its bytes, or InvalidInput naming the side. */
export async function cardPhotoType(side: CardSide, content: Uint8Array): Promise<string> {
  if (content.length === 0) throw new InvalidInput('coverage', [{ field: field(side), message: 'is empty' }]);
  if (content.length > MAX_CARD_PHOTO_BYTES) throw new InvalidInput('coverage', [{ field: field(side), message: 'must be at most 10 MB' }]);
  const detected = await fileTypeFromBuffer(content);
  const type = detected ? ACCEPTED[detected.mime] : undefined;
  if (!type) throw new InvalidInput('coverage', [{ field: field(side), message: 'must be a JPEG, PNG or HEIC image' }]);
  return type;
}
