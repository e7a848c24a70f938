import type { Types } from 'mongoose';
import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { Decision, type DecisionDoc, type DecisionStatus } from './decisions.model.js';

export type DecisionRecord = DecisionDoc;
export type DecisionLine = DecisionRecord['lines'][number];
/** A decision to insert: its id is chosen first, so that the verify address printed in it is known. */
export type NewDecision = Omit<DecisionRecord, 'createdAt' | 'updatedAt'>;

export interface DecisionListFilter {
  subtreeOf: string;
  programCode?: string;
  campaignId?: string;
  status?: DecisionStatus;
  issuedFrom?: string;
  issuedTo?: string;
}

/** Lists leave out the beneficiaries and the wording; the single read has them. */
const LIST_PROJECTION = { lines: 0, content: 0, legalBases: 0, revocations: 0 } as const;

export const decisionsRepository = {
  async findById(id: string): Promise<DecisionRecord | null> {
    return Decision.findById(id).lean<DecisionRecord>();
  },
  async findByVerifyToken(token: string): Promise<DecisionRecord | null> {
    return Decision.findOne({ verifyToken: token }).lean<DecisionRecord>();
  },
  /** The decisions of an issuer with this sequence: one per year, or the year's one. */
  async findByIssuerSequence(issuerOrgId: Types.ObjectId, sequence: number, year?: number): Promise<DecisionRecord[]> {
    return Decision.find({ issuerOrgId, ...(year ? { year } : {}), sequence }).lean<DecisionRecord[]>();
  },
  /** What the public summary lists of an issuer's decisions dated in a period (no beneficiary, no wording). */
  async issuedBy(issuerOrgId: Types.ObjectId, from: string, to: string) {
    return Decision.find(
      { issuerOrgId, issuedAt: { $gte: from, $lte: to } },
      { number: 1, sequence: 1, issuedAt: 1, totalAmount: 1, caseIds: 1, status: 1, programCode: 1, campaignId: 1 },
    )
      .sort({ issuedAt: 1, sequence: 1 })
      .lean<
        Pick<
          DecisionRecord,
          '_id' | 'number' | 'issuedAt' | 'totalAmount' | 'caseIds' | 'status' | 'programCode' | 'campaignId'
        >[]
      >();
  },
  /** The decision a case belongs to, whether or not the case already points at it. */
  async findByCase(caseId: string | Types.ObjectId): Promise<DecisionRecord | null> {
    return Decision.findOne({ caseIds: caseId }).lean<DecisionRecord>();
  },
  async lastSequence(issuerOrgId: Types.ObjectId, year: number): Promise<number> {
    const last = await Decision.findOne({ issuerOrgId, year }, { sequence: 1 })
      .sort({ sequence: -1 })
      .lean<{ sequence: number }>();
    return last?.sequence ?? 0;
  },
  /** Fails with a duplicate-key error when the number, or one of the cases, is already taken. */
  async insert(decision: NewDecision): Promise<DecisionRecord> {
    return (await Decision.create(decision)).toObject() as unknown as DecisionRecord;
  },
  /** Records the stored PDF once: of two racing writers only the first one's file is kept. */
  async attachPdf(id: Types.ObjectId, pdf: { fileId: Types.ObjectId; sha256: string; size: number }): Promise<boolean> {
    const result = await Decision.updateOne({ _id: id, pdf: null }, { $set: { pdf } });
    return result.modifiedCount === 1;
  },
  /** Records one case's revocation, once per case. */
  async addRevocation(
    id: Types.ObjectId,
    revocation: { caseId: Types.ObjectId; reason: string; by: { id: string; name: string }; at: Date },
  ): Promise<boolean> {
    const result = await Decision.updateOne(
      { _id: id, 'revocations.caseId': { $ne: revocation.caseId } },
      { $push: { revocations: revocation } },
    );
    return result.modifiedCount === 1;
  },
  /**
   * The decision itself is revoked once every one of its cases is: decided in the update's own filter, so two
   * revocations of the last cases of a batch racing each other cannot both leave it issued.
   */
  async revokeIfAllRevoked(id: Types.ObjectId, reason: string, at: Date): Promise<void> {
    await Decision.updateOne(
      { _id: id, status: 'issued', $expr: { $eq: [{ $size: '$revocations' }, { $size: '$caseIds' }] } },
      { $set: { status: 'revoked', revokedAt: at, revokeReason: reason } },
    );
  },
  async list(filter: DecisionListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { scopeOrgIds: filter.subtreeOf };
    if (filter.programCode) match.programCode = filter.programCode;
    if (filter.campaignId) match.campaignId = filter.campaignId;
    if (filter.status) match.status = filter.status;
    if (filter.issuedFrom || filter.issuedTo) {
      match.issuedAt = {
        ...(filter.issuedFrom ? { $gte: filter.issuedFrom } : {}),
        ...(filter.issuedTo ? { $lte: filter.issuedTo } : {}),
      };
    }
    return findPage(Decision, match, query, (doc) => doc.toJSON(), LIST_PROJECTION);
  },
  toJSON(record: DecisionRecord): Record<string, unknown> {
    return Decision.hydrate(record).toJSON() as Record<string, unknown>;
  },
};
