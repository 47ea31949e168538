// Consents and their templates as ConsentsService answers them.
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  ConsentKindSchema,
  ConsentState,
  ReleaseStateSchema,
  type ConsentKind as ConsentKindProto,
  type ReleaseState as ReleaseStateProto,
} from '@portico/contracts/gen/portico/documents/v1/consents_pb';
import { enumMapping } from '@portico/kit/vocabulary';
import type { ConsentTemplate } from '../domain/consent-templates.js';
import {
  CONSENT_KINDS,
  isOutstanding,
  RELEASE_STATES,
  releaseStateOf,
  type Consent,
  type ConsentKind,
  type ReleaseState,
} from '../domain/consents.js';

export const consentKinds = enumMapping<ConsentKind, ConsentKindProto>(ConsentKindSchema, CONSENT_KINDS);
export const releaseStates = enumMapping<ReleaseState, ReleaseStateProto>(ReleaseStateSchema, RELEASE_STATES);

export const templateMessage = (t: ConsentTemplate) => ({
  templateId: t.templateId,
  version: t.version,
  kind: consentKinds.toProto(t.kind),
  title: t.title,
  text: t.text,
});

/** The consent without its text; a release's state as of `today` in the clinic's zone. */
export const consentMessage = (c: Consent, today: string) => ({
  consentId: c.consentId,
  patientId: c.patientId,
  templateId: c.templateId,
  templateVersion: c.templateVersion,
  kind: consentKinds.toProto(c.kind),
  title: c.title,
  state: isOutstanding(c) ? ConsentState.OUTSTANDING : ConsentState.SIGNED,
  assignedAt: timestampFromDate(c.assignedAt),
  ...(c.signedAt ? { signedAt: timestampFromDate(c.signedAt) } : {}),
  textSha256: c.textSha256,
  ...(c.release
    ? {
        release: {
          contactId: c.release.contactId,
          scope: c.release.scope,
          expiresOn: c.release.expiresOn,
          state: releaseStates.toProto(releaseStateOf(c.release, !isOutstanding(c), today)),
          ...(c.release.revokedAt ? { revokedAt: timestampFromDate(c.release.revokedAt) } : {}),
        },
      }
    : {}),
  signedByName: c.signature?.typedName ?? '',
  signatureMethod: c.signature?.method ?? '',
  signedPdfSha256: c.signedPdf?.sha256 ?? '',
});
