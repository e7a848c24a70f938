import type { FundAllocation, Tranche } from '../../api/types';
import type { PlannedTranche } from './payment-types';

/** Tranches are paid in order (TRANCHE_OUT_OF_ORDER otherwise): the first one not fully paid is the only one payable. */
export function nextTranche<T extends Pick<Tranche, 'amount' | 'paid'>>(tranches: readonly T[] | undefined): T | undefined {
  return tranches?.find((tranche) => tranche.paid < tranche.amount);
}

/** What a fund's share of the case still holds unpaid. */
export function allocationLeft(allocation: Pick<FundAllocation, 'amount' | 'paid'>): number {
  return allocation.amount - allocation.paid;
}

/** The amount to offer: the rest of the tranche, as far as the chosen fund's share still covers it. */
export function suggestedAmount(tranche: PlannedTranche | undefined, allocation: FundAllocation | undefined): number | undefined {
  if (!tranche) return undefined;
  return allocation ? Math.min(tranche.remaining, allocationLeft(allocation)) : tranche.remaining;
}
