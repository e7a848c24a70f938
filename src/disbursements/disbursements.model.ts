import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';
import { storedFileFields } from '../core/db/stored-file.js';

export const METHODS = ['cash', 'bank_transfer'] as const;
export type PaymentMethod = (typeof METHODS)[number];

/**
 * `pending`: being recorded (never listed; one left behind by a crash is reported by reconciliation);
 * `paid`: a payment in force; `reversed`: a payment cancelled by a reversal entry; `reversal`: that entry.
 */
export const ENTRY_STATUSES = ['pending', 'paid', 'reversed', 'reversal'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
export const LISTED_STATUSES = ['paid', 'reversed', 'reversal'] as const;

const person = { id: { type: String, required: true }, name: { type: String, required: true } };

const receiptSchema = new Schema(storedFileFields, { _id: false });

/** Whom a bank transfer goes to: the member's account as approved with the case, kept with the payment. */
const payeeSchema = new Schema(
  { fullName: String, bankBin: String, accountNo: String, accountName: String },
  { _id: false },
);

/**
 * A payment (chi trả) of a case, or the reversal entry (bút toán hủy) that cancels one with the opposite
 * sign (SPEC §7). Neither is ever edited or deleted once recorded: a reversal flips the payment's status
 * once (a conditional update) and adds its own entry.
 */
const disbursementSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['payment', 'reversal'] },
    status: { type: String, required: true, enum: ENTRY_STATUSES },
    caseId: { type: Schema.Types.ObjectId, required: true, index: true },
    caseCode: { type: String, required: true },
    programCode: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    memberName: { type: String, required: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    fundId: { type: Schema.Types.ObjectId, required: true },
    fundCode: { type: String, required: true },
    trancheNo: { type: Number, required: true },
    trancheLabel: { type: String, required: true },
    /** VND; negative for a reversal entry. */
    amount: { type: Number, required: true },
    method: { type: String, required: true, enum: METHODS },
    /** The day of the payment (or of the reversal), in Vietnam time. */
    paidAt: { type: String, required: true },
    /** Report keys stored with the entry (reports): its month in Vietnam time and the case's subtype and campaign. */
    paidMonth: { type: String, default: null },
    subtype: { type: String, default: null },
    campaignId: { type: Schema.Types.ObjectId, default: null },
    voucherNo: { type: String, required: true },
    note: { type: String, default: '' },
    transferNote: { type: String, required: true },
    payee: { type: payeeSchema, default: null },
    /** On a reversal entry: the payment it cancels, and why. */
    reverses: { type: Schema.Types.ObjectId, default: null },
    reason: { type: String, default: null },
    /** On a reversed payment: its reversal entry. */
    reversedBy: {
      type: new Schema({ id: Schema.Types.ObjectId, reason: String, by: person, at: Date }, { _id: false }),
      default: null,
    },
    receipts: { type: [receiptSchema], default: [] },
    createdBy: person,
    /** A payment made by a list payment's chunk: the chunk's mark `<jobId>:<first entry id>` (list-payment.ts). */
    listRun: { type: String, default: null, private: true },
    /**
     * A payment a list payment job made of a case, the bulk way or the single way: `<jobId>:<caseId>`, unique (absent
     * on other entries), so that the job pays a case once even when an instance that lost the job without knowing it
     * pays a case the single way while the instance that took the job over pays it in bulk (list-payment.ts).
     */
    listCase: { type: String, private: true },
  },
  { timestamps: true, collection: 'disbursements', versionKey: false },
);
disbursementSchema.index({ fundId: 1, paidAt: 1 });
disbursementSchema.index({ orgPath: 1, paidAt: 1 });
disbursementSchema.index({ listCase: 1 }, { unique: true, sparse: true });

export type DisbursementDoc = InferRawDocTypeFromSchema<typeof disbursementSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const Disbursement = defineModel('Disbursement', disbursementSchema);

/**
 * One `Idempotency-Key` of one caller: the hash of the request it was first used with and, once done, the
 * answer to replay. `_id` derives from caller and key, so two racing first uses cannot both insert it.
 * The engine never runs TTL indexes: `expiresAt` is checked in code and a periodic job deletes old ones.
 */
const idempotencySchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    key: { type: String, required: true },
    requestHash: { type: String, required: true },
    state: { type: String, required: true, enum: ['in_progress', 'done'] },
    responseStatus: { type: Number, default: null },
    responseBody: { type: Schema.Types.Mixed, default: null },
    // A payment's case and the id its entry is written under, known before it begins: what the service needs to
    // finish the payment if the request is cut off (interrupted-payments.ts).
    caseId: { type: String, default: null },
    entryId: { type: Schema.Types.ObjectId, default: null },
    // While a round finishes the cut-off payment: until then no other round takes it (null: none has it).
    finishingUntil: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false, minimize: false },
);

export type IdempotencyDoc = InferRawDocTypeFromSchema<typeof idempotencySchema>;
export const IdempotencyRecord = defineModel('IdempotencyRecord', idempotencySchema);
