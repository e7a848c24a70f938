import type { Types } from 'mongoose';
import type { Logger } from '../core/logger.js';
import { DEFAULT_FINISH_AFTER_MS, singleWorkKeptMs } from '../core/shared/single-work.js';
import { isObjectIdText, jobsRepository } from '../jobs/index.js';
import { queueRebuild, REBUILD_JOB, rebuildInProgress } from './rebuild-job.js';
import { isSingleRun, ReportRun } from './reports.model.js';

/** Records looked at per clean-up: a list payment of 50,000 cases leaves 200. */
const AT_ONCE = 10_000;
/** Rebuilds started for one chunk's partly counted figures before it is left to an operator. */
export const MAX_REPAIR_TRIES = 3;
/** How often the operator is told again about chunks left to them (by one instance of all). */
const TELL_EVERY_MS = 60 * 60_000;

/** A mark begins with its job's id (`<jobId>:<chunk>`). */
const jobOf = (mark: string) => mark.split(':')[0] ?? '';

/**
 * Removes the `applied` records of chunks whose job has ended (the server's periodic clean-up). A record keeps a
 * chunk's report totals from being counted twice if its job is taken up again after a crash; once the job has
 * ended nothing takes it up again. `applying` records stay: each names a chunk whose totals may be partly counted,
 * until a rebuild has replaced them (`repairPartlyCountedRuns`). The records of single steps and payments go once
 * older than `singleKeptMs`: by then neither their request nor a round tells them again. Answers how many went.
 */
export async function purgeSpentReportRuns(
  singleKeptMs: number = singleWorkKeptMs(DEFAULT_FINISH_AFTER_MS),
): Promise<number> {
  const applied = await ReportRun.find({ state: 'applied' }, { _id: 1, at: 1 })
    .limit(AT_ONCE)
    .lean<{ _id: string; at: Date }[]>();
  const ended = await jobsRepository.endedAmong(
    [...new Set(applied.map((run) => jobOf(run._id)))].filter(isObjectIdText),
  );
  const cutoff = Date.now() - singleKeptMs;
  const spent = applied
    .filter((run) => (isSingleRun(run._id) ? run.at.getTime() < cutoff : ended.has(jobOf(run._id))))
    .map((run) => run._id);
  if (spent.length) await ReportRun.deleteMany({ _id: { $in: spent } });
  return spent.length;
}

interface LeftRun {
  _id: string;
  at: Date;
  repairJob: Types.ObjectId | null;
  repairTries: number;
}

export interface RepairRound {
  /** The rebuild the left chunks now wait for (queued now or earlier), if any. */
  rebuildJobId: string | null;
  /** Records whose rebuild switched its figures in, removed in this round. */
  repaired: number;
  /** Chunks still partly counted after this round (their job still running, or a rebuild to wait for). */
  left: number;
}

/**
 * Whether this instance tells the operator about chunks left to them now: the first round to mark them since the last
 * hour does, so that every instance's round each minute does not repeat the same error line.
 */
async function tellOnce(ids: readonly string[]): Promise<boolean> {
  const now = new Date();
  const result = await ReportRun.updateMany(
    {
      _id: { $in: ids },
      state: 'applying',
      $or: [{ toldAt: null }, { toldAt: { $lt: new Date(now.getTime() - TELL_EVERY_MS) } }],
    },
    { $set: { toldAt: now } },
  );
  return result.modifiedCount > 0;
}

/**
 * A list chunk whose report totals were begun and never marked done (`applying`) was stopped in the middle of them:
 * a crash of its instance, or a write that failed. Which of its buckets, year figures and people-paid markers were
 * written is not known, so the figures cannot be finished; they are made again from the cases and payment entries
 * by a report rebuild (rebuild-job.ts, the same job as `POST /reports/rebuild`), queued here on behalf of the
 * national administrator once the chunk's job has ended. Until the rebuild switches its figures in, reports read
 * the partly counted ones (`npm run reconcile` shows the difference). A single step's or payment's record still
 * `applying` is taken as ended once older than `singleLeftAfterMs` (the server passes `PAYMENT_FINISH_AFTER_MS`: no
 * request lasts that long, and by then a round has finished the step or payment).
 *
 * Each round (every instance, every `REPORT_REPAIR_EVERY_MS`):
 * - a record whose rebuild succeeded goes; one whose rebuild failed or was cancelled waits for the next;
 * - records of ended jobs without a rebuild are given the running or queued rebuild if it was queued after their
 *   jobs ended (it reads what they changed), else a new one when none is active; the `requestKey` (the first
 *   record's id and its tries) makes instances racing in the same round queue one;
 * - none is queued while a reorganisation runs (a rebuild would refuse it), nor after MAX_REPAIR_TRIES for a record:
 *   that is logged for an operator, once an hour by one instance.
 */
export async function repairPartlyCountedRuns(
  logger: Logger,
  singleLeftAfterMs: number = DEFAULT_FINISH_AFTER_MS,
): Promise<RepairRound> {
  const runs = await ReportRun.find({ state: 'applying' }, { at: 1, repairJob: 1, repairTries: 1 })
    .sort({ _id: 1 })
    .limit(AT_ONCE)
    .lean<LeftRun[]>();
  if (!runs.length) return { rebuildJobId: null, repaired: 0, left: 0 };
  const jobs = await jobsRepository.statesOf(
    [...new Set([...runs.map((run) => jobOf(run._id)), ...runs.map((run) => String(run.repairJob ?? ''))])].filter(
      isObjectIdText,
    ),
  );

  // Records waiting for a rebuild: gone once it switched its figures in, free again if it ended otherwise.
  const repaired: string[] = [];
  const retry = new Map<string, string[]>();
  for (const run of runs) {
    if (!run.repairJob) continue;
    const rebuild = jobs.get(String(run.repairJob));
    if (rebuild && !jobsRepository.isFinal(rebuild.status)) continue;
    const result = rebuild?.result as { cancelled?: boolean } | null | undefined;
    if (rebuild?.status === 'succeeded' && result?.cancelled === false) repaired.push(run._id);
    else retry.set(String(run.repairJob), [...(retry.get(String(run.repairJob)) ?? []), run._id]);
  }
  if (repaired.length) await ReportRun.deleteMany({ _id: { $in: repaired }, state: 'applying' });
  for (const [rebuildId, ids] of retry)
    await ReportRun.updateMany({ _id: { $in: ids }, repairJob: rebuildId }, { $set: { repairJob: null } });

  const retried = new Set([...retry.values()].flat());
  const leftBefore = Date.now() - singleLeftAfterMs;
  const endedAt = (run: LeftRun) => {
    // A single step's or payment's request is over once its run is older than any request lasts.
    if (isSingleRun(run._id)) return run.at.getTime() < leftBefore ? run.at : null;
    const job = jobs.get(jobOf(run._id));
    return job && jobsRepository.isFinal(job.status) ? (job.finishedAt ?? job.createdAt) : null;
  };
  const orphans = runs.filter((run) => (!run.repairJob || retried.has(run._id)) && endedAt(run));
  const spent = orphans.filter((run) => run.repairTries >= MAX_REPAIR_TRIES);
  if (spent.length && (await tellOnce(spent.map((run) => run._id))))
    logger.error(
      { runs: spent.map((run) => run._id).slice(0, 20), count: spent.length },
      `report totals of list chunks stay partly counted after ${MAX_REPAIR_TRIES} rebuilds; run npm run reports:rebuild`,
    );
  const due = orphans.filter((run) => run.repairTries < MAX_REPAIR_TRIES);
  const left = () => runs.length - repaired.length;
  if (!due.length || (await jobsRepository.anyActive('org.'))) {
    const active = await jobsRepository.activeOfKind(REBUILD_JOB);
    return { rebuildJobId: active ? String(active._id) : null, repaired: repaired.length, left: left() };
  }

  let rebuild = await jobsRepository.activeOfKind(REBUILD_JOB);
  if (!rebuild && !(await rebuildInProgress())) {
    const first = due[0]!;
    rebuild = await queueRebuild(
      { repairOf: due.map((run) => run._id).slice(0, 20), chunks: due.length },
      `reports.repair:${first._id}:${first.repairTries}`,
    );
    if (!rebuild) {
      logger.error(
        { count: due.length },
        'report totals partly counted, and no active national administrator to rebuild them',
      );
      return { rebuildJobId: null, repaired: repaired.length, left: left() };
    }
    logger.warn(
      { rebuildJobId: String(rebuild._id), count: due.length },
      'report totals of list chunks were partly counted (a crash in their writes): a report rebuild was queued',
    );
  }
  if (rebuild) {
    const queuedAt = rebuild.createdAt.getTime();
    const covered = due.filter((run) => endedAt(run)!.getTime() <= queuedAt).map((run) => run._id);
    if (covered.length)
      await ReportRun.updateMany(
        { _id: { $in: covered }, repairJob: null },
        { $set: { repairJob: rebuild._id }, $inc: { repairTries: 1 } },
      );
  }
  return { rebuildJobId: rebuild ? String(rebuild._id) : null, repaired: repaired.length, left: left() };
}
