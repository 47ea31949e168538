// The notifications service's database: its repositories, ready to use.
import type { Store } from '@portico/kit/store';
import { NoticeRepository } from './notice-repository.js';
import { ReminderRepository } from './reminder-repository.js';
import { SettingsRepository } from './settings-repository.js';

export async function notificationRepositories(store: Store) {
  const [notices, reminders, settings] = await Promise.all([
    new NoticeRepository(store).init(),
    new ReminderRepository(store).init(),
    new SettingsRepository(store).init(),
  ]);
  return { notices, reminders, settings };
}

export type NotificationRepositories = Awaited<ReturnType<typeof notificationRepositories>>;
