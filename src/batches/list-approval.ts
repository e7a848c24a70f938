import {
  applyApprovalsAtOnce,
  approvalOf,
  capOfRules,
  casesRepository,
  fenceApprovals,
  followApprovalsAtOnce,
  planApproval,
  type CaseRecord,
  type PlannedApproval,
} from '../cases/index.js';
import { campaignsRepository } from '../campaigns/index.js';
import { AppError } from '../core/errors.js';
import { mapLimit } from '../core/shared/map-limit.js';
import { chunkCommitments, fundsRepository, type StoredAllocation } from '../funds/index.js';
import type { JobContext } from '../jobs/index.js';
import {
  ACTION_CONCURRENCY,
  actOnListedCase,
  answerWithoutStep,
  caseBody,
  lookupsOf,
  type BatchActionBody,
  type CaseOutcome,
  type StepOptions,
} from './actions.service.js';

/**
 * A list approval a chunk at a time (issue 18), as the list payment is paid (disbursements/list-payment.ts): per
 * chunk one read of its cases, each checked in memory as the single approval checks it; one commitment `$inc` per
 * fund for the chunk; every case's guarded update in one bulk write; what follows the approvals once per chunk.
 * Cases the bulk way does not take (excluded, skipped, a program with a cap per member over years, a chunk whose
 * sum a fund cannot cover, an update that lost a race) go the single way (`actOnListedCase`), as every case used to.
 */
export const APPROVE_CHUNK = 250;

/** The chunk in hand, kept in the job's state before its funds move: what a takeover needs to finish it. */
interface ApproveRun {
  mark: string;
  /** The cases planned the bulk way. */
  caseIds: string[];
  /** What the chunk commits of each fund. */
  sums: Record<string, number>;
}

interface RunState {
  decisionId?: string;
  run?: ApproveRun;
  /** Every campaign a chunk of this job counted in (their marks go when the job ends). */
  campaignIds?: string[];
}

const NOT_FOUND = { code: 'NOT_FOUND', detail: 'Không tìm thấy hồ sơ.' };

/** The funds the body names (each case's allocations draw on them alone). */
export function fundIdsOf(body: BatchActionBody): string[] {
  return body.fundId ? [body.fundId] : (body.fundShares ?? []).map((s) => s.fundId);
}

/**
 * Finishes a chunk whose commitment may have been made, from wherever it stands: the cases read (or as the bulk
 * write left them) tell which approvals took; what the others had taken of each fund is given back (once), the
 * approvals that took get their ledger entries and everything `followApprovalsAtOnce` writes (each once). The same
 * steps whether the chunk is in hand or was left by a crash. Answers the cases whose approval took.
 */
async function finishRun(ctx: JobContext, run: ApproveRun, after?: Map<string, CaseRecord>): Promise<CaseRecord[]> {
  // Only a chunk left by another instance may have been audited: a chunk of this run has fresh cases.
  const again = !after;
  const cases = after ?? new Map((await casesRepository.findByIds(run.caseIds)).map((c) => [String(c._id), c]));
  const took = run.caseIds.flatMap((id) => {
    const c = cases.get(id);
    return c && approvalOf(c, run.mark) ? [c] : [];
  });
  const untaken = new Map(Object.entries(run.sums));
  for (const c of took)
    for (const a of c.fundAllocations) untaken.set(String(a.fundId), (untaken.get(String(a.fundId)) ?? 0) - a.amount);
  await chunkCommitments.giveBack(new Map([...untaken].filter(([, amount]) => amount > 0)), run.mark);
  await chunkCommitments.enter(
    took.map((c) => ({ caseRef: c, allocations: c.fundAllocations })),
    run.mark,
    ctx.actor,
  );
  await ctx.pause();
  await followApprovalsAtOnce(took, run.mark, ctx.actor, { again, pause: () => ctx.pause() });
  return took;
}

/** The chunk left half-way by the instance that had the job before is finished before any new chunk (once per take-up). */
const recovered = new WeakSet<JobContext>();

async function recoverRun(ctx: JobContext): Promise<void> {
  recovered.add(ctx);
  const run = (ctx.job.state as RunState | null)?.run;
  if (!run) return;
  // The instance that left it may still be writing (it lost its lease without dying): fenced off first.
  await fenceApprovals(await casesRepository.findByIds(run.caseIds), run.mark);
  await finishRun(ctx, run);
}

interface Planned extends PlannedApproval {
  fundAllocations: StoredAllocation[];
}

/** One chunk of a list approval (see `APPROVE_CHUNK`). */
export async function approveChunk(
  ctx: JobContext,
  keys: string[],
  input: { batchId: string; body: BatchActionBody },
  shared: Pick<StepOptions, 'programContext' | 'directUpperUnion'>,
): Promise<CaseOutcome[]> {
  const { batchId, body } = input;
  const again = ctx.job.attempts > 1;
  if (again && !recovered.has(ctx)) await recoverRun(ctx);
  // Only a resumed job may find its own earlier step in a case's history (actions' `actOnListedCase`).
  const options: StepOptions = {
    ...shared,
    resumedSince: again ? (ctx.job.startedAt ?? ctx.job.createdAt) : undefined,
    wholeRecord: true,
  };
  const records = new Map((await casesRepository.findByIds(keys)).map((r) => [String(r._id), r]));
  const funds = new Map((await fundsRepository.findByIds(fundIdsOf(body))).map((f) => [String(f._id), f]));
  const { amounts } = lookupsOf(body);
  const outcomes = new Map<string, CaseOutcome>();
  const single: CaseRecord[] = [];
  const planned: Planned[] = [];
  for (const caseId of keys) {
    const record = records.get(caseId);
    if (!record) {
      outcomes.set(caseId, { caseId, code: '', memberName: '', outcome: 'failed', status: '', problem: NOT_FOUND });
      continue;
    }
    const answered = await answerWithoutStep(ctx.actor, batchId, 'approve', body, record, options);
    if (answered) {
      outcomes.set(caseId, answered);
      continue;
    }
    // A cap per member over years is taken on the member's ledger by compare-and-set: such cases go the single way.
    if (capOfRules((await options.programContext!(record)).rules)) {
      single.push(record);
      continue;
    }
    const stepBody: Record<string, unknown> = {
      ...caseBody('approve', body, record, amounts),
      revision: record.revision,
    };
    try {
      const plan = await planApproval(ctx.principal, ctx.actor, record, stepBody, options);
      const fundAllocations = chunkCommitments.check(
        record,
        stepBody.fundAllocations,
        Number(stepBody.approvedAmount),
        funds,
      );
      planned.push({ ...plan, fundAllocations });
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
    const lost = await approvePlanned(ctx, planned);
    if (lost === null) return [];
    for (const p of planned) {
      const caseId = String(p.record._id);
      if (!lost.has(caseId))
        outcomes.set(caseId, {
          caseId,
          code: p.record.code,
          memberName: p.record.memberName,
          outcome: 'ok',
          status: 'approved',
        });
    }
    // Lost to a step made meanwhile (or the chunk did not fit a fund): each goes the single way, read again.
    if (lost.size) single.push(...(await casesRepository.findByIds([...lost])));
  }
  if (ctx.halted() && !ctx.cancelled()) return [];
  await mapLimit(single, ACTION_CONCURRENCY, async (record) =>
    outcomes.set(
      String(record._id),
      await actOnListedCase(ctx.principal, ctx.actor, batchId, 'approve', body, record, options),
    ),
  );
  return keys.map((k) => outcomes.get(k)!);
}

/**
 * The planned cases the bulk way: the chunk kept in the job's state, its commitment, the bulk update, `finishRun`.
 * Answers the ids of the cases whose approval did not take (all of them when a fund could not cover the chunk), or
 * null when this instance lost the job on the way (the one that has it now finishes the chunk: `recoverRun`).
 */
async function approvePlanned(ctx: JobContext, planned: Planned[]): Promise<Set<string> | null> {
  const mark = `${String(ctx.job._id)}:${String(fundsRepository.newId())}`;
  const sums: Record<string, number> = {};
  for (const p of planned)
    for (const a of p.fundAllocations) sums[String(a.fundId)] = (sums[String(a.fundId)] ?? 0) + a.amount;
  const state = (ctx.job.state ?? {}) as RunState;
  const campaignIds = new Set(state.campaignIds ?? []);
  for (const p of planned) if (p.record.campaignId) campaignIds.add(String(p.record.campaignId));
  const run: ApproveRun = { mark, caseIds: planned.map((p) => String(p.record._id)), sums };
  await ctx.saveState({ ...state, run, campaignIds: [...campaignIds] } as Record<string, unknown>);
  if (ctx.halted() && !ctx.cancelled()) return null;
  if (!(await chunkCommitments.commit(new Map(Object.entries(sums)), mark))) return new Set(run.caseIds);
  await ctx.pause();
  if (ctx.halted() && !ctx.cancelled()) {
    // Given back here too (once, whoever comes first): the next instance may have looked before this commitment.
    await chunkCommitments.giveBack(new Map(Object.entries(sums)), mark);
    return null;
  }
  const after = await applyApprovalsAtOnce(planned, mark);
  await ctx.pause();
  if (ctx.halted() && !ctx.cancelled()) return null;
  const took = new Set((await finishRun(ctx, run, after)).map((c) => String(c._id)));
  return new Set(run.caseIds.filter((id) => !took.has(id)));
}

/** The list's job ended: the marks its chunks left on the funds and campaigns go. */
export async function dropApproveMarks(ctx: JobContext, body: BatchActionBody): Promise<void> {
  const prefix = `${String(ctx.job._id)}:`;
  await chunkCommitments.dropMarks(fundIdsOf(body), prefix);
  await campaignsRepository.dropApproveMarks((ctx.job.state as RunState | null)?.campaignIds ?? [], prefix);
}
