import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { Logger } from '../core/logger.js';
import { jobsRepository } from '../jobs/index.js';
import { rebuildInProgress } from '../reports/index.js';
import { OrgOperation, OrgOperationClaim, type OperationDoc, type OperationStep } from './reorganisation.model.js';
import { runStep } from './steps.js';

/**
 * Runs stored reorganisations step by step (SPEC §13). Each step is idempotent and is marked done only after
 * it ran, so an instance killed anywhere leaves an operation that `resumeOperation` finishes from its first
 * unfinished step. `runOperation(id)` is the whole unit of work: the reorganisation jobs (SPEC §14,
 * `reorganisation-jobs.ts`) run it as their one item.
 */
const inProcess = new Map<string, Promise<void>>();

export interface ExecutorOptions {
  /** A pause before each step, so that a test can kill the process midway (config REORG_STEP_DELAY_MS). */
  stepDelayMs?: number;
  logger?: Logger;
  /** Told after each step how far the operation is, in items (`progressOf`): the job shows it as its progress. */
  onProgress?: (progress: { done: number; total: number }) => Promise<void>;
}

const weight = (step: Pick<OperationStep, 'items'>) => step.items ?? 1;

/** Progress in items: the documents of the subtree whose chain was rewritten, plus one for every other step. */
export function progressOf(op: Pick<OperationDoc, 'steps'>): { done: number; total: number } {
  return {
    done: op.steps.reduce((sum, s) => sum + (s.done ? weight(s) : 0), 0),
    total: op.steps.reduce((sum, s) => sum + weight(s), 0),
  };
}

async function execute(id: string, options: ExecutorOptions): Promise<void> {
  const op = await OrgOperation.findById(id).lean<OperationDoc>();
  if (!op || op.status !== 'running') return;
  if (!op.startedAt) await OrgOperation.updateOne({ _id: id }, { $set: { startedAt: new Date() } });
  await options.onProgress?.(progressOf(op));
  for (const [i, step] of op.steps.entries()) {
    if (step.done) continue;
    if (options.stepDelayMs) await sleep(options.stepDelayMs);
    const modified = await runStep(op, step);
    await OrgOperation.updateOne(
      { _id: id },
      { $set: { [`steps.${i}.done`]: true, [`steps.${i}.modified`]: modified } },
    );
    step.done = true;
    if (weight(step)) await options.onProgress?.(progressOf(op));
  }
  await OrgOperation.updateOne(
    { _id: id, status: 'running' },
    { $set: { status: 'succeeded', finishedAt: new Date(), error: null } },
  );
  await OrgOperationClaim.deleteMany({ operationId: id });
}

/**
 * Runs (or joins the run of) one operation. A failing step leaves the operation `running` with its `error`
 * and its claims held: the subtree is half moved, so nobody may start another reorganisation of it until this
 * one is finished by a restart or a later call.
 */
export function runOperation(id: string, options: ExecutorOptions = {}): Promise<void> {
  let run = inProcess.get(id);
  if (!run) {
    run = execute(id, options)
      .catch(async (error: unknown) => {
        options.logger?.error(
          { err: error, operationId: id },
          'reorganisation step failed; it resumes at the next start',
        );
        await OrgOperation.updateOne(
          { _id: id },
          { $set: { error: 'Một bước chưa hoàn tất; thao tác sẽ được tiếp tục.' } },
        ).catch(() => undefined);
        throw error;
      })
      .finally(() => inProcess.delete(id));
    inProcess.set(id, run);
  }
  return run;
}

/**
 * At start: finishes every operation an earlier instance left running (after kill -9, for example) that no job
 * will finish: one whose job failed, or that was stored but never handed to a job. An operation whose job is
 * queued or running is left to the job runners, which take it over once its lease has run out (SPEC §14).
 */
export async function resumeReorganisations(options: ExecutorOptions = {}): Promise<number> {
  const running = await OrgOperation.find({ status: 'running' }, { _id: 1 }).lean();
  const withJob = await jobsRepository.operationsHeldByJobs(running.map((op) => String(op._id)));
  const unfinished = running.filter((op) => !withJob.has(String(op._id)));
  for (const op of unfinished) {
    options.logger?.info({ operationId: String(op._id) }, 'resuming an unfinished reorganisation');
    await runOperation(String(op._id), options).catch(() => undefined);
  }
  return unfinished.length;
}

/**
 * Takes the claims of the provinces an operation touches, all or none: a claim held by another running
 * operation answers 409 CONFLICT; one left by an operation that no longer runs is taken over.
 */
export async function takeClaims(operationId: string, provinceIds: readonly string[]): Promise<void> {
  // A report rebuild counts the buckets this would move (rebuild-job.ts): one waits for the other.
  if (await rebuildInProgress())
    throw new ConflictError(
      'CONFLICT',
      'Đang tính lại tổng báo cáo. Vui lòng thực hiện tổ chức lại sau khi việc tính lại kết thúc.',
    );
  const taken: string[] = [];
  const release = () => OrgOperationClaim.deleteMany({ _id: { $in: taken }, operationId });
  for (const provinceId of [...new Set(provinceIds)].sort()) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await OrgOperationClaim.create({ _id: provinceId, operationId, at: new Date() });
        taken.push(provinceId);
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) {
          await release();
          throw error;
        }
        const holder = await OrgOperationClaim.findById(provinceId).lean();
        const holderOp = holder ? await OrgOperation.findById(holder.operationId, { status: 1 }).lean() : null;
        if (attempt === 0 && holder && holderOp?.status !== 'running') {
          await OrgOperationClaim.deleteOne({ _id: provinceId, operationId: holder.operationId });
          continue;
        }
        await release();
        throw new ConflictError(
          'CONFLICT',
          'Đang có một thao tác tổ chức lại khác trong cùng tỉnh chưa hoàn tất. Vui lòng thử lại sau khi thao tác đó kết thúc.',
          {
            operationId: holder ? String(holder.operationId) : null,
          },
        );
      }
    }
  }
}
