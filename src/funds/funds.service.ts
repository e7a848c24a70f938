import { recordAudit } from '../audit/index.js';
import { vnDayStart } from '../core/shared/dates.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { formatVndWithUnit } from '../core/money.js';
import { assertInScope, type Actor, type Principal } from '../core/scope.js';
import { escapeRegex, searchKey } from '../core/search-text.js';
import { getOrgInScope } from '../orgs/index.js';
import type { FundKind } from './funds.model.js';
import { fundJSON, fundsRepository, type FundEntryRecord, type FundRecord } from './funds.repository.js';

const WHAT = 'nguồn kinh phí';

export interface FundInput {
  code: string;
  name: string;
  kind: FundKind;
  sponsorName?: string | null;
  year: number;
  allocated: number;
  orgId?: string;
}

/** A fund in the caller's subtree, or 404 (SPEC §2): the funds of a province are seen from the province and above. */
export async function getFundInScope(principal: Principal, id: string): Promise<FundRecord> {
  const fund = await fundsRepository.findById(id);
  if (!fund) throw new NotFoundError(WHAT);
  assertInScope(principal, fund.orgPath.map(String), WHAT);
  return fund;
}

export async function createFund(principal: Principal, actor: Actor, input: FundInput): Promise<FundRecord> {
  const province = await getOrgInScope(principal, input.orgId ?? principal.orgId);
  if (province.level !== 'province') {
    throw new ValidationError([{ path: 'orgId', message: 'Nguồn kinh phí thuộc một LĐLĐ tỉnh, thành phố' }]);
  }
  let fund: FundRecord;
  try {
    fund = await fundsRepository.insert({
      _id: fundsRepository.newId(),
      code: input.code,
      name: input.name,
      kind: input.kind,
      sponsorName: input.sponsorName ?? null,
      year: input.year,
      orgId: province._id,
      orgPath: province.orgPath,
      allocated: input.allocated,
      committed: 0,
      disbursed: 0,
      available: input.allocated,
      searchKey: searchKey(`${input.code} ${input.name} ${input.sponsorName ?? ''}`),
      createdBy: { id: actor.userId, name: actor.name },
    });
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw new ConflictError('CONFLICT', `Tỉnh đã có nguồn kinh phí mã "${input.code}".`, {
        errors: [{ path: 'code', message: 'Mã nguồn đã tồn tại trong tỉnh' }],
      });
    }
    throw error;
  }
  if (input.allocated > 0) {
    await fundsRepository.addEntry(fund, {
      kind: 'allocation',
      amount: input.allocated,
      effect: { allocated: input.allocated },
      note: 'Phân bổ ban đầu',
      actor,
    });
  }
  await recordAudit({
    action: 'fund.create',
    entity: 'fund',
    entityId: String(fund._id),
    actor,
    orgPath: fund.orgPath,
    details: { code: fund.code, allocated: fund.allocated },
  });
  return fund;
}

export interface FundListQuery extends ListQuery {
  year?: number;
  kind?: string;
  orgId?: string;
  q?: string;
}

export async function listFunds(principal: Principal, query: FundListQuery) {
  return fundsRepository.list(
    {
      subtreeOf: principal.orgId,
      orgId: query.orgId,
      year: query.year,
      kind: query.kind,
      searchKey: query.q ? new RegExp(escapeRegex(searchKey(query.q))) : undefined,
    },
    query,
  );
}

/**
 * Raises or lowers the allocation (a budget supplement or a cut). Lowering never takes the allocation
 * below what approved cases already hold: that is refused as INSUFFICIENT_FUNDS, atomically.
 */
export async function adjustFund(
  principal: Principal,
  actor: Actor,
  id: string,
  input: { amount: number; reason: string },
): Promise<FundRecord> {
  const fund = await getFundInScope(principal, id);
  if (!(await fundsRepository.adjustAllocated(id, input.amount))) {
    const now = (await fundsRepository.findById(id))!;
    throw new ConflictError(
      'INSUFFICIENT_FUNDS',
      `Không thể giảm phân bổ của nguồn "${now.code}" thêm ${formatVndWithUnit(-input.amount)}: chỉ còn ${formatVndWithUnit(now.available)} chưa cam kết cho hồ sơ.`,
      { fundId: id, available: now.available },
    );
  }
  await fundsRepository.addEntry(fund, {
    kind: 'adjustment',
    amount: input.amount,
    effect: { allocated: input.amount },
    note: input.reason,
    actor,
  });
  await recordAudit({
    action: 'fund.adjust',
    entity: 'fund',
    entityId: id,
    actor,
    orgPath: fund.orgPath,
    details: { amount: input.amount, reason: input.reason },
  });
  return (await fundsRepository.findById(id))!;
}

export interface Totals {
  allocated: number;
  committed: number;
  disbursed: number;
  available: number;
  balance: number;
}

function totalsOf(allocated: number, committed: number, disbursed: number): Totals {
  return { allocated, committed, disbursed, available: allocated - committed, balance: allocated - disbursed };
}

function entryJSON(entry: FundEntryRecord, running: Totals): Record<string, unknown> {
  return {
    id: String(entry._id),
    at: entry.at.toISOString(),
    kind: entry.kind,
    amount: entry.amount,
    effect: {
      allocated: entry.effect?.allocated ?? 0,
      committed: entry.effect?.committed ?? 0,
      disbursed: entry.effect?.disbursed ?? 0,
    },
    caseId: entry.caseId ? String(entry.caseId) : null,
    caseCode: entry.caseCode ?? null,
    disbursementId: entry.disbursementId ? String(entry.disbursementId) : null,
    voucherNo: entry.voucherNo ?? null,
    note: entry.note ?? '',
    by: entry.by ? { id: entry.by.id, name: entry.by.name } : null,
    running,
  };
}

/**
 * The statement (sổ chi tiết nguồn) of a period: the balances before it, every movement in it with the
 * balances after each one, and the closing balances. Balances are computed from the ledger alone, so a
 * statement also shows whether the ledger agrees with the fund's totals (reconciliation checks that).
 */
export async function fundStatement(principal: Principal, id: string, period: { from?: string; to?: string }) {
  const fund = await getFundInScope(principal, id);
  const start = period.from ? vnDayStart(period.from) : null;
  const end = period.to ? new Date(vnDayStart(period.to).getTime() + 86_400_000) : null;
  if (start && end && end <= start)
    throw new ValidationError([{ path: 'to', message: 'Ngày kết thúc phải từ ngày bắt đầu trở đi' }]);
  let allocated = 0;
  let committed = 0;
  let disbursed = 0;
  let opening = totalsOf(0, 0, 0);
  const lines: Record<string, unknown>[] = [];
  for (const entry of await fundsRepository.entries(id)) {
    if (end && entry.at >= end) break;
    allocated += entry.effect?.allocated ?? 0;
    committed += entry.effect?.committed ?? 0;
    disbursed += entry.effect?.disbursed ?? 0;
    const running = totalsOf(allocated, committed, disbursed);
    if (start && entry.at < start) opening = running;
    else lines.push(entryJSON(entry, running));
  }
  return {
    fund: fundJSON(fund),
    from: period.from ?? null,
    to: period.to ?? null,
    opening,
    entries: lines,
    closing: totalsOf(allocated, committed, disbursed),
  };
}
