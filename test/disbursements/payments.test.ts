/**
 * Paying a case (SPEC §7): tranches split the approved amount by the province's rules, each paid in order,
 * with its documents, from a fund the approval drew on; the case moves to partially_disbursed and
 * disbursed, the fund's paid total and ledger follow, receipts are kept, and the case closes once paid.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { arrange, expectProblem } from '../support/api.js';
import { expectValidation } from '../support/problems.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Member } from '../../src/members/members.model.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { FundEntry } from '../../src/funds/funds.model.js';
import {
  actOk,
  bodyFor,
  caseWorld,
  expectUnchanged,
  PNG,
  readCase,
  setProvinceRules,
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
  pay,
  paymentBody,
  payOk,
  today,
  verifiedCase,
  type DisbursementJson,
  type FundJson,
} from '../funds/fixtures.js';

interface CasePaymentsJson {
  status: string;
  remainingAmount: number;
  tranches: {
    no: number;
    label: string;
    amount: number;
    paid: number;
    remaining: number;
    requiresDocuments: string[];
  }[];
  fundAllocations: { fundId: string; amount: number; paid: number }[];
  items: DisbursementJson[];
}

describe('disbursements: paying a case in tranches', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let fund: FundJson;

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
  });

  it('when an accountant pays a union house in two tranches with receipts, then the case goes approved → partially_disbursed → disbursed, the fund and its ledger follow, and the case closes with the handover minutes', async () => {
    const { accountant, officer } = world.sessions;
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);

    const first = await payOk(
      accountant,
      view.id,
      paymentBody(fund.id, { amount: 25_000_000, trancheNo: 1, voucherNo: 'PC-0815' }),
    );
    expect(first).to.deep.include({
      kind: 'payment',
      status: 'paid',
      amount: 25_000_000,
      trancheNo: 1,
      voucherNo: 'PC-0815',
      caseCode: view.code,
      fundId: fund.id,
    });
    expect(first.transferNote).to.equal(`${view.code} Ho tro Mai am Cong doan`);
    expect(first.payee).to.deep.include({ bankBin: '970415', accountNo: '1234567890', accountName: 'NGUYEN VAN AN' });
    const receipt = await arrange<{ id: string; sha256: string }>(
      accountant.upload(`/api/v1/disbursements/${first.id}/receipts`).attach('file', PNG, 'phieu-chi-0815.png'),
    );
    expect(receipt.sha256).to.equal(createHash('sha256').update(PNG).digest('hex'));
    let stored = await storedCase(view.id);
    expect(stored).to.deep.include({
      status: 'partially_disbursed',
      disbursedAmount: 25_000_000,
      revision: view.revision + 1,
    });
    expect(stored.history.at(-1)).to.deep.include({ action: 'disburse', from: 'approved', to: 'partially_disbursed' });

    const missing = await pay(accountant, view.id, paymentBody(fund.id, { amount: 25_000_000, trancheNo: 2 }));
    expectProblem(missing, 422, 'MISSING_DOCUMENTS');
    expect(missing.body.missing).to.deep.equal(['handover_minutes']);
    await upload(officer, view.id, 'handover_minutes');

    const second = await payOk(
      accountant,
      view.id,
      paymentBody(fund.id, { amount: 25_000_000, trancheNo: 2, method: 'cash', voucherNo: 'PC-0901' }),
    );
    expect(second).to.deep.include({ method: 'cash', payee: null, trancheNo: 2 });
    stored = await storedCase(view.id);
    expect(stored).to.deep.include({ status: 'disbursed', disbursedAmount: 50_000_000 });
    expect(stored.history.at(-1)).to.deep.include({ action: 'disburse', from: 'partially_disbursed', to: 'disbursed' });
    expect(stored.tranches.map((t) => [t.no, t.amount, t.paid])).to.deep.equal([
      [1, 25_000_000, 25_000_000],
      [2, 25_000_000, 25_000_000],
    ]);
    expect(stored.fundAllocations[0]!.paid).to.equal(50_000_000);
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed + 50_000_000 });
    const ledger = await FundEntry.find({ caseId: view.id, kind: 'payment' }).sort({ at: 1 }).lean();
    expect(ledger.map((e) => [e.amount, e.voucherNo, String(e.disbursementId)])).to.deep.equal([
      [25_000_000, 'PC-0815', first.id],
      [25_000_000, 'PC-0901', second.id],
    ]);
    expect(
      await AuditEntry.countDocuments({
        entity: 'disbursement',
        action: 'disbursement.create',
        entityId: { $in: [first.id, second.id] },
      }),
    ).to.equal(2);

    const read = await arrange<DisbursementJson>(accountant.get(`/api/v1/disbursements/${first.id}`), 200);
    expect(read.receipts.map((r) => r.id)).to.deep.equal([receipt.id]);
    const download = await accountant
      .get(`/api/v1/disbursements/${first.id}/receipts/${receipt.id}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).to.equal(200);
    expect(Buffer.compare(download.body as Buffer, PNG)).to.equal(0);

    const paid = await readCase(accountant, view.id);
    expect(paid.allowedActions).to.deep.equal(['close']);
    const closed = await actOk(accountant, view.id, 'close', bodyFor('close', paid));
    expect(closed.status).to.equal('closed');
    expectProblem(await pay(accountant, view.id, paymentBody(fund.id, { amount: 1 })), 409, 'INVALID_TRANSITION');
    await expectReconciled(world);
  });

  it('when the approved amount does not split evenly, then each tranche is its percent rounded down and the last takes the remainder', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 45_000_001 }]);
    const plan = await arrange<CasePaymentsJson>(
      world.sessions.approver.get(`/api/v1/cases/${view.id}/disbursements`),
      200,
    );
    expect(plan.tranches.map((t) => [t.no, t.amount, t.requiresDocuments])).to.deep.equal([
      [1, 22_500_000, []],
      [2, 22_500_001, ['handover_minutes']],
    ]);
    expect(plan.remainingAmount).to.equal(45_000_001);
    await upload(world.sessions.officer, view.id, 'handover_minutes');
    await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 22_500_000, trancheNo: 1 }));
    await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 22_500_001, trancheNo: 2 }));
    expect(await storedCase(view.id)).to.deep.include({ status: 'disbursed', disbursedAmount: 45_000_001 });
  });

  it('when a province splits union houses into three tranches, then a case approved afterwards is paid in three, and a tranche may be paid in parts but never past its amount', async () => {
    await setProvinceRules(world.sessions.approver, 'union_house', {
      tranches: [
        { label: 'Tạm ứng', percent: 30 },
        { label: 'Xây thô', percent: 40 },
        { label: 'Hoàn thành', percent: 30 },
      ],
    });
    try {
      const view = await approvedFrom(world, [{ fundId: fund.id, amount: 10_000_000 }]);
      await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1_000_000, trancheNo: 1 }));
      const tooMuch = await pay(
        world.sessions.accountant,
        view.id,
        paymentBody(fund.id, { amount: 2_000_001, trancheNo: 1 }),
      );
      expectProblem(tooMuch, 422, 'AMOUNT_EXCEEDS_CAP');
      expect(tooMuch.body.remaining).to.equal(2_000_000);
      await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 2_000_000, trancheNo: 1 }));
      const plan = await arrange<CasePaymentsJson>(
        world.sessions.accountant.get(`/api/v1/cases/${view.id}/disbursements`),
        200,
      );
      expect(plan.tranches.map((t) => [t.label, t.amount, t.paid])).to.deep.equal([
        ['Tạm ứng', 3_000_000, 3_000_000],
        ['Xây thô', 4_000_000, 0],
        ['Hoàn thành', 3_000_000, 0],
      ]);
      expect(plan.items.map((i) => i.amount)).to.deep.equal([1_000_000, 2_000_000]);
      expectProblem(
        await pay(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1, trancheNo: 1 })),
        409,
        'TRANCHE_ALREADY_PAID',
      );
      expectValidation(
        await pay(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1, trancheNo: 4 })),
        'trancheNo',
      );
    } finally {
      await world.sessions.approver.delete('/api/v1/programs/union_house/rules').expect(204);
    }
  });

  it('when tranche 2 is paid before tranche 1, then 409 TRANCHE_OUT_OF_ORDER and nothing moves', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await upload(world.sessions.officer, view.id, 'handover_minutes');
    const [caseBefore, fundBefore] = await Promise.all([stateOf(view.id), fundState(fund.id)]);
    const res = await pay(world.sessions.accountant, view.id, paymentBody(fund.id, { trancheNo: 2 }));
    expectProblem(res, 409, 'TRANCHE_OUT_OF_ORDER');
    await expectUnchanged(view.id, caseBefore);
    expect(await fundState(fund.id)).to.equal(fundBefore);
    expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(0);
  });

  it('when a case approved from two funds pays its second tranche, then each fund gives at most its allocation: 409 INSUFFICIENT_FUNDS beyond it, and the tranche completes from both', async () => {
    const other = await createFund(world.sessions.accountant, { allocated: 20_000_000 });
    const view = await approvedFrom(world, [
      { fundId: fund.id, amount: 30_000_000 },
      { fundId: other.id, amount: 20_000_000 },
    ]);
    await upload(world.sessions.officer, view.id, 'handover_minutes');
    await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 25_000_000, trancheNo: 1 }));

    const beyond = await pay(
      world.sessions.accountant,
      view.id,
      paymentBody(fund.id, { amount: 25_000_000, trancheNo: 2 }),
    );
    expectProblem(beyond, 409, 'INSUFFICIENT_FUNDS');
    expect(beyond.body.available).to.equal(5_000_000);
    const unrelated = await createFund(world.sessions.accountant);
    expectValidation(
      await pay(world.sessions.accountant, view.id, paymentBody(unrelated.id, { amount: 5_000_000, trancheNo: 2 })),
      'fundId',
    );

    await payOk(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 5_000_000, trancheNo: 2 }));
    await payOk(world.sessions.accountant, view.id, paymentBody(other.id, { amount: 20_000_000, trancheNo: 2 }));
    const stored = await storedCase(view.id);
    expect(stored).to.deep.include({ status: 'disbursed', disbursedAmount: 50_000_000 });
    expect(stored.fundAllocations.map((a) => a.paid)).to.deep.equal([30_000_000, 20_000_000]);
    expect(await fundTotals(other.id)).to.deep.include({ committed: 20_000_000, disbursed: 20_000_000 });
    await expectReconciled(world);
  });

  it('when the payment is dated tomorrow or before the approval, the member has no bank account for a transfer, or the case is not approved, then it is refused and nothing moves', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    const before = await stateOf(view.id);
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(
      new Date(Date.now() + 86_400_000),
    );
    expectValidation(
      await pay(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1_000_000, paidAt: tomorrow })),
      'paidAt',
    );
    expectValidation(
      await pay(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 1_000_000, paidAt: '2020-01-01' })),
      'paidAt',
    );
    await expectUnchanged(view.id, before);

    const noAccount = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    // The member's account is removed (as if the union cleared it): the snapshot and the member both lack one.
    const member = await storedCase(noAccount.id);
    await Case.updateOne({ _id: noAccount.id }, { $set: { 'memberSnapshot.bankAccount': null } });
    await Member.updateOne({ _id: member.memberId }, { $set: { bankAccount: null } });
    expectProblem(
      await pay(world.sessions.accountant, noAccount.id, paymentBody(fund.id, { amount: 1_000_000 })),
      422,
      'NOT_ELIGIBLE',
    );
    const cash = await payOk(
      world.sessions.accountant,
      noAccount.id,
      paymentBody(fund.id, { amount: 1_000_000, method: 'cash', paidAt: today() }),
    );
    expect(cash.payee).to.equal(null);

    const verified = await verifiedCase(world);
    const unpaid = await stateOf(verified.id);
    expectProblem(
      await pay(world.sessions.accountant, verified.id, paymentBody(fund.id, { amount: 1_000_000 })),
      409,
      'INVALID_TRANSITION',
    );
    await expectUnchanged(verified.id, unpaid);
  });
});
