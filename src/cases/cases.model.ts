import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';
import { storedFileFields } from '../core/db/stored-file.js';
import { CASE_ACTIONS, CASE_STATUSES } from './workflow.js';

const person = { id: { type: String, required: true }, name: { type: String, required: true } };

const historySchema = new Schema(
  {
    action: {
      type: String,
      required: true,
      enum: [...CASE_ACTIONS, 'create', 'update', 'document_add', 'document_remove', 'disburse', 'reverse', 'exclude'],
    },
    from: { type: String, default: null },
    to: { type: String, default: null },
    by: person,
    at: { type: Date, required: true },
    note: { type: String, default: '' },
    /** On a payment's `disburse` entry written by a list payment: the payment entry (disbursements) it recorded. */
    entryId: { type: Schema.Types.ObjectId },
    /** On the entry of a step written by a list's chunk (verify, return, approve): the chunk's mark (batches/list-chunks.ts). */
    run: { type: String, private: true },
  },
  { _id: false },
);

const documentSchema = new Schema(
  {
    ...storedFileFields,
    type: { type: String, required: true },
    statusAtUpload: { type: String, required: true },
  },
  { _id: false },
);

/** The member as they were when the case was submitted (SPEC §5): later edits of the member do not change it. */
const snapshotSchema = new Schema(
  {
    fullName: String,
    dateOfBirth: String,
    gender: String,
    citizenId: String,
    unionCardNo: String,
    joinedUnionAt: String,
    phone: String,
    address: { province: String, commune: String, detail: String },
    bankAccount: {
      type: new Schema({ bankBin: String, accountNo: String, accountName: String }, { _id: false }),
      default: null,
    },
    orgId: String,
    takenAt: Date,
  },
  { _id: false },
);

/** A fund the approval drew on (SPEC §7): `paid` is what payments from that fund have taken of `amount`. */
const fundAllocationSchema = new Schema(
  {
    fundId: { type: Schema.Types.ObjectId, required: true },
    fundCode: { type: String, required: true },
    fundName: { type: String, required: true },
    amount: { type: Number, required: true },
    paid: { type: Number, default: 0 },
  },
  { _id: false },
);

/** A tranche of the approved amount (SPEC §4), fixed at the first payment from the province's rules then. */
const trancheSchema = new Schema(
  {
    no: { type: Number, required: true },
    label: { type: String, required: true },
    percent: { type: Number, required: true },
    amount: { type: Number, required: true },
    paid: { type: Number, default: 0 },
    requiresDocuments: { type: [String], default: [] },
  },
  { _id: false },
);

const caseSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    programCode: { type: String, required: true },
    subtype: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, default: null },
    memberId: { type: Schema.Types.ObjectId, required: true },
    memberSnapshot: { type: snapshotSchema, default: null },
    /** Kept beside the member id so lists and search need no join: name, its search key, CCCD. */
    memberName: { type: String, required: true },
    memberSearchName: { type: String, required: true, private: true },
    memberCitizenId: { type: String, required: true, private: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    orgPath: { type: [Schema.Types.ObjectId], required: true, index: true },
    requestedAmount: { type: Number, required: true },
    recommendedAmount: { type: Number, default: null },
    approvedAmount: { type: Number, default: null },
    disbursedAmount: { type: Number, default: 0 },
    fundAllocations: { type: [fundAllocationSchema], default: [] },
    tranches: { type: [trancheSchema], default: [] },
    situation: { type: String, default: '' },
    details: { type: Schema.Types.Mixed, default: {} },
    documents: { type: [documentSchema], default: [] },
    status: { type: String, required: true, enum: CASE_STATUSES },
    history: { type: [historySchema], default: [] },
    revision: { type: Number, required: true },
    /** The claim key held on the beneficiary while the case is open or paid (duplicates, SPEC §5). */
    claimKey: { type: String, default: null, private: true },
    createdBy: person,
    submittedAt: { type: Date, default: null },
    /** Report period keys (Vietnam days), stored once: the first submission and the approval's decision date (reports). */
    submittedDay: { type: String, default: null },
    approvedDay: { type: String, default: null },
    /** The subtype the report totals counted the case under at its last submission (reports move it on a change). */
    reportSubtype: { type: String, default: null, private: true },
    verifiedBy: { type: new Schema(person, { _id: false }), default: null },
    verifiedAt: { type: Date, default: null },
    approvedBy: { type: new Schema(person, { _id: false }), default: null },
    approvedAt: { type: Date, default: null },
    decisionId: { type: Schema.Types.ObjectId, default: null },
    batchId: { type: Schema.Types.ObjectId, default: null },
    /**
     * Payment and reversal entries the service fenced off this case (`fencePayments`, after a crash or a stall): an
     * update that carries one of them never takes, however late it comes or whatever revision it read.
     */
    fencedEntries: { type: [Schema.Types.ObjectId], default: undefined, private: true },
    /**
     * Set by a single creation (`POST /cases`) until the service's round has seen its audit entry stored
     * (creation-audit.ts): a crash between the insert and the entry leaves the case owing it. Its value is the case's
     * own id (hex), so that the round's query is served by a unique index on both engines (below).
     */
    creationAuditDue: { type: String, default: undefined, private: true },
  },
  { timestamps: true, collection: 'cases', minimize: false },
);
caseSchema.index({ status: 1, programCode: 1 });
/**
 * The key of every guarded change (cases.repository.ts). Redundant on MongoDB (the `_id` index finds the case),
 * but the embedded engine uses an index only for a filter of exactly its keys and otherwise scans the whole
 * collection for each change: ~15 ms a change at 50,000 cases, ~1 ms with this index (ENGINE-NOTES.md).
 */
caseSchema.index({ _id: 1, revision: 1, status: 1 }, { unique: true });
caseSchema.index({ memberId: 1 });
/**
 * The round's query (`OWING_CREATION_AUDIT`: a regular expression on exactly this key), which must not scan: the
 * round runs every minute on every instance. The embedded engine ignores a secondary index and scans every case for
 * any query but one on a unique index's keys (ENGINE-NOTES), holding the collection while it reads: 70 s at
 * 1,000,000 cases on the H2 file, during which no request could read a case. A unique index answers a regular
 * expression from its own entries, which a sparse one keeps only for the cases that owe (docs/operations.md).
 * MongoDB may use a sparse index for a regular expression too, since a case without the field cannot match one (not
 * checked here: no MongoDB server is reachable).
 */
caseSchema.index({ creationAuditDue: 1 }, { unique: true, sparse: true });

export type CaseDoc = InferRawDocTypeFromSchema<typeof caseSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const Case = defineModel('Case', caseSchema);

/**
 * One claim per beneficiary and program (and campaign, for once-per-campaign programs), held by the case
 * that was submitted. A plain unique `_id` makes two racing submissions impossible on both engines
 * (partial unique indexes are not honoured by the embedded engine, ENGINE-NOTES.md).
 */
const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: Schema.Types.ObjectId, required: true },
    caseCode: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    programCode: { type: String, required: true },
    campaignId: { type: Schema.Types.ObjectId, default: null },
    /**
     * The list chunk that inserted it (its mark), until a single submission of the case takes it as its own: the
     * chunk, finished after a crash, gives back only a claim that still names it (claims.ts).
     */
    run: { type: String, default: undefined },
  },
  { timestamps: true, collection: 'benefit_claims', versionKey: false },
);
export const BenefitClaim = defineModel('BenefitClaim', claimSchema);

/**
 * What a member received from a program, one document per member × program (`<programCode>:<memberId>`): an entry
 * per approval that stands, with its amount and day. A province's cap over years (rules/member-cap.ts) is checked
 * against it and taken on it by compare-and-set on `version`, so racing approvals on any number of instances never
 * take more than the cap together. Kept for every program, so a cap set later counts what was approved before.
 */
const benefitEntrySchema = new Schema(
  {
    caseId: { type: Schema.Types.ObjectId, required: true },
    caseCode: { type: String, required: true },
    amount: { type: Number, required: true },
    /** The approval's day (the decision date), YYYY-MM-DD. */
    day: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);
const memberBenefitsSchema = new Schema(
  {
    _id: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    programCode: { type: String, required: true },
    version: { type: Number, required: true },
    entries: { type: [benefitEntrySchema], default: [] },
  },
  { collection: 'member_benefits', versionKey: false },
);
// The compare-and-set filter `{_id, version}`, found by an index of exactly its keys (ENGINE-NOTES.md).
memberBenefitsSchema.index({ _id: 1, version: 1 }, { unique: true });
export const MemberBenefits = defineModel('MemberBenefits', memberBenefitsSchema);
