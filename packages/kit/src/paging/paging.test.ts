import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../domain/index.js';
import { nextPageToken, pageOf } from './index.js';

describe('pages of a list', () => {
  it('start at the beginning with 50 items, and the next token leads on until a short page', () => {
    const first = pageOf(undefined);
    expect(first).toEqual({ offset: 0, limit: 50 });
    const token = nextPageToken({ offset: 0, limit: 2 }, 2);
    expect(pageOf({ pageSize: 2, pageToken: token })).toEqual({ offset: 2, limit: 2 });
    expect(nextPageToken({ offset: 2, limit: 2 }, 1)).toBe('');
  });

  it('refuse sizes out of range and tokens never given out', () => {
    expect(() => pageOf({ pageSize: 101, pageToken: '' })).toThrow(InvalidInput);
    expect(() => pageOf({ pageSize: 10, pageToken: 'bm90LWEtbnVtYmVy' })).toThrow(InvalidInput);
  });
});
