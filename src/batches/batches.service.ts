import type { ListQuery } from '../core/http/common-schemas.js';
import type { Principal } from '../core/scope.js';
import { casesRepository, type CaseStatus } from '../cases/index.js';
import { mask } from '../members/index.js';
import { directUpperUnionOf } from '../orgs/index.js';
import { getBatchInScope } from './actions.service.js';
import { batchesRepository, type BatchRecord } from './batches.repository.js';
import { maskedRows } from './list-rows.js';

export interface BatchListQuery extends ListQuery {
  orgId?: string;
  programCode?: string;
  campaignId?: string;
  caseStatus?: CaseStatus[];
}

/** A page of lists, each with how many of its cases are in each status now (read from the cases). */
export async function listBatches(principal: Principal, query: BatchListQuery) {
  // A list "with cases in these statuses": the lists of such cases in scope, found first (no join on either engine).
  const ids = query.caseStatus
    ? await casesRepository.batchIdsWithStatus(principal.orgId, query.caseStatus)
    : undefined;
  const page = await batchesRepository.list(
    {
      subtreeOf: principal.orgId,
      orgId: query.orgId,
      programCode: query.programCode,
      campaignId: query.campaignId,
      ids,
    },
    query,
  );
  const items = page.items as { id: string }[];
  const counts = await casesRepository.statusCountsOfBatches(items.map((batch) => batch.id));
  return { ...page, items: items.map((batch) => ({ ...batch, statusCounts: counts.get(batch.id) ?? {} })) };
}

/** The batch's own fields, without the long lists (answered on their own where they belong). */
export function batchJSON(batch: BatchRecord): Record<string, unknown> {
  const {
    caseIds: _caseIds,
    rejectedRows: _rejected,
    actions: _actions,
    importRun: _run,
    ...rest
  } = batchesRepository.toJSON(batch);
  return rest;
}

/** A list with each of its cases as they are now (statuses are read from the cases, never copied), and counts by status. */
export async function readBatch(principal: Principal, id: string) {
  const batch = await getBatchInScope(principal, id);
  // In the order of the file: rows became cases several at a time, so creation times do not keep it.
  const position = new Map(batch.caseIds.map((caseId, i) => [String(caseId), i]));
  const cases = (await casesRepository.ofBatch(batch._id)).sort(
    (a, b) => (position.get(String(a._id)) ?? 0) - (position.get(String(b._id)) ?? 0),
  );
  const statusCounts: Record<string, number> = {};
  for (const c of cases) statusCounts[c.status] = (statusCounts[c.status] ?? 0) + 1;
  const json = batchesRepository.toJSON(batch);
  return {
    ...batchJSON(batch),
    // Who verifies the list's cases (SPEC §2), so the page offers verification only to that organisation's verifier.
    verifierOrgId: await directUpperUnionOf(String(batch.orgId)),
    rejectedRows: maskedRows(batch.rejectedRows),
    actions: json.actions,
    statusCounts,
    totals: {
      requested: cases.reduce((sum, c) => sum + c.requestedAmount, 0),
      approved: cases.reduce((sum, c) => sum + (c.approvedAmount ?? 0), 0),
      disbursed: cases.reduce((sum, c) => sum + c.disbursedAmount, 0),
    },
    cases: cases.map((c) => ({
      id: String(c._id),
      code: c.code,
      memberId: String(c.memberId),
      memberName: c.memberName,
      citizenIdMasked: mask(c.memberCitizenId) ?? '',
      status: c.status,
      revision: c.revision,
      requestedAmount: c.requestedAmount,
      recommendedAmount: c.recommendedAmount,
      approvedAmount: c.approvedAmount,
      disbursedAmount: c.disbursedAmount,
      decisionId: c.decisionId ? String(c.decisionId) : null,
    })),
  };
}
