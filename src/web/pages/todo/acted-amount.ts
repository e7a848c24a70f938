import type { CaseRecord } from '../../api/types';

/**
 * The amount the next step acts on, by where the case waits: the approver approves the verified (recommended)
 * amount, the accountant pays what was approved and is still unpaid; before that the requested amount is all there is.
 */
export function actedAmount(
  status: string,
  c: Pick<CaseRecord, 'requestedAmount' | 'recommendedAmount' | 'approvedAmount' | 'disbursedAmount'>,
): number {
  if (status === 'verified') return c.recommendedAmount ?? c.requestedAmount;
  if (status === 'approved' || status === 'partially_disbursed') return (c.approvedAmount ?? 0) - c.disbursedAmount;
  return c.requestedAmount;
}

/** The same amount for all the cases of a list at `status`, from the list's sums by status (GET /batches/:id). */
export function actedTotal(
  status: string,
  group: Partial<Record<'requestedAmount' | 'proposedAmount' | 'approvedAmount' | 'disbursedAmount', number>>,
): number {
  if (status === 'verified') return group.proposedAmount ?? 0;
  if (status === 'approved' || status === 'partially_disbursed')
    return (group.approvedAmount ?? 0) - (group.disbursedAmount ?? 0);
  return group.requestedAmount ?? 0;
}

/** The title of that amount's column. */
export function actedAmountTitle(status: string): string {
  if (status === 'verified') return 'Thẩm định đề xuất';
  if (status === 'approved' || status === 'partially_disbursed') return 'Còn phải chi';
  return 'Số tiền đề nghị';
}
