// ConsentsService: staff assign a consent to a patient of their clinic; the patient, or a guardian
// for their patient, accepts the electronic-records disclosure once and signs; the service renders
// the signed PDF with its certificate, stores it, and keeps its SHA-256 for staff to verify a PDF
// later. Every read and change is audited; anyone else gets NOT_FOUND.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { AuthService } from '@portico/contracts/gen/portico/auth/v1/auth_pb';
import { ContactStatus, type ContactsService } from '@portico/contracts/gen/portico/contacts/v1/contacts_pb';
import type { ConsentsService } from '@portico/contracts/gen/portico/documents/v1/consents_pb';
import { auditEvent, staffAudit } from '@portico/kit/audit';
import {
  DependencyUnavailable,
  InvalidInput,
  NotAllowedNow,
  NotFound,
  NotPermitted,
  requireUuid,
  VersionConflict,
} from '@portico/kit/domain';
import { callerMetadata, type ServiceClient, type ServiceHandlers } from '@portico/kit/grpc';
import {
  auditRead,
  authenticate,
  authorisePatient,
  authoriseStaff,
  authoriseStaffFor,
  patientScope,
  type Caller,
  type RequestContext,
} from '@portico/kit/requests';
import {
  ESIGN_DISCLOSURE,
  isSha256Hex,
  loginFromClaims,
  sha256Hex,
  validateSignatureSubmission,
  type SignatureEvidence,
} from '@portico/kit/signatures';
import { decodeJwt } from 'jose';
import { renderSignedConsent } from '../consents/signed-pdf.js';
import { CONSENT_TEMPLATES, templateOf } from '../domain/consent-templates.js';
import { assignConsent, isOutstanding, releaseStateOf, revokeRelease, signConsent, todayIn, type Consent } from '../domain/consents.js';
import { consentAssigned, consentRevoked, consentSigned } from '../events/consent-events.js';
import { fileParts, keepOrDiscard } from '../files/file-intake.js';
import type { ConsentRepository, DisclosureAcceptances } from '../store/consent-repositories.js';
import { consentMessage, templateMessage } from './consent-messages.js';
import type { DocumentHandlerDeps } from './handler-deps.js';

type Methods = (typeof ConsentsService)['method'];

export const CONSENT = 'consent';

export interface ConsentHandlerDeps extends Pick<DocumentHandlerDeps, 'objects' | 'clock'> {
  consents: ConsentRepository;
  acceptances: DisclosureAcceptances;
  /** The organisation profile (the clinic's name and time zone for the certificate). */
  auth: ServiceClient<(typeof AuthService)['method']>;
  /** Whether a release's contact is one of the patient's; absent, no release can be assigned. */
  contacts: ServiceClient<(typeof ContactsService)['method']> | undefined;
}

const PDF_CONTENT_TYPE = 'application/pdf';

export function consentHandlers(deps: ConsentHandlerDeps): ServiceHandlers<Methods> {
  const { consents, acceptances, objects, clock, auth, contacts } = deps;
  const attempt = (action: string) => ({ action, resourceType: CONSENT });

  /** The caller's clinic as its profile says, read with the caller's own token. */
  async function clinicOf(ctx: RequestContext) {
    try {
      const { organisation } = await auth.getOrganisation({}, { metadata: callerMetadata(ctx.metadata) });
      const profile = organisation?.profile;
      return { name: profile?.name || 'Your clinic', timeZone: profile?.timeZone || 'UTC' };
    } catch (error) {
      // A clinic that has not filled its profile in yet signs in UTC under a plain name.
      if ((error as { code?: number }).code === status.NOT_FOUND) return { name: 'Your clinic', timeZone: 'UTC' };
      ctx.logger.warn({ code: (error as { code?: number }).code }, 'organisation profile unavailable');
      throw new DependencyUnavailable('the clinic profile cannot be read just now; try again');
    }
  }

  async function findFor(caller: Caller, consentId: string) {
    const consent = await consents.find(patientScope(caller), requireUuid(consentId, 'consent_id'));
    if (!consent) throw new NotFound('consent not found');
    return consent;
  }

  /** The contact must be one of this patient's, and active (the contacts service owns contacts). */
  async function checkContact(ctx: RequestContext, patientId: string, contactId: string) {
    const invalid = (message: string) => new InvalidInput('consent', [{ field: 'release.contact_id', message }]);
    requireUuid(contactId, 'release.contact_id', 'consent');
    if (!contacts) throw new NotAllowedNow('releases of information need the contacts service, which this installation does not name');
    try {
      const { contact } = await contacts.getContact({ patientId, contactId }, { metadata: callerMetadata(ctx.metadata) });
      if (contact?.status !== ContactStatus.ACTIVE) throw invalid('is an inactive contact');
    } catch (error) {
      if (error instanceof InvalidInput) throw error;
      if ((error as { code?: number }).code === status.NOT_FOUND) throw invalid('is not one of this patient’s contacts');
      ctx.logger.warn({ code: (error as { code?: number }).code }, 'contacts service unavailable');
      throw new DependencyUnavailable('the patient’s contacts cannot be checked just now; try again');
    }
  }

  const today = (consent: Consent, now: Date) => todayIn(consent.release?.timeZone ?? 'UTC', now);
  const message = (consent: Consent) => consentMessage(consent, today(consent, clock()));

  return {
    async listConsentTemplates(_request, ctx) {
      await authoriseStaff(ctx, attempt('consents.templates'));
      return { templates: CONSENT_TEMPLATES.map(templateMessage) };
    },

    async assignConsent(request, ctx) {
      const action = 'consents.assign';
      const caller = await authoriseStaffFor(ctx, request.patientId, attempt(action));
      const template = templateOf(request.templateId);
      if (!template) throw new InvalidInput('consent', [{ field: 'template_id', message: 'is not one of the clinic’s consents' }]);
      const now = clock();
      const clinic = await clinicOf(ctx);
      const consent = assignConsent(
        template,
        {
          consentId: randomUUID(),
          patientId: caller.patientId,
          clinicId: caller.principal.clinicId ?? '',
          assignedBy: caller.principal.subject,
        },
        request.release,
        { timeZone: clinic.timeZone, today: todayIn(clinic.timeZone, now) },
        now,
      );
      if (consent.release) await checkContact(ctx, caller.patientId, consent.release.contactId);
      const audit = auditEvent(caller, { ...attempt(action), resourceId: consent.consentId });
      await consents.add(consent, [consentAssigned(caller, consent), audit]);
      return { consent: message(consent) };
    },

    async listConsents(request, ctx) {
      const action = 'consents.list';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const found = await consents.list(patientScope(caller));
      await auditRead(ctx, caller, attempt(action));
      return { consents: found.map(message), outstandingCount: found.filter(isOutstanding).length };
    },

    async getConsent(request, ctx) {
      const action = 'consents.read';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const consent = await findFor(caller, request.consentId);
      await auditRead(ctx, caller, { ...attempt(action), resourceId: consent.consentId });
      const accepted =
        caller.actingAs !== 'staff' && (await acceptances.find(caller.principal.subject, ESIGN_DISCLOSURE.version)) !== undefined;
      return {
        consent: message(consent),
        text: consent.text,
        disclosure: {
          version: ESIGN_DISCLOSURE.version,
          title: ESIGN_DISCLOSURE.title,
          sections: ESIGN_DISCLOSURE.sections.map((s) => ({ ...s })),
        },
        disclosureAccepted: accepted,
      };
    },

    async acceptDisclosure(request, ctx) {
      const principal = await authenticate(ctx);
      if (!principal.roles.includes('patient') && !principal.roles.includes('guardian'))
        throw new NotPermitted('only a patient or a guardian signs consents');
      if (request.version !== ESIGN_DISCLOSURE.version)
        throw new InvalidInput('disclosure', [{ field: 'version', message: 'is not the current disclosure; read it again' }]);
      const acceptance = await acceptances.accept({
        userId: principal.subject,
        version: ESIGN_DISCLOSURE.version,
        acceptedAt: clock(),
        sourceIp: ctx.sourceIp,
        userAgent: request.userAgent.slice(0, 512),
      });
      return { version: acceptance.version, acceptedAt: timestampFromDate(acceptance.acceptedAt) };
    },

    async signConsent(request, ctx) {
      const action = 'consents.sign';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      // A signature is the patient's (or their guardian's): staff assign and read, they never sign.
      if (caller.actingAs === 'staff') throw new NotPermitted('only the patient or a guardian signs a consent');
      const consent = await findFor(caller, request.consentId);
      if (!isOutstanding(consent)) throw new NotAllowedNow('this consent was signed already');
      const now = clock();
      if (consent.release && releaseStateOf(consent.release, false, today(consent, now)) === 'expired')
        throw new NotAllowedNow('this release expired before it was signed; ask the clinic for a new one');
      const validation = await validateSignatureSubmission({
        typedName: request.typedName,
        ...(request.drawing
          ? {
              drawing: {
                strokes: request.drawing.strokes.map((s) => ({
                  points: s.points.map((p) => ({
                    x: p.x,
                    y: p.y,
                    time: p.time,
                    ...(p.pressure !== undefined ? { pressure: p.pressure } : {}),
                  })),
                  ...(s.penColor ? { penColor: s.penColor } : {}),
                })),
                imagePng: Buffer.from(request.drawing.imagePng).toString('base64'),
              },
            }
          : {}),
      });
      if (!validation.ok)
        throw new InvalidInput(
          'signature',
          validation.violations.map((v) => ({
            field: v.field.replace('typedName', 'typed_name').replace('imagePng', 'image_png'),
            message: v.message,
          })),
        );
      const acceptance = await acceptances.find(caller.principal.subject, ESIGN_DISCLOSURE.version);
      if (!acceptance) throw new NotAllowedNow('accept the electronic records disclosure before signing');
      // The text is what was assigned; its digest must still match what the consent recorded.
      if (sha256Hex(consent.text) !== consent.textSha256) throw new Error('consent text does not match its recorded SHA-256');

      const { signature } = validation;
      const token =
        ctx.metadata
          .get('authorization')[0]
          ?.toString()
          .replace(/^Bearer /i, '') ?? '';
      const evidence: SignatureEvidence = {
        signerUserId: caller.principal.subject,
        signerTypedName: signature.typedName,
        actingFor: { patientId: caller.patientId, relationship: caller.actingAs === 'guardian' ? 'guardian' : 'self' },
        login: loginFromClaims(decodeJwt(token)),
        signedAt: now.toISOString(),
        ipAddress: ctx.sourceIp || 'not known',
        userAgent: request.userAgent.slice(0, 512),
        disclosureVersion: acceptance.version,
        documentSha256: consent.textSha256,
        signatureMethod: signature.method,
      };
      const clinic = await clinicOf(ctx);
      const pdf = Buffer.from(
        await renderSignedConsent({
          clinicName: clinic.name,
          clinicTimeZone: clinic.timeZone,
          title: consent.title,
          templateId: consent.templateId,
          templateVersion: consent.templateVersion,
          text: consent.text,
          typedName: signature.typedName,
          imagePng: signature.drawing?.imagePng ?? null,
          evidence,
        }),
      );
      const objectKey = `clinics/${encodeURIComponent(consent.clinicId)}/patients/${consent.patientId}/consents/${randomUUID()}`;
      await objects.put(objectKey, pdf, PDF_CONTENT_TYPE);
      const signed = signConsent(
        consent,
        {
          typedName: signature.typedName,
          method: signature.method,
          strokes: signature.drawing?.strokes ?? null,
          imagePng: signature.drawing ? Buffer.from(signature.drawing.imagePng) : null,
          evidence,
        },
        { objectKey, sha256: sha256Hex(pdf), sizeBytes: pdf.byteLength },
        now,
      );
      const events = [consentSigned(caller, signed), auditEvent(caller, { ...attempt(action), resourceId: consent.consentId })];
      // Only a consent still unsigned is signed: of two signatures at once one wins, and the PDF of
      // the other is removed with its refusal.
      await keepOrDiscard(objects, objectKey, async () => {
        try {
          await consents.replace(consent, signed, events, { signature: null });
        } catch (error) {
          if (error instanceof VersionConflict) throw new NotAllowedNow('this consent was signed already');
          throw error;
        }
      });
      return { consent: message(signed) };
    },

    async revokeRelease(request, ctx) {
      const action = 'consents.revoke';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      if (caller.actingAs === 'staff') throw new NotPermitted('only the patient or a guardian revokes a release');
      const consent = await findFor(caller, request.consentId);
      const revoked = revokeRelease(consent, caller.principal.subject, clock());
      const events = [consentRevoked(caller, revoked), auditEvent(caller, { ...attempt(action), resourceId: consent.consentId })];
      try {
        await consents.replace(consent, revoked, events);
      } catch (error) {
        if (error instanceof VersionConflict) throw new NotAllowedNow('this release was changed at the same time; read it again');
        throw error;
      }
      return { consent: message(revoked) };
    },

    async *downloadSignedConsent(request, ctx) {
      const action = 'consents.download';
      const caller = await authorisePatient(ctx, request.patientId, attempt(action));
      const consent = await findFor(caller, request.consentId);
      if (!consent.signedPdf) throw new NotAllowedNow('this consent is not signed yet');
      await auditRead(ctx, caller, { ...attempt(action), resourceId: consent.consentId });
      yield* fileParts(objects, {
        objectKey: consent.signedPdf.objectKey,
        fileName: `${consent.templateId}-signed.pdf`,
        contentType: PDF_CONTENT_TYPE,
        sizeBytes: consent.signedPdf.sizeBytes,
        sha256: consent.signedPdf.sha256,
      });
    },

    async verifySignedConsent(request, ctx) {
      const action = 'consents.verify';
      const caller = await authoriseStaff(ctx, attempt(action));
      if (!isSha256Hex(request.sha256))
        throw new InvalidInput('verification', [{ field: 'sha256', message: 'must be a SHA-256 in hex (64 characters)' }]);
      const consent = await consents.bySignedPdf(caller.clinicId, request.sha256.toLowerCase());
      if (!consent) return { genuine: false };
      await ctx.access.audit.record([staffAudit(caller, { ...attempt(action), resourceId: consent.consentId }, consent.patientId)]);
      return {
        genuine: true,
        consentId: consent.consentId,
        patientId: consent.patientId,
        title: consent.title,
        signedAt: timestampFromDate(consent.signedAt!),
      };
    },
  };
}
