// Translation between the wire (protobuf) and the domain, in both directions.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  CardSideSchema,
  CoverageChangeSchema,
  CoverageSchema,
  CoverageStatusSchema,
  PlanTypeSchema,
  SubscriberRelationshipSchema,
  VerificationStateSchema,
  type CardSide as CardSideProto,
  type Coverage as CoverageMessage,
  type CoverageChange as CoverageChangeMessage,
  type CoverageDetails as CoverageDetailsMessage,
  type CoverageStatus as CoverageStatusProto,
  type PlanType as PlanTypeProto,
  type SubscriberRelationship as SubscriberRelationshipProto,
  type VerificationState as VerificationStateProto,
} from '@portico/contracts/gen/portico/insurance/v1/insurance_pb';
import { enumMapping } from '@portico/kit/vocabulary';
import {
  CARD_SIDES,
  COVERAGE_STATUSES,
  hasEnded,
  PLAN_TYPES,
  RELATIONSHIPS,
  VERIFICATION_STATES,
  type CardSide,
  type Coverage,
  type CoverageChange,
  type CoverageSubmission,
  type StoredCardPhoto,
} from '../domain/coverage.js';
import { priorities } from '../events/insurance-events.js';

const planTypes = enumMapping<(typeof PLAN_TYPES)[number], PlanTypeProto>(PlanTypeSchema, PLAN_TYPES);
const relationships = enumMapping<(typeof RELATIONSHIPS)[number], SubscriberRelationshipProto>(SubscriberRelationshipSchema, RELATIONSHIPS);
export const verificationStates = enumMapping<(typeof VERIFICATION_STATES)[number], VerificationStateProto>(
  VerificationStateSchema,
  VERIFICATION_STATES,
);
const statuses = enumMapping<(typeof COVERAGE_STATUSES)[number], CoverageStatusProto>(CoverageStatusSchema, COVERAGE_STATUSES);
export const cardSides = enumMapping<CardSide, CardSideProto>(CardSideSchema, CARD_SIDES);

/** What the caller sent, for the domain to validate; an unknown or unspecified enum becomes a value the domain refuses by name. */
export function submissionOf(details: CoverageDetailsMessage | undefined): CoverageSubmission {
  const unknown = 'unspecified' as never;
  return {
    payerName: details?.payerName ?? '',
    planName: details?.planName ?? '',
    planType: (details && planTypes.fromProto(details.planType)) ?? unknown,
    memberId: details?.memberId ?? '',
    groupNumber: details?.groupNumber ?? '',
    subscriber: {
      relationship: (details?.subscriber && relationships.fromProto(details.subscriber.relationship)) ?? unknown,
      name: details?.subscriber?.name ?? '',
      dateOfBirth: details?.subscriber?.dateOfBirth ?? '',
    },
    priority: (details && priorities.fromProto(details.priority)) ?? unknown,
    effectiveDate: details?.effectiveDate ?? '',
    endDate: details?.endDate ?? '',
    ...(details?.copay ? { copay: { amountMinor: Number(details.copay.amountMinor), currencyCode: details.copay.currencyCode } } : {}),
  };
}

const photoMessage = (photo: StoredCardPhoto | undefined) =>
  photo
    ? { contentType: photo.contentType, sizeBytes: BigInt(photo.sizeBytes), uploadedAt: timestampFromDate(photo.uploadedAt) }
    : undefined;

export function coverageMessage(coverage: Coverage, today: string): CoverageMessage {
  const { details } = coverage;
  return create(CoverageSchema, {
    coverageId: coverage.coverageId,
    patientId: coverage.patientId,
    clinicId: coverage.clinicId,
    details: {
      ...details,
      planType: planTypes.toProto(details.planType),
      subscriber: { ...details.subscriber, relationship: relationships.toProto(details.subscriber.relationship) },
      priority: priorities.toProto(details.priority),
      copay: details.copay ? { amountMinor: BigInt(details.copay.amountMinor), currencyCode: details.copay.currencyCode } : undefined,
    },
    status: statuses.toProto(coverage.status),
    verification: verificationStates.toProto(coverage.verification),
    informationRequest: coverage.informationRequest,
    ended: hasEnded(details, today),
    frontPhoto: photoMessage(coverage.frontPhoto),
    backPhoto: photoMessage(coverage.backPhoto),
    version: BigInt(coverage.version),
    createdAt: timestampFromDate(coverage.createdAt),
    updatedAt: timestampFromDate(coverage.updatedAt),
  });
}

export const changeMessage = (change: CoverageChange): CoverageChangeMessage =>
  create(CoverageChangeSchema, { ...change, at: timestampFromDate(change.at) });
