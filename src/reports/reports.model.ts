import { Schema, type InferRawDocTypeFromSchema } from 'mongoose';
import { defineModel } from '../core/db/model.js';

const count = { type: Number, default: 0 };

/**
 * Per-month totals of one grassroots union × program × subtype × campaign × fund (SPEC §8 at national scale):
 * a province's yearly summary reads a few thousand of these instead of a million cases. `_id` is the bucket
 * key (events.ts `bucketKey`), so a bucket is created once (insert, duplicate ignored) and then only moved by
 * `$inc`, never by a concurrent upsert (ENGINE-NOTES.md). `fundId` is null for the case-level counters.
 */
const reportTotalSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    programCode: { type: String, required: true },
    subtype: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, default: null },
    fundId: { type: Schema.Types.ObjectId, default: null },
    month: { type: String, required: true },
    received: count,
    approvedCount: count,
    approvedAmount: count,
    fundApprovedCount: count,
    fundApprovedAmount: count,
    disbursedCount: count,
    disbursedAmount: count,
    open: {
      submitted: count,
      returned: count,
      verified: count,
      approved: count,
      partially_disbursed: count,
      disbursed: count,
    },
  },
  { collection: 'report_totals', versionKey: false, minimize: false },
);
reportTotalSchema.index({ orgPath: 1, month: 1 });

export type ReportTotalDoc = InferRawDocTypeFromSchema<typeof reportTotalSchema> & { _id: string };
export const ReportTotal = defineModel('ReportTotal', reportTotalSchema);
