import {
  applyStepsAtOnce,
  capOfRules,
  casesRepository,
  followApprovalsAtOnce,
  planStep,
  stepOf,
  type CaseRecord,
  type PlannedStep,
} from '../cases/index.js';
import { campaignsRepository } from '../campaigns/index.js';
import { chunkCommitments, fundsRepository, type FundRecord, type StoredAllocation } from '../funds/index.js';
import type { JobContext, JobRecord } from '../jobs/index.js';
import type { BatchActionBody, CaseOutcome, StepOptions } from './actions.service.js';
import { newChunkMark, recoverChunk, runChunk, type ChunkRun } from './list-chunks.js';

/**
 * A list approval a chunk at a time (issue 18, list-chunks.ts `runChunk`): each case checked in memory as the single
 * approval checks it; one commitment `$inc` per fund for the chunk; every case's guarded update in one bulk write;
 * what follows the approvals once per chunk. Besides what every list action leaves to the single way, a program with
 * a cap per member over years and a chunk whose sum a fund cannot cover go the single way.
 */

/** The chunk in hand, kept in the job's state before its funds move: what a takeover needs to finish it. */
interface ApproveRun extends ChunkRun {
  /** What the chunk commits of each fund. */
  sums: Record<string, number>;
}

interface RunState {
  decisionId?: string;
  /** Every campaign a chunk of this job counted in (their marks go when the job ends). */
  campaignIds?: string[];
}

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
    return c && stepOf(c, 'approve', run.mark) ? [c] : [];
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

/**
 * The approval's chunk left in the job's state, finished (`recoverChunk`): its approvals that took are followed, what
 * the others had committed is given back.
 */
export const recoverApproveRun = (ctx: JobContext) => recoverChunk<ApproveRun>(ctx, 'approve', finishRun);

interface Planned extends PlannedStep {
  fundAllocations: StoredAllocation[];
}

/** One chunk of a list approval. */
export async function approveChunk(
  ctx: JobContext,
  keys: string[],
  input: { batchId: string; body: BatchActionBody },
  shared: Pick<StepOptions, 'programContext' | 'directUpperUnion'>,
  slot: string,
): Promise<CaseOutcome[]> {
  const funds = new Map((await fundsRepository.findByIds(fundIdsOf(input.body))).map((f) => [String(f._id), f]));
  return runChunk(
    ctx,
    keys,
    input,
    shared,
    {
      action: 'approve',
      plan: (job, record, stepBody, options) => planApproval(job, record, stepBody, options, funds),
      apply: approvePlanned,
    },
    slot,
  );
}

/** A case checked as the single approval checks it, its allocations as `commitFunds` checks them; null: the single way. */
async function planApproval(
  ctx: JobContext,
  record: CaseRecord,
  stepBody: Record<string, unknown>,
  options: StepOptions,
  funds: Map<string, FundRecord>,
): Promise<Planned | null> {
  // A cap per member over years is taken on the member's ledger by compare-and-set: such cases go the single way.
  if (capOfRules((await options.programContext!(record)).rules)) return null;
  const plan = await planStep(ctx.principal, ctx.actor, record, 'approve', stepBody, options);
  const fundAllocations = chunkCommitments.check(
    record,
    stepBody.fundAllocations,
    Number(stepBody.approvedAmount),
    funds,
  );
  return { ...plan, fundAllocations };
}

/**
 * The planned cases the bulk way: the chunk kept in the job's state, its commitment, the bulk update, `finishRun`.
 * Answers the ids of the cases whose approval did not take (all of them when a fund could not cover the chunk), or
 * null when this instance lost the job on the way (the one that has it now finishes the chunk: `recoverApproveRun`).
 */
async function approvePlanned(ctx: JobContext, planned: Planned[], slot: string): Promise<Set<string> | null> {
  const mark = newChunkMark(ctx);
  const sums: Record<string, number> = {};
  for (const p of planned)
    for (const a of p.fundAllocations) sums[String(a.fundId)] = (sums[String(a.fundId)] ?? 0) + a.amount;
  const campaignIds = new Set(planned.flatMap((p) => (p.record.campaignId ? [String(p.record.campaignId)] : [])));
  const run: ApproveRun = { mark, caseIds: planned.map((p) => String(p.record._id)), sums };
  await ctx.addToState('campaignIds', [...campaignIds]);
  await ctx.keepRun(slot, run);
  if (ctx.halted() && !ctx.cancelled()) return null;
  if (!(await chunkCommitments.commit(new Map(Object.entries(sums)), mark))) return new Set(run.caseIds);
  await ctx.pause();
  if (ctx.halted() && !ctx.cancelled()) {
    // Given back here too (once, whoever comes first): the next instance may have looked before this commitment.
    await chunkCommitments.giveBack(new Map(Object.entries(sums)), mark);
    return null;
  }
  const after = await applyStepsAtOnce(
    planned.map(({ fundAllocations, ...p }) => ({ ...p, set: { ...p.set, fundAllocations } })),
    mark,
  );
  await ctx.pause();
  if (ctx.halted() && !ctx.cancelled()) return null;
  const took = new Set((await finishRun(ctx, run, after)).map((c) => String(c._id)));
  return new Set(run.caseIds.filter((id) => !took.has(id)));
}

/**
 * The list's job ended (finished, or failed: nothing takes a failed job up again, so no chunk of it is finished
 * again): the marks its chunks left on the funds and campaigns go.
 */
export async function dropApproveMarks(job: JobRecord, body: BatchActionBody): Promise<void> {
  const prefix = `${String(job._id)}:`;
  await chunkCommitments.dropMarks(fundIdsOf(body), prefix);
  await campaignsRepository.dropApproveMarks((job.state as RunState | null)?.campaignIds ?? [], prefix);
}
