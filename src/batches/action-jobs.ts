import { Types } from 'mongoose';
import { casesRepository, stepsAtOnce } from '../cases/index.js';
import { issueBatchDecision } from '../decisions/index.js';
import { registerJobKind, type JobContext, type JobRecord } from '../jobs/index.js';
import {
  ACTION_CONCURRENCY,
  actOnListedCase,
  BATCH_ACTIONS,
  concludeBatchAction,
  sharedDirectUpperUnion,
  sharedProgramContext,
  type StepOptions,
  type BatchActionBody,
  type BatchActionName,
  type CaseOutcome,
  type DecisionIssuer,
} from './actions.service.js';
import { batchesRepository } from './batches.repository.js';
import { approveChunk, dropApproveMarks, recoverApproveRun } from './list-approval.js';
import { LIST_CHUNK, LIST_CHUNKS_AT_ONCE, recoverStepRun, runChunk, stepChunk } from './list-chunks.js';
import { recoverSubmitRun, submitChunk } from './list-submit.js';

export interface ActionJobInput {
  batchId: string;
  action: BatchActionName;
  body: BatchActionBody;
}

export const actionJobKind = (action: BatchActionName) => `batch.${action}`;

/** The program context read once per run of a job, as the one-request action reads it once (actions.service). */
const contexts = new WeakMap<JobContext, Pick<StepOptions, 'programContext' | 'directUpperUnion'>>();
function contextOf(ctx: JobContext) {
  let read = contexts.get(ctx);
  if (!read) {
    read = { programContext: sharedProgramContext(), directUpperUnion: sharedDirectUpperUnion() };
    contexts.set(ctx, read);
  }
  return read;
}

/**
 * The decision id is chosen and stored on the job before the decision is issued under it: a job taken up after
 * a crash finds that decision (complete or half made) instead of issuing a second one for the same cases.
 */
function decisionOnce(ctx: JobContext): DecisionIssuer {
  return async (actor, caseIds, { signerName, signerTitle, decisionDate }) => {
    let decisionId = (ctx.job.state as { decisionId?: string } | null)?.decisionId;
    if (!decisionId) {
      decisionId = String(new Types.ObjectId());
      await ctx.saveState({ ...(ctx.job.state ?? {}), decisionId });
    }
    return issueBatchDecision(actor, caseIds, { signerName, signerTitle, decisionDate }, decisionId);
  };
}

/**
 * Every list action (submit, verify, return, reject, approve) as a job: one item per case of the list, taken a chunk
 * at a time: the approval (list-approval.ts), the submission (list-submit.ts), verify, return and reject
 * (list-chunks.ts).
 */
export function registerActionJobs(): void {
  for (const action of BATCH_ACTIONS) {
    registerJobKind({
      kind: actionJobKind(action),
      concurrency: ACTION_CONCURRENCY,
      async runItem(ctx, caseId) {
        const { batchId, body } = ctx.job.input as ActionJobInput;
        const record = await casesRepository.findById(caseId);
        if (!record)
          return {
            caseId,
            code: '',
            memberName: '',
            outcome: 'failed',
            status: '',
            problem: { code: 'NOT_FOUND', detail: 'Không tìm thấy hồ sơ.' },
          } satisfies CaseOutcome;
        // Only a resumed job (a second attempt, after its first runner died) may find its own earlier step in a
        // case's history; on a first attempt a matching entry is someone's single-case action racing the list
        // (the same officer may act on a case of the list while it runs), which the list must not claim as its own.
        const resumedSince = ctx.job.attempts > 1 ? (ctx.job.startedAt ?? ctx.job.createdAt) : undefined;
        return actOnListedCase(ctx.principal, ctx.actor, batchId, action, body, record, {
          ...contextOf(ctx),
          resumedSince,
          wholeRecord: true,
        });
      },
      // The approval, the submission (its duplicate claims taken at once) and every step with nothing to take or give
      // back but its duplicate claim (verify, return, reject), a chunk at a time.
      ...(action === 'approve'
        ? {
            runItems: (ctx: JobContext, keys: string[], slot: string) =>
              approveChunk(ctx, keys, ctx.job.input as ActionJobInput, contextOf(ctx), slot),
            recover: recoverApproveRun,
            failed: (job: JobRecord) => dropApproveMarks(job, (job.input as ActionJobInput).body),
            chunk: LIST_CHUNK,
            chunksAtOnce: LIST_CHUNKS_AT_ONCE,
          }
        : action === 'submit'
          ? {
              runItems: (ctx: JobContext, keys: string[], slot: string) =>
                runChunk(ctx, keys, ctx.job.input as ActionJobInput, contextOf(ctx), submitChunk(), slot),
              recover: recoverSubmitRun,
              chunk: LIST_CHUNK,
              chunksAtOnce: LIST_CHUNKS_AT_ONCE,
            }
          : stepsAtOnce(action)
            ? {
                runItems: (ctx: JobContext, keys: string[], slot: string) =>
                  runChunk(ctx, keys, ctx.job.input as ActionJobInput, contextOf(ctx), stepChunk(action), slot),
                recover: (ctx: JobContext) => recoverStepRun(ctx, action),
                chunk: LIST_CHUNK,
                chunksAtOnce: LIST_CHUNKS_AT_ONCE,
              }
            : {}),
      async finish(ctx, outcomes) {
        const { batchId, body } = ctx.job.input as ActionJobInput;
        if (action === 'approve') await dropApproveMarks(ctx.job, body);
        const batch = (await batchesRepository.findById(batchId))!;
        return concludeBatchAction(ctx.actor, batch, action, body, outcomes as CaseOutcome[], decisionOnce(ctx));
      },
    });
  }
}
