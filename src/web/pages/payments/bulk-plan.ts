import { apiGet } from '../../api/client';
import type { ListPlanRow } from '../../../core/shared/payment-plan';

/** A case of the list the form will pay: the next tranche, from the first fund share with money left. */
export type PlannedPayment = Extract<ListPlanRow, { kind: 'pay' }>;

/** A case of the list the form will not send, and why (said before anything is sent). */
export type SkippedCase = Extract<ListPlanRow, { kind: 'skip' }>;

export type PlanRow = ListPlanRow;

export interface BulkPlan {
  fileName: string;
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
 * The list's file name and, in the file's order, what this opening would do with each of its cases: the server's
 * plan, by the same rules as the payment job (one request however long the list, instead of two per case). The
 * list's summary (`GET /batches/:id`) is not read: it counts every case again, seconds at 20,000, for the title.
 */
export async function loadBulkPlan(batchId: string): Promise<BulkPlan> {
  const plan = await loadServerPlan(batchId);
  return { fileName: plan.fileName, rows: plan.rows.map(rowOf) };
}

export function isPlanned(row: PlanRow): row is PlannedPayment {
  return row.kind === 'pay';
}
