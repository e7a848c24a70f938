import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { mapLimit } from '../core/shared/map-limit.js';
import type { Principal } from '../core/scope.js';
import { principalOf, usersRepository } from '../users/index.js';
import { jobKind, type JobContext, type JobKind, type JobProblem } from './job-kinds.js';
import { jobsRepository, type JobRecord, type Lease } from './jobs.repository.js';
import { resultStore } from './result-store.js';

export interface RunnerSettings {
  /** How long a lease lasts without a heartbeat; an instance that died is replaced after at most this. */
  leaseMs: number;
  /** How often an idle runner looks for work. */
  pollMs: number;
  /** A pause before each item: only for tests that must stop a job half-way (JOB_ITEM_DELAY_MS). */
  itemDelayMs: number;
  /** A result whose JSON is longer is kept in GridFS, not in the job's document (JOB_RESULT_INLINE_BYTES). */
  resultInlineBytes: number;
  /** Items per chunk of a kind with `runItems` instead of its own size (JOB_CHUNK; 0 or unset: the kind's). */
  chunk?: number;
  /** The wait before a job that met an unexpected error is taken up again; doubled each time (JOB_RETRY_MS). */
  retryMs: number;
  logger: Logger;
}

/** Progress is written at most this often (and at the end): one write per case would double a list's writes. */
const PROGRESS_EVERY_MS = 300;
/** Keys per `runItems` call of a kind that takes its items in chunks and names no size. */
const DEFAULT_CHUNK = 250;
/** How often a running job looks whether someone asked to cancel it. */
const CANCEL_CHECK_MS = 500;
/**
 * Unexpected errors (anything but a refusal, `AppError`) a job may meet: each of the first ones gives the job back
 * to be taken up again after a wait, as after a crash (the kind's `recover` first); the last one fails it.
 */
export const MAX_JOB_FAILURES = 3;

export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** The job's starter as they are now, and whether they may still act (a disabled user's job fails). */
async function starterOf(job: JobRecord): Promise<{ principal: Principal; active: boolean } | null> {
  const user = await usersRepository.findById(job.createdBy.id);
  if (!user) return null;
  return { principal: principalOf(user), active: Boolean(user.active) };
}

const STARTER_GONE: JobProblem = { code: 'UNAUTHENTICATED', detail: 'Người tạo công việc không còn hoạt động.' };

function problemOf(error: unknown): JobProblem {
  if (error instanceof AppError) return { code: error.code, detail: error.detail };
  return {
    code: 'INTERNAL_ERROR',
    detail: 'Công việc gặp lỗi ngoài dự kiến và đã dừng; những gì đã làm vẫn giữ nguyên.',
  };
}

/**
 * Stores the job as failed, after its kind has finished the chunk in hand (`recover`) and its `failed` has left what
 * the job holds in a state users can act on. Nothing of it when this instance lost the lease (`lost`): the job is
 * not failed then, another instance has it.
 */
async function failJob(
  job: JobRecord,
  lease: Lease,
  kind: JobKind | undefined,
  error: JobProblem,
  logger: Logger,
  { done, ctx, lost = () => false }: { done?: number; ctx?: JobContext; lost?: () => boolean } = {},
): Promise<void> {
  if (lost()) return;
  if (ctx && kind?.recover)
    await kind
      .recover(ctx)
      .catch((cause: unknown) =>
        logger.error({ err: cause, jobId: String(job._id) }, 'finishing the chunk in hand of a failing job failed'),
      );
  const outcomes = await jobsRepository.itemOutcomes(job._id);
  if (lost()) return;
  await kind
    ?.failed?.(ctx?.job ?? job, outcomes, error)
    .catch((cause: unknown) =>
      logger.error({ err: cause, jobId: String(job._id) }, 'job clean-up after a failure failed'),
    );
  await jobsRepository.finish(lease, 'failed', { error, done: done ?? outcomes.size });
}

/** The result as the job's document keeps it: itself, or the GridFS file of its JSON when that is too long. */
async function keptResult(
  job: JobRecord,
  result: unknown,
  inlineBytes: number,
): Promise<{ result: unknown; resultFile?: Types.ObjectId }> {
  const json = JSON.stringify(result ?? null);
  if (Buffer.byteLength(json, 'utf8') <= inlineBytes) return { result };
  return { result: null, resultFile: await resultStore.save(job._id, json) };
}

/**
 * Runs one job this instance holds the lease of, from where it stands: the items without a recorded outcome,
 * then the kind's `finish`. The lease is renewed meanwhile; when it is lost (this instance was too slow and
 * another took the job over) or the instance stops, no new item starts and the job is left to its holder.
 * Answers the job as stored at the end, and the error that failed it (a request running its job itself answers it).
 */
export async function runJob(
  held: JobRecord,
  lease: Lease,
  settings: RunnerSettings,
  stopping: () => boolean = () => false,
): Promise<{ job: JobRecord; error?: unknown }> {
  const { logger } = settings;
  const kind = jobKind(held.kind);
  const starter = await starterOf(held);
  if (!kind || !starter) {
    const error = kind ? STARTER_GONE : { code: 'UNKNOWN_JOB', detail: 'Loại công việc không được hỗ trợ.' };
    await failJob(held, lease, kind, error, logger, { done: held.progress.done });
    return { job: (await jobsRepository.findById(held._id))! };
  }
  const { principal } = starter;
  let lost = false;
  let cancelled = false;
  let lastBeat = Date.now();
  const watch = setInterval(
    () => {
      void (async () => {
        if (Date.now() - lastBeat >= settings.leaseMs / 3) {
          lastBeat = Date.now();
          if (!(await jobsRepository.heartbeat(lease, settings.leaseMs))) lost = true;
        }
        if (await jobsRepository.isCancelRequested(lease.jobId)) cancelled = true;
      })().catch((error: unknown) => logger.warn({ err: error, jobId: String(lease.jobId) }, 'job heartbeat failed'));
    },
    Math.min(CANCEL_CHECK_MS, settings.leaseMs / 3),
  );
  const halted = () => lost || cancelled || stopping();
  // Set once the kind reports its own progress (JobContext.reportProgress): items are then not counted as progress.
  let own: { done: number; total: number } | null = null;

  const ctx: JobContext = {
    job: held,
    principal,
    actor: { userId: principal.userId, name: principal.fullName, requestId: `job:${String(held._id)}` },
    saveState: async (state) => {
      if (!(await jobsRepository.setState(lease, state))) lost = true;
      ctx.job = { ...ctx.job, state };
    },
    keepRun: async (slot, run) => {
      if (!(await jobsRepository.setStatePath(lease, `runs.${slot}`, run))) lost = true;
      const state = ctx.job.state ?? {};
      ctx.job = { ...ctx.job, state: { ...state, runs: { ...(state.runs as object | undefined), [slot]: run } } };
    },
    addToState: async (field, values) => {
      const known = new Set((ctx.job.state?.[field] as string[] | undefined) ?? []);
      const added = values.filter((v) => !known.has(v));
      if (!added.length) return;
      if (!(await jobsRepository.addToStateSet(lease, field, added))) lost = true;
      const state = ctx.job.state ?? {};
      ctx.job = { ...ctx.job, state: { ...state, [field]: [...new Set([...known, ...added])] } };
    },
    reportProgress: async (done, total) => {
      own = { done, total };
      if (!(await jobsRepository.setProgress(lease, done, total))) lost = true;
    },
    cancelled: () => cancelled,
    halted,
    pause: () => (settings.itemDelayMs ? sleep(settings.itemDelayMs) : Promise.resolve()),
  };
  try {
    if (!starter.active) {
      // A disabled starter's job fails; the chunk an earlier attempt left in hand is finished all the same.
      await failJob(held, lease, kind, STARTER_GONE, logger, { done: held.progress.done, ctx, lost: () => lost });
      return { job: (await jobsRepository.findById(held._id))! };
    }
    cancelled = held.cancelRequested;
    // Taken up again (a crash, a lost lease, an unexpected error): what the last attempt left in hand first.
    if (held.attempts > 1) await kind.recover?.(ctx);
    const itemKeys = await jobsRepository.itemKeysOf(held);
    const outcomes = await jobsRepository.itemOutcomes(held._id);
    let done = itemKeys.filter((k) => outcomes.has(k)).length;
    let lastWrite = 0;
    const progressed = async (count: number) => {
      done += count;
      if (!own && Date.now() - lastWrite >= PROGRESS_EVERY_MS) {
        lastWrite = Date.now();
        if (!(await jobsRepository.setProgress(lease, done))) lost = true;
      }
    };
    const left = itemKeys.filter((k) => !outcomes.has(k));
    if (kind.runItems) {
      // A kind that takes its items a chunk at a time: `chunksAtOnce` chunks at once (in item order, each under a
      // slot of its own while it runs), each chunk's outcomes one write.
      const size = settings.chunk || kind.chunk || DEFAULT_CHUNK;
      const chunks: string[][] = [];
      for (let at = 0; at < left.length; at += size) chunks.push(left.slice(at, at + size));
      const free = Array.from({ length: kind.chunksAtOnce ?? 1 }, (_, i) => `c${i}`);
      await mapLimit(chunks, free.length, async (keys) => {
        if (halted()) return;
        if (settings.itemDelayMs) await sleep(settings.itemDelayMs);
        if (halted()) return;
        const slot = free.pop()!;
        const answers = await kind.runItems!(ctx, keys, slot).finally(() => free.push(slot));
        if (halted() && !cancelled) return;
        await jobsRepository.recordItems(
          held._id,
          keys.map((key, i) => ({ key, outcome: answers[i] })),
        );
        keys.forEach((key, i) => outcomes.set(key, answers[i]));
        await progressed(keys.length);
      });
    } else {
      // A slowed job (tests) runs its items one by one, so that it can be stopped between any two.
      const concurrency = settings.itemDelayMs ? 1 : kind.concurrency;
      await mapLimit(left, concurrency, async (key) => {
        if (halted()) return;
        if (settings.itemDelayMs) await sleep(settings.itemDelayMs);
        if (halted()) return;
        const outcome = await kind.runItem(ctx, key);
        // Ended early because this instance lost the job or is stopping: whoever runs it next runs the item again.
        if (halted() && !cancelled) return;
        await jobsRepository.recordItem(held._id, key, outcome);
        outcomes.set(key, outcome);
        await progressed(1);
      });
    }
    if (lost || (done < itemKeys.length && !cancelled && stopping())) {
      if (!own) await jobsRepository.setProgress(lease, done);
      return { job: held };
    }
    const ordered = itemKeys.filter((k) => outcomes.has(k)).map((k) => outcomes.get(k));
    const kept = await keptResult(held, await kind.finish(ctx, ordered, cancelled), settings.resultInlineBytes);
    const reported = own as { done: number; total: number } | null;
    const finished = await jobsRepository.finish(
      lease,
      cancelled ? 'cancelled' : 'succeeded',
      reported ? { ...kept, ...reported } : { ...kept, done },
    );
    // Lost the lease while finishing: whoever took the job over finishes it with a file of its own.
    if (!finished && kept.resultFile) await resultStore.remove(kept.resultFile);
    // Ended with its result: its items and their outcomes go (failing here leaves them to the periodic purge).
    if (finished)
      await jobsRepository
        .dropWork(held._id)
        .catch((error: unknown) =>
          logger.error({ err: error, jobId: String(held._id) }, 'dropping an ended job’s items failed'),
        );
  } catch (error) {
    const failures = (held.failures ?? 0) + 1;
    if (!(error instanceof AppError) && failures < MAX_JOB_FAILURES) {
      // Maybe passing (a database fail-over past the driver's own retry): the job is given back, to be taken up
      // again by any instance after a wait, as after a crash.
      const retryAt = new Date(Date.now() + settings.retryMs * 2 ** (failures - 1));
      logger.error(
        { err: error, jobId: String(held._id), kind: held.kind, failures, retryAt },
        'job met an unexpected error; it will be taken up again',
      );
      await jobsRepository.retryLater(lease, retryAt, problemOf(error));
      return { job: (await jobsRepository.findById(held._id))! };
    }
    logger.error({ err: error, jobId: String(held._id), kind: held.kind, failures }, 'job failed');
    await failJob(held, lease, kind, problemOf(error), logger, { ctx, lost: () => lost });
    return { job: (await jobsRepository.findById(held._id))!, error };
  } finally {
    clearInterval(watch);
  }
  return { job: (await jobsRepository.findById(held._id))! };
}

/** The runners started in this process: a job queued here is taken up at once, not at the next poll. */
const started = new Set<JobRunner>();

/** A job was queued by this instance: its runner looks for work now (another instance finds it at its next poll). */
export function wakeRunners(): void {
  for (const runner of started) runner.wake();
}

/**
 * Polls the `jobs` collection and runs what it can claim, one job at a time per instance (the items of a job
 * run a few at once). Started by the server, stopped before the database closes; several instances on one
 * database share the queue through the leases.
 */
export class JobRunner {
  readonly owner: string;
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly settings: RunnerSettings,
    owner = newOwnerId(),
  ) {
    this.owner = owner;
  }

  start(): void {
    this.stopped = false;
    started.add(this);
    this.timer = setInterval(() => this.tick(), this.settings.pollMs);
    this.tick();
  }

  wake(): void {
    this.tick();
  }

  private tick(): void {
    if (this.current || this.stopped) return;
    this.current = (async () => {
      while (!this.stopped) {
        const claimed = await jobsRepository.claimNext(this.owner, this.settings.leaseMs);
        if (!claimed) return;
        await runJob(claimed.job, claimed.lease, this.settings, () => this.stopped);
        if (this.stopped) await jobsRepository.release(claimed.lease);
      }
    })()
      .catch((error: unknown) => this.settings.logger.error({ err: error }, 'job runner poll failed'))
      .finally(() => {
        this.current = null;
      });
  }

  /** No new job or item starts; the items in hand end, and the job is left for the next instance. */
  async stop(): Promise<void> {
    this.stopped = true;
    started.delete(this);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current;
  }
}
