import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';

const person = { id: { type: String, required: true }, name: { type: String, required: true } };

/** A row of the file that did not become a case: its row number in the file and why (Vietnamese). */
const rejectedRowSchema = new Schema(
  {
    row: { type: Number, required: true },
    citizenId: { type: String, default: '' },
    fullName: { type: String, default: '' },
    reasons: { type: [String], default: [] },
  },
  { _id: false },
);

/** One batch action as it was asked and what came of it, so the list's own history can be read later. */
const actionSchema = new Schema(
  {
    action: { type: String, required: true },
    by: person,
    at: { type: Date, required: true },
    ok: { type: Number, required: true },
    failed: { type: Number, required: true },
    excluded: { type: Number, required: true },
    /** Cases not at the action's step (see actions.service); absent on actions recorded before it was counted. */
    skipped: { type: Number, default: 0 },
    decisionId: { type: Schema.Types.ObjectId, default: null },
  },
  { _id: false },
);

/**
 * A list (danh sách) imported by a grassroots union (SPEC §5 Batches): which file it came from and which
 * draft cases it created. The cases themselves carry `batchId`, and their statuses are read from them, never
 * copied here. `status` is `importing` only while the import runs: the document is inserted first, so that
 * the unique (orgId, fileSha256) index stops the same file being imported twice, also by two racing uploads.
 * An import whose job failed after making cases leaves the list `incomplete` (docs/jobs.md): its cases are
 * drafts like any list's, `importError` says why it stopped, and the same file uploaded again continues it.
 */
const batchSchema = new Schema(
  {
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    programCode: { type: String, required: true },
    subtype: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, default: null },
    fileName: { type: String, required: true },
    fileFormat: { type: String, required: true, enum: ['csv', 'xlsx'] },
    fileSha256: { type: String, required: true },
    status: { type: String, required: true, enum: ['importing', 'imported', 'incomplete'] },
    /**
     * The run of the import now under way (a new id each time the list is taken up, by its upload or by the same
     * file uploaded again after it stopped): a run's job may stop only its own run.
     */
    importRun: { type: Schema.Types.ObjectId, default: null },
    /** Why the import stopped (`incomplete`): the failed job's `code` and `detail`. */
    importError: { type: new Schema({ code: String, detail: String }, { _id: false }), default: null },
    /** Rows of the file read and checked before the import stopped (`incomplete`); the file's rows otherwise. */
    rowsRead: { type: Number, default: 0 },
    rowCount: { type: Number, default: 0 },
    createdCount: { type: Number, default: 0 },
    rejectedCount: { type: Number, default: 0 },
    caseIds: { type: [Schema.Types.ObjectId], default: [] },
    rejectedRows: { type: [rejectedRowSchema], default: [] },
    actions: { type: [actionSchema], default: [] },
    createdBy: person,
  },
  { timestamps: true, collection: 'batches', versionKey: false },
);
batchSchema.index({ orgId: 1, fileSha256: 1 }, { unique: true });

export type BatchDoc = InferRawDocTypeFromSchema<typeof batchSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const Batch = defineModel('Batch', batchSchema);
