import type { Collection } from 'mongodb';
import { isDuplicateKeyError, onlyDuplicateKeys, refusedAsDuplicates } from '../core/db/mongo-errors.js';
import { deleteInSlices } from '../core/db/paging.js';
import { mapLimit } from '../core/shared/map-limit.js';
import type { ReportEvent } from './events.js';
import { counterId, crossings, markerId, markerNets, netsInc, type PayeeEntry, type PayeeTally } from './payees.js';
import { currentStore, type TotalsStore } from './store.js';
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
// The native collections of a generation (store.ts): `n` and `c` are free-form maps, and an exact `_id` is all
// these queries use.
const markers = (s: TotalsStore) => s.payees as unknown as Collection<PayeeMarker>;
const counters = (s: TotalsStore) => s.payeeCounts as unknown as Collection<PayeeCounter>;

interface YearList {
  _id: string;
  years: string[];
}
const yearDocs = (s: TotalsStore) => s.years as unknown as Collection<YearDoc>;
const yearLists = (s: TotalsStore) => s.years as unknown as Collection<YearList>;
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
/** Inserts the documents in one unordered write; answers the indexes of those refused as already there. */
async function insertMissing<T extends { _id: string }>(collection: Collection<T>, docs: T[]): Promise<Set<number>> {
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    return refusedAsDuplicates(error);
  }
}
export const keptRepository = {
  /**
   * Events added to the year figures of every organisation on their chains (yearly.ts), one `$inc` per
   * organisation and year. A new year is listed before its document is made: a listed year without a
   * document reads as nothing, a document that no list names would be missed.
   */
  async addToYears(events: readonly ReportEvent[], store?: TotalsStore): Promise<void> {
    const s = store ?? (await currentStore());
    await Promise.all(
      [...yearIncs(events)].map(async ([_id, { orgId, year, inc }]) => {
        const g = Object.fromEntries(Object.entries(inc).map(([path, v]) => [`g.${path}`, v]));
        if ((await yearDocs(s).updateOne({ _id }, { $inc: g })).matchedCount === 1) return;
        const listed = await yearLists(s).updateOne({ _id: orgId }, { $addToSet: { years: year } });
        if (listed.matchedCount === 0) {
          await yearLists(s)
            .insertOne({ _id: orgId, years: [] })
            .catch((error: unknown) => {
              if (!isDuplicateKeyError(error)) throw error;
            });
          await yearLists(s).updateOne({ _id: orgId }, { $addToSet: { years: year } });
        }
        await incCreated(yearDocs(s), { _id, orgId, year, g: {} }, g);
      }),
    );
  },

  /** The year documents of an organisation up to a year (the earlier ones carry its open cases). */
  async yearsUpTo(orgId: string, year: string): Promise<YearDoc[]> {
    const s = await currentStore();
    const list = await yearLists(s).findOne({ _id: orgId });
    const ids = (list?.years ?? []).filter((y) => y <= year).map((y) => yearDocId(orgId, y));
    return ids.length
      ? yearDocs(s)
          .find({ _id: { $in: ids } })
          .toArray()
      : [];
  },

  /** The stored year documents of some organisations (null: all). */
  async storedYears(orgIds: readonly string[] | null): Promise<YearDoc[]> {
    return yearDocs(await currentStore())
      .find(orgIds ? { orgId: { $in: [...orgIds] } } : { year: { $exists: true } })
      .toArray();
  },

  /** Replaces the year documents and lists of some organisations (null: all) by recomputed ones. */
  async replaceYears(orgIds: readonly string[] | null, docs: readonly YearDoc[]): Promise<void> {
    const s = await currentStore();
    if (orgIds) {
      await yearDocs(s).deleteMany({ orgId: { $in: [...orgIds] } });
      await yearLists(s).deleteMany({ _id: { $in: [...orgIds] } });
    } else await s.years.deleteMany({});
    const lists = new Map<string, string[]>();
    for (const doc of docs) lists.set(doc.orgId, [...(lists.get(doc.orgId) ?? []), doc.year]);
    const all = [...[...lists].map(([_id, years]) => ({ _id, years })), ...docs];
    for (let i = 0; i < all.length; i += 1000)
      await s.years.insertMany(all.slice(i, i + 1000) as never[], { ordered: false });
  },

  /**
   * Settled entries of one member and year added to the member's marker (payees.ts) with one `$inc`; the zero
   * crossings it causes, read from the marker as it was before (exact on both engines), move the counters.
   */
  async addPayees(entries: readonly PayeeEntry[], store?: TotalsStore): Promise<void> {
    if (!entries.length) return;
    const s = store ?? (await currentStore());
    const year = entries[0]!.paidAt.slice(0, 4);
    const memberId = String(entries[0]!.memberId);
    const nets = markerNets(entries);
    const inc = netsInc(nets);
    const _id = markerId(year, memberId);
    const add = () => markers(s).findOneAndUpdate({ _id }, { $inc: inc }, { returnDocument: 'before' });
    let before = await add();
    if (!before) {
      await markers(s)
        .insertOne({ _id, year, memberId, n: {} })
        .catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
      before = await add();
    }
    for (const [orgId, moves] of crossings(before?.n, nets)) {
      const c = Object.fromEntries(Object.entries(moves).map(([field, v]) => [`c.${field}`, v]));
      await incCreated(counters(s), { _id: counterId(year, orgId), year, orgId, c: {} }, c);
    }
  },

  /**
   * Entries of many members at once (a list's or a rebuild's chunk, grouped by marker). A marker that does not
   * exist yet is inserted already holding its nets, all of them in one write: it was nothing before, so its
   * crossings are exact, and a racing payment that comes after sees them. Only markers that existed (the insert
   * refused as a duplicate) are moved by one `$inc` each that answers them as they were before. The counter moves
   * of the whole chunk are added up and written in one bulk write.
   */
  async addPayeesAtOnce(groups: readonly (readonly PayeeEntry[])[], store: TotalsStore, concurrency: number) {
    if (!groups.length) return;
    const heads = groups.map((g) => ({ year: g[0]!.paidAt.slice(0, 4), memberId: String(g[0]!.memberId) }));
    const nets = groups.map(markerNets);
    const existed = await insertMissing(
      markers(store),
      heads.map(({ year, memberId }, i) => ({
        _id: markerId(year, memberId),
        year,
        memberId,
        n: nets[i]!,
      })),
    );
    const moves = new Map<string, { year: string; orgId: string; c: Record<string, number> }>();
    const addMoves = (
      year: string,
      before: Record<string, PayeeTally> | undefined,
      added: Record<string, PayeeTally>,
    ) => {
      for (const [orgId, fields] of crossings(before, added)) {
        const id = counterId(year, orgId);
        const move = moves.get(id) ?? { year, orgId, c: {} };
        for (const [field, v] of Object.entries(fields)) move.c[`c.${field}`] = (move.c[`c.${field}`] ?? 0) + v;
        moves.set(id, move);
      }
    };
    heads.forEach(({ year }, i) => {
      if (!existed.has(i)) addMoves(year, undefined, nets[i]!);
    });
    await mapLimit([...existed], concurrency, async (i) => {
      const { year, memberId } = heads[i]!;
      const before = await markers(store).findOneAndUpdate(
        { _id: markerId(year, memberId) },
        { $inc: netsInc(nets[i]!) },
        { returnDocument: 'before' },
      );
      addMoves(year, before?.n, nets[i]!);
    });
    if (!moves.size) return;
    await counters(store)
      .insertMany(
        [...moves].map(([_id, { year, orgId }]) => ({ _id, year, orgId, c: {} })),
        { ordered: false },
      )
      .catch((error: unknown) => {
        if (!onlyDuplicateKeys(error)) throw error;
      });
    await counters(store).bulkWrite(
      [...moves].map(([_id, { c }]) => ({ updateOne: { filter: { _id }, update: { $inc: c } } })),
      { ordered: false },
    );
  },

  /** How many people one organisation's subtree paid in a year, in total and per grouping value. */
  async payeeCount(year: string, orgId: string): Promise<PayeeTally> {
    return (await counters(await currentStore()).findOne({ _id: counterId(year, orgId) }))?.c ?? {};
  },

  async payeeCounters(): Promise<PayeeCounter[]> {
    return counters(await currentStore())
      .find({})
      .toArray();
  },

  async payeeMarkersOf(memberIds: readonly string[] | null): Promise<PayeeMarker[]> {
    return markers(await currentStore())
      .find(memberIds ? { memberId: { $in: [...memberIds] } } : {})
      .toArray();
  },

  /** Members whose markers count under any of some organisations (their entries may have moved away since). */
  async payeeMembersUnder(orgIds: readonly string[]): Promise<string[]> {
    const found = await markers(await currentStore())
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
    const s = await currentStore();
    await deleteInSlices(markers(s), memberIds ? { memberId: { $in: [...memberIds] } } : {});
    for (let i = 0; i < docs.length; i += 1000)
      await markers(s).insertMany(docs.slice(i, i + 1000), { ordered: false });
    if (!memberIds) {
      await counters(s).deleteMany({});
      const all = [...counts].map(([_id, c]) => {
        const [year, orgId] = _id.split('|') as [string, string];
        return { _id, year, orgId, c };
      });
      for (let i = 0; i < all.length; i += 1000)
        await counters(s).insertMany(all.slice(i, i + 1000), { ordered: false });
      return;
    }
    for (const [_id, c] of counts) {
      const inc = flatten(c);
      if (!Object.keys(inc).length) continue;
      const [year, orgId] = _id.split('|') as [string, string];
      await incCreated(counters(s), { _id, year, orgId, c: {} }, inc);
    }
  },
};
