// Seals small secrets (tokens, login state) with AES-256-GCM under a key derived from
// SESSION_SECRET, so tokens are never in the database or a cookie in the clear.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export class Sealer {
  private readonly key: Buffer;
  private readonly macKey: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'portico-gateway', 'seal v1', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', secret, 'portico-gateway', 'mac v1', 32));
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The sealed value, or undefined when it was tampered with or sealed under another key. */
  unseal<T>(sealed: string): T | undefined {
    try {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** A keyed digest: session ids are stored as this, so a database dump does not yield cookies. */
  digest(value: string): string {
    return createHmac('sha256', this.macKey).update(value).digest('base64url');
  }

  equalDigests(a: string, b: string): boolean {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  }
}

export const randomToken = () => randomBytes(32).toString('base64url');
