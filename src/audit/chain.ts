import type { Db, Document, ObjectId } from 'mongodb';
import { isDuplicateKeyError, onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { entryHash, GENESIS_HASH } from './canonical.js';

export const AUDIT_COLLECTION = 'audit_log';
/** Where the newest position is remembered, so that appending never scans the log (see findHead). */
export const HEAD_COLLECTION = 'audit_chain_head';
const HEAD_ID = 'head';
const MAX_CONFLICTS = 200;

export interface ChainHead {
  seq: number;
  hash: string;
}

/** An entry's own fields, `_id` included, before it gets its place in the chain. */
export type EntryContent = Document & { _id: ObjectId };

const entries = (db: Db) => db.collection(AUDIT_COLLECTION);
const heads = (db: Db) => db.collection<{ _id: string; seq: number; hash: string }>(HEAD_COLLECTION);

/**
 * The unique index on `seq` is what keeps the chain from forking: two writers that read the same head both try
 * the same next position and only one insert stands. Sparse, because entries written before the chain existed
 * have no `seq` until the migration gives them one.
 */
export async function ensureChain(db: Db): Promise<void> {
  await entries(db).createIndex({ seq: 1 }, { unique: true, sparse: true });
  try {
    await heads(db).insertOne({ _id: HEAD_ID, seq: 0, hash: GENESIS_HASH });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/**
 * The last entry of the chain. The head document may lag behind (its update follows the insert), so the walk
 * goes on from it through `seq + 1`, an equality lookup that the unique index answers on both engines: a
 * sort on `seq` would scan the whole log, as the engine ignores indexes for sorts.
 */
export async function findHead(db: Db): Promise<ChainHead> {
  const pointer = await heads(db).findOne({ _id: HEAD_ID });
  let head: ChainHead = pointer ? { seq: pointer.seq, hash: pointer.hash } : { seq: 0, hash: GENESIS_HASH };
  for (;;) {
    const next = await entries(db).findOne({ seq: head.seq + 1 }, { projection: { seq: 1, hash: 1 } });
    if (!next) return head;
    head = { seq: next.seq as number, hash: next.hash as string };
  }
}

/** Moves the head document forward only: a slower writer never moves it back. */
export async function advanceHead(db: Db, head: ChainHead): Promise<void> {
  await heads(db).updateOne({ _id: HEAD_ID, seq: { $lt: head.seq } }, { $set: { seq: head.seq, hash: head.hash } });
}

/** Gives each content the next position after `head`, linked to the one before. */
export function chainAfter(head: ChainHead, contents: readonly EntryContent[]): Document[] {
  let previous = head;
  return contents.map((content) => {
    const linked = { ...content, seq: previous.seq + 1, prevHash: previous.hash };
    const hash = entryHash(linked);
    previous = { seq: linked.seq, hash };
    return { ...linked, hash };
  });
}

/** How many of the documents, in order, stand at their position (an ordered insert stops at its first refusal). */
async function landedPrefix(db: Db, docs: readonly Document[]): Promise<number> {
  let landed = 0;
  for (const doc of docs) {
    const standing = await entries(db).findOne({ seq: doc.seq }, { projection: { _id: 1 } });
    if (!standing || String(standing._id) !== String(doc._id)) break;
    landed += 1;
  }
  return landed;
}

/** Leaves out contents already stored under another position (an earlier attempt of the same entries). */
async function notStored(db: Db, contents: readonly EntryContent[]): Promise<readonly EntryContent[]> {
  if (!contents.length) return contents;
  const stored = await entries(db)
    .find({ _id: { $in: contents.map((content) => content._id) } }, { projection: { _id: 1 } })
    .toArray();
  const ids = new Set(stored.map((doc) => String(doc._id)));
  return ids.size ? contents.filter((content) => !ids.has(String(content._id))) : contents;
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Appends the contents as consecutive positions after the head. When another instance took a position first
 * (duplicate `seq`), the entries that stood keep theirs and the rest are linked again after the new head, so
 * a bulk stays consecutive unless another instance writes in the middle of it. Answers the new head.
 */
export async function appendEntries(
  db: Db,
  contents: readonly EntryContent[],
  lastKnown?: ChainHead | null,
  { advance = true }: { advance?: boolean } = {},
): Promise<ChainHead> {
  let remaining = contents;
  // The head this instance wrote last is usually still the head: trying it first saves two reads per append,
  // and when another instance wrote meanwhile the unique index refuses the position and the head is looked up.
  let head = lastKnown ?? (await findHead(db));
  for (let conflicts = 0; remaining.length; conflicts += 1) {
    const docs = chainAfter(head, remaining);
    try {
      await entries(db).insertMany(docs, { ordered: true });
      const last = docs[docs.length - 1]!;
      head = { seq: last.seq as number, hash: last.hash as string };
      remaining = [];
    } catch (error) {
      if (!onlyDuplicateKeys(error) || conflicts >= MAX_CONFLICTS) throw error;
      remaining = await notStored(db, remaining.slice(await landedPrefix(db, docs)));
      // A short random pause, so that instances colliding again and again fall out of step.
      await pause(Math.random() * Math.min(50, 2 * (conflicts + 1)));
      head = await findHead(db);
    }
  }
  // The entries stand once inserted: a failure to move the head document (which may lag by design, see findHead)
  // must not report them as failed to the request that wrote them. `advance: false`: the caller moves it.
  if (advance) await advanceHead(db, head).catch(() => undefined);
  return head;
}
