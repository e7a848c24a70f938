import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../core/errors.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import type { Logger } from '../core/logger.js';
import { OrgOperation, OrgOperationClaim, type OperationDoc } from './reorganisation.model.js';
import { runStep } from './steps.js';

/**
 * Runs stored reorganisations step by step (SPEC §13). Each step is idempotent and is marked done only after
 * it ran, so an instance killed anywhere leaves an operation that `resumeOperation` finishes from its first
 * unfinished step. `runOperation(id)` is the whole unit of work: a job runner (SPEC §14) can call it as its
 * item step unchanged.
 */
const inProcess = new Map<string, Promise<void>>();

export interface ExecutorOptions {
  /** A pause before each step, so that a test can kill the process midway (config REORG_STEP_DELAY_MS). */
  stepDelayMs?: number;
  logger?: Logger;
}

async function execute(id: string, options: ExecutorOptions): Promise<void> {
  const op = await OrgOperation.findById(id).lean<OperationDoc>();
  if (!op || op.status !== 'running') return;
  if (!op.startedAt) await OrgOperation.updateOne({ _id: id }, { $set: { startedAt: new Date() } });
  for (const [i, step] of op.steps.entries()) {
    if (step.done) continue;
    if (options.stepDelayMs) await sleep(options.stepDelayMs);
    const modified = await runStep(op, step);
    await OrgOperation.updateOne({ _id: id }, { $set: { [`steps.${i}.done`]: true, [`steps.${i}.modified`]: modified } });
  }
  await OrgOperation.updateOne({ _id: id, status: 'running' }, { $set: { status: 'succeeded', finishedAt: new Date(), error: null } });
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
        options.logger?.error({ err: error, operationId: id }, 'reorganisation step failed; it resumes at the next start');
        await OrgOperation.updateOne({ _id: id }, { $set: { error: 'Một bước chưa hoàn tất; thao tác sẽ được tiếp tục.' } }).catch(() => undefined);
        throw error;
      })
      .finally(() => inProcess.delete(id));
    inProcess.set(id, run);
  }
  return run;
}

/** At start: finishes every operation an earlier instance left running (after kill -9, for example). */
export async function resumeReorganisations(options: ExecutorOptions = {}): Promise<number> {
  const unfinished = await OrgOperation.find({ status: 'running' }, { _id: 1 }).lean();
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
        throw new ConflictError('CONFLICT', 'Đang có một thao tác tổ chức lại khác trong cùng tỉnh chưa hoàn tất. Vui lòng thử lại sau khi thao tác đó kết thúc.', {
          operationId: holder ? String(holder.operationId) : null,
        });
      }
    }
  }
}
