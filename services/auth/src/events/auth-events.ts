// The facts the auth service publishes on `portico.auth.v1`: ids and actors only, never an email,
// a name or a password. Key: the patient id; the user id when no patient is concerned; the clinic
// id for the organisation.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { UserKindSchema, type UserKind } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { ActorRole, ActorSchema, type Actor } from '@portico/contracts/gen/portico/common/v1/actor_pb';
import {
  GuardianLinkedSchema,
  GuardianUnlinkedSchema,
  InvitationAcceptedSchema,
  InvitationExpiredSchema,
  InvitationResentSchema,
  InvitationRevokedSchema,
  OrganisationUpdatedSchema,
  UserInvitedSchema,
} from '@portico/contracts/gen/portico/events/auth/v1/auth_events_pb';
import { actorOf } from '@portico/kit/audit';
import { outboxEvent, type OutboxEntry } from '@portico/kit/eventing';
import type { Principal } from '@portico/kit/identity';
import { enumMapping } from '@portico/kit/vocabulary';
import type { Invitation } from '../domain/invitation.js';
import type { Organisation } from '../domain/organisation.js';

export const AUTH_TOPIC = 'portico.auth.v1';

/** Who a user is to the clinic; only patients and guardians are invited. */
export const userKinds = enumMapping<'patient' | 'guardian' | 'staff', UserKind>(UserKindSchema, ['patient', 'guardian', 'staff']);

/** Who acted: a staff member, the invited user themself, or (for expiry) the service. */
export type EventActor = { principal: Principal; role: 'staff' | 'patient' | 'guardian' } | 'service';

export const SERVICE_SUBJECT = 'portico-auth';

function actor(who: EventActor, clinicId: string): Actor {
  if (who === 'service') return create(ActorSchema, { subject: SERVICE_SUBJECT, role: ActorRole.SERVICE, clinicId });
  return actorOf(who.principal, who.role);
}

/** A patient's own invitation is keyed by their patient id (their user id); a guardian's by the user id. */
const invitationTarget = (invitation: Invitation) => ({ topic: AUTH_TOPIC, key: invitation.userId, occurredAt: invitation.updatedAt });

const invitationCommon = (who: EventActor, invitation: Invitation) => ({
  invitationId: invitation.invitationId,
  userId: invitation.userId,
  clinicId: invitation.clinicId,
  actor: actor(who, invitation.clinicId),
  occurredAt: timestampFromDate(invitation.updatedAt),
});

export function userInvited(who: EventActor, invitation: Invitation): OutboxEntry {
  const event = create(UserInvitedSchema, {
    ...invitationCommon(who, invitation),
    kind: userKinds.toProto(invitation.kind),
    patientIds: invitation.patientIds,
    expiresAt: timestampFromDate(invitation.expiresAt),
  });
  return outboxEvent(UserInvitedSchema, event, invitationTarget(invitation));
}

export function invitationResent(who: EventActor, invitation: Invitation): OutboxEntry {
  const event = create(InvitationResentSchema, {
    ...invitationCommon(who, invitation),
    expiresAt: timestampFromDate(invitation.expiresAt),
  });
  return outboxEvent(InvitationResentSchema, event, invitationTarget(invitation));
}

export function invitationAccepted(who: EventActor, invitation: Invitation): OutboxEntry {
  const event = create(InvitationAcceptedSchema, { ...invitationCommon(who, invitation), kind: userKinds.toProto(invitation.kind) });
  return outboxEvent(InvitationAcceptedSchema, event, invitationTarget(invitation));
}

export function invitationRevoked(who: EventActor, invitation: Invitation): OutboxEntry {
  return outboxEvent(
    InvitationRevokedSchema,
    create(InvitationRevokedSchema, invitationCommon(who, invitation)),
    invitationTarget(invitation),
  );
}

export function invitationExpired(invitation: Invitation): OutboxEntry {
  return outboxEvent(
    InvitationExpiredSchema,
    create(InvitationExpiredSchema, invitationCommon('service', invitation)),
    invitationTarget(invitation),
  );
}

export function guardianLinked(who: EventActor, clinicId: string, guardianId: string, patientId: string, at: Date): OutboxEntry {
  const event = create(GuardianLinkedSchema, {
    guardianId,
    patientId,
    clinicId,
    actor: actor(who, clinicId),
    occurredAt: timestampFromDate(at),
  });
  return outboxEvent(GuardianLinkedSchema, event, { topic: AUTH_TOPIC, key: patientId, occurredAt: at });
}

export function guardianUnlinked(who: EventActor, clinicId: string, guardianId: string, patientId: string, at: Date): OutboxEntry {
  const event = create(GuardianUnlinkedSchema, {
    guardianId,
    patientId,
    clinicId,
    actor: actor(who, clinicId),
    occurredAt: timestampFromDate(at),
  });
  return outboxEvent(GuardianUnlinkedSchema, event, { topic: AUTH_TOPIC, key: patientId, occurredAt: at });
}

export function organisationUpdated(who: EventActor, organisation: Organisation, changedFields: string[]): OutboxEntry {
  const event = create(OrganisationUpdatedSchema, {
    clinicId: organisation.clinicId,
    changedFields,
    actor: actor(who, organisation.clinicId),
    occurredAt: timestampFromDate(organisation.updatedAt),
    version: BigInt(organisation.version),
  });
  return outboxEvent(OrganisationUpdatedSchema, event, {
    topic: AUTH_TOPIC,
    key: organisation.clinicId,
    occurredAt: organisation.updatedAt,
  });
}
