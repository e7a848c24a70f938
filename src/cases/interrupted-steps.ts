import type { Logger } from '../core/logger.js';
import { singleWorkKeptMs } from '../core/shared/single-work.js';
import type { Actor } from '../core/scope.js';
import { finishAuditedWrite, isAuditedWrite } from './audited-writes.js';
import { auditOwedCreations } from './creation-audit.js';
import { casesRepository, type CaseRecord } from './cases.repository.js';
import { RESERVATIONS } from './reservations.js';
import { fenceSteps, stepOf } from './steps-at-once.js';
import { dropEndedStepMarks, followRun, marksOf, stepRuns, type StepRunRecord } from './step-runs.js';
import { transitionOf, type CaseAction } from './workflow.js';

/** Runs looked at per round. */
const AT_ONCE = 100;

export interface StepRound {
  /**
   * Steps their case had recorded: what follows them written here (report totals, ledger, releases, campaign totals,
   * audit, decision).
   */
  followed: number;
  /** Steps their case never recorded: what they had taken given back. */
  undone: number;
}

/**
 * Every single workflow step (and a list's case acted on the single way) runs under a run of its own (step-runs.ts):
 * its run is stored, the case records the step, and then its report totals, the releases and the audit entry follow.
 * The approval and the revocation move money besides: the approval stores its run, takes its fund commitment and
 * member's ledger entry, has the case record it, and then its report totals, the ledger's commitment entries, the
 * campaign totals, the audit entry and the decision follow; the revocation stores its run, has the case record it, then
 * releases the commitment, the claim and the member's ledger entry, and its report totals, campaign totals, audit entry
 * and the decision's revocation follow. A crash of the instance (or an unexpected error) between those writes leaves
 * the run behind. Every instance, every `PAYMENT_FINISH_EVERY_MS`, finishes the runs begun longer than `olderThanMs`
 * ago (no request takes that long), one round at a time for each run (a lease of `olderThanMs`), each write once
 * whoever else makes it:
 * - the case is fenced first (a new revision unless its history holds the run's entry: an update still on its way can
 *   no longer take), so that its history tells for good whether the step stood;
 * - stood: what follows it (`followRun`), the report totals too (counted once under the run: the request may have
 *   counted them before it was cut off);
 * - not stood: each reservation is given back by its mark (the funds' commitment once, the member's ledger entry of
 *   the run's own time); a revocation took nothing, nor did the other steps but a submission's duplicate claim, which
 *   goes stale by itself (claims.ts `isStale`).
 * The run's marks stay `marksKeptMs` after it ended (an hour, or four times `olderThanMs` when that is longer:
 * step-runs.ts `dropEndedStepMarks`, at the end of each round), so that its request, if it only stalled, goes on
 * without writing anything twice. Last, the cases whose creation owes its audit entry get it (creation-audit.ts).
 */
export async function finishInterruptedSteps(
  olderThanMs: number,
  logger: Logger,
  marksKeptMs: number = singleWorkKeptMs(olderThanMs),
): Promise<StepRound> {
  const round: StepRound = { followed: 0, undone: 0 };
  for (const run of await stepRuns.left(new Date(Date.now() - olderThanMs), AT_ONCE)) {
    try {
      if (!(await stepRuns.claim(run._id, olderThanMs))) continue;
      round[(await finishStep(run)) ? 'followed' : 'undone'] += 1;
    } catch (error) {
      logger.error({ err: error, mark: run._id, caseId: String(run.caseId) }, 'finishing an interrupted step failed');
    }
  }
  if (round.followed || round.undone)
    logger.warn(round, 'single workflow steps cut off by a crash or an error were finished');
  // Cases whose creation a crash cut off before its audit entry (creation-audit.ts).
  try {
    const audited = await auditOwedCreations(olderThanMs);
    if (audited)
      logger.warn({ audited }, 'creations cut off by a crash or an error before their audit entry were audited');
  } catch (error) {
    logger.error({ err: error }, "writing the creations' missing audit entries failed");
  }
  await dropEndedStepMarks(marksKeptMs);
  return round;
}

/** Finishes one run; true when its case had recorded the step. */
async function finishStep(run: StepRunRecord): Promise<boolean> {
  if (isAuditedWrite(run.action)) return finishAuditedWrite(run);
  const action = run.action as CaseAction;
  const t = transitionOf(action);
  // The approver who made the step stays its author in the fund's ledger and the audit log.
  const actor: Actor = { userId: run.actor.userId, name: run.actor.name, requestId: 'step-finish' };
  const seen = await casesRepository.findById(String(run.caseId));
  if (seen) await fenceSteps([seen], action, run._id);
  const after = seen && (await casesRepository.findById(String(run.caseId)));
  const entry = after && stepOf(after, action, run._id);
  if (after && entry)
    await followRun(t, after, { ...after, status: (entry.from ?? t.from[0]!) as CaseRecord['status'] }, actor, run);
  // A reservation without an undo (a submission's duplicate claim) goes stale by itself (claims.ts `isStale`).
  else if (after) for (const name of t.reserves ?? []) await RESERVATIONS[name].undo?.(after, marksOf(run));
  await stepRuns.end(run);
  return Boolean(entry);
}
