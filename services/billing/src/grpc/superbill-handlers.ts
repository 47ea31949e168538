// Superbills: staff make one from chosen invoice lines with what insurers ask for (refused, listing
// what is missing, when anything is); the patient, their guardian and staff list and download them.
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { SuperbillSchema, type BillingService } from '@portico/contracts/gen/portico/billing/v1/billing_pb';
import { auditEvent } from '@portico/kit/audit';
import { NotFound, requireUuid, VersionConflict } from '@portico/kit/domain';
import type { ServiceHandlers } from '@portico/kit/grpc';
import { auditRead, authorisePatient, authoriseStaffFor, patientScope } from '@portico/kit/requests';
import { buildSuperbill, totalsOfSuperbill, type Superbill } from '../domain/superbill.js';
import { requireIdempotencyKey } from '../payments/checkout.js';
import { superbillPdf } from '../pdf/superbill.js';
import type { SuperbillRepository } from '../store/superbill-store.js';
import { addressLine } from './clinic.js';
import type { BillingHandlerDeps } from './handler-deps.js';
import { moneyMessage } from './messages.js';

type Methods = (typeof BillingService)['method'];
const SUPERBILL = 'superbill';

function superbillMessage(superbill: Superbill) {
  const m = (amount: number) => moneyMessage(amount, superbill.currency);
  const totals = totalsOfSuperbill(superbill);
  return create(SuperbillSchema, {
    superbillId: superbill.superbillId,
    patientId: superbill.patientId,
    createdAt: timestampFromDate(superbill.createdAt),
    firstDateOfService: superbill.lines[0]?.dateOfService ?? '',
    lastDateOfService: superbill.lines.at(-1)?.dateOfService ?? '',
    diagnosisCodes: superbill.diagnosisCodes,
    lines: superbill.lines.map((l) => ({
      dateOfService: l.dateOfService,
      placeOfService: l.placeOfService,
      procedureCode: l.procedureCode,
      modifiers: l.modifiers,
      diagnosisPointers: l.diagnosisPointers,
      units: l.units,
      charge: m(l.chargeMinor),
      paid: m(l.paidMinor),
    })),
    totalCharges: m(totals.chargesMinor),
    totalPaid: m(totals.paidMinor),
  });
}

export function superbillHandlers(
  deps: BillingHandlerDeps & { superbills: SuperbillRepository },
): Pick<ServiceHandlers<Methods>, 'createSuperbill' | 'listSuperbills' | 'getSuperbill'> {
  const { invoices, payments, superbills, clinics, currency, clock } = deps;

  return {
    async createSuperbill(request, ctx) {
      const action = 'billing.create_superbill';
      const caller = await authoriseStaffFor(ctx, request.patientId, { action, resourceType: SUPERBILL });
      const key = request.idempotencyKey ? requireIdempotencyKey(request.idempotencyKey) : randomUUID();
      const first = await superbills.findByKey(caller.patientId, key);
      if (first) return { superbill: superbillMessage(first) };
      const clinic = await clinics(ctx);
      const p = request.parties;
      const parties = {
        clinicName: clinic.name,
        clinicAddress: addressLine(clinic.profile),
        clinicNpi: p?.clinicNpi.trim() ?? '',
        clinicTaxId: p?.clinicTaxId.trim() ?? '',
        providerName: p?.providerName.trim() ?? '',
        providerCredentials: p?.providerCredentials.trim() ?? '',
        providerLicence: p?.providerLicence.trim() ?? '',
        providerNpi: p?.providerNpi.trim() ?? '',
        patientName: p?.patientName.trim() ?? '',
        patientDateOfBirth: p?.patientDateOfBirth.trim() ?? '',
        memberId: p?.memberId.trim() ?? '',
      };
      const scope = patientScope(caller);
      const [all, paid] = await Promise.all([invoices.ofPatient(scope), payments.ofPatient({ patientId: caller.patientId })]);
      const { lines, diagnosisCodes } = buildSuperbill(
        parties,
        request.diagnosisCodes,
        request.lines.map((l) => ({
          invoiceId: l.invoiceId,
          lineIndex: l.lineIndex,
          placeOfService: l.placeOfService.trim(),
          diagnosisPointers: l.diagnosisPointers,
        })),
        all,
        paid,
      );
      const superbill: Superbill = {
        superbillId: randomUUID(),
        patientId: caller.patientId,
        clinicId: caller.principal.clinicId ?? clinic.clinicId,
        currency,
        parties,
        diagnosisCodes,
        lines,
        createdAt: clock(),
        version: 1,
      };
      const events = [auditEvent(caller, { action, resourceType: SUPERBILL, resourceId: superbill.superbillId })];
      if (!(await superbills.insert(superbill, key, events))) {
        const taken = await superbills.findByKey(caller.patientId, key);
        if (!taken) throw new VersionConflict(SUPERBILL);
        return { superbill: superbillMessage(taken) };
      }
      return { superbill: superbillMessage(superbill) };
    },

    async listSuperbills(request, ctx) {
      const action = 'billing.list_superbills';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: SUPERBILL });
      const found = await superbills.ofPatient(patientScope(caller));
      await auditRead(ctx, caller, { action, resourceType: SUPERBILL });
      return { superbills: found.map(superbillMessage) };
    },

    async getSuperbill(request, ctx) {
      const action = 'billing.get_superbill';
      const caller = await authorisePatient(ctx, request.patientId, { action, resourceType: SUPERBILL });
      const superbill = await superbills.find(patientScope(caller), requireUuid(request.superbillId, 'superbill_id'));
      if (!superbill) throw new NotFound('superbill not found');
      const zone = (await invoices.ofPatient({ patientId: caller.patientId }))[0]?.timeZone ?? 'UTC';
      const content = await superbillPdf(superbill, zone);
      await auditRead(ctx, caller, { action, resourceType: SUPERBILL, resourceId: superbill.superbillId });
      return {
        document: { fileName: `superbill-${superbill.createdAt.toISOString().slice(0, 10)}.pdf`, contentType: 'application/pdf', content },
      };
    },
  };
}
