import { describe, expect, it } from 'vitest';
import { withDocumentLock } from './document-locks.js';

describe('writes to one document', () => {
  it('run one at a time, in order, while other documents go on in parallel', async () => {
    const log: string[] = [];
    const write = (doc: string, label: string, ms: number) =>
      withDocumentLock('contacts', doc, async () => {
        log.push(`${label} start`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${label} end`);
        return label;
      });
    const results = await Promise.all([write('a', 'a1', 30), write('a', 'a2', 1), write('b', 'b1', 5)]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it('go on after a write that failed', async () => {
    await expect(withDocumentLock('contacts', 'c', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withDocumentLock('contacts', 'c', async () => 'next')).toBe('next');
  });
});
