import { casesRepository, type CaseRecord } from '../cases/index.js';
import { isDecided, statusForPaid } from '../core/shared/money-moves.js';
import { fundsRepository, type FundRecord } from '../funds/index.js';
import { disbursementsRepository } from './disbursements.repository.js';

/**
 * Reconciliation (đối soát): every precomputed total recomputed from the raw records and compared.
 *
 * - a fund's `committed` is the sum of the allocations of the cases that hold them (approved, being paid,
 *   paid, closed); its `disbursed` the net of the payment and reversal entries drawn on it; `available` is
 *   `allocated − committed`; and each of `allocated`, `committed`, `disbursed` equals the sum of its ledger;
 * - a case's `disbursedAmount`, the `paid` of each fund allocation and of each tranche are the net of its
 *   entries; its status agrees with what is paid; its allocations add up to its approved amount;
 * - no entry stays `pending` longer than a request takes (a recording interrupted by a crash).
 *
 * With no transactions, a check that runs while payments are being recorded may see one half-done: run
 * it again; a difference that stays is real.
 */

export interface Difference {
  entity: 'fund' | 'case' | 'disbursement';
  id: string;
  code: string;
  field: string;
  recorded: number | string | null;
  expected: number | string | null;
  source: string;
}

export interface ReconciliationReport {
  checkedAt: string;
  orgId: string | null;
  funds: number;
  cases: number;
  ok: boolean;
  differences: Difference[];
}

const PENDING_GRACE_MS = 5 * 60_000;

type Sums = Map<string, number>;

function add(map: Sums, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

/** The status the paid amount implies for a case that holds money (SPEC §5, §7). */
function statusFor(record: CaseRecord): string | null {
  if (!isDecided(record.status) || record.status === 'closed') return null;
  return statusForPaid(record.approvedAmount ?? 0, record.disbursedAmount);
}

function checkCase(
  record: CaseRecord,
  net: { byCase: Sums; byCaseFund: Sums; byCaseTranche: Sums },
  report: (d: Omit<Difference, 'entity' | 'id' | 'code'>) => void,
): void {
  const id = String(record._id);
  const paid = net.byCase.get(id) ?? 0;
  if (record.disbursedAmount !== paid)
    report({
      field: 'disbursedAmount',
      recorded: record.disbursedAmount,
      expected: paid,
      source: 'các khoản chi và bút toán hủy của hồ sơ',
    });
  if (
    record.approvedAmount !== null &&
    record.approvedAmount !== undefined &&
    record.disbursedAmount > record.approvedAmount
  ) {
    report({
      field: 'disbursedAmount',
      recorded: record.disbursedAmount,
      expected: record.approvedAmount,
      source: 'không vượt số tiền phê duyệt',
    });
  }
  const expectedStatus = statusFor(record);
  if (expectedStatus && expectedStatus !== record.status)
    report({
      field: 'status',
      recorded: record.status,
      expected: expectedStatus,
      source: 'số đã chi so với số phê duyệt',
    });
  if (record.status === 'closed' && record.disbursedAmount !== record.approvedAmount) {
    report({
      field: 'disbursedAmount',
      recorded: record.disbursedAmount,
      expected: record.approvedAmount ?? 0,
      source: 'hồ sơ đã đóng phải chi đủ',
    });
  }
  if (!isDecided(record.status) && record.disbursedAmount !== 0) {
    report({
      field: 'disbursedAmount',
      recorded: record.disbursedAmount,
      expected: 0,
      source: `hồ sơ ở trạng thái ${record.status} không giữ tiền`,
    });
  }
  if (isDecided(record.status)) {
    const allocated = record.fundAllocations.reduce((sum, a) => sum + a.amount, 0);
    if (allocated !== record.approvedAmount)
      report({
        field: 'fundAllocations',
        recorded: allocated,
        expected: record.approvedAmount ?? 0,
        source: 'tổng phân bổ bằng số tiền phê duyệt',
      });
  }
  for (const allocation of record.fundAllocations) {
    const fromFund = net.byCaseFund.get(`${id}:${String(allocation.fundId)}`) ?? 0;
    if (allocation.paid !== fromFund)
      report({
        field: `fundAllocations[${allocation.fundCode}].paid`,
        recorded: allocation.paid,
        expected: fromFund,
        source: 'các khoản chi từ nguồn này',
      });
  }
  for (const tranche of record.tranches) {
    const inTranche = net.byCaseTranche.get(`${id}:${tranche.no}`) ?? 0;
    if (tranche.paid !== inTranche)
      report({
        field: `tranches[${tranche.no}].paid`,
        recorded: tranche.paid,
        expected: inTranche,
        source: 'các khoản chi của đợt',
      });
  }
}

function checkFund(
  fund: FundRecord,
  expected: { committed: number; disbursed: number },
  ledger: { allocated: number; committed: number; disbursed: number },
  report: (d: Omit<Difference, 'entity' | 'id' | 'code'>) => void,
): void {
  if (fund.committed !== expected.committed)
    report({
      field: 'committed',
      recorded: fund.committed,
      expected: expected.committed,
      source: 'phân bổ của các hồ sơ đã phê duyệt',
    });
  if (fund.disbursed !== expected.disbursed)
    report({
      field: 'disbursed',
      recorded: fund.disbursed,
      expected: expected.disbursed,
      source: 'các khoản chi và bút toán hủy từ nguồn',
    });
  if (fund.available !== fund.allocated - fund.committed)
    report({
      field: 'available',
      recorded: fund.available,
      expected: fund.allocated - fund.committed,
      source: 'allocated − committed',
    });
  for (const field of ['allocated', 'committed', 'disbursed'] as const) {
    if (fund[field] !== ledger[field])
      report({ field, recorded: fund[field], expected: ledger[field], source: 'sổ chi tiết của nguồn' });
  }
  if (fund.available < 0)
    report({ field: 'available', recorded: fund.available, expected: 0, source: 'không cam kết vượt số phân bổ' });
}

/** Reconciles the subtree of `orgId` (null: the whole database). */
export async function reconcile(orgId: string | null): Promise<ReconciliationReport> {
  const [funds, cases, entries, stale] = await Promise.all([
    fundsRepository.inSubtree(orgId),
    casesRepository.withMoney(orgId),
    disbursementsRepository.netPaid(orgId),
    disbursementsRepository.stalePending(orgId, new Date(Date.now() - PENDING_GRACE_MS)),
  ]);
  const net = {
    byCase: new Map() as Sums,
    byCaseFund: new Map() as Sums,
    byCaseTranche: new Map() as Sums,
    byFund: new Map() as Sums,
  };
  for (const row of entries) {
    const caseId = String(row._id.caseId);
    add(net.byCase, caseId, row.amount);
    add(net.byCaseFund, `${caseId}:${String(row._id.fundId)}`, row.amount);
    add(net.byCaseTranche, `${caseId}:${row._id.trancheNo}`, row.amount);
    add(net.byFund, String(row._id.fundId), row.amount);
  }
  const differences: Difference[] = [];
  const committed: Sums = new Map();
  for (const record of cases) {
    checkCase(record, net, (d) =>
      differences.push({ entity: 'case', id: String(record._id), code: record.code, ...d }),
    );
    if (isDecided(record.status)) for (const a of record.fundAllocations) add(committed, String(a.fundId), a.amount);
  }
  const ledger = await fundsRepository.ledgerSums(funds.map((f) => f._id));
  for (const fund of funds) {
    const id = String(fund._id);
    checkFund(
      fund,
      { committed: committed.get(id) ?? 0, disbursed: net.byFund.get(id) ?? 0 },
      ledger.get(id) ?? { allocated: 0, committed: 0, disbursed: 0 },
      (d) => differences.push({ entity: 'fund', id, code: fund.code, ...d }),
    );
  }
  for (const entry of stale) {
    differences.push({
      entity: 'disbursement',
      id: String(entry._id),
      code: `${entry.caseCode} ${entry.voucherNo}`,
      field: 'status',
      recorded: 'pending',
      expected: 'paid',
      source: 'ghi nhận khoản chi bị gián đoạn: kiểm tra hồ sơ và nguồn',
    });
  }
  return {
    checkedAt: new Date().toISOString(),
    orgId,
    funds: funds.length,
    cases: cases.length,
    ok: differences.length === 0,
    differences,
  };
}
