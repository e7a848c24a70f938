import { Types } from 'mongoose';
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
const LIST_PROJECTION = { caseIds: 0, rejectedRows: 0, actions: 0, importRun: 0 } as const;

export const batchesRepository = {
  async findById(id: string): Promise<BatchRecord | null> {
    return Batch.findById(id).lean<BatchRecord>();
  },
  async findByFile(orgId: Types.ObjectId | string, fileSha256: string): Promise<BatchRecord | null> {
    return Batch.findOne({ orgId, fileSha256 }).lean<BatchRecord>();
  },
  /** Takes the file's hash for the union: a duplicate-key error means the same file is (being) imported. */
  async insertImporting(batch: NewBatch): Promise<BatchRecord> {
    return (
      await Batch.create({ ...batch, status: 'importing', importRun: new Types.ObjectId() })
    ).toObject() as unknown as BatchRecord;
  },
  /**
   * An `incomplete` list taken up again (its file uploaded again): `importing` under a new run. Answers null when
   * it is not `incomplete` any more (another upload took it up first).
   */
  async reopenImport(id: Types.ObjectId): Promise<BatchRecord | null> {
    const run = new Types.ObjectId();
    const before = await Batch.findOneAndUpdate(
      { _id: id, status: 'incomplete' },
      { $set: { status: 'importing', importRun: run } },
      { returnDocument: 'before' },
    ).lean<BatchRecord>();
    // The engine may answer another caller's document after a racing update (ENGINE-NOTES): read it again.
    return before ? Batch.findOne({ _id: id, importRun: run }).lean<BatchRecord>() : null;
  },
  async finishImport(
    id: Types.ObjectId,
    result: Pick<BatchRecord, 'rowCount' | 'createdCount' | 'rejectedCount' | 'caseIds' | 'rejectedRows'>,
  ): Promise<void> {
    await Batch.updateOne(
      { _id: id },
      { $set: { ...result, rowsRead: result.rowCount, importError: null, status: 'imported' } },
    );
  },
  /** The import of this run stopped with cases made: the list becomes `incomplete`. False: not this run's any more. */
  async stopImport(
    id: Types.ObjectId,
    run: Types.ObjectId | null,
    result: Pick<
      BatchRecord,
      'rowCount' | 'rowsRead' | 'createdCount' | 'rejectedCount' | 'caseIds' | 'rejectedRows' | 'importError'
    >,
  ): Promise<boolean> {
    const done = await Batch.updateOne(
      { _id: id, status: 'importing', importRun: run },
      { $set: { ...result, status: 'incomplete' } },
    );
    return done.modifiedCount === 1;
  },
  /** An import that created nothing leaves nothing behind, so the corrected file (or the same one) can come again. */
  async remove(id: Types.ObjectId): Promise<void> {
    await Batch.deleteOne({ _id: id });
  },
  /** An `incomplete` list taken up again by a request that failed before its job existed: as it was before. */
  async putBackIncomplete(id: Types.ObjectId, run: Types.ObjectId | null): Promise<void> {
    await Batch.updateOne({ _id: id, status: 'importing', importRun: run }, { $set: { status: 'incomplete' } });
  },
  /** The same, for a run that stopped: only while the list is still `importing` under that run. */
  async removeImporting(id: Types.ObjectId, run: Types.ObjectId | null): Promise<void> {
    await Batch.deleteOne({ _id: id, status: 'importing', importRun: run });
  },
  async recordAction(id: Types.ObjectId, action: BatchAction): Promise<void> {
    await Batch.updateOne({ _id: id }, { $push: { actions: action } });
  },
  async list(filter: BatchListFilter, query: ListQuery) {
    const match: Record<string, unknown> = { orgPath: filter.subtreeOf, status: { $in: ['imported', 'incomplete'] } };
    if (filter.orgId) match.orgPath = { $all: [filter.subtreeOf, filter.orgId] };
    if (filter.programCode) match.programCode = filter.programCode;
    if (filter.campaignId) match.campaignId = filter.campaignId;
    if (filter.ids) match._id = { $in: filter.ids };
    return findPage(Batch, match, query, (doc) => doc.toJSON(), LIST_PROJECTION);
  },
  /** The case ids of these lists, which their page leaves out (`LIST_PROJECTION`). */
  async caseIdsOf(ids: readonly string[]): Promise<Map<string, Types.ObjectId[]>> {
    const found = await Batch.find({ _id: { $in: ids } }, { caseIds: 1 }).lean<
      { _id: Types.ObjectId; caseIds: Types.ObjectId[] }[]
    >();
    return new Map(found.map((b) => [String(b._id), b.caseIds]));
  },
  toJSON(record: BatchRecord): Record<string, unknown> {
    return Batch.hydrate(record).toJSON() as Record<string, unknown>;
  },
};
