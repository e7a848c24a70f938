import type { Actor } from '../core/scope.js';
import { commitFunds, enterCommitment, giveBackCommitment, releaseFunds } from '../funds/index.js';
import { claimKeyOf, releaseClaim, releaseUnrecordedClaim, takeClaim } from './claims.js';
import type { CaseRecord } from './cases.repository.js';
import { releaseMemberBenefit, releaseMemberBenefitOf, takeMemberBenefit } from './rules/member-cap.js';
import type { CheckContext } from './rules/rule.js';
import type { ReservationName } from './workflow.js';

/**
 * The reservations a move of the workflow table takes before the case changes (there are no multi-document
 * transactions): each is taken by one atomic write that racing steps cannot both make, stores what it needs on the
 * case in the same guarded update (`caseChanges`), and has its compensation, run in reverse order when that update
 * does not stand, and its release, run after a move that ends the benefit.
 */
export interface Taken {
  caseChanges?: Record<string, unknown>;
  giveBack(): Promise<void>;
}

/** A single step's run (cases/step-runs.ts), as its reservations know it: what they took was taken under it. */
export interface StepMarks {
  /** The run's mark, on everything its reservations took. */
  mark: string;
  /** When the step began: what its reservations wrote carries this time. */
  at: Date;
  /** What it commits (or releases) of each fund, by fund id. */
  sums: ReadonlyMap<string, number>;
}

export interface Reservation {
  take(ctx: CheckContext, actor: Actor, mark?: string): Promise<Taken>;
  /**
   * After a move that ends the benefit stood. Under a step run's `mark` (step-runs.ts) it must be done once whoever
   * does it (the step, or the round that finishes it after a crash): a release that is not idempotent uses the mark.
   */
  release(record: CaseRecord, actor: Actor, mark?: string): Promise<void>;
  /**
   * A step run under a mark (step-runs.ts) whose case recorded it: what the reservation writes once the move
   * stood, once whoever writes it (the step itself, or the round that finishes it after a crash).
   */
  stood?(after: CaseRecord, actor: Actor, mark: string): Promise<void>;
  /** A step run under a mark that never stood (a crash came between): what it may have taken, given back once. */
  undo?(record: CaseRecord, step: StepMarks): Promise<void>;
}

export const RESERVATIONS: Readonly<Record<ReservationName, Reservation>> = {
  /** One claim per member × program (× campaign): two submissions of the same benefit cannot both stand. */
  duplicateClaim: {
    async take({ record, rules }) {
      const claim = await takeClaim(record, claimKeyOf(record, rules));
      return {
        caseChanges: { claimKey: claim.key },
        // A claim this step inserted is given back unless the case records it by now (a racing resubmission won).
        giveBack: async () => {
          if (claim.created) await releaseUnrecordedClaim(claim.key, record._id);
        },
      };
    },
    // Idempotent: the claim goes if the case still holds it.
    release: (record) => releaseClaim(record.claimKey, record._id),
  },
  /** The approved amount, taken from the funds named in the body; the case stores its allocations. */
  fundCommitment: {
    async take({ record, body }, _actor, mark) {
      if (!mark) throw new Error("a fund commitment is taken under its step run's mark");
      return commitFunds(record, body.fundAllocations, Number(body.approvedAmount), mark);
    },
    release(record, actor, mark) {
      if (!mark) throw new Error("a fund commitment is released under its step run's mark");
      return releaseFunds(record, actor, mark);
    },
    stood: (after, actor, mark) => enterCommitment(after, mark, actor),
    undo: (_record, { sums, mark }) => giveBackCommitment(sums, mark),
  },
  /** The member's share of the program's cap over years (rules/member-cap.ts). */
  memberCap: {
    take: (ctx) => takeMemberBenefit(ctx),
    // Idempotent: the case's entries go (a revoked case gets no new one).
    release: (record) => releaseMemberBenefit(record),
    undo: (record, { at }) => releaseMemberBenefitOf(record, at),
  },
};

/**
 * Takes the move's reservations in order (under the step run's `mark`, when it has one); when one fails, gives back
 * those already taken and rethrows.
 */
export async function takeReservations(
  names: readonly ReservationName[],
  ctx: CheckContext,
  actor: Actor,
  mark?: string,
): Promise<Taken[]> {
  const taken: Taken[] = [];
  try {
    for (const name of names) taken.push(await RESERVATIONS[name].take(ctx, actor, mark));
  } catch (error) {
    await giveBackAll(taken);
    throw error;
  }
  return taken;
}

export async function giveBackAll(taken: readonly Taken[]): Promise<void> {
  for (const t of [...taken].reverse()) await t.giveBack();
}
