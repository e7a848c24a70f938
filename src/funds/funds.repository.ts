import mongoose, { type Types } from 'mongoose';
import { leanDocuments } from '../core/db/lean-insert.js';
import { onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import type { Actor } from '../core/scope.js';
import { Fund, FundEntry, type EntryKind, type FundDoc, type FundEntryDoc } from './funds.model.js';

/** Where a fund keeps its marks: commitments (a list chunk's, a single step's) and paid totals. */
export type MarkField = 'approveRuns' | 'paidRuns';

/**
 * The marks of single work in each field, and the id each holds (an ObjectId's hex, whose order is its time): a single
 * step's `<run>:c|b|r` (committed, gave back, released), a single payment's or reversal's `pay:<entry>`. A list chunk's
 * marks (`<job>:<chunk>…`) match neither.
 */
const SINGLE_MARKS: Record<MarkField, { pattern: RegExp; idOf: (mark: string) => string }> = {
  approveRuns: { pattern: /^[0-9a-f]{24}:[cbr]$/, idOf: (mark) => mark.slice(0, 24) },
  paidRuns: { pattern: /^pay:[0-9a-f]{24}$/, idOf: (mark) => mark.slice(4) },
};
export const singleMarkId = (field: MarkField, mark: string) => SINGLE_MARKS[field].idOf(mark);

export type FundRecord = FundDoc;
export type FundEntryRecord = FundEntryDoc;

export interface FundListFilter {
  subtreeOf: string;
  orgId?: string;
  year?: number;
  kind?: string;
  searchKey?: RegExp;
}

export interface Movement {
  kind: EntryKind;
  amount: number;
  effect: { allocated?: number; committed?: number; disbursed?: number };
  caseId?: Types.ObjectId | string | null;
  caseCode?: string | null;
  disbursementId?: Types.ObjectId | string | null;
  voucherNo?: string | null;
  note?: string;
  actor: Actor | null;
}

function entryDoc(fund: Pick<FundRecord, '_id' | 'orgPath'>, movement: Movement) {
  return {
    fundId: fund._id,
    orgPath: fund.orgPath,
    kind: movement.kind,
    amount: movement.amount,
    effect: { allocated: 0, committed: 0, disbursed: 0, ...movement.effect },
    caseId: movement.caseId ?? null,
    caseCode: movement.caseCode ?? null,
    disbursementId: movement.disbursementId ?? null,
    voucherNo: movement.voucherNo ?? null,
    note: movement.note ?? '',
    by: movement.actor ? { id: movement.actor.userId, name: movement.actor.name } : null,
    requestId: movement.actor?.requestId ?? null,
    at: new Date(),
  };
}

export function fundJSON(fund: FundRecord): Record<string, unknown> {
  return Fund.hydrate(fund).toJSON() as Record<string, unknown>;
}

/**
 * The only code that touches the fund collections. Every change of a total is one conditional `$inc` on
 * the fund document whose success is read from `modifiedCount`, never from a returned document
 * (ENGINE-NOTES.md: the *after* document of a concurrent `$inc` may be another caller's).
 */
export const fundsRepository = {
  newId(): Types.ObjectId {
    return new mongoose.Types.ObjectId();
  },
  async findById(id: string): Promise<FundRecord | null> {
    return Fund.findById(id).lean<FundRecord>();
  },
  async findByIds(ids: readonly string[]): Promise<FundRecord[]> {
    return Fund.find({ _id: { $in: ids } }).lean<FundRecord[]>();
  },
  async insert(fund: Omit<FundRecord, 'createdAt' | 'updatedAt'>): Promise<FundRecord> {
    return (await Fund.create(fund)).toObject() as unknown as FundRecord;
  },
  async list(filter: FundListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf };
    if (filter.orgId) match.orgPath = { $all: [filter.subtreeOf, filter.orgId] };
    if (filter.year) match.year = filter.year;
    if (filter.kind) match.kind = filter.kind;
    if (filter.searchKey) match.searchKey = filter.searchKey;
    return findPage(Fund, match, query);
  },
  /**
   * Commits a list approval chunk's (or a single approval's) `amount` once, within what the fund has available (and,
   * when `provinceId` is given, only on a fund of that province): the mark goes in with the `$inc`. False when the
   * fund has not enough left, or the mark was there (committed before: the caller looks).
   */
  async takeOnce(
    fundId: string,
    amount: number,
    mark: string,
    provinceId?: string,
    refusedBy?: string,
  ): Promise<boolean> {
    const result = await Fund.updateOne(
      {
        _id: fundId,
        ...(provinceId ? { orgId: provinceId } : {}),
        available: { $gte: amount },
        approveRuns: refusedBy ? { $nin: [mark, refusedBy] } : { $ne: mark },
      },
      { $inc: { committed: amount, available: -amount }, $push: { approveRuns: mark } },
    );
    return result.modifiedCount === 1 || (await fundsRepository.hasMark(fundId, mark));
  },
  /** Gives back `amount` of the chunk `mark`'s commitment once, and only if it was made (its mark `<mark>:c`). */
  async giveBackOnce(fundId: string, amount: number, mark: string): Promise<void> {
    await Fund.updateOne(
      { _id: fundId, approveRuns: { $all: [`${mark}:c`], $nin: [`${mark}:b`] } },
      { $inc: { committed: -amount, available: amount }, $push: { approveRuns: `${mark}:b` } },
    );
  },
  /**
   * Leaves `mark` on the fund unless it holds it or `taken` already: a take under `refusedBy` = `mark` is refused from
   * then on (`takeOnce`), and a fund that holds `taken` had its commitment given back under `mark` instead.
   */
  async fenceOnce(fundId: string, mark: string, taken: string): Promise<void> {
    await Fund.updateOne({ _id: fundId, approveRuns: { $nin: [taken, mark] } }, { $push: { approveRuns: mark } });
  },
  async hasMark(fundId: string, mark: string): Promise<boolean> {
    return (await Fund.exists({ _id: fundId, approveRuns: mark })) !== null;
  },
  /** A list approval's job ended: the marks of its chunks (all beginning with `prefix`) go. */
  async dropApproveMarks(fundIds: readonly string[], prefix: string): Promise<void> {
    for (const fund of await Fund.find({ _id: { $in: fundIds } }, { approveRuns: 1 }).lean()) {
      const marks = (fund.approveRuns ?? []).filter((m) => m.startsWith(prefix));
      if (marks.length) await Fund.updateOne({ _id: fund._id }, { $pullAll: { approveRuns: marks } });
    }
  },
  /**
   * The funds that hold marks of single work in `field` (`SINGLE_MARKS`) whose id is older than `cutoff` (an ObjectId's
   * hex: the hex of ids compares as their times), with those marks.
   */
  async singleMarksBefore(field: MarkField, cutoff: string): Promise<{ id: string; marks: string[] }[]> {
    const { pattern, idOf } = SINGLE_MARKS[field];
    const funds = await Fund.find({ [`${field}.0`]: { $exists: true } }, { [field]: 1 }).lean<
      ({ _id: Types.ObjectId } & Partial<Record<MarkField, string[]>>)[]
    >();
    return funds
      .map((fund) => ({
        id: String(fund._id),
        marks: (fund[field] ?? []).filter((m) => pattern.test(m) && idOf(m) < cutoff),
      }))
      .filter((fund) => fund.marks.length);
  },
  /** Marks go from a fund (without touching `updatedAt`: the marks are the service's own bookkeeping). */
  async pullMarks(fundId: string, field: MarkField, marks: readonly string[]): Promise<void> {
    await Fund.updateOne({ _id: fundId }, { $pullAll: { [field]: [...marks] } }, { timestamps: false });
  },
  /**
   * A revocation's release of `amount` under its run's mark (`<mark>:r`), once: a round that finishes the revocation
   * after a crash finds the mark and does not release it again.
   */
  async giveBackOnceFor(fundId: string, amount: number, mark: string): Promise<void> {
    await Fund.updateOne(
      { _id: fundId, approveRuns: { $ne: mark } },
      { $inc: { committed: -amount, available: amount }, $push: { approveRuns: mark } },
    );
  },
  /** Gives back a commitment: always possible, the amount was taken before. */
  async giveBack(fundId: string, amount: number): Promise<void> {
    await Fund.updateOne({ _id: fundId }, { $inc: { committed: -amount, available: amount } });
  },
  /** Changes the allocation; a reduction only while it leaves the allocation at or above what is committed. */
  async adjustAllocated(fundId: string, delta: number): Promise<boolean> {
    const filter: Record<string, unknown> = { _id: fundId };
    if (delta < 0) filter.available = { $gte: -delta };
    const result = await Fund.updateOne(filter, { $inc: { allocated: delta, available: delta } });
    return result.modifiedCount === 1;
  },
  /**
   * Moves the paid total by `amount` once (a list payment chunk's sum, or one payment or reversal, negative): the mark
   * goes in with the `$inc`, and whoever takes the same work up again after a crash finds it there. False when the
   * mark was there (moved before). No bound on the fund on purpose: it is enforced on the case, whose per-fund
   * allocation a payment may not exceed, and the allocations are part of `committed`.
   */
  async addDisbursedOnce(fundId: string, amount: number, mark: string): Promise<boolean> {
    const result = await Fund.updateOne(
      { _id: fundId, paidRuns: { $ne: mark } },
      { $inc: { disbursed: amount }, $push: { paidRuns: mark } },
    );
    return result.modifiedCount === 1;
  },
  /** The chunk's entries are settled: its mark is no longer needed. */
  async dropDisbursedMark(fundIds: readonly string[], mark: string): Promise<void> {
    await Fund.updateMany({ _id: { $in: fundIds }, paidRuns: mark }, { $pull: { paidRuns: mark } });
  },
  /** Ledger entries of many movements of one fund, each under the id the caller gives (`_id`: written once). */
  async addEntriesOnce(
    fund: Pick<FundRecord, '_id' | 'orgPath'>,
    movements: readonly (Movement & { _id: Types.ObjectId })[],
  ): Promise<void> {
    if (!movements.length) return;
    // Stored as mongoose stores an entry, without a mongoose document each (core/db/lean-insert.ts).
    const docs = await leanDocuments(
      FundEntry,
      movements.map((movement) => ({ _id: movement._id, ...entryDoc(fund, movement) })),
    );
    await FundEntry.insertMany(docs, { ordered: false, lean: true }).catch((error: unknown) => {
      if (!onlyDuplicateKeys(error)) throw error;
    });
  },
  async addEntry(fund: Pick<FundRecord, '_id' | 'orgPath'>, movement: Movement): Promise<void> {
    await FundEntry.create(entryDoc(fund, movement));
  },
  /** Every movement of a fund in the order it happened. */
  async entries(fundId: string): Promise<FundEntryRecord[]> {
    return FundEntry.find({ fundId }).sort({ at: 1, _id: 1 }).lean<FundEntryRecord[]>();
  },
  /** Funds of a subtree (all of them for null), for reconciliation. */
  async inSubtree(subtreeOf: string | null): Promise<FundRecord[]> {
    return Fund.find(subtreeOf ? { orgPath: subtreeOf } : {}).lean<FundRecord[]>();
  },
  /** What the ledger says each fund's totals are. */
  async ledgerSums(
    fundIds: readonly Types.ObjectId[],
  ): Promise<Map<string, { allocated: number; committed: number; disbursed: number }>> {
    const rows = await FundEntry.aggregate<{
      _id: Types.ObjectId;
      allocated: number;
      committed: number;
      disbursed: number;
    }>([
      { $match: { fundId: { $in: fundIds } } },
      {
        $group: {
          _id: '$fundId',
          allocated: { $sum: '$effect.allocated' },
          committed: { $sum: '$effect.committed' },
          disbursed: { $sum: '$effect.disbursed' },
        },
      },
    ]);
    return new Map(
      rows.map((row) => [
        String(row._id),
        { allocated: row.allocated, committed: row.committed, disbursed: row.disbursed },
      ]),
    );
  },
};
