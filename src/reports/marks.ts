import mongoose from 'mongoose';
import { isDuplicateKeyError, onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { deleteInSlices } from '../core/db/paging.js';
import type { ReportEvent } from './events.js';
import type { PayeeEntry } from './payees.js';

/**
 * While a rebuild builds a generation (store.ts), each case and each settled entry it counts gets a **mark**
 * in `report_marks`, and every live change meant for that generation goes through the mark of what it
 * changed. This is what makes each change count exactly once in the new generation, whichever comes first:
 * - a case's mark holds `seen`, how many history entries the rebuild's read of the case had: the live change
 *   behind history entry `i` is already in that read when `i < seen`;
 * - an entry's mark holds `seen` 1 when the rebuild counted the entry as settled (its settlement is in it);
 * - a live change that finds no `seen` yet is pushed into the mark's `pending`, with one conditional update
 *   (`seen` does not exist), and the rebuild takes the pending changes when it sets `seen`: a change lands
 *   either before the set (pending, the rebuild adds it if it is newer than its read) or after it (the live
 *   side adds it if it is newer). Both are updates of one document, atomic on every engine.
 */
export interface MarkedPart {
  /** The case's history entry this change wrote, or 0 for an entry's settlement (`seen` 1 covers it). */
  index: number;
  events: ReportEvent[];
  payees: PayeeEntry[];
}

interface MarkDoc {
  _id: string;
  generation: number;
  seen?: number;
  pending: MarkedPart[];
}

const marks = () => {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return db.collection<MarkDoc>('report_marks');
};

export const caseMark = (generation: number, caseId: string) => `${generation}|c|${caseId}`;
export const entryMark = (generation: number, entryId: string) => `${generation}|e|${entryId}`;

/**
 * A live change meant for the generation being built: answers true when the caller must apply it there now
 * (the rebuild read the case or entry before this change), false when it was left to the rebuild or is
 * already in its read.
 */
export async function routeLiveChange(generation: number, markId: string, part: MarkedPart): Promise<boolean> {
  for (;;) {
    const pushed = await marks().updateOne({ _id: markId, seen: { $exists: false } }, { $push: { pending: part } });
    if (pushed.matchedCount === 1) return false;
    const mark = await marks().findOne({ _id: markId });
    if (mark?.seen !== undefined) return part.index >= mark.seen;
    try {
      await marks().insertOne({ _id: markId, generation, pending: [part] });
      return false;
    } catch (error) {
      // Another change or the rebuild made the mark meanwhile: look again.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}

/**
 * The rebuild's side: sets `seen` on the marks of what it just read. Answers, per mark, the live changes it
 * must add as well (pending ones newer than its read), or null when the mark was seen already (counted by an
 * earlier read of this generation: the cursor met the same case twice).
 */
export async function markSeen(
  generation: number,
  seen: readonly { markId: string; seen: number }[],
): Promise<Map<string, MarkedPart[] | null>> {
  const answer = new Map<string, MarkedPart[] | null>(seen.map((s) => [s.markId, []]));
  if (!seen.length) return answer;
  let refused: typeof seen = [];
  try {
    await marks().insertMany(
      seen.map((s) => ({ _id: s.markId, generation, seen: s.seen, pending: [] })),
      { ordered: false },
    );
  } catch (error) {
    if (!onlyDuplicateKeys(error)) throw error;
    const errors = (error as { writeErrors?: { index?: number; err?: { index?: number } }[] }).writeErrors;
    refused = errors ? errors.map((e) => seen[e.index ?? e.err?.index ?? -1]!).filter(Boolean) : [...seen];
  }
  for (const s of refused) {
    const set = await marks().updateOne({ _id: s.markId, seen: { $exists: false } }, { $set: { seen: s.seen } });
    if (set.modifiedCount !== 1) {
      answer.set(s.markId, null);
      continue;
    }
    // `pending` no longer changes once `seen` is set.
    const mark = await marks().findOne({ _id: s.markId });
    answer.set(
      s.markId,
      (mark?.pending ?? []).filter((p) => p.index >= s.seen),
    );
  }
  return answer;
}

/** Marks of a generation that live changes made but the rebuild has not seen: what its scan could not meet. */
export async function unseenMarks(generation: number, limit: number): Promise<string[]> {
  const found = await marks()
    .find({ generation, seen: { $exists: false } }, { projection: { _id: 1 }, limit })
    .toArray();
  return found.map((m) => m._id);
}

/**
 * A generation's marks go a slice at a time: a rebuild at 1,000,000 cases leaves about 1,870,000 (one per case and per
 * settled entry), and one `deleteMany` of them would run the embedded engine out of memory (core/db/paging.ts).
 */
export async function dropMarks(generation: number): Promise<void> {
  await deleteInSlices(marks(), { generation });
}
