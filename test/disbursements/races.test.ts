/**
 * Concurrency (SPEC §7): whatever arrives at once, a case is never paid more than approved, a tranche never
 * more than its amount, a fund never gives more than the case's allocation, a payment is reversed once;
 * the database and reconciliation agree after every race.
 */
import { expect } from 'chai';
import type request from 'supertest';
import type { Session } from '../support/api.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { FundEntry } from '../../src/funds/funds.model.js';
import { caseWorld, storedCase, upload, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  expectReconciled,
  fundTotals,
  pay,
  paymentBody,
  payOk,
  secondAccountant,
  type FundJson,
} from '../funds/fixtures.js';

function summary(results: request.Response[]): string {
  return JSON.stringify(results.map((r) => [r.status, r.body.code]));
}

describe('disbursements: races', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let fund: FundJson;
  let accountants: Session[];

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    accountants = [world.sessions.accountant, await secondAccountant(world)];
  });

  it('when ten payments of the last tranche arrive at once from two accountants, then exactly one is recorded, the paid total equals the approved amount, and the rest answer 409 (the case is paid in full)', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await payOk(world.sessions.accountant, view.id, paymentBody(fund.id));
    await upload(world.sessions.officer, view.id, 'handover_minutes');
    const fundBefore = await fundTotals(fund.id);

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pay(accountants[i % 2]!, view.id, paymentBody(fund.id, { trancheNo: 2, voucherNo: `PC-RACE-${i}` })),
      ),
    );

    const winners = results.filter((r) => r.status === 201);
    expect(winners, summary(results)).to.have.length(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status, summary(results)).to.equal(409);
      // A loser that saw the tranche open learns the case is now paid in full; one that came later, that the tranche is.
      expect(['INVALID_TRANSITION', 'TRANCHE_ALREADY_PAID'], summary(results)).to.include(r.body.code);
    }
    const stored = await storedCase(view.id);
    expect(stored).to.deep.include({ status: 'disbursed', disbursedAmount: 50_000_000, approvedAmount: 50_000_000 });
    expect(stored.tranches.map((t) => t.paid)).to.deep.equal([25_000_000, 25_000_000]);
    expect(stored.fundAllocations[0]!.paid).to.equal(50_000_000);
    expect(stored.history.filter((h) => h.action === 'disburse')).to.have.length(2);
    expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(2);
    expect(await FundEntry.countDocuments({ caseId: view.id, kind: 'payment' })).to.equal(2);
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed + 25_000_000 });
    await expectReconciled(world);
  });

  it('when ten payments of 5,000,000 race for a tranche of 25,000,000, then exactly five are recorded and the tranche is paid exactly', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        pay(accountants[i % 2]!, view.id, paymentBody(fund.id, { amount: 5_000_000, voucherNo: `PC-PART-${i}` })),
      ),
    );

    expect(
      results.filter((r) => r.status === 201),
      summary(results),
    ).to.have.length(5);
    for (const r of results.filter((x) => x.status !== 201))
      expect(['TRANCHE_ALREADY_PAID', 'AMOUNT_EXCEEDS_CAP', 'STALE_REVISION'], summary(results)).to.include(
        r.body.code,
      );
    const stored = await storedCase(view.id);
    expect(stored).to.deep.include({ status: 'partially_disbursed', disbursedAmount: 25_000_000 });
    expect(stored.tranches[0]!.paid).to.equal(25_000_000);
    expect(await Disbursement.countDocuments({ caseId: view.id, status: 'paid' })).to.equal(5);
    await expectReconciled(world);
  });

  it('when five reversals of one payment arrive at once, then exactly one is recorded and the totals fall once', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const payment = await payOk(accountants[0]!, view.id, paymentBody(fund.id));
    const reverser = accountants[1]!;
    const fundBefore = await fundTotals(fund.id);

    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        reverser.post(`/api/v1/disbursements/${payment.id}/reverse`, { reason: 'Chi nhầm tài khoản' }),
      ),
    );

    expect(
      results.filter((r) => r.status === 201),
      summary(results),
    ).to.have.length(1);
    for (const r of results.filter((x) => x.status !== 201))
      expect([r.status, r.body.code], summary(results)).to.deep.equal([409, 'INVALID_TRANSITION']);
    const stored = await storedCase(view.id);
    expect(stored).to.deep.include({ status: 'approved', disbursedAmount: 0 });
    expect(await Disbursement.countDocuments({ reverses: payment.id })).to.equal(1);
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed - 25_000_000 });
    await expectReconciled(world);
  });

  it('when a payment and a revocation race on an approved case, then never both: either the case is paid or it is revoked with its funds released', async () => {
    const views = await Promise.all(
      Array.from({ length: 3 }, () => approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift')),
    );
    await Promise.all(
      views.map(async (view) => {
        const [paid, revoked] = await Promise.all([
          pay(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1_000_000 })),
          world.sessions.approver.post(`/api/v1/cases/${view.id}/revoke`, {
            revision: view.revision,
            reason: 'Trùng danh sách hỗ trợ',
          }),
        ]);
        expect(
          [paid.status, revoked.status].filter((s) => s < 300),
          JSON.stringify([paid.body, revoked.body]),
        ).to.have.length(1);
        const stored = await storedCase(view.id);
        expect(stored.status).to.equal(paid.status === 201 ? 'disbursed' : 'revoked');
      }),
    );
    await expectReconciled(world);
  });
});
