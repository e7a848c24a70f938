import { Types } from 'mongoose';
import {
  applyStepsAtOnce,
  casesRepository,
  claimKeyOf,
  followStepsAtOnce,
  planStep,
  releaseUnrecordedClaims,
  stepOf,
  takeClaimsAtOnce,
  type CaseRecord,
  type PlannedStep,
} from '../cases/index.js';
import type { JobContext } from '../jobs/index.js';
import { membersRepository } from '../members/index.js';
import { newChunkMark, recoverChunk, type ChunkRun, type ChunkWay } from './list-chunks.js';

/**
 * A list submission a chunk at a time (issue 18, list-chunks.ts `runChunk`): each draft checked in memory as the
 * single submission checks it; the chunk's duplicate claims (SPEC §5, cases/claims.ts) inserted in one write, the
 * cases whose claim exists going the single way (`takeClaim` tells a resubmission, a stale claim and a duplicate
 * apart); every case's guarded update, its claim key in it, in one bulk write; report totals and audit once per
 * chunk; the drafts' members read in one query. A returned case (a resubmission: its claim is its own, its subtype
 * may have changed) goes the single way.
 */

/** The chunk in hand, kept in the job's state before its claims are taken: what a takeover needs to finish it. */
interface SubmitRun extends ChunkRun {
  claimKeys: Record<string, string>;
}

/**
 * Finishes a chunk from wherever it stands: the cases read (or as the bulk write left them) tell which submissions
 * took; a claim whose case does not record it goes; the submissions that took get the report totals and audit
 * entries (each once). Answers the ids of the cases whose submission took.
 */
async function finishRun(ctx: JobContext, run: SubmitRun, after?: Map<string, CaseRecord>): Promise<Set<string>> {
  // Only a chunk left by another instance may have been audited: a chunk of this run has fresh cases.
  const again = !after;
  const cases = after ?? new Map((await casesRepository.findByIds(run.caseIds)).map((c) => [String(c._id), c]));
  const took = run.caseIds.flatMap((id) => {
    const c = cases.get(id);
    return c && stepOf(c, 'submit', run.mark) ? [c] : [];
  });
  await releaseUnrecordedClaims(
    run.caseIds.map((id) => ({ key: run.claimKeys[id]!, caseId: new Types.ObjectId(id) })),
    cases,
    run.mark,
  );
  await followStepsAtOnce(took, 'submit', run.mark, ctx.actor, again);
  return new Set(took.map((c) => String(c._id)));
}

/** The submission's chunk left in the job's state, finished (`recoverChunk`). */
export const recoverSubmitRun = (ctx: JobContext) => recoverChunk<SubmitRun>(ctx, 'submit', finishRun);

export function submitChunk(): ChunkWay<PlannedStep> {
  return {
    action: 'submit',
    // The drafts' members in one query: the submission snapshots each case's member.
    async readAhead(records) {
      const drafts = records.filter((r) => r.status === 'draft');
      const members = await membersRepository.findByIds([...new Set(drafts.map((r) => String(r.memberId)))]);
      return { members: new Map(members.map((m) => [String(m._id), m])) };
    },
    async plan(ctx, record, stepBody, options) {
      if (record.status !== 'draft') return null;
      const plan = await planStep(ctx.principal, ctx.actor, record, 'submit', stepBody, options);
      const claimKey = claimKeyOf(record, (await options.programContext!(record)).rules);
      return { ...plan, set: { ...plan.set, claimKey } };
    },
    async apply(ctx, planned, slot) {
      const run: SubmitRun = {
        mark: newChunkMark(ctx),
        caseIds: planned.map((p) => String(p.record._id)),
        claimKeys: Object.fromEntries(planned.map((p) => [String(p.record._id), String(p.set.claimKey)])),
      };
      await ctx.keepRun(slot, run);
      if (ctx.halted() && !ctx.cancelled()) return null;
      const held = await takeClaimsAtOnce(
        planned.map((p) => ({ key: run.claimKeys[String(p.record._id)]!, record: p.record })),
        run.mark,
      );
      await ctx.pause();
      if (ctx.halted() && !ctx.cancelled()) return null;
      // A claim that exists already is not this chunk's: its case goes the single way, which reads the claim.
      const after = await applyStepsAtOnce(
        planned.filter((p) => !held.has(String(p.record._id))),
        run.mark,
      );
      await ctx.pause();
      if (ctx.halted() && !ctx.cancelled()) return null;
      const took = await finishRun(ctx, { ...run, caseIds: run.caseIds.filter((id) => !held.has(id)) }, after);
      return new Set(run.caseIds.filter((id) => !took.has(id)));
    },
  };
}
