// How one access reads in the clinic's words: "Viewed contacts", "Changed contacts". The trail
// names operations (contacts.list, contacts.update); this maps them to what a person did.
import type { TFunction } from 'i18next';
import type { MessageKey } from '../../app/i18n';

const AREAS: Record<string, MessageKey> = {
  contact: 'accessHistory.areas.contact',
  record_access_history: 'accessHistory.areas.history',
};

/** Reads (a list, one item, the history itself) are "viewed"; anything else changed the record. */
const isRead = (action: string) => /\.(list|get)(_|$)/.test(action);

export function describeAccess(t: TFunction, access: { action: string; resourceType: string }): string {
  const key = AREAS[access.resourceType];
  const area = key ? t(key) : t('accessHistory.areas.record');
  return isRead(access.action) ? t('accessHistory.viewed', { area }) : t('accessHistory.changed', { area });
}
