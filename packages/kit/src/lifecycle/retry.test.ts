// Retrying with backoff: how often an operation is tried, and which failures end it at once.
import { describe, expect, it } from 'vitest';
import { withRetry } from './index.js';

describe('withRetry', () => {
  it('tries again only the failures retryIf accepts, up to the attempts allowed', async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      return calls < 3 ? Promise.reject(Object.assign(new Error('not the coordinator'), { retriable: true })) : Promise.resolve('placed');
    };
    const retriable = (error: unknown) => (error as { retriable?: boolean }).retriable === true;
    await expect(withRetry(flaky, { initialMs: 1, retryIf: retriable })).resolves.toBe('placed');
    expect(calls).toBe(3);

    calls = 0;
    const broken = () => {
      calls++;
      return Promise.reject(new Error('no such topic'));
    };
    await expect(withRetry(broken, { initialMs: 1, retryIf: retriable })).rejects.toThrow('no such topic');
    expect(calls).toBe(1);
  });
});
