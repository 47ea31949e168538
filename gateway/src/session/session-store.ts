// Server-side sessions in the gateway's own database. The browser holds only a random id; the
// tokens stay here, sealed. Expiry is enforced on every read (idle and absolute) and by a sweeper,
// because TTL indexes are not available on every MongoDB-compatible server Portico runs on.
import type { Connection } from '@portico/kit/mongo';
import type { Model } from 'mongoose';
import { mongoose } from '@portico/kit/mongo';
import { randomToken, type Sealer } from './sealing.js';

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  idToken: string;
  /** When the access token stops being valid (ms since epoch). */
  accessExpiresAt: number;
}

interface SessionDocument {
  _id: string;
  subject: string;
  tokens: string;
  actingFor: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
}

export interface Session {
  /** The digest that identifies the session in the database. */
  key: string;
  subject: string;
  tokens: SessionTokens;
  actingFor: string | null;
  csrfToken: string;
  lastSeenAt: Date;
}

const sessionSchema = new mongoose.Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    subject: { type: String, required: true },
    tokens: { type: String, required: true },
    actingFor: { type: String, default: null },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    absoluteExpiresAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ lastSeenAt: 1 });
sessionSchema.index({ subject: 1 });

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export class SessionStore {
  private readonly sessions: Model<SessionDocument>;

  constructor(
    connection: Connection,
    private readonly sealer: Sealer,
    private readonly policy: SessionPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.sessions = (connection.models.Session ?? connection.model<SessionDocument>('Session', sessionSchema)) as Model<SessionDocument>;
  }

  async init(): Promise<void> {
    await this.sessions.createIndexes();
  }

  /** The CSRF token is derived from the session id, so nothing more needs storing. */
  private csrfFor(sessionId: string): string {
    return this.sealer.digest(`csrf:${sessionId}`);
  }

  /** Starts a session; returns the id for the cookie. */
  async create(subject: string, tokens: SessionTokens, actingFor: string | null): Promise<{ sessionId: string; session: Session }> {
    const sessionId = randomToken();
    const now = new Date(this.now());
    const document: SessionDocument = {
      _id: this.sealer.digest(sessionId),
      subject,
      tokens: this.sealer.seal(tokens),
      actingFor,
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: new Date(now.getTime() + this.policy.absoluteMs),
    };
    await this.sessions.create(document);
    return { sessionId, session: this.toSession(document, sessionId)! };
  }

  /** The live session for a cookie value, or undefined (expired sessions are removed on sight). */
  async find(sessionId: string): Promise<Session | undefined> {
    const key = this.sealer.digest(sessionId);
    const document = await this.sessions.findById(key).lean<SessionDocument>();
    if (!document) return undefined;
    const now = this.now();
    if (now > document.absoluteExpiresAt.getTime() || now > document.lastSeenAt.getTime() + this.policy.idleMs) {
      await this.sessions.deleteOne({ _id: key });
      return undefined;
    }
    // Record activity, but not on every request: a quarter of the idle time is precise enough.
    if (now - document.lastSeenAt.getTime() > Math.min(60_000, this.policy.idleMs / 4)) {
      document.lastSeenAt = new Date(now);
      await this.sessions.updateOne({ _id: key }, { $set: { lastSeenAt: document.lastSeenAt } });
    }
    const session = this.toSession(document, sessionId);
    // Sealed under another SESSION_SECRET (rotated): the session cannot be used any more.
    if (!session) await this.sessions.deleteOne({ _id: key });
    return session;
  }

  async saveTokens(session: Session, tokens: SessionTokens): Promise<void> {
    await this.sessions.updateOne({ _id: session.key }, { $set: { tokens: this.sealer.seal(tokens) } });
    session.tokens = tokens;
  }

  async setActingFor(session: Session, patientId: string): Promise<void> {
    await this.sessions.updateOne({ _id: session.key }, { $set: { actingFor: patientId } });
    session.actingFor = patientId;
  }

  async delete(session: Pick<Session, 'key'>): Promise<void> {
    await this.sessions.deleteOne({ _id: session.key });
  }

  /** Removes sessions past their idle or absolute expiry. */
  async sweep(): Promise<number> {
    const now = this.now();
    const result = await this.sessions.deleteMany({
      $or: [{ lastSeenAt: { $lt: new Date(now - this.policy.idleMs) } }, { absoluteExpiresAt: { $lt: new Date(now) } }],
    });
    return result.deletedCount;
  }

  csrfMatches(session: Session, presented: string | undefined): boolean {
    return typeof presented === 'string' && this.sealer.equalDigests(session.csrfToken, presented);
  }

  private toSession(document: SessionDocument, sessionId: string): Session | undefined {
    const tokens = this.sealer.unseal<SessionTokens>(document.tokens);
    if (!tokens) return undefined;
    return {
      key: document._id,
      subject: document.subject,
      tokens,
      actingFor: document.actingFor,
      csrfToken: this.csrfFor(sessionId),
      lastSeenAt: document.lastSeenAt,
    };
  }
}
