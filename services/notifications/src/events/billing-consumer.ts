// Turns the billing topic's facts into the patient's billing emails: a payment received into a
// receipt notice, a statement issued into a statement-ready notice, each with its amount only.
// The event's id is the notice's id, so a redelivery adds nothing; the delivery job sends.
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { PaymentReceivedSchema } from '@portico/contracts/gen/portico/events/billing/v1/billing_events_pb';
import { StatementIssuedSchema } from '@portico/contracts/gen/portico/events/billing/v1/statement_events_pb';
import type { Money } from '@portico/contracts/gen/portico/common/v1/money_pb';
import { UUID_PATTERN } from '@portico/kit/domain';
import { EventConsumer, on, PoisonMessageError, type ConsumerStart, type ReceivedEvent } from '@portico/kit/eventing';
import type { PeriodicJob } from '@portico/kit/jobs';
import type { Platform } from '@portico/kit/runtime';
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import type { NoticeKind } from '../domain/appointment-notice.js';
import type { NotificationRepositories } from '../store/notification-store.js';

export const BILLING_TOPIC = 'portico.billing.v1';
/**
 * A fact older than this is not emailed: a consumer group reading the topic from its start (a new
 * deployment of this consumer) would otherwise send a receipt for every payment ever made.
 */
export const BILLING_NEWS_FOR_MS = 7 * 24 * 60 * 60_000;

export function billingConsumer(
  { kafka, connection, logger, clock }: Pick<Platform, 'kafka' | 'connection' | 'logger' | 'clock'>,
  deps: Pick<NotificationRepositories, 'notices'> & { groupId: string; start: ConsumerStart; delivery: PeriodicJob },
): EventConsumer {
  async function notice(
    kind: NoticeKind,
    fact: {
      itemId: string;
      patientId: string;
      clinicId: string;
      occurredAt?: Timestamp | undefined;
      money: Money | undefined;
      month: string;
    },
    envelope: ReceivedEvent,
  ) {
    const amountMinor = Number(fact.money?.amountMinor ?? 0n);
    if (!UUID_PATTERN.test(fact.patientId) || !fact.itemId || !fact.money?.currencyCode || !Number.isSafeInteger(amountMinor))
      throw new PoisonMessageError(`${kind} event without patient, item or amount`);
    const occurredAt = fact.occurredAt ? timestampDate(fact.occurredAt) : envelope.time;
    if (clock().getTime() - occurredAt.getTime() > BILLING_NEWS_FOR_MS) {
      logger.info({ kind, eventId: envelope.id }, 'billing fact too old to email');
      return;
    }
    await deps.notices.add({
      noticeId: envelope.id,
      kind,
      appointmentId: fact.itemId,
      patientId: fact.patientId.toLowerCase(),
      clinicId: fact.clinicId,
      startsAt: occurredAt,
      previousStartsAt: undefined,
      timeZone: '',
      mode: 'unspecified',
      reminderId: undefined,
      createdAt: clock(),
      money: { amountMinor, currency: fact.money.currencyCode },
      ...(fact.month ? { month: fact.month } : {}),
    });
    deps.delivery.wake();
  }

  return new EventConsumer({
    kafka,
    connection,
    logger,
    // Its own group: the billing topic is read apart from the others.
    groupId: `${deps.groupId}-billing`,
    startAt: deps.start,
    topics: [BILLING_TOPIC],
    handlers: [
      on(PaymentReceivedSchema, (event, envelope) =>
        notice('payment_receipt', { ...event, itemId: event.paymentId, money: event.amount, month: '' }, envelope),
      ),
      on(StatementIssuedSchema, (event, envelope) =>
        notice('statement_ready', { ...event, itemId: event.statementId, money: event.newBalance, month: event.month }, envelope),
      ),
    ],
  });
}
