// Group commit without servers: what is handed in while a write is in flight goes together in the
// next write, every caller waits for its own write, and a failed write fails only its own callers.
import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

/** A write the test finishes by hand, recording what each write carried. */
function controlledWrites() {
  const writes: { items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) => writes.push({ items, finish: (error) => (error ? reject(error) : resolve()) }));
  return { writes, write };
}

const settled = async (promise: Promise<unknown>) => {
  let state = 'pending';
  promise.then(
    () => (state = 'stored'),
    () => (state = 'failed'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('group commit', () => {
  it('writes at once when idle, and what arrives meanwhile together in the next write', async () => {
    const { writes, write } = controlledWrites();
    const record = groupCommit(write);
    const first = record([1]);
    expect(writes.map((w) => w.items)).toEqual([[1]]);
    const later = [record([2]), record([3, 4]), record([5])];
    // Nothing of the later ones is acknowledged before it is stored.
    expect(await settled(later[0]!)).toBe('pending');
    writes[0]!.finish();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4, 5]]);
    expect(await settled(later[2]!)).toBe('pending');
    writes[1]!.finish();
    await Promise.all(later);
  });

  it('fails only the callers whose write failed, and goes on with the next', async () => {
    const { writes, write } = controlledWrites();
    const record = groupCommit(write);
    const first = record([1]);
    const second = record([2]);
    writes[0]!.finish(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await new Promise((r) => setImmediate(r));
    writes[1]!.finish();
    await expect(second).resolves.toBeUndefined();
  });

  it('keeps each write within the most items it may carry', async () => {
    const { writes, write } = controlledWrites();
    const record = groupCommit(write, { maxItems: 3 });
    const all = [record([1]), record([2, 3]), record([4, 5]), record([6])];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      writes[i]!.finish();
    }
    await Promise.all(all);
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3], [4, 5, 6]]);
  });
});
