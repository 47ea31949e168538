// Translation between the wire (protobuf) and the domain, in both directions, and the checks only
// the wire can need: fields this service does not know are refused, not silently dropped.
import { create, type Message } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  InvitationSchema,
  InvitationStatus as InvitationStatusProto,
  OrganisationSchema,
  UserKind,
  type Invitation as InvitationMessage,
  type Organisation as OrganisationMessage,
  type OrganisationProfile as OrganisationProfileMessage,
  type StoredFile as StoredFileMessage,
} from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { InvalidInput } from '@portico/kit/domain';
import type { Invitation, InvitationStatus } from '../domain/invitation.js';
import type { Organisation, OrganisationSubmission, StoredFile } from '../domain/organisation.js';
import { KIND_TO_PROTO } from '../events/auth-events.js';

export const STATUS_TO_PROTO: Record<InvitationStatus, InvitationStatusProto> = {
  pending: InvitationStatusProto.PENDING,
  accepted: InvitationStatusProto.ACCEPTED,
  revoked: InvitationStatusProto.REVOKED,
  expired: InvitationStatusProto.EXPIRED,
};
const PROTO_TO_STATUS = new Map(Object.entries(STATUS_TO_PROTO).map(([name, value]) => [value, name as InvitationStatus]));

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
  const address = profile?.address;
  return {
    name: profile?.name ?? '',
    address: address
      ? {
          line1: address.line1,
          line2: address.line2,
          city: address.city,
          region: address.region,
          postalCode: address.postalCode,
          countryCode: address.countryCode,
        }
      : undefined,
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
    kind: KIND_TO_PROTO[invitation.kind],
    patientIds: invitation.patientIds,
    status: STATUS_TO_PROTO[invitation.status],
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
  return kind === UserKind.PATIENT ? 'patient' : kind === UserKind.GUARDIAN ? 'guardian' : `unknown(${kind})`;
}

export function statusesOf(statuses: InvitationStatusProto[]): InvitationStatus[] {
  const names = statuses.map((s) => PROTO_TO_STATUS.get(s));
  if (names.some((n) => n === undefined))
    throw new InvalidInput('request', [{ field: 'statuses', message: 'must be PENDING, ACCEPTED, REVOKED or EXPIRED' }]);
  return [...new Set(names as InvitationStatus[])];
}
