// Writes to one document, one at a time, within this process. MongoDB applies each update to a
// document atomically, but FerretDB on SQLite (the local MongoDB-compatible server) does not: two
// concurrent updates of one document can lose one of them (measured: 100 concurrent $inc left the
// counter at 19). The outbox relay and a service both write the documents that carry events, so
// every such write goes through here. On MongoDB it only costs a queue per document.
const tails = new Map<string, Promise<unknown>>();

export async function withDocumentLock<T>(collection: string, id: unknown, write: () => Promise<T>): Promise<T> {
  const key = `${collection}/${String(id)}`;
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(write, write);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    // Forget the document once nothing is queued behind this write.
    if (tails.get(key) === tail) tails.delete(key);
  }
}
