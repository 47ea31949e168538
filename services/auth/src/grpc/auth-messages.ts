// Translation between the wire (protobuf) and the domain, in both directions, and the checks only
// the wire can need: fields this service does not know are refused, not silently dropped.
import { create, type Message } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  InvitationSchema,
  InvitationStatusSchema,
  OrganisationSchema,
  type InvitationStatus as InvitationStatusProto,
  type UserKind,
  type Invitation as InvitationMessage,
  type Organisation as OrganisationMessage,
  type OrganisationProfile as OrganisationProfileMessage,
  type StoredFile as StoredFileMessage,
} from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { InvalidInput } from '@portico/kit/domain';
import { addressOf, enumMapping } from '@portico/kit/vocabulary';
import type { Invitation, InvitationStatus } from '../domain/invitation.js';
import type { Organisation, OrganisationSubmission, StoredFile } from '../domain/organisation.js';
import { userKinds } from '../events/auth-events.js';

export const invitationStatuses = enumMapping<InvitationStatus, InvitationStatusProto>(InvitationStatusSchema, [
  'pending',
  'accepted',
  'revoked',
  'expired',
]);

/** Paths of fields the sender set that this service's contract does not have (a newer or wrong client). */
function unknownFieldPaths(message: Message, path: string): string[] {
  const found = (message.$unknown ?? []).map((field) => `${path}#${field.no}`);
  for (const [key, value] of Object.entries(message)) {
    if (key.startsWith('$')) continue;
    const nested = Array.isArray(value) ? value : [value];
    nested.forEach((item, i) => {
      if (item && typeof item === 'object' && '$typeName' in item)
        found.push(...unknownFieldPaths(item as Message, Array.isArray(value) ? `${path}.${key}[${i}]` : `${path}.${key}`));
    });
  }
  return found;
}

/** Refuses a request that carries fields this service would otherwise silently drop. */
export function refuseUnknownFields(message: Message, what: string): void {
  const paths = unknownFieldPaths(message, 'request');
  if (paths.length)
    throw new InvalidInput(
      what,
      paths.map((p) => ({ field: p.replace(/^request\.?/, '') || 'request', message: 'is not a field this service knows' })),
    );
}

export function organisationSubmissionOf(profile: OrganisationProfileMessage | undefined): OrganisationSubmission {
  return {
    name: profile?.name ?? '',
    address: addressOf(profile?.address),
    phone: profile?.phone ?? '',
    phoneRegion: profile?.phoneRegion ?? '',
    email: profile?.email ?? '',
    openingHours: profile?.openingHours ?? [],
    welcomeMessage: profile?.welcomeMessage ?? '',
    portalUrl: profile?.portalUrl ?? '',
    timeZone: profile?.timeZone ?? '',
  };
}

export const storedFileMessage = (file: StoredFile) => ({
  objectKey: file.objectKey,
  contentType: file.contentType,
  sizeBytes: BigInt(file.sizeBytes),
  fileName: file.fileName,
  uploadedAt: timestampFromDate(file.uploadedAt),
});

export function organisationMessage(organisation: Organisation): OrganisationMessage {
  const { profile } = organisation;
  return create(OrganisationSchema, {
    clinicId: organisation.clinicId,
    profile: { ...profile, address: profile.address, phoneRegion: '' },
    ...(organisation.logo ? { logo: storedFileMessage(organisation.logo) as StoredFileMessage } : {}),
    ...(organisation.handbook ? { handbook: storedFileMessage(organisation.handbook) as StoredFileMessage } : {}),
    updatedAt: timestampFromDate(organisation.updatedAt),
    version: BigInt(organisation.version),
  });
}

export function invitationMessage(invitation: Invitation): InvitationMessage {
  return create(InvitationSchema, {
    invitationId: invitation.invitationId,
    userId: invitation.userId,
    email: invitation.email,
    givenName: invitation.givenName,
    familyName: invitation.familyName,
    kind: userKinds.toProto(invitation.kind),
    patientIds: invitation.patientIds,
    status: invitationStatuses.toProto(invitation.status),
    invitedBy: invitation.invitedBy,
    createdAt: timestampFromDate(invitation.createdAt),
    expiresAt: timestampFromDate(invitation.expiresAt),
    updatedAt: timestampFromDate(invitation.updatedAt),
    ...(invitation.emailSentAt ? { emailSentAt: timestampFromDate(invitation.emailSentAt) } : {}),
    version: BigInt(invitation.version),
  });
}

/** The domain's name for a kind on the wire; anything else is left for validation to refuse. */
export function invitedKindOf(kind: UserKind): string {
  return userKinds.fromProto(kind) ?? `unknown(${kind})`;
}

export function statusesOf(statuses: InvitationStatusProto[]): InvitationStatus[] {
  const names = statuses.map(invitationStatuses.fromProto);
  if (names.some((n) => n === undefined))
    throw new InvalidInput('request', [{ field: 'statuses', message: 'must be PENDING, ACCEPTED, REVOKED or EXPIRED' }]);
  return [...new Set(names as InvitationStatus[])];
}
