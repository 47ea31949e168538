// Pages of a list, the same for every service: a caller asks for up to `page_size` items (50 when
// 0, at most 100) and passes back the opaque token of the previous page; an empty next token
// means the last page.
import { InvalidInput } from '../domain/index.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  pageSize: number;
  pageToken: string;
}

export interface Page {
  offset: number;
  limit: number;
}

/** Where the page starts and how long it is; InvalidInput for a size out of range or a token never given out. */
export function pageOf(request: PageRequest | undefined): Page {
  const pageSize = request?.pageSize ?? 0;
  const pageToken = request?.pageToken ?? '';
  if (pageSize < 0 || pageSize > MAX_PAGE_SIZE)
    throw new InvalidInput('request', [{ field: 'page_size', message: `must be between 0 and ${MAX_PAGE_SIZE}` }]);
  let offset = 0;
  if (pageToken) {
    // Page tokens are opaque to callers; here they are the offset of the next page.
    const decoded = Number(Buffer.from(pageToken, 'base64url').toString('utf8'));
    if (!Number.isSafeInteger(decoded) || decoded < 0)
      throw new InvalidInput('request', [{ field: 'page_token', message: 'is not a token this service gave out' }]);
    offset = decoded;
  }
  return { offset, limit: pageSize || DEFAULT_PAGE_SIZE };
}

/** The token of the page after `page`, or empty when `returned` shows this was the last. */
export const nextPageToken = (page: Page, returned: number): string =>
  returned < page.limit ? '' : Buffer.from(String(page.offset + page.limit), 'utf8').toString('base64url');
