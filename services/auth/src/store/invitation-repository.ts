// Reads and writes invitations. Every change is one atomic single-document write with its events,
// guarded by the version number so two writers never both win.
import { AlreadyExists } from '@portico/kit/domain';
import type { OutboxEntry } from '@portico/kit/eventing';
import { VersionedRepository, type Store } from '@portico/kit/store';
import type { Model } from 'mongoose';
import type { Invitation, InvitationStatus } from '../domain/invitation.js';
import { invitationModel, type InvitationDocument } from './invitation-model.js';

/** Another invitation for the same email is pending. */
export class PendingInvitationExists extends AlreadyExists {
  override name = 'PendingInvitationExists';
}

const pendingKeyOf = (invitation: Invitation) =>
  invitation.status === 'pending' ? `pending:${invitation.email}` : invitation.invitationId;

export class InvitationRepository extends VersionedRepository<Invitation, InvitationDocument> {
  constructor(store: Store) {
    super(store, invitationModel(store.connection) as Model<InvitationDocument>, 'invitation');
  }

  protected idOf(invitation: Invitation): string {
    return invitation.invitationId;
  }

  protected toEntity(document: InvitationDocument): Invitation {
    const { _id, emailSentAt, pendingKey: _pendingKey, outbox: _outbox, ...rest } = document;
    return { ...rest, invitationId: _id, emailSentAt: emailSentAt ?? undefined };
  }

  protected fieldsOf(invitation: Invitation) {
    const { invitationId: _id, emailSentAt, ...rest } = invitation;
    return { ...rest, emailSentAt: emailSentAt ?? null, pendingKey: pendingKeyOf(invitation) };
  }

  protected override duplicateOnChange(): Error {
    return new PendingInvitationExists('another invitation for this email is pending');
  }

  async insert(invitation: Invitation, events: OutboxEntry[]): Promise<void> {
    if (!(await this.tryInsert(invitation, events))) throw new PendingInvitationExists('an invitation for this email is pending');
  }

  find(clinicId: string, invitationId: string): Promise<Invitation | undefined> {
    return this.findOne({ _id: invitationId, clinicId });
  }

  findPending(email: string): Promise<Invitation | undefined> {
    return this.findOne({ pendingKey: `pending:${email}` });
  }

  /** The latest invitation of each of these users. */
  async latestOfUsers(userIds: string[]): Promise<Map<string, Invitation>> {
    const invitations = await this.findMany({ userId: { $in: userIds } }, { sort: { createdAt: 1 } });
    return new Map(invitations.map((invitation) => [invitation.userId, invitation]));
  }

  list(clinicId: string, statuses: InvitationStatus[], page: { offset: number; limit: number }): Promise<Invitation[]> {
    const filter = { clinicId, ...(statuses.length ? { status: { $in: statuses } } : {}) };
    return this.findMany(filter, { sort: { createdAt: -1, _id: 1 }, ...page });
  }

  /** Bookkeeping that changes no state another writer relies on, so no version step. */
  async recordEmailSent(invitationId: string, at: Date): Promise<void> {
    await this.touch(invitationId, {}, { emailSentAt: at });
  }

  /** False when the invitation is no longer ended (resent meanwhile): its user must stay enabled. */
  recordUserDisabled(invitationId: string): Promise<boolean> {
    return this.touch(invitationId, { status: { $in: ['revoked', 'expired'] } }, { userDisablePending: false });
  }

  /** Pending invitations past their expiry, and ended ones whose user is still to be disabled. */
  dueForSweep(now: Date, limit: number): Promise<Invitation[]> {
    return this.findMany(
      { $or: [{ status: 'pending', expiresAt: { $lte: now } }, { userDisablePending: true }] },
      { sort: { expiresAt: 1 }, limit },
    );
  }
}
