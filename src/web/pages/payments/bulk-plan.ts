import { isPayable } from '../../../core/shared/money-moves';
import { apiGet } from '../../api/client';
import { money } from '../../lib/format';
import { errorText } from '../../lib/forms';
import { label, STATUS_NAMES } from '../../lib/labels';
import type { BatchCase, BatchDetail } from '../batches/batch-types';
import { nextPayment, nextTranche } from '../../../core/shared/payment-plan';
import type { CasePayments } from './payment-types';
import { mapLimit } from '../../../core/shared/map-limit';

type CaseRef = Pick<BatchCase, 'code' | 'memberName'> & { caseId: string };

/** A case of the list the form will pay: the next tranche, from the first fund share with money left. */
export interface PlannedPayment extends CaseRef {
  kind: 'pay';
  trancheNo: number;
  trancheLabel: string;
  amount: number;
  fundId: string;
  fundCode: string;
}

/** A case of the list the form will not send, and why (said before anything is sent). */
export interface SkippedCase extends CaseRef {
  kind: 'skip';
  reason: string;
}

export type PlanRow = PlannedPayment | SkippedCase;

/** Statuses a payment starts from (the server answers INVALID_TRANSITION otherwise). */
/** Requests at once while reading the plans: a list of forty cases must not flood the server. */
const READ_AT_ONCE = 3;

const skip = (ref: CaseRef, reason: string): SkippedCase => ({ ...ref, kind: 'skip', reason });

/** What one payment of this opening would be, by the same rules as the single payment form (core/shared/payment-plan.ts). */
function planCase(ref: CaseRef, plan: CasePayments, documents: readonly { type: string }[]): PlanRow {
  const next = nextPayment(plan, documents);
  if ('reason' in next) return skip(ref, next.reason);
  const { tranche, allocation, amount } = next;
  return {
    ...ref,
    kind: 'pay',
    trancheNo: tranche.no,
    trancheLabel: tranche.label,
    amount,
    fundId: allocation.fundId,
    fundCode: allocation.fundCode,
  };
}

function statusReason(record: BatchCase): string {
  if (record.status === 'disbursed' || record.status === 'closed')
    return `Hồ sơ đã được chi đủ ${money(record.approvedAmount)}.`;
  return `Hồ sơ đang ở trạng thái “${label(STATUS_NAMES, record.status)}”, chưa thể chi trả.`;
}

/** One case's row: its payment plan is read only when its status allows a payment, its papers only when the tranche needs some. */
async function planRow(record: BatchCase): Promise<PlanRow> {
  const ref = { caseId: record.id, code: record.code, memberName: record.memberName };
  if (!isPayable(record.status)) return skip(ref, statusReason(record));
  try {
    const plan = await apiGet(`/cases/${record.id}/disbursements`);
    const needsPapers = Boolean(nextTranche(plan.tranches)?.requiresDocuments.length);
    const documents = needsPapers ? (await apiGet(`/cases/${record.id}`)).documents : [];
    return planCase(ref, plan, documents);
  } catch (error) {
    return skip(ref, `Không đọc được tình hình chi trả: ${errorText(error)}`);
  }
}

export interface BulkPlan {
  batch: BatchDetail;
  rows: PlanRow[];
}

/** The list as it is now and, in the file's order, what this opening would do with each of its cases. */
export async function loadBulkPlan(batchId: string): Promise<BulkPlan> {
  const batch = await apiGet(`/batches/${batchId}`);
  // planRow reports a case it cannot read as skipped: one case's refusal does not stop the others.
  const rows = await mapLimit(batch.cases, READ_AT_ONCE, planRow);
  return { batch, rows };
}

export function isPlanned(row: PlanRow): row is PlannedPayment {
  return row.kind === 'pay';
}
