import mongoose, { type Types } from 'mongoose';
import { leanDocuments } from '../core/db/lean-insert.js';
import { bulkUpdateStored } from '../core/db/stored-bulk.js';
import { refusedAsDuplicates } from '../core/db/mongo-errors.js';
import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { bankName } from '../core/shared/banks.js';
import { mask } from '../members/index.js';
import { Disbursement, LISTED_STATUSES, type DisbursementDoc } from './disbursements.model.js';

export type DisbursementRecord = DisbursementDoc;
export type NewDisbursement = Omit<DisbursementRecord, 'createdAt' | 'updatedAt' | 'receipts' | 'reversedBy'>;
export type Receipt = DisbursementRecord['receipts'][number];

export interface DisbursementFilter {
  subtreeOf: string;
  caseId?: string;
  fundId?: string;
  orgId?: string;
  method?: string;
  statuses?: readonly string[];
  kind?: string;
  paidFrom?: string;
  paidTo?: string;
  voucherNo?: string;
}

/** The payee's bank by name beside its BIN, from the one table of banks (people read names, banks BINs). */
export function disbursementJSON(record: DisbursementRecord): Record<string, unknown> {
  const json = Disbursement.hydrate(record).toJSON() as Record<string, unknown>;
  const payee = json.payee as { bankBin?: string } | null | undefined;
  return payee ? { ...json, payee: { ...payee, bankName: bankName(payee.bankBin) } } : json;
}

/** Lists show the payee's account number masked, as member lists do (SPEC §3). */
export function maskedJSON(record: DisbursementRecord): Record<string, unknown> {
  const json = disbursementJSON(record);
  const payee = json.payee as { accountNo?: string } | null;
  return payee ? { ...json, payee: { ...payee, accountNo: mask(payee.accountNo) } } : json;
}

function matchOf(filter: DisbursementFilter): Record<string, unknown> {
  const match: Record<string, unknown> = {
    orgPath: filter.subtreeOf,
    status: { $in: filter.statuses ?? LISTED_STATUSES },
  };
  if (filter.orgId) match.orgPath = { $all: [filter.subtreeOf, filter.orgId] };
  if (filter.caseId) match.caseId = filter.caseId;
  if (filter.fundId) match.fundId = filter.fundId;
  if (filter.method) match.method = filter.method;
  if (filter.kind) match.kind = filter.kind;
  if (filter.voucherNo) match.voucherNo = filter.voucherNo;
  // Calendar days as YYYY-MM-DD compare correctly as strings.
  if (filter.paidFrom || filter.paidTo) {
    match.paidAt = {
      ...(filter.paidFrom ? { $gte: filter.paidFrom } : {}),
      ...(filter.paidTo ? { $lte: filter.paidTo } : {}),
    };
  }
  return match;
}

export const disbursementsRepository = {
  newId(): Types.ObjectId {
    return new mongoose.Types.ObjectId();
  },
  async findById(id: string): Promise<DisbursementRecord | null> {
    return Disbursement.findById(id).lean<DisbursementRecord>();
  },
  async insert(record: NewDisbursement): Promise<DisbursementRecord> {
    return (await Disbursement.create(record)).toObject() as unknown as DisbursementRecord;
  },
  /**
   * A list payment chunk's pending entries in one write, stored as mongoose stores an entry, without a mongoose
   * document each (core/db/lean-insert.ts). Each names its job and case (`listCase`, unique): answers the positions
   * of those refused because the job has an entry of that case already (the others are inserted).
   */
  async insertListEntries(records: readonly NewDisbursement[]): Promise<Set<number>> {
    if (!records.length) return new Set();
    return Disbursement.insertMany(await leanDocuments(Disbursement, records), { lean: true, ordered: false }).then(
      () => new Set<number>(),
      refusedAsDuplicates,
    );
  },
  /** The entries of some `<jobId>:<caseId>` keys (list payments), by key. */
  async byListCases(keys: readonly string[]): Promise<Map<string, DisbursementRecord>> {
    if (!keys.length) return new Map();
    const found = await Disbursement.find({ listCase: { $in: [...keys] } }).lean<
      (DisbursementRecord & { listCase: string })[]
    >();
    return new Map(found.map((entry) => [entry.listCase, entry]));
  },
  async discardPendingMany(ids: readonly Types.ObjectId[]): Promise<void> {
    if (ids.length) await Disbursement.deleteMany({ _id: { $in: ids }, status: 'pending' });
  },
  /**
   * Pending entries marked paid, one update by `_id` each in one bulk write sent as it is (`bulkUpdateStored`): the
   * embedded engine answers an `updateMany` by `_id: {$in}` by comparing every entry with every id. Each stays guarded
   * by its status, so that an instance that lost its job cannot settle again an entry reversed since.
   */
  async settleMany(ids: readonly Types.ObjectId[]): Promise<void> {
    await bulkUpdateStored(
      Disbursement,
      ids.map((_id) => ({ filter: { _id, status: 'pending' }, update: { $set: { status: 'paid' } } })),
    );
  },
  /** The entries of list payment chunks: of one chunk (`mark`), or the pending ones of every chunk of a job. */
  async ofListRun(mark: string): Promise<DisbursementRecord[]> {
    return Disbursement.find({ listRun: mark }).lean<DisbursementRecord[]>();
  },
  async pendingOfListJob(jobId: string): Promise<DisbursementRecord[]> {
    return Disbursement.find({ status: 'pending', listRun: { $regex: `^${jobId}:` } }).lean<DisbursementRecord[]>();
  },
  /**
   * Payments under a voucher by one user since a moment (a list payment's own, any status), read once when the
   * job is taken up again: no index has these keys, so the engine scans the collection for each such query.
   */
  async paymentsOfVoucherBy(voucherNo: string, userId: string, since: Date): Promise<DisbursementRecord[]> {
    return Disbursement.find({
      kind: 'payment',
      voucherNo,
      'createdBy.id': userId,
      createdAt: { $gte: since },
    }).lean<DisbursementRecord[]>();
  },
  /** Of some entries, the ids of those still pending (`_id` `$in`: the index). */
  async pendingIds(ids: readonly Types.ObjectId[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = await Disbursement.find({ _id: { $in: ids } }, { status: 1 }).lean();
    return new Set(found.filter((e) => e.status === 'pending').map((e) => String(e._id)));
  },
  /** A pending entry whose payment was refused never happened: it goes. */
  async discardPending(id: Types.ObjectId): Promise<void> {
    await Disbursement.deleteOne({ _id: id, status: 'pending' });
  },
  /** Settles a pending entry; answers whether this call did (not when it was settled or discarded before). */
  async settle(id: Types.ObjectId, status: 'paid' | 'reversal'): Promise<boolean> {
    return (await Disbursement.updateOne({ _id: id, status: 'pending' }, { $set: { status } })).modifiedCount === 1;
  },
  /** The once-only guard of a reversal: of several racing reversals exactly one flips the payment. */
  async markReversed(id: string, reversedBy: NonNullable<DisbursementRecord['reversedBy']>): Promise<boolean> {
    const result = await Disbursement.updateOne(
      { _id: id, kind: 'payment', status: 'paid' },
      { $set: { status: 'reversed', reversedBy } },
    );
    return result.modifiedCount === 1;
  },
  /** Undoes `markReversed` when the case refused the reversal afterwards. */
  async unmarkReversed(id: string, reversalId: Types.ObjectId): Promise<void> {
    await Disbursement.updateOne(
      { _id: id, status: 'reversed', 'reversedBy.id': reversalId },
      { $set: { status: 'paid', reversedBy: null } },
    );
  },
  async addReceipt(id: string, receipt: Receipt): Promise<boolean> {
    const result = await Disbursement.updateOne(
      { _id: id, status: { $in: LISTED_STATUSES } },
      { $push: { receipts: receipt } },
    );
    return result.modifiedCount === 1;
  },
  async list(filter: DisbursementFilter, query: ListQuery) {
    return findPage(Disbursement, matchOf(filter), query, (doc) =>
      maskedJSON(doc.toObject() as unknown as DisbursementRecord),
    );
  },
  /** Every entry of a selection in payment order, for exports (bounded by the caller). */
  async all(filter: DisbursementFilter, limit: number): Promise<DisbursementRecord[]> {
    return Disbursement.find(matchOf(filter))
      .sort({ paidAt: 1, createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<DisbursementRecord[]>();
  },
  async ofCase(caseId: string): Promise<DisbursementRecord[]> {
    return Disbursement.find({ caseId, status: { $in: LISTED_STATUSES } })
      .sort({ createdAt: 1, _id: 1 })
      .lean<DisbursementRecord[]>();
  },
  /** Net paid per case and fund and tranche from the entries themselves (reversals carry negative amounts). */
  async netPaid(subtreeOf: string | null) {
    const match: Record<string, unknown> = { status: { $in: LISTED_STATUSES } };
    if (subtreeOf) match.orgPath = new mongoose.Types.ObjectId(subtreeOf);
    return Disbursement.aggregate<{
      _id: { caseId: Types.ObjectId; fundId: Types.ObjectId; trancheNo: number };
      amount: number;
    }>([
      { $match: match },
      {
        $group: { _id: { caseId: '$caseId', fundId: '$fundId', trancheNo: '$trancheNo' }, amount: { $sum: '$amount' } },
      },
    ]);
  },
  /** Entries left pending longer than a request can take: a recording that was interrupted. */
  async stalePending(subtreeOf: string | null, olderThan: Date): Promise<DisbursementRecord[]> {
    const filter: Record<string, unknown> = { status: 'pending', createdAt: { $lt: olderThan } };
    if (subtreeOf) filter.orgPath = subtreeOf;
    return Disbursement.find(filter).lean<DisbursementRecord[]>();
  },
};
