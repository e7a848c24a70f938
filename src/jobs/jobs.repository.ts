import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { isDuplicateKeyError, onlyDuplicateKeys } from '../core/db/mongo-errors.js';
import { deleteInSlices } from '../core/db/paging.js';
import { Job, JobItem, JobKeys, type JobRecord, type JobStatus } from './jobs.model.js';
import type { JobProblem } from './job-kinds.js';

export type { JobRecord, JobStatus };
/** A job without what only its runner reads (`findView`). */
export type JobView = Omit<JobRecord, 'itemKeys' | 'state'>;

export type NewJob = Pick<JobRecord, 'kind' | 'createdBy' | 'orgPath' | 'input'> & {
  /** The job's items in order (kept in `job_keys`). */
  itemKeys: readonly string[];
  requestKey?: string;
  /** The progress total when the kind counts something else than its items (see `JobContext.reportProgress`). */
  total?: number;
};

/** A lease this instance holds on a job: every write of a running job is conditioned on its token. */
export interface Lease {
  jobId: Types.ObjectId;
  owner: string;
  token: string;
}

const FINAL: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
/**
 * A job that ended so keeps no items nor outcomes of them: its result holds every outcome. A failed job keeps them:
 * it has no result, and they are the only record of which items were acted on before it failed.
 */
export const WORK_DROPPED_WHEN: readonly JobStatus[] = ['succeeded', 'cancelled'];

export const jobsRepository = {
  /** A queued job, or (`lease` given) one already running under that lease: a request that runs it itself. */
  async insert(job: NewJob, lease?: { owner: string; until: Date }): Promise<{ job: JobRecord; lease: Lease | null }> {
    const token = randomUUID();
    const now = new Date();
    const { total, itemKeys, ...fields } = job;
    const _id = new Types.ObjectId();
    // The items first: a runner may take the job up as soon as it is written, and reads them then.
    await JobKeys.collection.insertOne({ _id, keys: [...itemKeys] });
    const doc = await Job.create({
      _id,
      ...fields,
      progress: { done: 0, total: total ?? itemKeys.length },
      ...(lease
        ? {
            status: 'running',
            leaseOwner: lease.owner,
            leaseToken: token,
            leaseUntil: lease.until,
            startedAt: now,
            attempts: 1,
          }
        : { status: 'queued' }),
    }).catch(async (error: unknown) => {
      // Not made (another request took its Idempotency-Key first): its items go too.
      await JobKeys.collection.deleteOne({ _id }).catch(() => undefined);
      throw error;
    });
    const record = doc.toObject() as JobRecord;
    return { job: record, lease: lease ? { jobId: record._id, owner: lease.owner, token } : null };
  },
  /** Whether a job was made whose `input[key]` is `value` (e.g. the upload a list import reads). */
  async existsWithInput(key: string, value: string): Promise<boolean> {
    return Boolean(await Job.exists({ [`input.${key}`]: value }));
  },
  async findByRequestKey(requestKey: string): Promise<JobRecord | null> {
    return Job.findOne({ requestKey }).lean<JobRecord>();
  },
  /** Of the given operation ids, those a queued or running job still holds (`input.operationId`). */
  async operationsHeldByJobs(operationIds: string[]): Promise<Set<string>> {
    const jobs = await Job.find(
      { 'input.operationId': { $in: operationIds }, status: { $in: ['queued', 'running'] } },
      { 'input.operationId': 1 },
    ).lean<{ input: { operationId: string } }[]>();
    return new Set(jobs.map((job) => job.input.operationId));
  },

  async findById(id: string | Types.ObjectId): Promise<JobRecord | null> {
    return Job.findById(id).lean<JobRecord>();
  },
  /** The job's items in order: in `job_keys`, or in the job itself when it was made before they moved there. */
  async itemKeysOf(job: Pick<JobRecord, '_id' | 'itemKeys'>): Promise<string[]> {
    if (job.itemKeys?.length) return job.itemKeys;
    return (await JobKeys.collection.findOne<{ keys: string[] }>({ _id: job._id }))?.keys ?? [];
  },
  /**
   * The job as its readers see it (`GET /jobs/:id`, an answer with the job), without what only its runner reads:
   * `itemKeys` (a list's case ids, about 0.7 MB of a 20,000-case job, read and decoded at every poll of its progress
   * bar) and `state`.
   */
  async findView(id: string | Types.ObjectId): Promise<JobView | null> {
    return Job.findById(id, { itemKeys: 0, state: 0 }).lean<JobView>();
  },

  /** These jobs' status, times and result, by id (those that exist). */
  async statesOf(
    ids: readonly (string | Types.ObjectId)[],
  ): Promise<Map<string, Pick<JobRecord, 'status' | 'createdAt' | 'finishedAt' | 'result'>>> {
    if (!ids.length) return new Map();
    const jobs = await Job.find({ _id: { $in: ids } }, { status: 1, createdAt: 1, finishedAt: 1, result: 1 }).lean<
      Pick<JobRecord, '_id' | 'status' | 'createdAt' | 'finishedAt' | 'result'>[]
    >();
    return new Map(jobs.map(({ _id, ...job }) => [String(_id), job]));
  },
  /** The oldest queued or running job of a kind, if any. */
  async activeOfKind(kind: string): Promise<JobRecord | null> {
    return Job.findOne({ kind, status: { $in: ['queued', 'running'] } })
      .sort({ createdAt: 1, _id: 1 })
      .lean<JobRecord>();
  },
  /** Of these jobs, those that ended (by default in any way: succeeded, failed, cancelled), with the result file each kept. */
  async endedAmong(
    ids: readonly (string | Types.ObjectId)[],
    statuses: readonly JobStatus[] = FINAL,
  ): Promise<Map<string, { resultFile: string | null }>> {
    if (!ids.length) return new Map();
    const ended = await Job.find({ _id: { $in: ids }, status: { $in: statuses } }, { resultFile: 1 }).lean<
      Pick<JobRecord, '_id' | 'resultFile'>[]
    >();
    return new Map(
      ended.map((job) => [String(job._id), { resultFile: job.resultFile ? String(job.resultFile) : null }]),
    );
  },

  /**
   * Takes the oldest job that is queued or whose runner's lease ran out. The engine may hand back another
   * caller's document as the *after* state of a racing update (ENGINE-NOTES), so only the *before* document's
   * id is used, and the job is re-read: it is ours only if it carries our fresh token.
   */
  async claimNext(owner: string, leaseMs: number): Promise<{ job: JobRecord; lease: Lease } | null> {
    const now = new Date();
    const token = randomUUID();
    const before = await Job.findOneAndUpdate(
      { $or: [{ status: 'queued' }, { status: 'running', leaseUntil: { $lt: now } }] },
      {
        $set: {
          status: 'running',
          leaseOwner: owner,
          leaseToken: token,
          leaseUntil: new Date(now.getTime() + leaseMs),
        },
        $inc: { attempts: 1 },
      },
      { sort: { createdAt: 1, _id: 1 }, returnDocument: 'before' },
    ).lean<JobRecord>();
    if (!before) return null;
    const job = await Job.findOne({ _id: before._id, leaseToken: token }).lean<JobRecord>();
    if (!job) return null;
    if (!job.startedAt)
      await Job.updateOne({ _id: job._id, leaseToken: token, startedAt: null }, { $set: { startedAt: now } });
    return { job: { ...job, startedAt: job.startedAt ?? now }, lease: { jobId: job._id, owner, token } };
  },

  /** Extends the lease; false when it was lost (expired and taken by another instance). */
  async heartbeat(lease: Lease, leaseMs: number): Promise<boolean> {
    const result = await Job.updateOne(
      { _id: lease.jobId, leaseToken: lease.token, status: 'running' },
      { $set: { leaseUntil: new Date(Date.now() + leaseMs) } },
    );
    return result.matchedCount === 1;
  },
  /**
   * Gives the job back after an unexpected error: still running, with no holder and a lease that ends at `retryAt`,
   * when any instance may take it up again (as after a crash).
   */
  async retryLater(lease: Lease, retryAt: Date, error: JobProblem): Promise<void> {
    await Job.updateOne(
      { _id: lease.jobId, leaseToken: lease.token, status: 'running' },
      { $set: { leaseToken: null, leaseUntil: retryAt, lastError: error }, $inc: { failures: 1 } },
    );
  },
  /** Gives the job back on shutdown: still running, with a lease that another instance may take at once. */
  async release(lease: Lease): Promise<void> {
    await Job.updateOne(
      { _id: lease.jobId, leaseToken: lease.token, status: 'running' },
      { $set: { leaseUntil: new Date(0) } },
    );
  },
  async setProgress(lease: Lease, done: number, total?: number): Promise<boolean> {
    const set = total === undefined ? { 'progress.done': done } : { 'progress.done': done, 'progress.total': total };
    const result = await Job.updateOne({ _id: lease.jobId, leaseToken: lease.token, status: 'running' }, { $set: set });
    return result.matchedCount === 1;
  },
  async setState(lease: Lease, state: Record<string, unknown>): Promise<boolean> {
    const result = await Job.updateOne(
      { _id: lease.jobId, leaseToken: lease.token, status: 'running' },
      { $set: { state } },
    );
    return result.matchedCount === 1;
  },
  /** One field of the job's state (`state.<path>`), the rest of it as it is. */
  async setStatePath(lease: Lease, path: string, value: unknown): Promise<boolean> {
    const result = await Job.updateOne(
      { _id: lease.jobId, leaseToken: lease.token, status: 'running' },
      { $set: { [`state.${path}`]: value } },
    );
    return result.matchedCount === 1;
  },
  async addToStateSet(lease: Lease, field: string, values: readonly string[]): Promise<boolean> {
    const result = await Job.updateOne(
      { _id: lease.jobId, leaseToken: lease.token, status: 'running' },
      { $addToSet: { [`state.${field}`]: { $each: [...values] } } },
    );
    return result.matchedCount === 1;
  },
  /** Whether a job of a kind starting with `prefix` is waiting or running (kinds that must not overlap). */
  async anyActive(prefix: string): Promise<boolean> {
    const kind = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    return Boolean(await Job.exists({ kind, status: { $in: ['queued', 'running'] } }));
  },
  async isCancelRequested(jobId: Types.ObjectId): Promise<boolean> {
    return Boolean(
      (await Job.findById(jobId, { cancelRequested: 1 }).lean<Pick<JobRecord, 'cancelRequested'>>())?.cancelRequested,
    );
  },
  async finish(
    lease: Lease,
    status: Exclude<JobStatus, 'queued' | 'running'>,
    fields: { result?: unknown; resultFile?: Types.ObjectId; error?: unknown; done: number; total?: number },
  ): Promise<boolean> {
    const result = await Job.updateOne(
      { _id: lease.jobId, leaseToken: lease.token, status: 'running' },
      {
        $set: {
          status,
          result: fields.result ?? null,
          resultFile: fields.resultFile ?? null,
          error: fields.error ?? null,
          'progress.done': fields.done,
          finishedAt: new Date(),
          leaseToken: null,
          leaseUntil: null,
          ...(fields.total === undefined ? {} : { 'progress.total': fields.total }),
        },
      },
    );
    return result.matchedCount === 1;
  },

  /** A queued job is cancelled at once; a running one is asked to stop between items. */
  async requestCancel(id: Types.ObjectId): Promise<void> {
    const queued = await Job.updateOne(
      { _id: id, status: 'queued' },
      { $set: { status: 'cancelled', cancelRequested: true, finishedAt: new Date() } },
    );
    if (queued.matchedCount === 1) await jobsRepository.dropWork(id);
    else await Job.updateOne({ _id: id, status: 'running' }, { $set: { cancelRequested: true } });
  },
  /**
   * Drops what only a job's runner reads, once the job has ended with its result (`WORK_DROPPED_WHEN`): the outcomes
   * of its items first, then its items, so that a crash in between leaves the items to find it by
   * (`jobsWithWork`). The result holds every outcome; what stays is the job's document and its result file.
   */
  async dropWork(jobId: Types.ObjectId): Promise<void> {
    // A slice at a time: a 50,000-row import keeps 50,000 outcomes (core/db/paging.ts).
    await deleteInSlices(JobItem.collection, { jobId });
    await JobKeys.collection.deleteOne({ _id: jobId });
  },
  /** Jobs that still keep items or outcomes of items. */
  async jobsWithWork(): Promise<Types.ObjectId[]> {
    const [kept, recorded] = await Promise.all([
      JobKeys.collection.find({}, { projection: { _id: 1 } }).toArray(),
      JobItem.collection.distinct('jobId'),
    ]);
    const ids = new Map(
      [...kept.map((k) => k._id), ...(recorded as Types.ObjectId[])].map((id) => [String(id), id as Types.ObjectId]),
    );
    return [...ids.values()];
  },
  isFinal(status: string): boolean {
    return FINAL.includes(status as JobStatus);
  },

  async recordItem(jobId: Types.ObjectId, key: string, outcome: unknown): Promise<void> {
    try {
      await JobItem.create({ _id: `${String(jobId)}:${key}`, jobId, outcome });
    } catch (error) {
      // Recorded already by an earlier attempt: the first record stands.
      if (!isDuplicateKeyError(error)) throw error;
    }
  },
  /**
   * A chunk's outcomes in one write; those recorded already by an earlier attempt stand. Inserted as they are
   * (by the driver: no mongoose document built, cast and validated for each of a list's 20,000 outcomes), with the
   * `createdAt` the schema's timestamps would give; stored as the documents mongoose makes
   * (test/jobs/job-items.test.ts).
   */
  async recordItems(jobId: Types.ObjectId, items: readonly { key: string; outcome: unknown }[]): Promise<void> {
    if (!items.length) return;
    const createdAt = new Date();
    await JobItem.collection
      .insertMany(
        items.map(({ key, outcome }) => ({ _id: `${String(jobId)}:${key}`, jobId, outcome, createdAt })) as never[],
        // A field whose value is `undefined` is left out, as mongoose leaves it out (the driver would store null).
        { ordered: false, ignoreUndefined: true },
      )
      .catch((error: unknown) => {
        if (!onlyDuplicateKeys(error)) throw error;
      });
  },
  /** Of some keys, those whose outcome is recorded. */
  async recordedKeys(jobId: Types.ObjectId, keys: readonly string[]): Promise<Set<string>> {
    const prefix = `${String(jobId)}:`;
    const items = await JobItem.find({ _id: { $in: keys.map((k) => prefix + k) } }, { _id: 1 }).lean<
      { _id: string }[]
    >();
    return new Set(items.map((i) => i._id.slice(prefix.length)));
  },
  async itemOutcomes(jobId: Types.ObjectId): Promise<Map<string, unknown>> {
    const prefix = `${String(jobId)}:`;
    const items = await JobItem.find({ jobId }).lean<{ _id: string; outcome: unknown }[]>();
    return new Map(items.map((i) => [i._id.slice(prefix.length), i.outcome]));
  },

  async list(
    filter: { createdById?: string; subtreeOf?: string; kind?: string; status?: string; batchId?: string },
    page: number,
    limit: number,
  ) {
    const query: Record<string, unknown> = {};
    if (filter.createdById) query['createdBy.id'] = filter.createdById;
    if (filter.subtreeOf) query.orgPath = filter.subtreeOf;
    if (filter.kind) query.kind = filter.kind;
    if (filter.status) query.status = filter.status;
    if (filter.batchId) query['input.batchId'] = filter.batchId;
    const [items, total] = await Promise.all([
      Job.find(query, { itemKeys: 0, result: 0, resultFile: 0, input: 0, state: 0 })
        .sort({ createdAt: -1, _id: -1 })
        .skip((page - 1) * limit)
        .limit(limit)
        .lean<JobRecord[]>(),
      Job.countDocuments(query),
    ]);
    return { items, total };
  },
};
