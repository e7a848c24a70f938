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

/**
 * People paid (payees.ts): one marker per year and member with the member's net paid by organisation and
 * grouping value (`n.<orgId>.total`, `n.<orgId>.program.<value>` …), and one counter per year and
 * organisation with how many of those nets are positive (`c.total`, `c.program.<value>` …). Both are keyed by
 * `_id` alone, so every read and write is an exact `_id` lookup on both engines.
 */
const reportPayeeSchema = new Schema(
  {
    _id: { type: String, required: true },
    year: { type: String, required: true },
    memberId: { type: String, required: true },
    n: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'report_payees', versionKey: false, minimize: false },
);
export const ReportPayee = defineModel('ReportPayee', reportPayeeSchema);

const reportPayeeCountSchema = new Schema(
  {
    _id: { type: String, required: true },
    year: { type: String, required: true },
    orgId: { type: String, required: true },
    c: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'report_payee_counts', versionKey: false, minimize: false },
);
export const ReportPayeeCount = defineModel('ReportPayeeCount', reportPayeeCountSchema);

/**
 * The figures of a calendar year per organisation (yearly.ts): `_id` `<orgId>|<year>` with `g`, and one list
 * per organisation (`_id` the organisation's id) of the years it has, `years`.
 */
const reportYearSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String },
    year: { type: String },
    g: { type: Schema.Types.Mixed },
    years: { type: [String], default: undefined },
  },
  { collection: 'report_years', versionKey: false, minimize: false },
);
export const ReportYear = defineModel('ReportYear', reportYearSchema);

/**
 * The report totals of one chunk of a list job (totals.hooks.ts `recordRunOnce`), written once: the chunk's mark is
 * inserted `applying` before its figures are added and set `applied` after, so a chunk taken up again after a crash
 * adds them only if they were never begun. A mark begins with its job's id (`<jobId>:…`): once the job has ended,
 * the server's clean-up removes its `applied` records, and a record still `applying` names figures partly counted,
 * which a report rebuild replaces (`repairJob`, report-runs.ts). A single approval's, revocation's, payment's or
 * reversal's totals are written once the same way (`stepRunOnce`, `paymentRunOnce`); their `applied` records go after
 * an hour, and one still `applying` after `PAYMENT_FINISH_AFTER_MS` is partly counted.
 */
const reportRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true, enum: ['applying', 'applied'] },
    at: { type: Date, required: true },
    /** The report rebuild started to replace figures this chunk left partly counted. */
    repairJob: { type: Schema.Types.ObjectId, default: null },
    /** Rebuilds started for it so far (one that failed or was cancelled is followed by another, up to a limit). */
    repairTries: { type: Number, default: 0 },
    /** When an operator was last told that rebuilds gave up on it (at most once an hour, by one instance). */
    toldAt: { type: Date, default: null },
  },
  { collection: 'report_runs', versionKey: false },
);
export const ReportRun = defineModel('ReportRun', reportRunSchema);

/**
 * The report run of a single workflow step (its run's mark, cases/step-runs.ts) and of a single payment or
 * reversal (its entry): what keeps its totals from being counted twice by its request and the service's round that
 * finishes it. A list job's chunk has its chunk's mark, `<jobId>:<chunk>`.
 */
export const stepRunOnce = (run: string) => `step:${run}`;
export const paymentRunOnce = (entryId: string) => `pay:${entryId}`;
export const isSingleRun = (id: string) => id.startsWith('step:') || id.startsWith('pay:');
