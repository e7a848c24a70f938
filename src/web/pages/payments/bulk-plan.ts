import { apiGet } from '../../api/client';
import type { ListPlanRow } from '../../../core/shared/payment-plan';
import type { BatchDetail } from '../batches/batch-types';

/** A case of the list the form will pay: the next tranche, from the first fund share with money left. */
export type PlannedPayment = Extract<ListPlanRow, { kind: 'pay' }>;

/** A case of the list the form will not send, and why (said before anything is sent). */
export type SkippedCase = Extract<ListPlanRow, { kind: 'skip' }>;

export type PlanRow = ListPlanRow;

export interface BulkPlan {
  batch: BatchDetail;
  rows: PlanRow[];
}

/** A row of the server's plan (GET /batches/:id/payment-plan): fields of the payment are null on a skipped case. */
type ServerRow = Awaited<ReturnType<typeof loadServerPlan>>['rows'][number];

const loadServerPlan = (batchId: string) => apiGet(`/batches/${batchId}/payment-plan`);

function rowOf(row: ServerRow): PlanRow {
  const ref = { caseId: row.caseId, code: row.code, memberName: row.memberName };
  if (row.kind === 'skip' || row.amount === null || row.trancheNo === null || row.fundId === null)
    return { ...ref, kind: 'skip', reason: row.reason ?? '' };
  return {
    ...ref,
    kind: 'pay',
    trancheNo: row.trancheNo,
    trancheLabel: row.trancheLabel ?? '',
    amount: row.amount,
    fundId: row.fundId,
    fundCode: row.fundCode ?? '',
  };
}

/**
 * The list as it is now and, in the file's order, what this opening would do with each of its cases: the server's
 * plan, by the same rules as the payment job (one request however long the list, instead of two per case).
 */
export async function loadBulkPlan(batchId: string): Promise<BulkPlan> {
  const [batch, plan] = await Promise.all([apiGet(`/batches/${batchId}`, { cases: 'none' }), loadServerPlan(batchId)]);
  return { batch, rows: plan.rows.map(rowOf) };
}

export function isPlanned(row: PlanRow): row is PlannedPayment {
  return row.kind === 'pay';
}
