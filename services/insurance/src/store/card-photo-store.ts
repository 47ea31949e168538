// Card photos in the object store. Keys carry the patient and coverage ids and a random part, so a
// replaced photo never overwrites the one a concurrent reader is fetching; the document says which
// key is current.
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '@portico/kit/objects';
import type { CardSide, StoredCardPhoto } from '../domain/coverage.js';

/** A photo whose bytes were checked (cardPhotoType) and may be kept. */
export interface CheckedCardPhoto {
  side: CardSide;
  content: Uint8Array;
  contentType: string;
}

export class CardPhotoStore {
  constructor(private readonly objects: ObjectStore) {}

  async keep(patientId: string, coverageId: string, photo: CheckedCardPhoto, at: Date): Promise<StoredCardPhoto> {
    const key = `coverages/${patientId}/${coverageId}/${photo.side}-${randomUUID()}`;
    await this.objects.put(key, Buffer.from(photo.content.buffer, photo.content.byteOffset, photo.content.byteLength), photo.contentType);
    return { key, contentType: photo.contentType, sizeBytes: photo.content.byteLength, uploadedAt: at };
  }

  read(photo: StoredCardPhoto): Promise<Buffer> {
    return this.objects.readAll(photo.key);
  }

  /** Removes photos no document points at any more (a refused or replaced upload). */
  async forget(photos: (StoredCardPhoto | undefined)[]): Promise<void> {
    await Promise.all(photos.filter((p): p is StoredCardPhoto => p !== undefined).map((p) => this.objects.remove(p.key)));
  }

  healthy(): Promise<boolean> {
    return this.objects.healthy();
  }
}
