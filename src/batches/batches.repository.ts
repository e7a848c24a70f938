import type { Types } from 'mongoose';
import { findPage } from '../core/db/paging.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { Batch, type BatchDoc } from './batches.model.js';

export type BatchRecord = BatchDoc;
export type NewBatch = Pick<
  BatchRecord,
  | 'orgId'
  | 'orgPath'
  | 'programCode'
  | 'subtype'
  | 'campaignId'
  | 'fileName'
  | 'fileFormat'
  | 'fileSha256'
  | 'createdBy'
>;
export type BatchAction = BatchRecord['actions'][number];

export interface BatchListFilter {
  subtreeOf: string;
  orgId?: string;
  programCode?: string;
  campaignId?: string;
  /** Only these lists (e.g. those with cases waiting for payment). */
  ids?: readonly string[];
}

/** Lists leave out the long parts (ids of every case, every rejected row). */
const LIST_PROJECTION = { caseIds: 0, rejectedRows: 0, actions: 0 } as const;

export const batchesRepository = {
  async findById(id: string): Promise<BatchRecord | null> {
    return Batch.findById(id).lean<BatchRecord>();
  },
  async findByFile(orgId: Types.ObjectId | string, fileSha256: string): Promise<BatchRecord | null> {
    return Batch.findOne({ orgId, fileSha256 }).lean<BatchRecord>();
  },
  /** Takes the file's hash for the union: a duplicate-key error means the same file is (being) imported. */
  async insertImporting(batch: NewBatch): Promise<BatchRecord> {
    return (await Batch.create({ ...batch, status: 'importing' })).toObject() as unknown as BatchRecord;
  },
  async finishImport(
    id: Types.ObjectId,
    result: Pick<BatchRecord, 'rowCount' | 'createdCount' | 'rejectedCount' | 'caseIds' | 'rejectedRows'>,
  ): Promise<void> {
    await Batch.updateOne({ _id: id }, { $set: { ...result, status: 'imported' } });
  },
  /** An import that created nothing leaves nothing behind, so the corrected file (or the same one) can come again. */
  async remove(id: Types.ObjectId): Promise<void> {
    await Batch.deleteOne({ _id: id });
  },
  async recordAction(id: Types.ObjectId, action: BatchAction): Promise<void> {
    await Batch.updateOne({ _id: id }, { $push: { actions: action } });
  },
  async list(filter: BatchListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf, status: 'imported' };
    if (filter.orgId) match.orgPath = { $all: [filter.subtreeOf, filter.orgId] };
    if (filter.programCode) match.programCode = filter.programCode;
    if (filter.campaignId) match.campaignId = filter.campaignId;
    if (filter.ids) match._id = { $in: filter.ids };
    return findPage(Batch, match, query, (doc) => doc.toJSON(), LIST_PROJECTION);
  },
  toJSON(record: BatchRecord): Record<string, unknown> {
    return Batch.hydrate(record).toJSON() as Record<string, unknown>;
  },
};
