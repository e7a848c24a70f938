import { documentTypeName, missingDocumentTypes } from './documents-catalogue.js';

/**
 * The next payment of an approved case, as the server's payment rules allow it (SPEC §7): one home for the
 * single payment form and the list payment page (src/web/pages/payments/) and the list payment job
 * (src/disbursements/list-payment.ts). The payment itself checks them again (disbursements/payments.service.ts).
 */

/** A tranche of the case or a fund's share of its approval: how much, and how much of it was paid. */
export interface PaidPart {
  amount: number;
  paid: number;
}

export interface PlanTranche extends PaidPart {
  no: number;
  requiresDocuments?: readonly string[];
}

export interface PlanAllocation extends PaidPart {
  fundId: unknown;
}

/** Tranches are paid in order (TRANCHE_OUT_OF_ORDER otherwise): the first one not fully paid is the only one payable. */
export function nextTranche<T extends PaidPart>(tranches: readonly T[] | undefined): T | undefined {
  return tranches?.find((tranche) => tranche.paid < tranche.amount);
}

/** What a fund's share of the case (or a tranche) still holds unpaid. */
export function allocationLeft(part: PaidPart): number {
  return part.amount - part.paid;
}

/** The fund offered first: the first share of the approval with something left to pay (of the fund asked for, if any). */
export function firstOpenAllocation<A extends PlanAllocation>(
  allocations: readonly A[],
  fundId?: string,
): A | undefined {
  return allocations.find(
    (allocation) => allocationLeft(allocation) > 0 && (!fundId || String(allocation.fundId) === fundId),
  );
}

/** The amount to offer: the rest of the tranche, as far as the chosen fund's share still covers it. */
export function suggestedAmount(tranche: PaidPart | undefined, allocation: PaidPart | undefined): number | undefined {
  if (!tranche) return undefined;
  const rest = allocationLeft(tranche);
  return allocation ? Math.min(rest, allocationLeft(allocation)) : rest;
}

/** The papers the tranche needs that the case does not hold yet (MISSING_DOCUMENTS otherwise). */
export function missingDocuments(
  tranche: Pick<PlanTranche, 'requiresDocuments'> | undefined,
  documents: readonly { type: string }[],
): string[] {
  return missingDocumentTypes(tranche?.requiresDocuments ?? [], documents);
}

/** Why the tranche cannot be paid yet, in the words the server uses for the same refusal. */
export function missingDocumentsText(trancheNo: number, missing: readonly string[]): string {
  return `Chưa thể chi đợt ${trancheNo}: hồ sơ còn thiếu ${missing.map(documentTypeName).join('; ')}.`;
}

export type NextPayment<T, A> = { tranche: T; allocation: A; amount: number } | { reason: string };

/**
 * The payment the single payment form would offer for a case that may be paid: the next tranche, from the
 * first fund share with money left (of `fundId` if one is asked for), or why there is none.
 */
export function nextPayment<T extends PlanTranche, A extends PlanAllocation>(
  plan: { tranches: readonly T[]; fundAllocations: readonly A[] },
  documents: readonly { type: string }[],
  fundId?: string,
): NextPayment<T, A> {
  const tranche = nextTranche(plan.tranches);
  if (!tranche) return { reason: 'Hồ sơ đã được chi đủ các đợt.' };
  const missing = missingDocuments(tranche, documents);
  if (missing.length) return { reason: missingDocumentsText(tranche.no, missing) };
  const allocation = firstOpenAllocation(plan.fundAllocations, fundId);
  if (!allocation)
    return {
      reason: fundId
        ? 'Hồ sơ không còn phần cam kết chưa chi từ nguồn kinh phí đã chọn.'
        : 'Phần cam kết của các nguồn kinh phí cho hồ sơ đã chi hết.',
    };
  return { tranche, allocation, amount: suggestedAmount(tranche, allocation)! };
}

/**
 * One case of a list as paying the whole list would now treat it (`GET /batches/:id/payment-plan`, the payment job):
 * its payment, or why it is skipped. Shared by the server and the Chi trả page.
 */
export type ListPlanRow = { caseId: string; code: string; memberName: string } & (
  | { kind: 'pay'; trancheNo: number; trancheLabel: string; amount: number; fundId: string; fundCode: string }
  | { kind: 'skip'; reason: string }
);
