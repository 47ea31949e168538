// Finds reminders whose time has come (by the service's clock, which tests move) and makes each a
// notice for the delivery job. The notice's id is the reminder's, so a sweep interrupted between
// the two steps and run again makes no second notice; a reminder whose appointment has begun by
// the time it is found (the service was down) is let go instead of arriving late.
import { periodicJob, type PeriodicJob } from '@portico/kit/jobs';
import type { Platform } from '@portico/kit/runtime';
import { dueOutcome } from '../domain/reminder.js';
import type { NotificationRepositories } from '../store/notification-store.js';

const BATCH = 100;

export function reminderSweep(
  { logger, clock }: Pick<Platform, 'logger' | 'clock'>,
  deps: NotificationRepositories & { intervalMs: number; delivery: PeriodicJob },
): PeriodicJob {
  const { notices, reminders } = deps;
  return periodicJob({
    name: 'reminder sweep',
    intervalMs: deps.intervalMs,
    logger,
    async run() {
      const now = clock();
      const due = await reminders.due(now, BATCH);
      for (const reminder of due) {
        const outcome = dueOutcome(reminder, now);
        if (outcome === 'sent')
          await notices.add({
            noticeId: `reminder:${reminder.reminderId}`,
            kind: 'reminder',
            appointmentId: reminder.appointmentId,
            patientId: reminder.patientId,
            clinicId: reminder.clinicId,
            startsAt: reminder.startsAt,
            previousStartsAt: undefined,
            timeZone: reminder.timeZone,
            mode: reminder.mode,
            reminderId: reminder.reminderId,
            createdAt: now,
          });
        await reminders.settle(reminder, outcome, now);
      }
      if (due.length) deps.delivery.wake();
      return due.length === BATCH;
    },
  });
}
