import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';

export const DECISION_STATUSES = ['issued', 'revoked'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

const person = { id: { type: String, required: true }, name: { type: String, required: true } };

/**
 * One beneficiary of the decision as printed: copied when the decision is issued, so the decision and its PDF
 * never change when the member, the union or the case is edited later. The CCCD is kept masked only.
 */
export const lineFields = {
  caseId: { type: Schema.Types.ObjectId, required: true },
  caseCode: { type: String, required: true },
  memberName: { type: String, required: true },
  citizenIdMasked: { type: String, required: true },
  orgId: { type: Schema.Types.ObjectId, required: true },
  orgName: { type: String, required: true },
  subtype: { type: String, required: true },
  amount: { type: Number, required: true },
} as const;
export const lineSchema = new Schema(lineFields, { _id: false });

/** The wording as it was filled in from the template when the decision was issued (SPEC §6: immutable). */
const contentSchema = new Schema(
  {
    subject: { type: String, required: true },
    decidingBody: { type: String, required: true },
    articles: { type: [String], required: true },
    recipients: { type: [String], required: true },
    parentName: { type: String, required: true },
    place: { type: String, default: '' },
    templateSource: { type: String, required: true },
    /** Printed in the QR code; fixed at issue so that a later render gives the same bytes. */
    verifyUrl: { type: String, required: true },
  },
  { _id: false },
);

const revocationSchema = new Schema(
  {
    caseId: { type: Schema.Types.ObjectId, required: true },
    reason: { type: String, required: true },
    by: person,
    at: { type: Date, required: true },
  },
  { _id: false },
);

const decisionSchema = new Schema(
  {
    /** The sequence within the issuer and year (15), and the printed number `15/QĐ-LĐLĐ` (SPEC §6). */
    sequence: { type: Number, required: true },
    number: { type: String, required: true },
    /** Calendar year of `issuedAt`: numbering restarts every year. */
    year: { type: Number, required: true },
    /** The decision date, a Vietnamese calendar day `YYYY-MM-DD` (the date printed under the motto). */
    issuedAt: { type: String, required: true },
    issuerOrgId: { type: Schema.Types.ObjectId, required: true },
    issuerName: { type: String, required: true },
    issuerShortName: { type: String, required: true },
    /**
     * Every organisation that may read the decision: the issuer and its ancestors, and each case's union and
     * its ancestors. "In my subtree" is then one match on my organisation id, as `orgPath` is elsewhere.
     */
    scopeOrgIds: { type: [Schema.Types.ObjectId], required: true, index: true, private: true },
    kind: { type: String, required: true, enum: ['single', 'batch'] },
    signerName: { type: String, required: true },
    signerTitle: { type: String, required: true },
    programCode: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, default: null },
    /** A case is in at most one decision, ever: a unique multikey index (below) makes that a database fact. */
    caseIds: { type: [Schema.Types.ObjectId], required: true },
    /**
     * The beneficiary of a single decision. A list's lines (up to 50,000: 10 MB and more, near MongoDB's 16 MB per
     * document) are kept one document each in `decision_lines` (decision-lines.ts) and this stays empty; batch
     * decisions issued before that keep theirs here.
     */
    lines: { type: [lineSchema], default: [] },
    /** How many lines the decision prints (its cases); absent on decisions issued before it was kept. */
    lineCount: { type: Number },
    totalAmount: { type: Number, required: true },
    legalBases: { type: [String], required: true },
    content: { type: contentSchema, required: true },
    status: { type: String, required: true, enum: DECISION_STATUSES },
    revokedAt: { type: Date, default: null },
    revokeReason: { type: String, default: null },
    /** Cases of the decision whose approval was revoked; the decision is revoked when all of them are. */
    revocations: { type: [revocationSchema], default: [] },
    /** The rendered PDF in GridFS; null only between the insert and the first store (see issue.service.ts). */
    pdf: {
      type: new Schema(
        {
          fileId: { type: Schema.Types.ObjectId, required: true, private: true },
          sha256: { type: String, required: true },
          size: { type: Number, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    createdBy: person,
    /**
     * The secret in the printed verify link (`/xac-minh/<token>`): 128 random bits, so that a decision cannot be
     * found by guessing ids, which are nearly sequential. Missing only on decisions issued before it existed.
     */
    verifyToken: { type: String, private: true },
    /**
     * Set (by migration) on decisions whose paper prints the id link `/api/v1/decisions/:id/verify`: the paper
     * cannot change, so that link keeps answering the public for them, and only for them.
     */
    legacyVerify: { type: Boolean, private: true },
  },
  { timestamps: true, collection: 'decisions', minimize: false },
);
// No gaps, no reuse: a number is taken by inserting the decision itself (issue.service.ts).
decisionSchema.index({ issuerOrgId: 1, year: 1, sequence: 1 }, { unique: true });
decisionSchema.index({ caseIds: 1 }, { unique: true });
decisionSchema.index({ issuedAt: -1 });
// Sparse: decisions issued before the token existed have none until the migration gives them one.
decisionSchema.index({ verifyToken: 1 }, { unique: true, sparse: true });

export type DecisionDoc = InferRawDocTypeFromSchema<typeof decisionSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const Decision = defineModel('Decision', decisionSchema);
