import type { Db, Document } from 'mongodb';
import { isDuplicateKeyError, onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { entryHash } from './canonical.js';
import { advanceHead, AUDIT_COLLECTION, ensureChain, findHead, type ChainHead } from './chain.js';

const BATCH = 500;

/** Links one entry after the head, by `_id` alone (the engine uses an index only for a filter of exactly its keys). */
async function chainOne(db: Db, doc: Document, head: ChainHead): Promise<ChainHead> {
  const log = db.collection(AUDIT_COLLECTION);
  for (let current = head; ;) {
    const seq = current.seq + 1;
    const prevHash = current.hash;
    const hash = entryHash({ ...doc, seq, prevHash });
    try {
      await log.updateOne({ _id: doc._id }, { $set: { seq, prevHash, hash } });
      return { seq, hash };
    } catch (error) {
      // A writer of a running instance took that position: link after it.
      if (!isDuplicateKeyError(error)) throw error;
      current = await findHead(db);
    }
  }
}

/** A batch in one ordered write; if a position was taken meanwhile, the batch goes again one entry at a time. */
async function chainBatch(db: Db, docs: readonly Document[], head: ChainHead): Promise<ChainHead> {
  let previous = head;
  const updates = docs.map((doc) => {
    const seq = previous.seq + 1;
    const prevHash = previous.hash;
    const hash = entryHash({ ...doc, seq, prevHash });
    previous = { seq, hash };
    return { updateOne: { filter: { _id: doc._id }, update: { $set: { seq, prevHash, hash } } } };
  });
  try {
    await db.collection(AUDIT_COLLECTION).bulkWrite(updates, { ordered: true });
    return previous;
  } catch (error) {
    if (!onlyDuplicateKeys(error)) throw error;
    let current = await findHead(db);
    for (const doc of docs) {
      const stored = await db.collection(AUDIT_COLLECTION).findOne({ _id: doc._id }, { projection: { seq: 1 } });
      if (typeof stored?.seq !== 'number') current = await chainOne(db, doc, current);
    }
    return current;
  }
}

/**
 * Gives every entry written before the chain existed its place, in the order they were written (`at`, then
 * `_id`), after the current head. Only entries still without `seq` are read, and the walk goes on from the
 * stored head, so a run killed half-way is finished by the next one and a finished run does nothing (the
 * runner's lock keeps a second run away meanwhile).
 */
export async function chainUnchainedEntries(db: Db): Promise<number> {
  await ensureChain(db);
  let head: ChainHead = await findHead(db);
  let chained = 0;
  let batch: Document[] = [];
  const flush = async () => {
    head = await chainBatch(db, batch, head);
    chained += batch.length;
    batch = [];
    // After every batch, so that a run killed half-way leaves the head document where it stopped.
    await advanceHead(db, head);
  };
  for await (const doc of db
    .collection(AUDIT_COLLECTION)
    .find({ seq: { $exists: false } })
    .sort({ at: 1, _id: 1 })) {
    batch.push(doc);
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  return chained;
}
