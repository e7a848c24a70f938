/**
 * Arrangement helpers for funds and payments: funds of a province, cases approved from chosen funds, a
 * payment with its Idempotency-Key, and the reconciliation every race test ends with.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type request from 'supertest';
import { arrange, loginAdmin, type Session } from '../support/api.js';
import { unique, userSession, type ProvinceTree } from '../support/factory.js';
import { Fund, FundEntry } from '../../src/funds/funds.model.js';
import { actOk, caseAt, type CaseView, type CaseWorld, type Kind } from '../cases/case-fixtures.js';

export interface FundJson {
  id: string;
  code: string;
  name: string;
  kind: string;
  year: number;
  orgId: string;
  allocated: number;
  committed: number;
  disbursed: number;
  available: number;
}

export interface Allocation {
  fundId: string;
  amount: number;
}

export function fundBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: unique('QXH-'),
    name: 'Quỹ Xã hội LĐLĐ tỉnh năm 2026',
    kind: 'social_fund',
    year: 2026,
    allocated: 100_000_000,
    ...overrides,
  };
}

export async function createFund(session: Session, overrides: Record<string, unknown> = {}): Promise<FundJson> {
  return arrange<FundJson>(session.post('/api/v1/funds', fundBody(overrides)));
}

/** The stored fund's totals, straight from the database. */
export async function fundTotals(id: string) {
  const fund = await Fund.findById(id).lean();
  expect(fund, `fund ${id} is stored`).to.not.equal(null);
  return {
    allocated: fund!.allocated,
    committed: fund!.committed,
    disbursed: fund!.disbursed,
    available: fund!.available,
  };
}

/** Everything a refused request could have changed about a fund: its totals and its ledger. */
export async function fundState(id: string): Promise<string> {
  const [fund, entries] = await Promise.all([Fund.findById(id).lean(), FundEntry.countDocuments({ fundId: id })]);
  return JSON.stringify({ fund, entries });
}

/** A case verified at `amount` (so the approval needs no reason), not yet approved. */
export async function verifiedCase(world: CaseWorld, kind: Kind = 'tet_gift'): Promise<CaseView> {
  return caseAt(world, 'verified', kind);
}

export function approveBody(
  view: CaseView,
  allocations: Allocation[],
  approvedAmount = allocations.reduce((s, a) => s + a.amount, 0),
) {
  return { revision: view.revision, approvedAmount, fundAllocations: allocations };
}

/** A case of `kind` approved for the sum of `allocations`, drawn from those funds. */
export async function approvedFrom(
  world: CaseWorld,
  allocations: Allocation[],
  kind: Kind = 'union_house',
): Promise<CaseView> {
  const verified = await verifiedCase(world, kind);
  return actOk(world.sessions.approver, verified.id, 'approve', approveBody(verified, allocations));
}

export function paymentBody(fundId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: 25_000_000,
    trancheNo: 1,
    method: 'bank_transfer',
    paidAt: today(),
    voucherNo: unique('PC-'),
    fundId,
    note: 'Tạm ứng khởi công',
    ...overrides,
  };
}

export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

/** POST /cases/:id/disbursements with an Idempotency-Key (a fresh one unless given; `null` sends none). */
export function pay(
  session: Session,
  caseId: string,
  body: Record<string, unknown>,
  key: string | null = randomUUID(),
): request.Test {
  const test = session.post(`/api/v1/cases/${caseId}/disbursements`, body);
  return key === null ? test : test.set('Idempotency-Key', key);
}

export async function payOk(
  session: Session,
  caseId: string,
  body: Record<string, unknown>,
): Promise<DisbursementJson> {
  return arrange<DisbursementJson>(pay(session, caseId, body));
}

export interface DisbursementJson {
  id: string;
  kind: 'payment' | 'reversal';
  status: string;
  caseId: string;
  caseCode: string;
  fundId: string;
  trancheNo: number;
  amount: number;
  method: string;
  paidAt: string;
  voucherNo: string;
  transferNote: string;
  payee: { fullName: string; bankBin: string; accountNo: string; accountName: string } | null;
  reverses: string | null;
  createdBy: { id: string; name: string };
  receipts: { id: string; sha256: string; mimeType: string }[];
}

/** Another accountant of the province: reversals need one who did not pay (four eyes). */
export async function secondAccountant(tree: ProvinceTree): Promise<Session> {
  return userSession(await loginAdmin(), tree.province.id, ['accountant']);
}

export interface Reconciliation {
  ok: boolean;
  funds: number;
  cases: number;
  differences: { entity: string; id: string; code: string; field: string; recorded: unknown; expected: unknown }[];
}

/** Reconciliation of the province by its administrator (the tests run it after every race). */
export async function reconcile(tree: ProvinceTree): Promise<Reconciliation> {
  return arrange<Reconciliation>(tree.sessions.admin.get('/api/v1/admin/reconciliation'), 200);
}

export async function expectReconciled(tree: ProvinceTree): Promise<void> {
  const report = await reconcile(tree);
  expect(report.differences, JSON.stringify(report.differences)).to.deep.equal([]);
  expect(report.ok).to.equal(true);
}
