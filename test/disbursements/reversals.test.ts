/**
 * Reversal (SPEC §7): a wrong payment is never edited or deleted; another accountant than the payer
 * records an entry of the opposite sign, and the case, the fund and its ledger follow. A payment is
 * reversed at most once.
 */
import { expect } from 'chai';
import { arrange, expectProblem, type Session } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound, expectValidation, unknownId } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { FundEntry } from '../../src/funds/funds.model.js';
import {
  act,
  actOk,
  bodyFor,
  caseWorld,
  expectUnchanged,
  readCase,
  stateOf,
  storedCase,
  upload,
  type CaseWorld,
} from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  expectReconciled,
  fundState,
  fundTotals,
  paymentBody,
  payOk,
  secondAccountant,
  type DisbursementJson,
  type FundJson,
} from '../funds/fixtures.js';

interface ReversalJson {
  payment: DisbursementJson & { reversedBy: { id: string; reason: string; by: { id: string } } };
  reversal: DisbursementJson & { reason: string };
}

describe('disbursements: reversals', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;
  let fund: FundJson;
  let checker: Session;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    checker = await secondAccountant(world);
  });

  function reverse(session: Session, id: string, body: Record<string, unknown> = { reason: 'Chi nhầm số tài khoản' }) {
    return session.post(`/api/v1/disbursements/${id}/reverse`, body);
  }

  it('when the accountant who paid tries to reverse it, then 409 SEPARATION_OF_DUTIES and nothing moves', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const payment = await payOk(world.sessions.accountant, view.id, paymentBody(fund.id));
    const [caseBefore, fundBefore] = await Promise.all([stateOf(view.id), fundState(fund.id)]);

    expectProblem(await reverse(world.sessions.accountant, payment.id), 409, 'SEPARATION_OF_DUTIES');

    await expectUnchanged(view.id, caseBefore);
    expect(await fundState(fund.id)).to.equal(fundBefore);
    expect((await Disbursement.findById(payment.id).lean())?.status).to.equal('paid');
  });

  it('when another accountant reverses the last payment of a fully paid case, then an entry of the opposite sign is recorded and the case, fund and ledger fall back; reversing again answers 409', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await payOk(world.sessions.accountant, view.id, paymentBody(fund.id));
    await upload(world.sessions.officer, view.id, 'handover_minutes');
    const second = await payOk(
      world.sessions.accountant,
      view.id,
      paymentBody(fund.id, { trancheNo: 2, voucherNo: 'PC-0902' }),
    );
    const fundBefore = await fundTotals(fund.id);

    const res = await arrange<ReversalJson>(
      reverse(checker, second.id, { reason: 'Chi trùng với phiếu PC-0901', voucherNo: 'DC-0001' }),
      201,
    );

    expect(res.payment).to.deep.include({ id: second.id, status: 'reversed', amount: 25_000_000 });
    expect(res.payment.reversedBy).to.deep.include({ id: res.reversal.id, reason: 'Chi trùng với phiếu PC-0901' });
    expect(res.payment.reversedBy.by.id).to.equal(checker.user.id);
    expect(res.reversal).to.deep.include({
      kind: 'reversal',
      status: 'reversal',
      amount: -25_000_000,
      reverses: second.id,
      voucherNo: 'DC-0001',
      trancheNo: 2,
    });
    const stored = await storedCase(view.id);
    expect(stored).to.deep.include({ status: 'partially_disbursed', disbursedAmount: 25_000_000 });
    expect(stored.tranches.map((t) => t.paid)).to.deep.equal([25_000_000, 0]);
    expect(stored.history.at(-1)).to.deep.include({ action: 'reverse', from: 'disbursed', to: 'partially_disbursed' });
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed - 25_000_000 });
    const entry = await FundEntry.findOne({ disbursementId: res.reversal.id }).lean();
    expect(entry).to.deep.include({ kind: 'reversal', amount: -25_000_000 });
    expect(await AuditEntry.countDocuments({ entityId: second.id, action: 'disbursement.reverse' })).to.equal(1);

    const before = await stateOf(view.id);
    expectProblem(await reverse(checker, second.id), 409, 'INVALID_TRANSITION');
    expectProblem(await reverse(world.sessions.accountant, res.reversal.id), 409, 'INVALID_TRANSITION');
    await expectUnchanged(view.id, before);

    // The tranche can be paid again, correctly this time.
    await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { trancheNo: 2, voucherNo: 'PC-0903' }));
    expect(await storedCase(view.id)).to.deep.include({ status: 'disbursed', disbursedAmount: 50_000_000 });
    await expectReconciled(world);
  });

  it('when the only payment is reversed, then the case is approved again with nothing paid, and it may then be revoked, releasing its funds', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    const payment = await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1_000_000 }));
    expect((await storedCase(view.id)).status).to.equal('disbursed');

    await arrange(reverse(checker, payment.id), 201);

    const seen = await readCase(world.sessions.approver, view.id);
    expect(seen).to.deep.include({ status: 'approved', disbursedAmount: 0 });
    expect(seen.allowedActions).to.deep.equal(['revoke']);
    const committedBefore = (await fundTotals(fund.id)).committed;
    await actOk(world.sessions.approver, view.id, 'revoke', bodyFor('revoke', seen));
    expect((await fundTotals(fund.id)).committed).to.equal(committedBefore - 1_000_000);
    await expectReconciled(world);
  });

  it('when the case is closed, then its payments can no longer be reversed', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    const payment = await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1_000_000 }));
    const paid = await readCase(world.sessions.accountant, view.id);
    await act(world.sessions.accountant, view.id, 'close', bodyFor('close', paid)).expect(200);
    const before = await stateOf(view.id);

    expectProblem(await reverse(checker, payment.id), 409, 'INVALID_TRANSITION');

    await expectUnchanged(view.id, before);
    expect((await Disbursement.findById(payment.id).lean())?.status).to.equal('paid');
    expect(await Disbursement.countDocuments({ reverses: payment.id })).to.equal(0);
  });

  it('when the reason is missing or the body has other fields, then 400; other roles 403; outside the province or unknown, 404', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    const payment = await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1_000_000 }));
    const before = await stateOf(view.id);
    expectValidation(await reverse(checker, payment.id, {}), 'reason');
    expectValidation(await reverse(checker, payment.id, { reason: 'sai' }), 'reason');
    expectValidation(await reverse(checker, payment.id, { reason: 'Chi nhầm tài khoản', amount: 1 }), 'amount');
    expectProblem(
      await reverse(checker, payment.id, { reason: 'Chi nhầm tài khoản', $inc: { amount: 1 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectValidation(await reverse(checker, 'abc'), 'id');
    for (const session of [
      world.sessions.approver,
      world.sessions.admin,
      world.sessions.verifier,
      world.sessions.officer,
    ]) {
      expectForbidden(await reverse(session, payment.id));
    }
    expectNotFound(await reverse(foreign.sessions.accountant, payment.id));
    expectNotFound(await reverse(checker, unknownId()));
    await expectUnchanged(view.id, before);
  });
});
