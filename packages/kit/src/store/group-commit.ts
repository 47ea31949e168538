// Group commit: many callers' small writes become few larger ones. While one write is in flight,
// what others hand in waits and then goes in the next write, together; each caller's promise
// settles when the write that carried its items did. Nothing is acknowledged before it is stored,
// so a caller that answers after `await` has lost nothing, and under load the database sees one
// insert per round instead of one per request (the audit of every read, DESIGN rule 10).

export interface GroupCommitOptions {
  /** Most items one write carries; more wait for the next write. */
  maxItems?: number;
}

interface Batch<T> {
  items: T[];
  callers: { resolve: () => void; reject: (error: unknown) => void }[];
}

/** A function that stores `items` as part of the next write and resolves once that write is done. */
export function groupCommit<T>(write: (items: T[]) => Promise<void>, options: GroupCommitOptions = {}): (items: T[]) => Promise<void> {
  const maxItems = options.maxItems ?? 500;
  const queue: Batch<T>[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    try {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        try {
          await write(batch.items);
          for (const caller of batch.callers) caller.resolve();
        } catch (error) {
          // Only the callers whose items were in the failed write learn of it; the next batch goes on.
          for (const caller of batch.callers) caller.reject(error);
        }
      }
    } finally {
      writing = false;
    }
  }

  return (items) => {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const last = queue.at(-1);
      if (last && last.items.length + items.length <= maxItems) {
        last.items.push(...items);
        last.callers.push({ resolve, reject });
      } else queue.push({ items: [...items], callers: [{ resolve, reject }] });
      if (!writing) void drain();
    });
  };
}
