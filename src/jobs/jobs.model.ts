import { Schema, type InferRawDocTypeFromSchema, type Types } from 'mongoose';
import { defineModel } from '../core/db/model.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const person = { id: { type: String, required: true }, name: { type: String, required: true } };

/**
 * Long work (SPEC §14), stored so that any instance can take it up. Its items are fixed when the job is created (the
 * cases of the list, in order) and kept in `job_keys` (`JobKeys`); what each item came to lives in `job_items`, one
 * document per item, so a resumed job skips what is done; both go once the job ends with its result (a failed job
 * keeps them: `dropWork`, `WORK_DROPPED_WHEN` in jobs.repository.ts). The lease (`leaseOwner`, `leaseToken`,
 * `leaseUntil`) says who runs it; an expired lease on a running job means its instance died and another may take it.
 */
const jobSchema = new Schema(
  {
    kind: { type: String, required: true },
    status: { type: String, required: true, enum: JOB_STATUSES },
    createdBy: person,
    /** The starter's organisation path: admins see the jobs of their subtree. */
    orgPath: { type: [Schema.Types.ObjectId], required: true },
    /** `userId:key` of the request's Idempotency-Key, when it had one: the same key never makes two jobs. */
    requestKey: { type: String },
    input: { type: Schema.Types.Mixed, default: {} },
    /** The items of a job made before they moved to `job_keys` (2026-12-06); not written any more. */
    itemKeys: { type: [String], default: undefined },
    progress: { done: { type: Number, default: 0 }, total: { type: Number, default: 0 } },
    /** What a kind keeps between attempts (e.g. the id its decision is issued under). */
    state: { type: Schema.Types.Mixed, default: {} },
    cancelRequested: { type: Boolean, default: false },
    leaseOwner: { type: String, default: null },
    leaseToken: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    /** Unexpected errors met so far; each but the last gave the job back to be taken up again (runner.ts). */
    failures: { type: Number, default: 0 },
    /** The last of those errors, as a failed job's `error` would say it (for operators; `error` stays null). */
    lastError: { type: Schema.Types.Mixed, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    result: { type: Schema.Types.Mixed, default: null },
    /** The result's JSON in GridFS when it is too large for this document (result-store.ts); `result` is then null. */
    resultFile: { type: Schema.Types.ObjectId, default: null },
    error: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, minimize: false, collection: 'jobs', versionKey: false },
);
jobSchema.index({ requestKey: 1 }, { unique: true, sparse: true });

export const Job = defineModel('Job', jobSchema);
export type JobRecord = Omit<InferRawDocTypeFromSchema<typeof jobSchema>, 'createdBy' | 'progress' | 'itemKeys'> & {
  _id: Types.ObjectId;
  itemKeys?: string[];
  createdAt: Date;
  updatedAt: Date;
  createdBy: { id: string; name: string };
  progress: { done: number; total: number };
};

/** One item's outcome; the `_id` (`jobId:itemKey`) makes recording it twice impossible. */
const jobItemSchema = new Schema(
  {
    _id: { type: String, required: true },
    jobId: { type: Schema.Types.ObjectId, required: true },
    outcome: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false, collection: 'job_items', versionKey: false },
);
jobItemSchema.index({ jobId: 1 });

export const JobItem = defineModel('JobItem', jobItemSchema);

/**
 * A job's items in order (`_id` the job's): a document of their own, written once before the job, so that the job's
 * document stays small. That one is written at every heartbeat, progress step and chunk and read at every poll of a
 * progress bar; with its items (a 20,000-case list's ids are about 0.7 MB) each of those copied them all, and on the
 * H2 file each write stored them again.
 */
const jobKeysSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    keys: { type: [String], default: [] },
  },
  { collection: 'job_keys', versionKey: false },
);
export const JobKeys = defineModel('JobKeys', jobKeysSchema);
