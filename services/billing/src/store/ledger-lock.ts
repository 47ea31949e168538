// One change of a patient's ledger at a time, across every replica of the billing service.
// Deciding a payment reads the whole ledger (the balance, what each invoice owes) and then writes
// one entry; FerretDB has no multi-document transactions, so that read-decide-write is made one
// step per patient by a lease: a document in `ledger_leases` whose _id is the patient id, inserted
// by whoever holds it (the unique _id refuses a second holder) and deleted when done. A holder that
// died leaves a lease that expires; the next writer takes it over. Within one process, changes
// also queue on the kit's document lock, so a replica asks the database once at a time.
import { randomUUID } from 'node:crypto';
import { DependencyUnavailable } from '@portico/kit/domain';
import { sleep } from '@portico/kit/lifecycle';
import { withDocumentLock, type Connection } from '@portico/kit/mongo';
import { isDuplicateKey } from '@portico/kit/store';

export const LEDGER_LEASES = 'ledger_leases';

export type LedgerLock = <T>(patientId: string, change: () => Promise<T>) => Promise<T>;

interface LeaseDocument {
  _id: string;
  holder: string;
  expiresAt: Date;
}

/**
 * `leaseMs` must outlast the longest change (a processor call and its write); a change that
 * waits longer than twice that for the lease is refused as UNAVAILABLE, to be retried.
 */
export function ledgerLockOf(connection: Connection, leaseMs: number): LedgerLock {
  const leases = connection.collection<LeaseDocument>(LEDGER_LEASES);

  async function acquire(patientId: string): Promise<string> {
    const holder = randomUUID();
    const giveUpAt = Date.now() + 2 * leaseMs;
    for (let attempt = 0; ; attempt++) {
      const expiresAt = new Date(Date.now() + leaseMs);
      try {
        await leases.insertOne({ _id: patientId, holder, expiresAt });
        return holder;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      // Held by someone: take it over only if it has expired (its holder is gone).
      const taken = await leases.findOneAndUpdate({ _id: patientId, expiresAt: { $lt: new Date() } }, { $set: { holder, expiresAt } });
      if (taken) return holder;
      if (Date.now() > giveUpAt) throw new DependencyUnavailable('the patient’s billing is being changed; try again');
      await sleep(Math.min(25 * 2 ** attempt, 250));
    }
  }

  return (patientId, change) =>
    withDocumentLock(LEDGER_LEASES, patientId, async () => {
      const holder = await acquire(patientId);
      try {
        return await change();
      } finally {
        await leases.deleteOne({ _id: patientId, holder });
      }
    });
}
