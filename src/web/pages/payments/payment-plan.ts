import type { FundAllocation, Tranche } from '../../api/types';
import { documentTypeName, missingDocumentTypes } from '../../lib/labels';
import type { PlannedTranche } from './payment-types';

/** Tranches are paid in order (TRANCHE_OUT_OF_ORDER otherwise): the first one not fully paid is the only one payable. */
export function nextTranche<T extends Pick<Tranche, 'amount' | 'paid'>>(
  tranches: readonly T[] | undefined,
): T | undefined {
  return tranches?.find((tranche) => tranche.paid < tranche.amount);
}

/** What a fund's share of the case still holds unpaid. */
export function allocationLeft(allocation: Pick<FundAllocation, 'amount' | 'paid'>): number {
  return allocation.amount - allocation.paid;
}

/** The fund offered first: the first share of the approval with something left to pay. */
export function firstOpenAllocation(allocations: readonly FundAllocation[]): FundAllocation | undefined {
  return allocations.find((allocation) => allocationLeft(allocation) > 0);
}

/** The amount to offer: the rest of the tranche, as far as the chosen fund's share still covers it. */
export function suggestedAmount(
  tranche: PlannedTranche | undefined,
  allocation: FundAllocation | undefined,
): number | undefined {
  if (!tranche) return undefined;
  return allocation ? Math.min(tranche.remaining, allocationLeft(allocation)) : tranche.remaining;
}

/** The papers the tranche needs that the case does not hold yet (MISSING_DOCUMENTS otherwise). */
export function missingDocuments(
  tranche: Pick<PlannedTranche, 'requiresDocuments'> | undefined,
  documents: readonly { type: string }[],
): string[] {
  return missingDocumentTypes(tranche?.requiresDocuments ?? [], documents);
}

/** Why the tranche cannot be paid yet, in the words the server uses for the same refusal. */
export function missingDocumentsText(trancheNo: number, missing: readonly string[]): string {
  return `Chưa thể chi đợt ${trancheNo}: hồ sơ còn thiếu ${missing.map(documentTypeName).join('; ')}.`;
}
