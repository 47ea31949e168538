// Electronic signatures, as every Portico area that asks for one keeps them (consents in
// documents, estimates in billing): the ESIGN §7001(c) disclosure, the check of what a signer
// sends, and the evidence recorded with each signature.
export { ESIGN_DISCLOSURE, disclosureText } from './disclosure.js';
export type { DisclosureSection, ElectronicRecordsDisclosure } from './disclosure.js';
export {
  DRAWING_LIMITS,
  TYPED_NAME_MAX_LENGTH,
  drawnSignatureSchema,
  normaliseTypedName,
  signatureSubmissionSchema,
  strokePointSchema,
  strokeSchema,
  validateSignatureSubmission,
} from './submission.js';
export type {
  AcceptedSignature,
  DrawnSignature,
  SignatureMethod,
  SignatureSubmission,
  SignatureValidation,
  SignatureViolation,
  Stroke,
  StrokePoint,
} from './submission.js';
export { certificateFields, isSha256Hex, loginFromClaims, sha256Hex, signatureEvidenceSchema } from './evidence.js';
export type { SignatureEvidence, SignInClaims } from './evidence.js';
