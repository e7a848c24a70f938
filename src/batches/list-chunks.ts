import {
  applyStepsAtOnce,
  casesRepository,
  claimsGivenBack,
  fenceSteps,
  followStepsAtOnce,
  planStep,
  stepOf,
  type CaseRecord,
  type PlannedStep,
} from '../cases/index.js';
import { AppError } from '../core/errors.js';
import { mapLimit } from '../core/shared/map-limit.js';
import { fundsRepository } from '../funds/index.js';
import { runsInHand, type JobContext } from '../jobs/index.js';
import {
  ACTION_CONCURRENCY,
  actOnListedCase,
  answerWithoutStep,
  caseBody,
  lookupsOf,
  type BatchActionBody,
  type BatchActionName,
  type CaseOutcome,
  type StepOptions,
} from './actions.service.js';

/**
 * A list action a chunk at a time (issue 18), as the list payment is paid (disbursements/list-payment.ts): per chunk
 * one read of its cases, each checked in memory as the single step checks it, every case's guarded update in one
 * bulk write, what follows the steps once per chunk. Cases the bulk way does not take (excluded, skipped, refused by
 * the way's own plan, an update that lost a race) go the single way (`actOnListedCase`), as every case used to. The
 * approval (list-approval.ts) adds its funds; verify, return and reject are `stepChunk` below.
 */
export const LIST_CHUNK = 250;
/**
 * Chunks of a list action run at once (the runner's `chunksAtOnce`): a chunk mostly waits for the database while the
 * service plans and follows the other. Measured at 20,000 cases (docs/benchmarks.md "Two chunks at once"): three at once
 * took as long as two.
 */
export const LIST_CHUNKS_AT_ONCE = 2;

/** The chunk in hand, kept in the job's state before its cases are written: what a takeover needs to finish it. */
export interface ChunkRun {
  mark: string;
  /** The cases planned the bulk way. */
  caseIds: string[];
  /** The duplicate claim of each case planned (by case id): the one a submission takes, or a rejection gives back. */
  claimKeys?: Record<string, string>;
}

const NOT_FOUND = { code: 'NOT_FOUND', detail: 'Không tìm thấy hồ sơ.' };

/** How one list action takes a chunk the bulk way. */
export interface ChunkWay<P extends PlannedStep> {
  action: BatchActionName;
  /** What the chunk's cases need read at once before they are planned (the submission: their members). */
  readAhead?(records: readonly CaseRecord[]): Promise<Pick<StepOptions, 'members'>>;
  /** The case checked as the single step checks it (throws its refusal), or null: it goes the single way. */
  plan(ctx: JobContext, record: CaseRecord, stepBody: Record<string, unknown>, options: StepOptions): Promise<P | null>;
  /**
   * The planned cases written, the chunk kept under its `slot` (`keepRun`): answers the ids of those whose step did
   * not take, or null when this instance lost the job on the way (the one that has it now finishes the chunk).
   */
  apply(ctx: JobContext, planned: P[], slot: string): Promise<Set<string> | null>;
}

/** One chunk of a list action (see `LIST_CHUNK`). */
export async function runChunk<P extends PlannedStep>(
  ctx: JobContext,
  keys: string[],
  input: { batchId: string; body: BatchActionBody },
  shared: Pick<StepOptions, 'programContext' | 'directUpperUnion'>,
  way: ChunkWay<P>,
  slot: string,
): Promise<CaseOutcome[]> {
  const { batchId, body } = input;
  const { action } = way;
  // A job taken up again: the chunk left half-way was finished first (the kind's `recover`, run by the runner).
  const again = ctx.job.attempts > 1;
  const records = new Map((await casesRepository.findByIds(keys)).map((r) => [String(r._id), r]));
  // Only a resumed job may find its own earlier step in a case's history (actions' `actOnListedCase`).
  const options: StepOptions = {
    ...shared,
    resumedSince: again ? (ctx.job.startedAt ?? ctx.job.createdAt) : undefined,
    wholeRecord: true,
    ...(way.readAhead ? await way.readAhead([...records.values()]) : {}),
  };
  const { amounts } = lookupsOf(body);
  const outcomes = new Map<string, CaseOutcome>();
  const single: CaseRecord[] = [];
  const planned: P[] = [];
  for (const caseId of keys) {
    const record = records.get(caseId);
    if (!record) {
      outcomes.set(caseId, { caseId, code: '', memberName: '', outcome: 'failed', status: '', problem: NOT_FOUND });
      continue;
    }
    const answered = await answerWithoutStep(ctx.actor, batchId, action, body, record, options);
    if (answered) {
      outcomes.set(caseId, answered);
      continue;
    }
    const stepBody: Record<string, unknown> = { ...caseBody(action, body, record, amounts), revision: record.revision };
    try {
      const plan = await way.plan(ctx, record, stepBody, options);
      if (plan) planned.push(plan);
      else single.push(record);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const base = { caseId, code: record.code, memberName: record.memberName };
      outcomes.set(caseId, {
        ...base,
        outcome: 'failed',
        status: record.status,
        problem: { code: error.code, detail: error.detail },
      });
    }
  }
  if (planned.length) {
    const lost = await way.apply(ctx, planned, slot);
    if (lost === null) return [];
    for (const p of planned) {
      const caseId = String(p.record._id);
      if (!lost.has(caseId))
        outcomes.set(caseId, {
          caseId,
          code: p.record.code,
          memberName: p.record.memberName,
          outcome: 'ok',
          status: String(p.set.status),
        });
    }
    // Lost to a step made meanwhile (or the way could not take them): each goes the single way, read again.
    if (lost.size) single.push(...(await casesRepository.findByIds([...lost])));
  }
  if (ctx.halted() && !ctx.cancelled()) return [];
  await mapLimit(single, ACTION_CONCURRENCY, async (record) =>
    outcomes.set(
      String(record._id),
      await actOnListedCase(ctx.principal, ctx.actor, batchId, action, body, record, options),
    ),
  );
  return keys.map((k) => outcomes.get(k)!);
}

/** A new chunk's mark: the job's id, then an id of its own (the job's marks are found by that prefix). */
export const newChunkMark = (ctx: JobContext) => `${String(ctx.job._id)}:${String(fundsRepository.newId())}`;

/**
 * Finishes a chunk of a step that `stepsAtOnce` admits from wherever it stands: the cases read (or as the bulk write
 * left them) tell which steps took, and those get what follows them (`followStepsAtOnce`, each write once). The
 * same steps whether the chunk is in hand or was left by a crash. Answers the ids of the cases whose step took.
 */
async function finishStepRun(
  ctx: JobContext,
  action: BatchActionName,
  run: ChunkRun,
  after?: Map<string, CaseRecord>,
): Promise<Set<string>> {
  // Only a chunk left by another instance may have been audited: a chunk of this run has fresh cases.
  const again = !after;
  const cases = after ?? new Map((await casesRepository.findByIds(run.caseIds)).map((c) => [String(c._id), c]));
  const took = run.caseIds.flatMap((id) => {
    const c = cases.get(id);
    return c && stepOf(c, action, run.mark) ? [c] : [];
  });
  await followStepsAtOnce(took, action, run.mark, ctx.actor, again, run.claimKeys);
  return new Set(took.map((c) => String(c._id)));
}

/**
 * The chunks a list action left in the job's state (`runsInHand`: the chunks that were in hand at once, and maybe
 * earlier ones that finished), each finished: every action's `recover` (a take-up after a crash or an error, or a
 * job that fails). Each chunk is fenced off first (an instance that lost its lease without dying may still be
 * writing it: its late update can no longer take), then `finish`, the same finish as the chunk in hand's
 * (`finishStepRun`, the submission's, the approval's).
 */
export async function recoverChunk<R extends ChunkRun>(
  ctx: JobContext,
  action: BatchActionName,
  finish: (ctx: JobContext, run: R) => Promise<unknown>,
): Promise<void> {
  for (const run of runsInHand<R>(ctx.job.state)) {
    await fenceSteps(await casesRepository.findByIds(run.caseIds), action, run.mark);
    await finish(ctx, run);
  }
}

/** A step that `stepsAtOnce` admits: its chunk left in the job's state, finished (`recoverChunk`). */
export const recoverStepRun = (ctx: JobContext, action: BatchActionName) =>
  recoverChunk<ChunkRun>(ctx, action, (c, run) => finishStepRun(c, action, run));

/**
 * The bulk way of a step that `stepsAtOnce` admits (verify, return, reject): each case planned by `planStep`; the
 * chunk kept in the job's state (`keepRun`, with the claims a rejection gives back) before the bulk update; then
 * `finishStepRun`. A take-up finishes the chunks left in the state first (`recoverStepRun`).
 */
export function stepChunk(action: BatchActionName): ChunkWay<PlannedStep> {
  return {
    action,
    plan: (ctx, record, stepBody, options) => planStep(ctx.principal, ctx.actor, record, action, stepBody, options),
    async apply(ctx, planned, slot) {
      const run: ChunkRun = {
        mark: newChunkMark(ctx),
        caseIds: planned.map((p) => String(p.record._id)),
        claimKeys: claimsGivenBack(
          action,
          planned.map((p) => p.record),
        ),
      };
      await ctx.keepRun(slot, run);
      if (ctx.halted() && !ctx.cancelled()) return null;
      const after = await applyStepsAtOnce(planned, run.mark);
      await ctx.pause();
      if (ctx.halted() && !ctx.cancelled()) return null;
      const took = await finishStepRun(ctx, action, run, after);
      return new Set(run.caseIds.filter((id) => !took.has(id)));
    },
  };
}
