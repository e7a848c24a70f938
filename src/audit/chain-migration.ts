import type { Db } from 'mongodb';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { entryHash } from './canonical.js';
import { advanceHead, AUDIT_COLLECTION, ensureChain, findHead, type ChainHead } from './chain.js';

/**
 * Gives every entry written before the chain existed its place, in the order they were written (`at`, then
 * `_id`), after the current head. Each entry is updated only while it still has no `seq`, and the walk goes on
 * from the stored head, so a run killed half-way is finished by the next one and a finished run does nothing.
 */
export async function chainUnchainedEntries(db: Db): Promise<number> {
  await ensureChain(db);
  const log = db.collection(AUDIT_COLLECTION);
  let head: ChainHead = await findHead(db);
  let chained = 0;
  for await (const doc of log.find({ seq: { $exists: false } }).sort({ at: 1, _id: 1 })) {
    for (;;) {
      const seq = head.seq + 1;
      const prevHash = head.hash;
      const hash = entryHash({ ...doc, seq, prevHash });
      try {
        const result = await log.updateOne({ _id: doc._id, seq: { $exists: false } }, { $set: { seq, prevHash, hash } });
        if (result.modifiedCount === 1) {
          head = { seq, hash };
          chained += 1;
        }
        break;
      } catch (error) {
        // A writer of a running instance took that position: link after it.
        if (!isDuplicateKeyError(error)) throw error;
        head = await findHead(db);
      }
    }
    // Now and then, so that a run killed half-way leaves the head document close to where it stopped.
    if (chained > 0 && chained % 500 === 0) await advanceHead(db, head);
  }
  await advanceHead(db, head);
  return chained;
}
