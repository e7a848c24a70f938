/**
 * How money moves a case (SPEC §7), as plain data the server's workflow table (cases/workflow.ts) and the pages
 * both read: which statuses a payment or a reversal starts from and where it leads. A payment takes the case to
 * `disbursed` when it completes the approved amount, to `partially_disbursed` otherwise; a reversal takes it back
 * to `approved` when nothing stays paid, to `partially_disbursed` otherwise.
 */
export const PAYABLE_STATUSES = ['approved', 'partially_disbursed'] as const;
export const REVERSIBLE_STATUSES = ['partially_disbursed', 'disbursed'] as const;
/** Statuses of an approval that stands: the funds stay committed, the decision stays in force. */
export const DECIDED_STATUSES = ['approved', 'partially_disbursed', 'disbursed', 'closed'] as const;

export type MoneyStatus = 'approved' | 'partially_disbursed' | 'disbursed';

/**
 * The status of a case whose approval stands, from what is paid of what was approved: `disbursed` only when the
 * paid total is exactly the approved amount (anything else is partly paid, which reconciliation reports).
 */
export function statusForPaid(approvedAmount: number, paidAmount: number): MoneyStatus {
  if (paidAmount === 0) return 'approved';
  return paidAmount === approvedAmount ? 'disbursed' : 'partially_disbursed';
}

export function isPayable(status: string): boolean {
  return (PAYABLE_STATUSES as readonly string[]).includes(status);
}

export function isDecided(status: string): boolean {
  return (DECIDED_STATUSES as readonly string[]).includes(status);
}
