// Issues each patient's monthly statement once the month has ended in the clinic's zone: a record
// in `statements_issued` whose _id is `<patient id>:<YYYY-MM>` carries the StatementIssued event
// (outbox), so a second round, a restart or another replica finds it there and issues nothing
// more. The statement itself stays derived from the ledger when it is read (decision 11); the
// record only says that it was issued and with which totals. Only the month just ended is issued:
// a new deployment does not send a patient every past month.
//
// A month with no entries and nothing owed sends nothing, and is recorded all the same (`sent:
// false`, no event): the round runs hourly, and most patients of a clinic have such months, so
// a round reads the records of the months that can just have ended once and then, per patient,
// only the newest invoice (for the clinic's zone); a ledger is read only for a month not yet
// decided.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { StatementIssuedSchema } from '@portico/contracts/gen/portico/events/billing/v1/statement_events_pb';
import type { Clock } from '@portico/kit/domain';
import { outboxEvent, withOutbox, type OutboxEntry } from '@portico/kit/eventing';
import { exponentialBackoff, periodicJob } from '@portico/kit/jobs';
import { mongoose, type Connection } from '@portico/kit/mongo';
import { isDuplicateKey, type Store } from '@portico/kit/store';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { ledgerEntries, statementFor, type Statement } from '../domain/statement.js';
import { BILLING_TOPIC } from '../events/billing-events.js';
import { statementMessage } from '../grpc/messages.js';
import type { InvoiceRepository, PaymentRepository } from '../store/repositories.js';

export const STATEMENTS_ISSUED_COLLECTION = 'statements_issued';

interface IssuedStatementDocument {
  _id: string;
  patientId: string;
  clinicId: string;
  month: string;
  newBalanceMinor: number;
  /** False for a month that had nothing to send: decided, so later rounds skip it. */
  sent: boolean;
  issuedAt: Date;
  outbox: OutboxEntry[];
}

const issuedSchema = new mongoose.Schema<IssuedStatementDocument>(
  {
    _id: { type: String, required: true },
    patientId: { type: String, required: true },
    clinicId: { type: String, required: true },
    month: { type: String, required: true },
    newBalanceMinor: { type: Number, required: true },
    sent: { type: Boolean, required: true },
    issuedAt: { type: Date, required: true },
  },
  { collection: STATEMENTS_ISSUED_COLLECTION, versionKey: false },
);
// Each round asks for the months that can just have ended: without it, a scan of every month kept.
issuedSchema.index({ month: 1 });
issuedSchema.plugin(withOutbox);

const issuedModel = (connection: Connection) =>
  (connection.models.IssuedStatement as mongoose.Model<IssuedStatementDocument> | undefined) ??
  connection.model<IssuedStatementDocument>('IssuedStatement', issuedSchema);

export function statementIssued(patientId: string, clinicId: string, currency: string, statement: Statement, at: Date): OutboxEntry {
  const event = create(StatementIssuedSchema, {
    statementId: `${patientId}:${statement.month}`,
    patientId,
    clinicId,
    ...statementMessage(statement, currency),
    occurredAt: timestampFromDate(at),
  });
  return outboxEvent(StatementIssuedSchema, event, { topic: BILLING_TOPIC, key: patientId, occurredAt: at });
}

/** The month (YYYY-MM) that has just ended at `now` in `zone`: the one a round issues there. */
const monthJustEnded = (now: Date, zone: string) => DateTime.fromJSDate(now, { zone }).minus({ months: 1 }).toFormat('yyyy-MM');

/**
 * The months that can have just ended somewhere at `now`: zones run from 12 hours behind UTC to 14
 * ahead, so the month just ended in any of them is the one in either end's (one or two).
 */
export function monthsJustEnded(now: Date): string[] {
  return [...new Set(['Etc/GMT+12', 'Etc/GMT-14'].map((zone) => monthJustEnded(now, zone)))];
}

export interface StatementIssuerDeps {
  store: Store;
  invoices: InvoiceRepository;
  payments: PaymentRepository;
  currency: string;
  clock: Clock;
  logger: Logger;
}

export function statementIssuer(deps: StatementIssuerDeps) {
  const { invoices, payments, currency, clock } = deps;
  const issued = issuedModel(deps.store.connection);

  /** One round: issues the month just ended for every patient who has a ledger. Resolves to how many were issued. */
  async function issueEndedMonth(): Promise<number> {
    const now = clock();
    const decided = new Set((await issued.find({ month: { $in: monthsJustEnded(now) } }, { _id: 1 }).lean()).map((record) => record._id));
    let count = 0;
    for (const patientId of (await invoices.patientIds()).sort()) {
      // The clinic's zone and id as of the patient's latest invoice.
      const latest = await invoices.latestOf(patientId);
      if (!latest) continue;
      const month = monthJustEnded(now, latest.timeZone);
      const id = `${patientId}:${month}`;
      if (decided.has(id)) continue;
      const [ledger, paid] = await Promise.all([invoices.ofPatient({ patientId }), payments.ofPatient({ patientId })]);
      const statement = statementFor(month, latest.timeZone, ledgerEntries(ledger, paid));
      // Nothing happened and nothing is owed: no statement to send.
      const sent = statement.entries.length > 0 || statement.newBalanceMinor !== 0;
      try {
        await issued.create({
          _id: id,
          patientId,
          clinicId: latest.clinicId,
          month,
          newBalanceMinor: statement.newBalanceMinor,
          sent,
          issuedAt: now,
          outbox: sent ? [statementIssued(patientId, latest.clinicId, currency, statement, now)] : [],
        });
        if (!sent) continue;
        deps.store.outbox.nudge(issued.collection.collectionName);
        count++;
      } catch (error) {
        // Another replica decided it first.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return count;
  }

  return { issueEndedMonth };
}

export type StatementIssuer = ReturnType<typeof statementIssuer>;

export const statementIssuerJob = (issuer: StatementIssuer, intervalMs: number, logger: Logger) =>
  periodicJob({
    name: 'statement issuer',
    intervalMs,
    logger,
    run: () => issuer.issueEndedMonth(),
    backoffMs: exponentialBackoff(intervalMs, 10 * intervalMs),
  });
