// Pages of a patient's history, newest first. The history grows while someone reads it (reading
// it is itself audited), so a page starts after the last entry of the previous one rather than at
// an offset: an offset would shift with every new entry and show entries twice.
import { InvalidInput } from '@portico/kit/domain';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageRequest } from '@portico/kit/paging';

/** Where a page starts: after the entry at `occurredAt` with id `eventId`; the first page has none. */
export interface HistoryPage {
  after?: { occurredAt: Date; eventId: string };
  limit: number;
}

const badToken = () => new InvalidInput('request', [{ field: 'page_token', message: 'is not a token this service gave out' }]);

export function historyPageOf(request: PageRequest | undefined): HistoryPage {
  const pageSize = request?.pageSize ?? 0;
  if (pageSize < 0 || pageSize > MAX_PAGE_SIZE)
    throw new InvalidInput('request', [{ field: 'page_size', message: `must be between 0 and ${MAX_PAGE_SIZE}` }]);
  const limit = pageSize || DEFAULT_PAGE_SIZE;
  if (!request?.pageToken) return { limit };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(request.pageToken, 'base64url').toString('utf8'));
  } catch {
    throw badToken();
  }
  const [millis, eventId] = Array.isArray(decoded) ? decoded : [];
  if (!Number.isSafeInteger(millis) || typeof eventId !== 'string' || !eventId) throw badToken();
  return { after: { occurredAt: new Date(millis as number), eventId }, limit };
}

/** The token of the page after `entries`, or empty when they were the last. */
export function nextHistoryToken(page: HistoryPage, entries: { occurredAt: Date; eventId: string }[]): string {
  const last = entries.at(-1);
  if (!last || entries.length < page.limit) return '';
  return Buffer.from(JSON.stringify([last.occurredAt.getTime(), last.eventId]), 'utf8').toString('base64url');
}
