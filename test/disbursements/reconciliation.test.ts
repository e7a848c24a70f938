/**
 * Reconciliation (đối soát): every fund's and case's totals recomputed from the raw records (allocations on
 * approved cases, payment and reversal entries, the fund ledger) and each difference reported, by the admin
 * endpoint for the caller's subtree and by `npm run reconcile` for the whole database.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { builtScript } from '../support/built-service.js';
import { arrange } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { expectForbidden } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import type { ProvinceTree } from '../support/factory.js';
import { Case } from '../../src/cases/cases.model.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { Fund } from '../../src/funds/funds.model.js';
import { caseWorld, upload, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  expectReconciled,
  paymentBody,
  payOk,
  reconcile,
  secondAccountant,
  type FundJson,
  type Reconciliation,
} from '../funds/fixtures.js';

const run = promisify(execFile);

describe('disbursements: reconciliation', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;
  let fund: FundJson;
  let paid: CaseView;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
    fund = await createFund(world.sessions.accountant, { allocated: 500_000_000 });
    // Some of everything: a case paid in full, one paid in part with a reversal, one approved, one revoked.
    paid = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await payOk(world.sessions.accountant, paid.id, paymentBody(fund.id));
    await upload(world.sessions.officer, paid.id, 'handover_minutes');
    await payOk(world.sessions.accountant, paid.id, paymentBody(fund.id, { trancheNo: 2 }));
    const partly = await approvedFrom(world, [{ fundId: fund.id, amount: 20_000_000 }]);
    const wrong = await payOk(world.sessions.accountant, partly.id, paymentBody(fund.id, { amount: 10_000_000 }));
    await arrange(
      (await secondAccountant(world)).post(`/api/v1/disbursements/${wrong.id}/reverse`, { reason: 'Ghi nhầm số tiền' }),
      201,
    );
    await payOk(world.sessions.accountant, partly.id, paymentBody(fund.id, { amount: 5_000_000 }));
    await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    const revoked = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    await arrange(
      world.sessions.approver.post(`/api/v1/cases/${revoked.id}/revoke`, {
        revision: revoked.revision,
        reason: 'Trùng danh sách hỗ trợ',
      }),
      200,
    );
  });

  it('when nothing was touched outside the service, then the province reconciles with no difference', async () => {
    const report = await reconcile(world);
    expect(report.differences, JSON.stringify(report.differences)).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.funds).to.be.at.least(2);
    expect(report.cases).to.be.at.least(4);
  });

  it("when a fund's committed and a case's paid total are changed directly in the database, then each difference is reported with what it should be; once restored, none", async () => {
    await Fund.updateOne({ _id: fund.id }, { $inc: { committed: 1_000, available: -1_000 } });
    await Case.updateOne({ _id: paid.id }, { $inc: { disbursedAmount: -7 } });
    try {
      const report = await reconcile(world);
      expect(report.ok).to.equal(false);
      const fundDiffs = report.differences.filter((d) => d.entity === 'fund' && d.id === fund.id).map((d) => d.field);
      expect(fundDiffs).to.include('committed');
      const committed = report.differences.find((d) => d.id === fund.id && d.field === 'committed')!;
      expect(Number(committed.recorded) - Number(committed.expected)).to.equal(1_000);
      const caseDiffs = report.differences.filter((d) => d.entity === 'case' && d.id === paid.id);
      expect(caseDiffs.map((d) => d.field)).to.include.members(['disbursedAmount', 'status']);
      expect(caseDiffs.find((d) => d.field === 'disbursedAmount')).to.deep.include({
        recorded: 49_999_993,
        expected: 50_000_000,
        code: paid.code,
      });
    } finally {
      await Fund.updateOne({ _id: fund.id }, { $inc: { committed: -1_000, available: 1_000 } });
      await Case.updateOne({ _id: paid.id }, { $inc: { disbursedAmount: 7 } });
    }
    await expectReconciled(world);
  });

  it('when a payment was left pending by an interrupted request, then it is reported', async () => {
    const stuck = await Disbursement.create({
      kind: 'payment',
      status: 'pending',
      caseId: paid.id,
      caseCode: paid.code,
      programCode: 'union_house',
      memberId: paid.memberId,
      memberName: paid.memberName,
      orgId: paid.orgId,
      orgPath: paid.orgPath,
      fundId: fund.id,
      fundCode: fund.code,
      trancheNo: 1,
      trancheLabel: 'Khởi công',
      amount: 1,
      method: 'cash',
      paidAt: '2026-01-01',
      voucherNo: 'PC-DO-DANG',
      transferNote: 'x',
      createdBy: { id: 'test', name: 'Kiểm thử' },
    });
    await Disbursement.collection.updateOne(
      { _id: stuck._id },
      { $set: { createdAt: new Date(Date.now() - 3_600_000) } },
    );
    try {
      const report = await reconcile(world);
      expect(report.differences.filter((d) => d.entity === 'disbursement').map((d) => d.id)).to.deep.equal([
        String(stuck._id),
      ]);
    } finally {
      await Disbursement.deleteOne({ _id: stuck._id });
    }
  });

  it('when `npm run reconcile` runs against the database, then it prints the same check for every province and exits 1 while a difference stands', async function () {
    this.timeout(60_000);
    await Fund.updateOne({ _id: fund.id }, { $inc: { disbursed: 5 } });
    try {
      const result = await run(process.execPath, [...builtScript('disbursements/reconcile-command'), '--json'], {
        env: testEnv().env,
        cwd: process.cwd(),
        maxBuffer: 64 * 1024 * 1024,
      }).then(
        () => ({ code: 0, stdout: '' }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
      expect(result.code).to.equal(1);
      const report = JSON.parse(result.stdout) as Reconciliation;
      expect(report.ok).to.equal(false);
      expect(report.differences.find((d) => d.id === fund.id && d.field === 'disbursed')).to.deep.include({
        entity: 'fund',
        code: fund.code,
      });
    } finally {
      await Fund.updateOne({ _id: fund.id }, { $inc: { disbursed: -5 } });
    }
  });

  it("when an accountant asks, then 403; another province's administrator does not see this province; the upper union's administrator sees only its cases", async () => {
    expectForbidden(await world.sessions.accountant.get('/api/v1/admin/reconciliation'));
    expectForbidden(await world.sessions.approver.get('/api/v1/admin/reconciliation'));
    const theirs = await reconcile(foreign);
    expect(JSON.stringify(theirs)).to.not.include(fund.id);
    const upper = await arrange<Reconciliation>(world.sessions.upperAdmin.get('/api/v1/admin/reconciliation'), 200);
    expect(upper.funds).to.equal(0);
    expect(upper.cases).to.be.at.least(4);
  });
});
