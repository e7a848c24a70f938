import { Schema, Types } from 'mongoose';
import { recordAuditsOnce } from '../audit/index.js';
import { campaignsRepository } from '../campaigns/index.js';
import { defineModel } from '../core/db/model.js';
import { leaseFree, takeLease } from '../core/db/lease.js';
import type { Actor } from '../core/scope.js';
import { dropFundMarks, singleMarkId, singleMarksBefore } from '../funds/index.js';
import type { CaseRecord } from './cases.repository.js';
import { emitCaseEvent } from './lifecycle-events.js';
import { RESERVATIONS, type StepMarks } from './reservations.js';
import type { Transition } from './workflow.js';

/**
 * Every single step of the workflow runs under a run of its own, with a mark (its id): kept in `step_runs` from before
 * its first reservation until everything that follows it is written. The history entry of the step carries the mark
 * (`run`), and so do the report totals (a report run named by the mark) and the audit entry (an id made of the mark),
 * so that each is written once. The steps that move money carry it further: the approval (it takes the funds'
 * commitment and the member's ledger entry before its case records it, reservations.ts) and the revocation (it
 * releases them after) leave it on the funds' commitment (`<mark>:c`, given back as `<mark>:b`) or release
 * (`<mark>:r`), the ledger's commitment or release entries (ids made of the mark) and the campaign totals (the
 * campaign's `approveRuns`). A crash of the instance between those writes leaves the run behind, and the round of
 * interrupted-steps.ts finishes it: given back when the case never recorded the step, followed once when it did. The
 * marks outlive the run by an hour (`dropEndedStepMarks`), so that a request that only stalled while a round finished
 * its run writes nothing twice when it goes on.
 */

export interface StepRunRecord {
  _id: string;
  caseId: Types.ObjectId;
  action: string;
  at: Date;
  leaseUntil: Date | null;
  actor: { userId: string; name: string };
  sums: { fundId: string; amount: number }[];
  body: Record<string, unknown>;
  claimKey: string | null;
  decision: 'single' | 'batch';
}

const stepRunSchema = new Schema(
  {
    /** The run's mark: an ObjectId's 24 hex digits (the audit entry's id takes its time from them). */
    _id: { type: String, required: true },
    caseId: { type: Schema.Types.ObjectId, required: true },
    action: { type: String, required: true },
    /** When the step began: its history entry and its member's ledger entry carry this time. */
    at: { type: Date, required: true },
    /** While a round finishes it: until then no other round takes it (null: the step's own request has it). */
    leaseUntil: { type: Date, default: null },
    actor: { userId: { type: String, required: true }, name: { type: String, required: true } },
    /** What the step commits (an approval) or releases (a revocation) of each fund. */
    sums: [{ _id: false, fundId: { type: String, required: true }, amount: { type: Number, required: true } }],
    /** What follows the step needs of the request's body (the decision's signer and date, the revocation's reason). */
    body: { type: Schema.Types.Mixed, default: {} },
    /** The duplicate claim the case held before the step (a revocation releases it, and clears it on the case). */
    claimKey: { type: String, default: null },
    /** The decision that follows: the case's own, or the list's one at its end. */
    decision: { type: String, enum: ['single', 'batch'], default: 'single' },
  },
  { collection: 'step_runs', versionKey: false, minimize: false },
);
export const StepRun = defineModel('StepRun', stepRunSchema);

/**
 * Whether a move moves money: a fund's commitment (takes it, or releases it), the campaign totals or an event (the
 * decision). Of the workflow table: the approval and the revocation. Every reservation of such a move must be undone by
 * its mark when the move did not stand (a programming error otherwise). A move that moves no money may take a
 * reservation without an undo: the duplicate claim of a submission its case never recorded goes stale by itself
 * (claims.ts `isStale`).
 */
export function movesMoney(t: Transition): boolean {
  const reserves = t.reserves ?? [];
  const moves =
    [...reserves, ...(t.releases ?? [])].includes('fundCommitment') || Boolean(t.campaignTotals) || !!t.emits?.length;
  if (moves && !reserves.every((name) => RESERVATIONS[name].undo))
    throw new Error(`the move ${t.action} moves money: each reservation of it needs an undo`);
  return moves;
}

/** The body's fields what follows the step needs: the approval's decision (signer, date), the revocation's reason. */
const FOLLOW_FIELDS = ['approvedAmount', 'signerName', 'signerTitle', 'decisionDate', 'reason'] as const;

export const stepRuns = {
  /**
   * The run of a step about to take its reservations, stored before it takes any, with the funds it moves (what an
   * approval commits, what a revocation releases).
   */
  async begin(
    record: Pick<CaseRecord, '_id' | 'claimKey' | 'fundAllocations'>,
    t: Transition,
    actor: Actor,
    body: Record<string, unknown>,
    decision: 'single' | 'batch',
  ): Promise<StepRunRecord> {
    const allocations = (
      t.reserves?.includes('fundCommitment')
        ? Array.isArray(body.fundAllocations)
          ? body.fundAllocations
          : []
        : t.releases?.includes('fundCommitment')
          ? (record.fundAllocations ?? [])
          : []
    ) as { fundId: unknown; amount: number }[];
    const run: StepRunRecord = {
      _id: new Types.ObjectId().toHexString(),
      caseId: record._id,
      action: t.action,
      at: new Date(),
      leaseUntil: null,
      actor: { userId: actor.userId, name: actor.name },
      sums: allocations.map((a) => ({ fundId: String(a.fundId), amount: Number(a.amount) })),
      body: Object.fromEntries(FOLLOW_FIELDS.flatMap((k) => (body[k] === undefined ? [] : [[k, body[k]]]))),
      claimKey: record.claimKey ?? null,
      decision,
    };
    // Complete as built (every field of the schema): sent as it is, without mongoose's document.
    await StepRun.insertMany([run], { lean: true });
    return run;
  },
  /**
   * The run of a write that is no step (an edit, a document added or removed: audited-writes.ts), stored
   * before the write with what follows it (`body`: the audit entry it owes). It moves no money and takes nothing.
   */
  async beginWrite(
    caseId: Types.ObjectId,
    action: string,
    actor: Actor,
    body: Record<string, unknown>,
  ): Promise<StepRunRecord> {
    const run: StepRunRecord = {
      _id: new Types.ObjectId().toHexString(),
      caseId,
      action,
      at: new Date(),
      leaseUntil: null,
      actor: { userId: actor.userId, name: actor.name },
      sums: [],
      body,
      claimKey: null,
      decision: 'single',
    };
    // Complete as built, as `begin`'s; through the driver alone (an edit an officer makes with one click pays for it).
    await StepRun.collection.insertOne(run as never);
    return run;
  },
  /** Runs begun before `before` and not being finished by a round now (at most `limit`). */
  async left(before: Date, limit: number): Promise<StepRunRecord[]> {
    return StepRun.find({ at: { $lt: before }, ...leaseFree('leaseUntil', new Date()) })
      .limit(limit)
      .lean<StepRunRecord[]>();
  },
  /** Takes a left run for a round for `ms`; false when another round has it. */
  async claim(id: string, ms: number): Promise<boolean> {
    return takeLease(StepRun.collection, { _id: id }, 'leaseUntil', ms);
  },
  /**
   * The run is finished: its record goes. Its marks on the funds and the campaign stay for `singleWorkKeptMs`
   * (`dropEndedStepMarks`): a request that stalled while a round finished its step for it still finds them when it
   * goes on, and writes nothing a second time.
   */
  async end(run: Pick<StepRunRecord, '_id'>): Promise<void> {
    await StepRun.collection.deleteOne({ _id: run._id as never });
  },
  /** Whether the run is still kept: false once its request or a round has finished it. */
  async isKept(run: Pick<StepRunRecord, '_id'>): Promise<boolean> {
    return (await StepRun.exists({ _id: run._id })) !== null;
  },
};

/**
 * The marks of runs begun more than `keptMs` ago that are finished (their record is gone) leave the funds and campaigns
 * (`npm run reconcile` reads none of them). Answers how many went. A run still kept (a round has yet to finish it)
 * keeps its marks, however old.
 */
export async function dropEndedStepMarks(keptMs: number): Promise<number> {
  const cutoff = Types.ObjectId.createFromTime(Math.floor((Date.now() - keptMs) / 1000)).toHexString();
  const [funds, campaigns] = await Promise.all([
    singleMarksBefore('approveRuns', cutoff),
    campaignsRepository.stepMarksBefore(cutoff),
  ]);
  const runOf = (mark: string) => singleMarkId('approveRuns', mark);
  const runIds = [...new Set([...funds.flatMap((f) => f.marks.map(runOf)), ...campaigns.flatMap((c) => c.marks)])];
  if (!runIds.length) return 0;
  const kept = new Set((await StepRun.find({ _id: { $in: runIds } }, { _id: 1 }).lean()).map((r) => r._id));
  let dropped = 0;
  for (const { id, marks } of funds) {
    const gone = marks.filter((m) => !kept.has(runOf(m)));
    if (gone.length) await dropFundMarks(id, 'approveRuns', gone);
    dropped += gone.length;
  }
  for (const { id, marks } of campaigns) {
    const gone = marks.filter((m) => !kept.has(m));
    if (gone.length) await campaignsRepository.pullMarks(id, gone);
    dropped += gone.length;
  }
  return dropped;
}

/** What the run's reservations know of it. */
export const marksOf = (run: StepRunRecord): StepMarks => ({
  mark: run._id,
  at: run.at,
  sums: new Map(run.sums.map((s) => [s.fundId, s.amount])),
});

/**
 * What follows a step run under a mark once its case recorded it (`after`, whose history holds the step's entry
 * under the mark), each write once whoever makes it: the report totals (reports subscribes to `case.transitioned` and
 * counts them once under the run), the reservations' own (the ledger's commitment entries), the releases (the funds'
 * commitment under the mark, the claim and the member's ledger entries), the campaign totals, the audit entry, then
 * the step's events (the decision issued, or its part revoked, once for the case). `before` is the case as the request
 * read it, or, for a round, the case as it is now with the status it had before the step.
 */
export async function followRun(
  t: Transition,
  after: CaseRecord,
  before: CaseRecord,
  actor: Actor,
  run: Pick<StepRunRecord, '_id' | 'body' | 'decision' | 'claimKey'>,
): Promise<void> {
  const id = String(after._id);
  const from = before.status;
  await emitCaseEvent('case.transitioned', { caseId: id, action: t.action, before, after, actor, run: run._id });
  for (const name of t.reserves ?? []) await RESERVATIONS[name].stood?.(after, actor, run._id);
  // The claim as the case held it before the step (a revocation clears it on the case).
  const released = { ...after, claimKey: run.claimKey };
  for (const name of t.releases ?? []) await RESERVATIONS[name].release(released, actor, run._id);
  if (after.campaignId && t.campaignTotals) {
    const amount = t.campaignTotals * (after.approvedAmount ?? 0);
    await campaignsRepository.addApprovedOnce(String(after.campaignId), amount, t.campaignTotals, run._id);
  }
  await recordAuditsOnce(
    [
      {
        action: `case.${t.action}`,
        entity: 'case',
        entityId: id,
        actor,
        orgPath: after.orgPath,
        details: { from, to: t.to, code: after.code },
      },
    ],
    { chunk: run._id, lookFirst: false },
  );
  for (const event of t.emits ?? []) {
    if (event === 'case.approved')
      await emitCaseEvent(event, { caseId: id, record: after, actor, body: run.body, decision: run.decision });
    else await emitCaseEvent(event, { caseId: id, actor, reason: String(run.body.reason) });
  }
}
