import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';

export const OPERATION_KINDS = ['move', 'dissolve', 'merge'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
export const OPERATION_STATUSES = ['running', 'succeeded', 'failed'] as const;

/**
 * One step of a reorganisation, planned when the operation is accepted and stored with it, so that an
 * instance resuming after kill -9 runs exactly the remaining steps. Every step is idempotent.
 * `kind`: `paths` (rewrite the chain of one collection for one subtree root), `decisions` (recompute the
 * decisions' scope), `org` (the organisation documents themselves: parent, status, history), `members`/`cases`
 * (hand a dissolved union's members and open cases to its successor), `endMemberships`, `funds` (merge).
 */
const stepSchema = new Schema(
  {
    kind: { type: String, required: true },
    collectionName: { type: String, default: null },
    rootId: { type: String, default: null },
    /** Several subtree roots moved together by one `paths` or `decisions` step (the children of a dissolved organisation). */
    rootIds: { type: [String], default: undefined },
    removed: { type: [String], default: [] },
    added: { type: [String], default: [] },
    at: { type: Number, default: 0 },
    data: { type: Schema.Types.Mixed, default: {} },
    done: { type: Boolean, default: false },
    modified: { type: Number, default: 0 },
    /**
     * What this step counts for in the progress: for a `paths` step, its share of the subtree's documents in
     * its collection (counted when planned); 0 for the closing sweep; 1 for any other step.
     */
    items: { type: Number, default: 1 },
  },
  { _id: false, minimize: false },
);

const operationSchema = new Schema(
  {
    kind: { type: String, enum: OPERATION_KINDS, required: true },
    orgId: { type: Schema.Types.ObjectId, required: true },
    params: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, enum: OPERATION_STATUSES, required: true },
    steps: { type: [stepSchema], default: [] },
    /** The province ids this operation holds in `org_operation_claims` while it runs. */
    claims: { type: [String], default: [] },
    /** Members and cases of the subtree when planned: what decides whether the request waits or answers 202 (SPEC §14). */
    size: { type: Number, default: 0 },
    createdBy: { type: new Schema({ userId: String, name: String }, { _id: false }), required: true },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    error: { type: String, default: null },
  },
  { collection: 'org_operations', versionKey: false, minimize: false },
);
operationSchema.index({ status: 1 });

export type OperationDoc = InferRawDocTypeFromSchema<typeof operationSchema> & { _id: Types.ObjectId };
export type OperationStep = OperationDoc['steps'][number];
export const OrgOperation = defineModel('OrgOperation', operationSchema);

/**
 * Exclusivity (SPEC §13): a running reorganisation holds one claim per province it touches; the claim's `_id`
 * is the province id, so a second operation on the same province fails on the unique `_id` (ENGINE-NOTES: a
 * claim document, not a partial unique index). Every subtree a reorganisation touches lies in those provinces.
 */
const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    operationId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'org_operation_claims', versionKey: false },
);
export const OrgOperationClaim = defineModel('OrgOperationClaim', claimSchema);
