// Good Faith Estimates (EstimatesService): staff issue and reissue them; the patient, their
// guardian and staff read them (with the $400 notice when billed charges went over) and download
// the PDF; the patient or guardian approves or declines the current version with an electronic
// signature, once. Every read and change is audited; issue, decision and the $400 notice publish
// their facts with the change that made them (outbox).
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Metadata } from '@grpc/grpc-js';
import {
  EstimateDecisionKind,
  EstimateDecisionKindSchema,
  EstimateSchema,
  EstimateStatusSchema,
  type EstimateStatus as EstimateStatusProto,
  type EstimatesService,
} from '@portico/contracts/gen/portico/billing/v1/estimates_pb';
import { auditEvent } from '@portico/kit/audit';
import { InvalidInput, NotFound, NotPermitted, requireUuid, VersionConflict } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { auditRead, authenticate, authorisePatient, authoriseStaffFor, patientScope, type Caller } from '@portico/kit/requests';
import {
  disclosureText,
  ESIGN_DISCLOSURE,
  loginFromClaims,
  signatureEvidenceSchema,
  validateSignatureSubmission,
} from '@portico/kit/signatures';
import { enumMapping } from '@portico/kit/vocabulary';
import {
  checkDecision,
  contentSha256,
  currentVersion,
  decisionOn,
  DISCLAIMERS,
  DISPUTE_INSTRUCTIONS,
  exceededNotices,
  INTENT_STATEMENTS,
  providerTotals,
  statusOfEstimate,
  unrecordedNotices,
  validateEstimate,
  type DecisionKind,
  type Estimate,
  type EstimateStatus,
  type EstimateVersion,
} from '../domain/estimate.js';
import type { Invoice, InvoiceLine } from '../domain/ledger.js';
import { todayIn } from '../domain/ledger.js';
import { estimateDecided, estimateExceeded, estimateIssued } from '../events/estimate-events.js';
import { requireIdempotencyKey } from '../payments/checkout.js';
import { estimatePdf } from '../pdf/estimate.js';
import type { EstimateRepository } from '../store/estimate-store.js';
import type { LedgerLock } from '../store/ledger-lock.js';
import type { InvoiceRepository } from '../store/repositories.js';
import type { Clock } from '@portico/kit/domain';
import type { ClinicDirectory } from './clinic.js';
import { moneyMessage } from './messages.js';

type Methods = (typeof EstimatesService)['method'];
const ESTIMATE = 'estimate';

const estimateStatuses = enumMapping<EstimateStatus, EstimateStatusProto>(EstimateStatusSchema, [
  'awaiting_decision',
  'approved',
  'declined',
]);
const decisionKinds = enumMapping<DecisionKind, EstimateDecisionKind>(EstimateDecisionKindSchema, ['approve', 'decline']);

export interface EstimateDeps {
  estimates: EstimateRepository;
  invoices: InvoiceRepository;
  ledgerLock: LedgerLock;
  clinics: ClinicDirectory;
  currency: string;
  clock: Clock;
}

/** What issuing an invoice asks of estimates: that lines name the patient's estimates, and the $400 rule after. */
export interface EstimateLinks {
  checkLines(patientId: string, lines: InvoiceLine[]): Promise<void>;
  invoiceIssued(invoice: Invoice): Promise<void>;
}

export function estimateMessage(estimate: Estimate, invoices: Invoice[]) {
  const v = currentVersion(estimate);
  const m = (amount: number) => moneyMessage(amount, estimate.currency);
  const decision = decisionOn(estimate, v.version);
  return create(EstimateSchema, {
    estimateId: estimate.estimateId,
    patientId: estimate.patientId,
    clinicId: estimate.clinicId,
    version: v.version,
    issuedAt: timestampFromDate(v.issuedAt),
    clinicName: estimate.clinicName,
    patientName: v.patientName,
    patientDateOfBirth: v.patientDateOfBirth,
    primaryService: v.primaryService,
    primaryServiceDate: v.primaryServiceDate,
    providers: v.providers,
    items: v.items.map((i) => ({
      providerNpi: i.providerNpi,
      serviceCode: i.serviceCode,
      modifiers: i.modifiers,
      description: i.description,
      diagnosisCodes: i.diagnosisCodes,
      units: i.units,
      unitCharge: m(i.unitChargeMinor),
      charge: m(i.chargeMinor),
    })),
    providerTotals: providerTotals(estimate, invoices).map((t) => ({
      providerNpi: t.providerNpi,
      estimated: m(t.estimatedMinor),
      billed: m(t.billedMinor),
    })),
    total: m(v.totalMinor),
    disclaimers: v.disclaimers,
    disputeInstructions: v.disputeInstructions,
    contentSha256: v.contentSha256,
    status: estimateStatuses.toProto(statusOfEstimate(estimate)),
    ...(decision
      ? {
          decision: {
            kind: decisionKinds.toProto(decision.kind),
            version: decision.version,
            decidedAt: timestampFromDate(new Date(decision.evidence.signedAt)),
            typedName: decision.evidence.signerTypedName,
            intentStatement: decision.intentStatement,
            actingAs: decision.evidence.actingFor.relationship === 'self' ? 'patient' : 'guardian',
            disclosureVersion: decision.evidence.disclosureVersion,
            signedContentSha256: decision.evidence.documentSha256,
          },
        }
      : {}),
    exceeded: exceededNotices(estimate, invoices).map((n) => ({
      providerNpi: n.providerNpi,
      estimated: m(n.estimatedMinor),
      billed: m(n.billedMinor),
      excess: m(n.billedMinor - n.estimatedMinor),
      billDate: n.billDate,
      disputeDeadline: n.disputeDeadline,
      invoiceIds: n.invoiceIds,
    })),
  });
}

export function estimateHandlers(deps: EstimateDeps): { handlers: ServiceHandlers<Methods>; links: EstimateLinks } {
  const { estimates, invoices, ledgerLock, clinics, currency, clock } = deps;

  /**
   * Records (and publishes, once) each notice of the $400 rule not recorded yet. Another writer
   * changing the estimate meanwhile is no loss: the next issue or read records it then.
   */
  async function recordExceeded(estimate: Estimate, all: Invoice[]): Promise<Estimate> {
    const fresh = unrecordedNotices(estimate, exceededNotices(estimate, all));
    if (fresh.length === 0) return estimate;
    const now = clock();
    const next = { ...estimate, exceeded: [...estimate.exceeded, ...fresh], version: estimate.version + 1, updatedAt: now };
    try {
      return await estimates.replace(
        estimate,
        next,
        fresh.map((n) => estimateExceeded(estimate, n, now)),
      );
    } catch (error) {
      if (error instanceof VersionConflict) return estimate;
      throw error;
    }
  }

  async function load(caller: Caller, estimateId: string) {
    const estimate = await estimates.find(patientScope(caller), requireUuid(estimateId, 'estimate_id'));
    if (!estimate) throw new NotFound('estimate not found');
    return estimate;
  }

  const ledgerOf = (patientId: string) => invoices.ofPatient({ patientId });

  const links: EstimateLinks = {
    // A line counts toward an estimate's provider only through the provider's NPI: a line naming
    // an estimate and another NPI would count toward nobody, and the $400 rule would miss it.
    async checkLines(patientId, lines) {
      const named = [...new Set(lines.map((l) => l.estimateId).filter((id): id is string => !!id))];
      const violations: { field: string; message: string }[] = [];
      for (const estimateId of named) {
        const estimate = await estimates.find({ patientId }, estimateId);
        const providers = estimate ? currentVersion(estimate).providers.map((p) => p.npi) : [];
        lines.forEach((line, at) => {
          if (line.estimateId !== estimateId) return;
          if (!estimate) violations.push({ field: `lines[${at}].estimate_id`, message: 'names no estimate of this patient' });
          else if (!line.renderingProviderNpi)
            violations.push({ field: `lines[${at}].rendering_provider_npi`, message: 'is required with an estimate id' });
          else if (!providers.includes(line.renderingProviderNpi))
            violations.push({ field: `lines[${at}].rendering_provider_npi`, message: 'is not one of the estimate’s providers' });
        });
      }
      if (violations.length) throw new InvalidInput('invoice', violations);
    },
    async invoiceIssued(invoice) {
      const named = [...new Set(invoice.lines.map((l) => l.estimateId).filter((id): id is string => !!id))];
      if (named.length === 0) return;
      const all = await ledgerOf(invoice.patientId);
      for (const estimateId of named) {
        const estimate = await estimates.find({ patientId: invoice.patientId }, estimateId);
        if (estimate) await recordExceeded(estimate, all);
      }
    },
  };

  const handlers: ServiceHandlers<Methods> = {
    async issueEstimate(request, ctx) {
      const action = 'billing.issue_estimate';
      const caller = await authoriseStaffFor(ctx, request.patientId, { action, resourceType: ESTIMATE });
      const key = request.idempotencyKey ? requireIdempotencyKey(request.idempotencyKey) : randomUUID();
      const reissueOf = request.estimateId ? requireUuid(request.estimateId, 'estimate_id') : '';
      const clinic = await clinics(ctx as { metadata: Metadata });
      const now = clock();
      const content = validateEstimate(
        {
          patientName: request.patientName,
          patientDateOfBirth: request.patientDateOfBirth.trim(),
          primaryService: request.primaryService,
          primaryServiceDate: request.primaryServiceDate.trim(),
          providers: request.providers.map((p) => ({
            name: p.name,
            npi: p.npi.trim(),
            taxId: p.taxId.trim(),
            location: {
              line1: p.location?.line1 ?? '',
              line2: p.location?.line2.trim() ?? '',
              city: p.location?.city ?? '',
              region: p.location?.region.trim() ?? '',
              postalCode: p.location?.postalCode.trim() ?? '',
              countryCode: (p.location?.countryCode ?? '').trim().toUpperCase(),
            },
          })),
          items: request.items.map((i) => ({
            providerNpi: i.providerNpi.trim(),
            serviceCode: i.serviceCode,
            modifiers: i.modifiers,
            description: i.description,
            diagnosisCodes: i.diagnosisCodes,
            units: i.units,
            unitChargeMinor: Number(i.unitCharge?.amountMinor ?? 0n),
            currency: i.unitCharge?.currencyCode ?? '',
          })),
        },
        { currency, today: todayIn(now, clinic.timeZone) },
      );
      const versionOf = (estimateId: string, version: number): EstimateVersion => {
        const fields = { version, issuedAt: now, ...content, disclaimers: [...DISCLAIMERS], disputeInstructions: DISPUTE_INSTRUCTIONS };
        return {
          ...fields,
          issuedBy: caller.principal.subject,
          idempotencyKey: key,
          contentSha256: contentSha256(estimateId, currency, fields),
        };
      };
      const audit = (estimateId: string) => auditEvent(caller, { action, resourceType: ESTIMATE, resourceId: estimateId });
      const issued = await ledgerLock(caller.patientId, async () => {
        if (!reissueOf) {
          const first = await estimates.findByKey(caller.patientId, key);
          if (first) return first;
          const estimateId = randomUUID();
          const estimate: Estimate = {
            estimateId,
            patientId: caller.patientId,
            clinicId: caller.principal.clinicId ?? clinic.clinicId,
            clinicName: clinic.name,
            timeZone: clinic.timeZone,
            currency,
            versions: [versionOf(estimateId, 1)],
            decisions: [],
            exceeded: [],
            version: 1,
            createdAt: now,
            updatedAt: now,
          };
          if (!(await estimates.insert(estimate, key, [estimateIssued(caller, estimate, now), audit(estimateId)])))
            throw new VersionConflict(ESTIMATE);
          return estimate;
        }
        const current = await load(caller, reissueOf);
        if (current.versions.some((v) => v.idempotencyKey === key)) return current;
        const next: Estimate = {
          ...current,
          clinicName: clinic.name,
          versions: [...current.versions, versionOf(current.estimateId, currentVersion(current).version + 1)],
          version: current.version + 1,
          updatedAt: now,
        };
        return estimates.replace(current, next, [estimateIssued(caller, next, now), audit(current.estimateId)]);
      });
      const all = await ledgerOf(caller.patientId);
      return { estimate: estimateMessage(await recordExceeded(issued, all), all) };
    },

    async listEstimates(request, ctx) {
      const action = 'billing.list_estimates';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: ESTIMATE });
      const [found, all] = await Promise.all([estimates.ofPatient(patientScope(caller)), ledgerOf(caller.patientId)]);
      const shown = await Promise.all(found.map((e) => recordExceeded(e, all)));
      await auditRead(ctx, caller, { action, resourceType: ESTIMATE });
      return { estimates: shown.map((e) => estimateMessage(e, all)) };
    },

    async getEstimate(request, ctx) {
      const action = 'billing.get_estimate';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: ESTIMATE });
      const all = await ledgerOf(caller.patientId);
      const estimate = await recordExceeded(await load(caller, request.estimateId), all);
      await auditRead(ctx, caller, { action, resourceType: ESTIMATE, resourceId: estimate.estimateId });
      return { estimate: estimateMessage(estimate, all) };
    },

    async getEstimatePdf(request, ctx) {
      const action = 'billing.get_estimate_pdf';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: ESTIMATE });
      const estimate = await load(caller, request.estimateId);
      const content = await estimatePdf(estimate, exceededNotices(estimate, await ledgerOf(caller.patientId)));
      await auditRead(ctx, caller, { action, resourceType: ESTIMATE, resourceId: estimate.estimateId });
      const v = currentVersion(estimate);
      return {
        document: {
          fileName: `good-faith-estimate-${v.primaryServiceDate}-v${v.version}.pdf`,
          contentType: 'application/pdf',
          content,
        },
      };
    },

    async getSigningDisclosure(_request, ctx) {
      await authenticate(ctx);
      return { version: ESIGN_DISCLOSURE.version, text: disclosureText() };
    },

    async decideEstimate(request, ctx) {
      const action = 'billing.decide_estimate';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: ESTIMATE });
      // The signature is the patient's (or their guardian's) own act; staff cannot give it for them.
      if (caller.actingAs === 'staff') {
        await ctx.access.audit.record([auditEvent(caller, { action, resourceType: ESTIMATE, denied: true })]);
        throw new NotPermitted('only the patient or their guardian approves or declines an estimate');
      }
      const kind = decisionKinds.fromProto(request.decision);
      if (!kind) throw new InvalidInput('request', [{ field: 'decision', message: 'must be approve or decline' }]);
      const signature = request.signature;
      const typed = await validateSignatureSubmission({ typedName: signature?.typedName ?? '' });
      if (!typed.ok)
        throw new InvalidInput(
          'signature',
          typed.violations.map(() => ({ field: 'signature.typed_name', message: 'type your full name to sign' })),
        );
      const estimateId = requireUuid(request.estimateId, 'estimate_id');
      const decided = await ledgerLock(caller.patientId, async () => {
        const current = await load(caller, estimateId);
        checkDecision(
          current,
          {
            version: request.version,
            kind,
            intentStatement: signature?.intentStatement ?? '',
            disclosureVersion: signature?.disclosureVersion ?? '',
            disclosureAccepted: signature?.disclosureAccepted ?? false,
          },
          ESIGN_DISCLOSURE.version,
        );
        const now = clock();
        const evidence = signatureEvidenceSchema.parse({
          signerUserId: caller.principal.subject,
          signerTypedName: typed.signature.typedName,
          actingFor: { patientId: caller.patientId, relationship: caller.actingAs === 'guardian' ? 'guardian' : 'self' },
          login: loginFromClaims({}),
          signedAt: now.toISOString(),
          ipAddress: ctx.sourceIp || 'not known',
          userAgent: request.userAgent.slice(0, 512),
          disclosureVersion: ESIGN_DISCLOSURE.version,
          documentSha256: currentVersion(current).contentSha256,
          signatureMethod: typed.signature.method,
        });
        const next: Estimate = {
          ...current,
          decisions: [...current.decisions, { kind, version: request.version, intentStatement: INTENT_STATEMENTS[kind], evidence }],
          version: current.version + 1,
          updatedAt: now,
        };
        return estimates.replace(current, next, [
          estimateDecided(caller, next, kind, now),
          auditEvent(caller, { action, resourceType: ESTIMATE, resourceId: estimateId }),
        ]);
      });
      return { estimate: estimateMessage(decided, await ledgerOf(caller.patientId)) };
    },
  };
  return { handlers, links };
}
