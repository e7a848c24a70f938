import type { ListQuery } from '../core/http/common-schemas.js';
import type { Principal } from '../core/scope.js';
import type { Types } from 'mongoose';
import { casesRepository, type CaseRecord, type CaseStatus } from '../cases/index.js';
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
  const caseIds = await batchesRepository.caseIdsOf(items.map((batch) => batch.id));
  const counts = await casesRepository.statusCountsOfLists(
    items.map(({ id }) => ({ id, caseIds: caseIds.get(id) ?? [] })),
  );
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

/** The fields of a case a list shows (`GET /batches/:id`, `GET /batches/:id/cases`). */
const ROW_FIELDS = [
  'code',
  'memberId',
  'memberName',
  'memberCitizenId',
  'status',
  'revision',
  'requestedAmount',
  'recommendedAmount',
  'approvedAmount',
  'disbursedAmount',
  'decisionId',
] as const;
/** What the counts and totals of a list need of each case. */
const SUMMARY_FIELDS = ['status', 'requestedAmount', 'recommendedAmount', 'approvedAmount', 'disbursedAmount'] as const;
/** Cases read by id at a time: a list of 50,000 is read in pieces, each an `_id` lookup on both engines. */
const READ_PIECE = 2_000;

type ListedCase = Pick<CaseRecord, '_id' | (typeof ROW_FIELDS)[number]>;

/**
 * The list's cases with `fields`, in the order of the file (`caseIds`; rows became cases several at a time, so
 * creation times do not keep it), read by id: a query on `batchId` matches no index exactly and the embedded
 * engine answers it by scanning every case of the database.
 */
async function casesOfList(ids: readonly Types.ObjectId[], fields: readonly string[]): Promise<CaseRecord[]> {
  const found: CaseRecord[] = [];
  for (let at = 0; at < ids.length; at += READ_PIECE)
    found.push(...(await casesRepository.findByIds(ids.slice(at, at + READ_PIECE), fields)));
  const position = new Map(ids.map((id, i) => [String(id), i]));
  return found.sort((a, b) => (position.get(String(a._id)) ?? 0) - (position.get(String(b._id)) ?? 0));
}

function rowOf(c: ListedCase) {
  return {
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
  };
}

/**
 * Counts and sums of the list's cases by their status now. `proposedAmount` is what a list approval approves
 * for them when no amount is given (the recommended amount, or the requested one), so a page can show an
 * action's total without holding every case.
 */
function summaryOf(cases: readonly Pick<CaseRecord, (typeof SUMMARY_FIELDS)[number]>[]) {
  const statusCounts: Record<string, number> = {};
  const byStatus: Record<
    string,
    { count: number; requestedAmount: number; proposedAmount: number; approvedAmount: number; disbursedAmount: number }
  > = {};
  const totals = { requested: 0, approved: 0, disbursed: 0 };
  for (const c of cases) {
    statusCounts[c.status] = (statusCounts[c.status] ?? 0) + 1;
    const group = (byStatus[c.status] ??= {
      count: 0,
      requestedAmount: 0,
      proposedAmount: 0,
      approvedAmount: 0,
      disbursedAmount: 0,
    });
    group.count += 1;
    group.requestedAmount += c.requestedAmount;
    group.proposedAmount += c.recommendedAmount ?? c.requestedAmount;
    group.approvedAmount += c.approvedAmount ?? 0;
    group.disbursedAmount += c.disbursedAmount;
    totals.requested += c.requestedAmount;
    totals.approved += c.approvedAmount ?? 0;
    totals.disbursed += c.disbursedAmount;
  }
  return { statusCounts, byStatus, totals };
}

/**
 * A list with its counts by status, and each of its cases as they are now (statuses are read from the cases,
 * never copied). `cases: 'none'` leaves the cases out (`cases: []`): a page of a 20,000-case list reads its
 * summary here and its cases a page at a time (`listCasesOfBatch`), instead of 6 MB at once.
 */
export async function readBatch(
  principal: Principal,
  id: string,
  { cases: which = 'all' }: { cases?: 'all' | 'none' } = {},
) {
  const batch = await getBatchInScope(principal, id);
  const cases = await casesOfList(batch.caseIds, which === 'all' ? ROW_FIELDS : SUMMARY_FIELDS);
  const json = batchesRepository.toJSON(batch);
  return {
    ...batchJSON(batch),
    // Who verifies the list's cases (SPEC §2), so the page offers verification only to that organisation's verifier.
    verifierOrgId: await directUpperUnionOf(String(batch.orgId)),
    rejectedRows: maskedRows(batch.rejectedRows),
    actions: json.actions,
    caseCount: batch.caseIds.length,
    ...summaryOf(cases),
    cases: which === 'all' ? cases.map(rowOf) : [],
  };
}

/** A page of the list's cases in the order of the file (`GET /batches/:id/cases`). */
export async function listCasesOfBatch(
  principal: Principal,
  id: string,
  { page, limit }: { page: number; limit: number },
) {
  const batch = await getBatchInScope(principal, id);
  const ids = batch.caseIds.slice((page - 1) * limit, page * limit);
  const cases = await casesOfList(ids, ROW_FIELDS);
  return { items: cases.map(rowOf), total: batch.caseIds.length, page, limit };
}
