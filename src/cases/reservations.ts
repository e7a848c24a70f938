import type { Actor } from '../core/scope.js';
import { commitFunds, releaseFunds } from '../funds/index.js';
import { claimKeyOf, releaseClaim, releaseUnrecordedClaim, takeClaim } from './claims.js';
import type { CaseRecord } from './cases.repository.js';
import { releaseMemberBenefit, takeMemberBenefit } from './rules/member-cap.js';
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

export interface Reservation {
  take(ctx: CheckContext, actor: Actor): Promise<Taken>;
  release(record: CaseRecord, actor: Actor): Promise<void>;
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
    release: (record) => releaseClaim(record.claimKey, record._id),
  },
  /** The approved amount, taken from the funds named in the body; the case stores its allocations. */
  fundCommitment: {
    async take({ record, body }, actor) {
      return commitFunds(record, body.fundAllocations, Number(body.approvedAmount), actor);
    },
    release: (record, actor) => releaseFunds(record, actor),
  },
  /** The member's share of the program's cap over years (rules/member-cap.ts). */
  memberCap: {
    take: (ctx) => takeMemberBenefit(ctx),
    release: (record) => releaseMemberBenefit(record),
  },
};

/** Takes the move's reservations in order; when one fails, gives back those already taken and rethrows. */
export async function takeReservations(
  names: readonly ReservationName[],
  ctx: CheckContext,
  actor: Actor,
): Promise<Taken[]> {
  const taken: Taken[] = [];
  try {
    for (const name of names) taken.push(await RESERVATIONS[name].take(ctx, actor));
  } catch (error) {
    await giveBackAll(taken);
    throw error;
  }
  return taken;
}

export async function giveBackAll(taken: readonly Taken[]): Promise<void> {
  for (const t of [...taken].reverse()) await t.giveBack();
}
