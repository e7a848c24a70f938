import type { Person } from '../../api/types';

/** A list as GET /batches answers it (without the long parts). */
export interface BatchSummary {
  id: string;
  orgId: string;
  programCode: string;
  subtype: string;
  campaignId: string | null;
  fileName: string;
  fileFormat: 'csv' | 'xlsx';
  rowCount: number;
  createdCount: number;
  rejectedCount: number;
  createdBy: Person;
  createdAt: string;
  /** How many of its cases are in each status now. */
  statusCounts: Record<string, number>;
}

/** A row of the file that did not become a case: its row number in the file and why. */
export interface RejectedRow {
  row: number;
  citizenId: string;
  fullName: string;
  reasons: string[];
}

export interface BatchCase {
  id: string;
  code: string;
  memberId: string;
  memberName: string;
  citizenIdMasked: string;
  status: string;
  revision: number;
  requestedAmount: number;
  recommendedAmount: number | null;
  approvedAmount: number | null;
  disbursedAmount: number;
  decisionId: string | null;
}

export interface BatchActionRecord {
  action: string;
  by: Person;
  at: string;
  ok: number;
  failed: number;
  excluded: number;
  /** Cases not at the action's step, left as they were (0 on actions recorded before it was counted). */
  skipped: number;
  decisionId: string | null;
}

/** GET /batches/:id: the list, its cases as they are now and counts by status. */
export interface BatchDetail extends BatchSummary {
  /** The direct upper union of the list's union: the organisation that verifies its cases. */
  verifierOrgId: string | null;
  rejectedRows: RejectedRow[];
  actions: BatchActionRecord[];
  totals: { requested: number; approved: number; disbursed: number };
  cases: BatchCase[];
}

export interface ImportAnswer {
  batch: Omit<BatchSummary, 'statusCounts'>;
  counts: { rows: number; created: number; rejected: number };
  caseIds: string[];
  rejectedRows: RejectedRow[];
}

export interface CaseOutcome {
  caseId: string;
  code: string;
  memberName: string;
  outcome: 'ok' | 'failed' | 'excluded' | 'skipped';
  status: string;
  problem?: { code: string; detail: string };
  reason?: string;
}

/** POST /batches/:id/ACTION: what happened to each case, and the decision an approval issued. */
export interface ActionAnswer {
  batchId: string;
  action: string;
  counts: { ok: number; failed: number; excluded: number; skipped: number };
  results: CaseOutcome[];
  decision: { id: string; number: string; issuedAt: string; caseCount: number; totalAmount: number } | null;
  decisionProblem?: { code: string; detail: string };
}
