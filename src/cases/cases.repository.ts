import type { Types } from 'mongoose';
import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { Case, type CaseDoc } from './cases.model.js';
import type { CaseStatus } from './workflow.js';

export type CaseRecord = CaseDoc;
export type CaseHistoryEntry = CaseRecord['history'][number];
export type CaseDocument = CaseRecord['documents'][number];

export interface CaseListFilter {
  subtreeOf: string;
  orgId?: string;
  statuses?: string[];
  programCode?: string;
  campaignId?: string;
  createdFrom?: Date;
  createdBefore?: Date;
  code?: string;
  citizenId?: string;
  memberSearchName?: RegExp;
}

/** Lists carry no personal data beyond the member's name, and none of the heavy parts. */
const LIST_PROJECTION = { history: 0, documents: 0, memberSnapshot: 0, details: 0 } as const;

export interface GuardedUpdate {
  $set?: Record<string, unknown>;
  $push?: Record<string, unknown>;
  $pull?: Record<string, unknown>;
}

export const casesRepository = {
  async findById(id: string): Promise<CaseRecord | null> {
    return Case.findById(id).lean<CaseRecord>();
  },
  /** Allocations and tranches start empty: approval and the first payment fill them (funds, disbursements). */
  async insert(
    record: Omit<CaseRecord, '_id' | 'createdAt' | 'updatedAt' | 'fundAllocations' | 'tranches'> & Partial<Pick<CaseRecord, 'fundAllocations' | 'tranches'>> & { _id?: Types.ObjectId },
  ): Promise<CaseRecord> {
    return (await Case.create(record)).toObject() as unknown as CaseRecord;
  },
  /**
   * The one way a case changes: applied only if the case still has the revision the caller saw and one of
   * the expected statuses, and it raises the revision. Of several racing writers exactly one wins on both
   * engines. We check `modifiedCount` and re-read instead of trusting a returned document (ENGINE-NOTES.md).
   */
  async guardedUpdate(id: string, revision: number, statuses: readonly CaseStatus[], update: GuardedUpdate): Promise<boolean> {
    const result = await Case.updateOne(
      { _id: id, revision, status: { $in: statuses } },
      { ...update, $inc: { revision: 1 } },
    );
    return result.modifiedCount === 1;
  },
  /**
   * Adds or removes a document while the case is in one of `statuses`. Parallel uploads to one case all
   * succeed (each is one atomic update); a revision is enforced only when the client sent one.
   */
  async changeDocuments(
    id: string,
    statuses: readonly CaseStatus[],
    revision: number | undefined,
    change: { $push?: Record<string, unknown>; $pull?: Record<string, unknown> },
  ): Promise<boolean> {
    const filter: Record<string, unknown> = { _id: id, status: { $in: statuses } };
    if (revision !== undefined) filter.revision = revision;
    const result = await Case.updateOne(filter, { ...change, $inc: { revision: 1 } });
    return result.modifiedCount === 1;
  },
  async list(filter: CaseListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf };
    if (filter.orgId) match.orgPath = { $all: [filter.subtreeOf, filter.orgId] };
    if (filter.statuses?.length) match.status = { $in: filter.statuses };
    if (filter.programCode) match.programCode = filter.programCode;
    if (filter.campaignId) match.campaignId = filter.campaignId;
    if (filter.createdFrom || filter.createdBefore) {
      match.createdAt = {
        ...(filter.createdFrom ? { $gte: filter.createdFrom } : {}),
        ...(filter.createdBefore ? { $lt: filter.createdBefore } : {}),
      };
    }
    if (filter.code) match.code = filter.code;
    if (filter.citizenId) match.memberCitizenId = filter.citizenId;
    if (filter.memberSearchName) match.memberSearchName = filter.memberSearchName;
    return findPage(Case, match, query, (doc) => doc.toJSON(), LIST_PROJECTION);
  },
  /**
   * A change applied only where the case still meets `conditions` (payments and reversals: the paid total,
   * a tranche and a fund allocation each bounded in the filter). True when it was applied; the caller
   * re-reads rather than trusting a returned document (ENGINE-NOTES.md).
   */
  async updateIf(id: string, conditions: Record<string, unknown>, update: Record<string, unknown>): Promise<boolean> {
    const result = await Case.updateOne({ ...conditions, _id: id }, update);
    return result.modifiedCount === 1;
  },
  /** Cases of a subtree that ever held money, with what reconciliation recomputes. */
  async withMoney(subtreeOf: string | null): Promise<CaseRecord[]> {
    return Case.find(
      { ...(subtreeOf ? { orgPath: subtreeOf } : {}), $or: [{ approvedAmount: { $ne: null } }, { disbursedAmount: { $ne: 0 } }, { 'fundAllocations.0': { $exists: true } }] },
      { code: 1, status: 1, approvedAmount: 1, disbursedAmount: 1, fundAllocations: 1, tranches: 1, orgPath: 1 },
    ).lean<CaseRecord[]>();
  },
  /**
   * Points the cases at the decision that was issued for them (decisions feature), once: a case that already
   * names a decision keeps it. The revision does not move: this is the service's bookkeeping that follows an
   * approval, not an edit that another user's write could lose or overwrite, and an approval raises the
   * revision by exactly one.
   */
  async linkDecision(ids: readonly Types.ObjectId[], decisionId: Types.ObjectId): Promise<void> {
    await Case.updateMany({ _id: { $in: ids }, decisionId: null }, { $set: { decisionId } });
  },
  /** The cases imported in one list (batches feature), oldest first: the order of the file. */
  async ofBatch(batchId: Types.ObjectId | string): Promise<CaseRecord[]> {
    return Case.find({ batchId }, { history: 0, documents: 0, details: 0 }).sort({ createdAt: 1, _id: 1 }).lean<CaseRecord[]>();
  },
  /** Cases of these members in a campaign that still hold or will hold the benefit (any status but the final ones without it). */
  async benefitingInCampaign(programCode: string, campaignId: Types.ObjectId | string, memberIds: readonly Types.ObjectId[], endedWithout: readonly CaseStatus[]) {
    return Case.find(
      { programCode, campaignId, memberId: { $in: memberIds }, status: { $nin: endedWithout } },
      { memberId: 1, code: 1, status: 1 },
    ).lean<Pick<CaseRecord, '_id' | 'memberId' | 'code' | 'status'>[]>();
  },
  toJSON(record: CaseRecord): Record<string, unknown> {
    return Case.hydrate(record).toJSON() as Record<string, unknown>;
  },
};
