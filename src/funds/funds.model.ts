import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';

export const FUND_KINDS = ['union_finance', 'social_fund', 'sponsor', 'upper_support'] as const;
export type FundKind = (typeof FUND_KINDS)[number];

const person = { id: { type: String, required: true }, name: { type: String, required: true } };

/**
 * A fund (nguồn kinh phí) of a province (SPEC §7). The totals are precomputed and only ever moved by
 * conditional `$inc` (funds.repository.ts), so that a limit holds on one document with any number of app
 * instances: `available` is kept beside `allocated − committed` because a plain field condition
 * (`available ≥ amount`) is what the embedded engine was measured to honour under load (ENGINE-NOTES.md).
 */
const fundSchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true, enum: FUND_KINDS },
    sponsorName: { type: String, default: null },
    year: { type: Number, required: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    allocated: { type: Number, required: true },
    /** Approved amounts of the cases drawing on the fund, paid or not. */
    committed: { type: Number, required: true },
    disbursed: { type: Number, required: true },
    available: { type: Number, required: true },
    searchKey: { type: String, required: true, private: true },
    /**
     * The chunks of list payments whose total is in `disbursed` and whose entries are not all settled yet
     * (commitments.ts `moveDisbursedAtOnce`): the mark that makes the chunk's one `$inc` happen once.
     */
    paidRuns: { type: [String], default: undefined, private: true },
    /**
     * The chunks of list approvals whose commitment is in `committed` (`<mark>:c`) and those that gave back what their
     * cases did not take (`<mark>:b`), until the list's job ends (commitments.ts `chunkCommitments`).
     */
    approveRuns: { type: [String], default: undefined, private: true },
    createdBy: person,
  },
  { timestamps: true, collection: 'funds', versionKey: false },
);
// A fund code is the province's own: two provinces may both call theirs QXH-2026.
fundSchema.index({ orgId: 1, code: 1 }, { unique: true });

export type FundDoc = InferRawDocTypeFromSchema<typeof fundSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const Fund = defineModel('Fund', fundSchema);

export const ENTRY_KINDS = ['allocation', 'adjustment', 'commitment', 'release', 'payment', 'reversal'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * One movement of a fund, append-only: the statement and its running balances are computed from these,
 * and reconciliation compares their sums with the fund's totals. `effect` holds the signed change of each
 * total, so a statement never needs to know what a kind means.
 */
const entrySchema = new Schema(
  {
    fundId: { type: Schema.Types.ObjectId, required: true, index: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    kind: { type: String, required: true, enum: ENTRY_KINDS },
    amount: { type: Number, required: true },
    effect: {
      allocated: { type: Number, default: 0 },
      committed: { type: Number, default: 0 },
      disbursed: { type: Number, default: 0 },
    },
    caseId: { type: Schema.Types.ObjectId, default: null },
    caseCode: { type: String, default: null },
    disbursementId: { type: Schema.Types.ObjectId, default: null },
    voucherNo: { type: String, default: null },
    note: { type: String, default: '' },
    by: { type: new Schema(person, { _id: false }), default: null },
    requestId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'fund_entries', versionKey: false },
);
entrySchema.index({ fundId: 1, at: 1 });

export type FundEntryDoc = InferRawDocTypeFromSchema<typeof entrySchema> & { _id: Types.ObjectId };
export const FundEntry = defineModel('FundEntry', entrySchema);
