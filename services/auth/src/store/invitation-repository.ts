// Reads and writes invitations. Every change is one atomic single-document write with its events,
// guarded by the version number so two writers never both win.
import type { OutboxEntry } from '@portico/kit/eventing';
import { withDocumentLock, type Connection } from '@portico/kit/mongo';
import type { Model } from 'mongoose';
import type { Invitation, InvitationStatus } from '../domain/invitation.js';
import { invitationModel, type InvitationDocument } from './invitation-model.js';
import { VersionConflict } from './organisation-repository.js';

/** Another invitation for the same email is pending. */
export class PendingInvitationExists extends Error {
  constructor() {
    super('a pending invitation exists for this email');
    this.name = 'PendingInvitationExists';
  }
}

const pendingKeyOf = (invitation: Invitation) =>
  invitation.status === 'pending' ? `pending:${invitation.email}` : invitation.invitationId;

function toInvitation(document: InvitationDocument): Invitation {
  const { _id, emailSentAt, pendingKey: _pendingKey, outbox: _outbox, ...rest } = document;
  return { ...rest, invitationId: _id, emailSentAt: emailSentAt ?? undefined };
}

function documentFields(invitation: Invitation) {
  const { invitationId: _id, emailSentAt, ...rest } = invitation;
  return { ...rest, emailSentAt: emailSentAt ?? null, pendingKey: pendingKeyOf(invitation) };
}

export class InvitationRepository {
  private readonly invitations: Model<InvitationDocument>;

  constructor(connection: Connection) {
    this.invitations = invitationModel(connection) as Model<InvitationDocument>;
  }

  async init(): Promise<void> {
    await this.invitations.createIndexes();
  }

  async insert(invitation: Invitation, events: OutboxEntry[]): Promise<void> {
    try {
      await this.invitations.create({ _id: invitation.invitationId, ...documentFields(invitation), outbox: events });
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new PendingInvitationExists();
      throw error;
    }
  }

  async find(clinicId: string, invitationId: string): Promise<Invitation | undefined> {
    const document = await this.invitations.findOne({ _id: invitationId, clinicId }, { outbox: 0 }).lean<InvitationDocument>();
    return document ? toInvitation(document) : undefined;
  }

  async findPending(email: string): Promise<Invitation | undefined> {
    const document = await this.invitations.findOne({ pendingKey: `pending:${email}` }, { outbox: 0 }).lean<InvitationDocument>();
    return document ? toInvitation(document) : undefined;
  }

  /** The latest invitation of each of these users. */
  async latestOfUsers(userIds: string[]): Promise<Map<string, Invitation>> {
    const documents = await this.invitations
      .find({ userId: { $in: userIds } }, { outbox: 0 })
      .sort({ createdAt: 1 })
      .lean<InvitationDocument[]>();
    return new Map(documents.map((d) => [d.userId, toInvitation(d)]));
  }

  async list(clinicId: string, statuses: InvitationStatus[], offset: number, limit: number): Promise<Invitation[]> {
    const filter = { clinicId, ...(statuses.length ? { status: { $in: statuses } } : {}) };
    const documents = await this.invitations
      .find(filter, { outbox: 0 })
      .sort({ createdAt: -1, _id: 1 })
      .skip(offset)
      .limit(limit)
      .lean<InvitationDocument[]>();
    return documents.map(toInvitation);
  }

  /** Writes a change made to `current` if nobody changed it since it was read. */
  async replace(current: Invitation, next: Invitation, events: OutboxEntry[]): Promise<Invitation> {
    let document: InvitationDocument | null;
    try {
      document = await withDocumentLock(this.invitations.collection.collectionName, current.invitationId, () =>
        this.invitations
          .findOneAndUpdate(
            { _id: current.invitationId, version: current.version },
            { $set: documentFields(next), $push: { outbox: { $each: events } } },
            // No projection: FerretDB's findAndModify does not support one.
            { returnDocument: 'after' },
          )
          .lean<InvitationDocument>()
          .exec(),
      );
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new PendingInvitationExists();
      throw error;
    }
    if (!document) throw new VersionConflict('invitation');
    return toInvitation(document);
  }

  /** Bookkeeping that changes no state another writer relies on, so no version step. */
  async recordEmailSent(invitationId: string, at: Date): Promise<void> {
    await withDocumentLock(this.invitations.collection.collectionName, invitationId, () =>
      this.invitations.updateOne({ _id: invitationId }, { $set: { emailSentAt: at } }).exec(),
    );
  }

  /** False when the invitation is no longer ended (resent meanwhile): its user must stay enabled. */
  async recordUserDisabled(invitationId: string): Promise<boolean> {
    const result = await withDocumentLock(this.invitations.collection.collectionName, invitationId, () =>
      this.invitations
        .updateOne({ _id: invitationId, status: { $in: ['revoked', 'expired'] } }, { $set: { userDisablePending: false } })
        .exec(),
    );
    return result.matchedCount > 0;
  }

  /** Pending invitations past their expiry, and ended ones whose user is still to be disabled. */
  async dueForSweep(now: Date, limit: number): Promise<Invitation[]> {
    const documents = await this.invitations
      .find({ $or: [{ status: 'pending', expiresAt: { $lte: now } }, { userDisablePending: true }] }, { outbox: 0 })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean<InvitationDocument[]>();
    return documents.map(toInvitation);
  }
}
