import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { ReportEvent } from './events.js';
import { counterId, crossings, markerId, payeeFields, type PayeeEntry, type PayeeTally } from './payees.js';
import { ReportPayee, ReportPayeeCount, ReportYear } from './reports.model.js';
import { flatNumbers } from './rollup-keys.js';
import { yearDocId, yearIncs, type YearDoc } from './yearly.js';

/**
 * The figures kept per organisation and year, read by `_id` (yearly.ts, payees.ts): the year documents and
 * lists (`report_years`), the people-paid markers (`report_payees`) and counters (`report_payee_counts`).
 * The buckets, cases and entries are read and written by reports.repository.ts.
 */
export interface PayeeMarker {
  _id: string;
  year: string;
  memberId: string;
  n: Record<string, PayeeTally>;
}
interface PayeeCounter {
  _id: string;
  year: string;
  orgId: string;
  c: PayeeTally;
}
// The native collections: `n` and `c` are free-form maps, and an exact `_id` is all these queries use.
const markers = () => ReportPayee.collection as unknown as Collection<PayeeMarker>;
const counters = () => ReportPayeeCount.collection as unknown as Collection<PayeeCounter>;

interface YearList {
  _id: string;
  years: string[];
}
const yearDocs = () => ReportYear.collection as unknown as Collection<YearDoc>;
const yearLists = () => ReportYear.collection as unknown as Collection<YearList>;
/** `$inc` on a document created first if missing (insert, duplicate ignored), never by a racing upsert. */
async function incCreated<T extends { _id: string }>(
  collection: Collection<T>,
  doc: T,
  inc: Record<string, number>,
): Promise<void> {
  const filter = { _id: doc._id } as Parameters<Collection<T>['updateOne']>[0];
  if ((await collection.updateOne(filter, { $inc: inc } as never)).matchedCount === 1) return;
  await collection.insertOne(doc as never).catch((error: unknown) => {
    if (!isDuplicateKeyError(error)) throw error;
  });
  await collection.updateOne(filter, { $inc: inc } as never);
}
/** A tally as `$inc` paths below `c.` (zero entries left out). */
function flatten(tally: PayeeTally): Record<string, number> {
  return Object.fromEntries([...flatNumbers(tally)].map(([field, n]) => [`c.${field}`, n]));
}
export const keptRepository = {
  /**
   * Events added to the year figures of every organisation on their chains (yearly.ts), one `$inc` per
   * organisation and year. A new year is listed before its document is made: a listed year without a
   * document reads as nothing, a document that no list names would be missed.
   */
  async addToYears(events: readonly ReportEvent[]): Promise<void> {
    await Promise.all(
      [...yearIncs(events)].map(async ([_id, { orgId, year, inc }]) => {
        const g = Object.fromEntries(Object.entries(inc).map(([path, v]) => [`g.${path}`, v]));
        if ((await yearDocs().updateOne({ _id }, { $inc: g })).matchedCount === 1) return;
        const listed = await yearLists().updateOne({ _id: orgId }, { $addToSet: { years: year } });
        if (listed.matchedCount === 0) {
          await yearLists()
            .insertOne({ _id: orgId, years: [] })
            .catch((error: unknown) => {
              if (!isDuplicateKeyError(error)) throw error;
            });
          await yearLists().updateOne({ _id: orgId }, { $addToSet: { years: year } });
        }
        await incCreated(yearDocs(), { _id, orgId, year, g: {} }, g);
      }),
    );
  },

  /** The year documents of an organisation up to a year (the earlier ones carry its open cases). */
  async yearsUpTo(orgId: string, year: string): Promise<YearDoc[]> {
    const list = await yearLists().findOne({ _id: orgId });
    const ids = (list?.years ?? []).filter((y) => y <= year).map((y) => yearDocId(orgId, y));
    return ids.length
      ? yearDocs()
          .find({ _id: { $in: ids } })
          .toArray()
      : [];
  },

  /** The stored year documents of some organisations (null: all). */
  async storedYears(orgIds: readonly string[] | null): Promise<YearDoc[]> {
    return yearDocs()
      .find(orgIds ? { orgId: { $in: [...orgIds] } } : { year: { $exists: true } })
      .toArray();
  },

  /** Replaces the year documents and lists of some organisations (null: all) by recomputed ones. */
  async replaceYears(orgIds: readonly string[] | null, docs: readonly YearDoc[]): Promise<void> {
    if (orgIds) {
      await yearDocs().deleteMany({ orgId: { $in: [...orgIds] } });
      await yearLists().deleteMany({ _id: { $in: [...orgIds] } });
    } else await ReportYear.collection.deleteMany({});
    const lists = new Map<string, string[]>();
    for (const doc of docs) lists.set(doc.orgId, [...(lists.get(doc.orgId) ?? []), doc.year]);
    const all = [...[...lists].map(([_id, years]) => ({ _id, years })), ...docs];
    for (let i = 0; i < all.length; i += 1000)
      await ReportYear.collection.insertMany(all.slice(i, i + 1000) as never[], { ordered: false });
  },

  /**
   * A settled entry's amount added to its member's marker of the year (payees.ts); the zero crossings this
   * `$inc` causes, read from the marker as it was before (exact on both engines), move the counters.
   */
  async addPayee(entry: PayeeEntry): Promise<void> {
    const year = entry.paidAt.slice(0, 4);
    const memberId = String(entry.memberId);
    const fields = payeeFields(entry);
    const inc: Record<string, number> = {};
    for (const [orgId, list] of fields) for (const field of list) inc[`n.${orgId}.${field}`] = entry.amount;
    const _id = markerId(year, memberId);
    const add = () => markers().findOneAndUpdate({ _id }, { $inc: inc }, { returnDocument: 'before' });
    let before = await add();
    if (!before) {
      await markers()
        .insertOne({ _id, year, memberId, n: {} })
        .catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
      before = await add();
    }
    for (const [orgId, moves] of crossings(before?.n, fields, entry.amount)) {
      const c = Object.fromEntries(Object.entries(moves).map(([field, v]) => [`c.${field}`, v]));
      await incCreated(counters(), { _id: counterId(year, orgId), year, orgId, c: {} }, c);
    }
  },

  /** How many people one organisation's subtree paid in a year, in total and per grouping value. */
  async payeeCount(year: string, orgId: string): Promise<PayeeTally> {
    return (await counters().findOne({ _id: counterId(year, orgId) }))?.c ?? {};
  },

  async payeeCounters(): Promise<PayeeCounter[]> {
    return counters().find({}).toArray();
  },

  async payeeMarkersOf(memberIds: readonly string[] | null): Promise<PayeeMarker[]> {
    return markers()
      .find(memberIds ? { memberId: { $in: [...memberIds] } } : {})
      .toArray();
  },

  /** Members whose markers count under any of some organisations (their entries may have moved away since). */
  async payeeMembersUnder(orgIds: readonly string[]): Promise<string[]> {
    const found = await markers()
      .find({ $or: orgIds.map((id) => ({ [`n.${id}`]: { $exists: true } })) }, { projection: { memberId: 1 } })
      .toArray();
    return found.map((m) => m.memberId);
  },

  /**
   * Replaces the markers of the given members by recomputed ones and moves the counters by `counts` (their new
   * counts less their old ones); with null, every marker and counter is replaced and `counts` are the counters.
   */
  async replacePayees(
    memberIds: readonly string[] | null,
    docs: readonly PayeeMarker[],
    counts: Map<string, PayeeTally>,
  ): Promise<void> {
    await markers().deleteMany(memberIds ? { memberId: { $in: [...memberIds] } } : {});
    for (let i = 0; i < docs.length; i += 1000) await markers().insertMany(docs.slice(i, i + 1000), { ordered: false });
    if (!memberIds) {
      await counters().deleteMany({});
      const all = [...counts].map(([_id, c]) => {
        const [year, orgId] = _id.split('|') as [string, string];
        return { _id, year, orgId, c };
      });
      for (let i = 0; i < all.length; i += 1000)
        await counters().insertMany(all.slice(i, i + 1000), { ordered: false });
      return;
    }
    for (const [_id, c] of counts) {
      const inc = flatten(c);
      if (!Object.keys(inc).length) continue;
      const [year, orgId] = _id.split('|') as [string, string];
      await incCreated(counters(), { _id, year, orgId, c: {} }, inc);
    }
  },
};
