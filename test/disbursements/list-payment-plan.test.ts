/**
 * The preview of paying a whole list (GET /batches/:id/payment-plan): the server says, case by case in the list's
 * order, what `POST /batches/:id/pay` would do now, and the payment then does exactly that. It changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { arrange, expectProblem } from '../support/api.js';
import { allocationsFor } from '../support/funds.js';
import { foreignProvince } from '../support/provinces.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { batchAction } from '../batches/batch-fixtures.js';
import { listPaymentBody, verifiedList } from '../jobs/job-fixtures.js';
import { Batch } from '../../src/batches/batches.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Disbursement } from '../../src/disbursements/index.js';

interface PlanView {
  batchId: string;
  fileName: string;
  rows: {
    caseId: string;
    code: string;
    kind: 'pay' | 'skip';
    amount: number | null;
    trancheNo: number | null;
    fundId: string | null;
    reason: string | null;
  }[];
  counts: { pay: number; skip: number };
  totalAmount: number;
}

interface PaidView {
  results: { caseId: string; outcome: string; payment?: { amount: number; trancheNo: number } }[];
}

describe('disbursements: the preview of paying a whole list', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
  });

  it('when an accountant previews an approved list with one case paid already, then each case is planned as the payment then pays it, and nothing changes', async () => {
    const list = await verifiedList(world, 4);
    await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
    // One case paid alone first: the list skips it with its reason.
    const first = list.caseIds[1]!;
    await arrange(
      world.sessions.accountant
        .post(`/api/v1/cases/${first}/disbursements`, {
          amount: 1_000_000,
          trancheNo: 1,
          method: 'cash',
          paidAt: listPaymentBody().paidAt,
          voucherNo: 'PC-LE-1',
          fundId,
        })
        .set('Idempotency-Key', randomUUID()),
      201,
    );
    const before = await Case.find({ _id: { $in: list.caseIds } }).lean();

    const plan = await arrange<PlanView>(
      world.sessions.accountant.get(`/api/v1/batches/${list.batch.id}/payment-plan`),
      200,
    );
    // The list's own name, from its stored record: the form's title needs nothing else of the list.
    const stored = await Batch.findById(list.batch.id).lean();
    expect(plan).to.include({ batchId: list.batch.id, fileName: stored!.fileName });
    expect(plan.rows.map((row) => row.caseId)).to.deep.equal(list.caseIds);
    expect(plan.counts).to.deep.equal({ pay: 3, skip: 1 });
    expect(plan.totalAmount).to.equal(3_000_000);
    const skipped = plan.rows.find((row) => row.caseId === first)!;
    expect(skipped).to.include({ kind: 'skip', amount: null, trancheNo: null, fundId: null });
    expect(skipped.reason).to.match(/đã được chi đủ/);
    expect(plan.rows.filter((row) => row.kind === 'pay').every((row) => row.fundId === fundId)).to.equal(true);
    // Nothing moved: the cases are as they were and no payment was added.
    expect(await Case.find({ _id: { $in: list.caseIds } }).lean()).to.deep.equal(before);
    expect(await Disbursement.countDocuments({ caseId: { $in: list.caseIds } })).to.equal(1);

    const paid = await arrange<PaidView>(
      world.sessions.accountant
        .post(`/api/v1/batches/${list.batch.id}/pay`, listPaymentBody())
        .set('Idempotency-Key', randomUUID()),
      201,
    );
    for (const row of plan.rows) {
      const outcome = paid.results.find((result) => result.caseId === row.caseId)!;
      if (row.kind === 'skip') expect(outcome.outcome).to.equal('skipped');
      else expect(outcome.payment).to.include({ amount: row.amount, trancheNo: row.trancheNo });
    }
  });

  it('when another role, another province or a bad fund asks, then 403, 404 or 400 and nothing is read out', async () => {
    const list = await verifiedList(world, 1);
    expectProblem(await world.sessions.approver.get(`/api/v1/batches/${list.batch.id}/payment-plan`), 403, 'FORBIDDEN');
    const foreign = await foreignProvince();
    expectProblem(
      await foreign.sessions.accountant.get(`/api/v1/batches/${list.batch.id}/payment-plan`),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await world.sessions.accountant.get(`/api/v1/batches/${list.batch.id}/payment-plan?fundId=x`),
      400,
      'VALIDATION_FAILED',
    );
    // A verified list is not payable yet: every case is skipped with its status.
    const plan = await arrange<PlanView>(
      world.sessions.accountant.get(`/api/v1/batches/${list.batch.id}/payment-plan`),
      200,
    );
    expect(plan.counts).to.deep.equal({ pay: 0, skip: 1 });
    expect(plan.rows[0]!.reason).to.match(/chưa thể chi trả/);
  });
});
