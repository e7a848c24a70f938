/**
 * SPEC §7, §14: a list paid a chunk at a time (list-payment.ts) keeps every money invariant of the single payment:
 * one payment per case, the fund moved by exactly the total with one ledger entry per payment, one audit entry per
 * payment, report totals equal to their recomputation, reconciliation clean; and a single payment racing the list
 * payment on the same cases never makes a case paid more than approved.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { api, arrange } from '../support/api.js';
import { allocationsFor } from '../support/funds.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { batchAction } from '../batches/batch-fixtures.js';
import { expectReconciled, fundTotals, pay, paymentBody } from '../funds/fixtures.js';
import { commandsDuring, readsOf } from '../support/db-reads.js';
import { listPaymentBody, startRunner, stopRunners, verifiedList, waitForJob } from '../jobs/job-fixtures.js';
import { AuditEntry } from '../../src/audit/index.js';
import { Case } from '../../src/cases/cases.model.js';
import { Disbursement } from '../../src/disbursements/index.js';
import { Fund, FundEntry } from '../../src/funds/funds.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { Types } from 'mongoose';
import { applyPaymentsAtOnce, casesRepository, programContextOf, withPlan } from '../../src/cases/index.js';
import { pendingEntry, placePayment, recordDisbursement } from '../../src/disbursements/payments.service.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { staffOf } from '../batches/chunk-fixtures.js';

interface PayResult {
  counts: { paid: number; failed: number; skipped: number };
  totalAmount: number;
  results: { caseId: string; outcome: string; payment?: { id: string; amount: number } }[];
}

describe('disbursements: a list paid in chunks', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
  });
  afterEach(stopRunners);

  it('when a list of 7 is paid in chunks of 3 by a runner, then each case has one payment, the fund moved by exactly the total with one ledger entry and one audit entry per payment, and the report totals equal their recomputation', async () => {
    const list = await verifiedList(world, 7);
    await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const fundBefore = await fundTotals(fundId);
    const started = await world.sessions.accountant
      .post(`/api/v1/batches/${list.batch.id}/pay`, listPaymentBody())
      .set('Idempotency-Key', randomUUID())
      .set('Prefer', 'respond-async');
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    startRunner('instance-A', { chunk: 3 });
    const job = await waitForJob(world.sessions.accountant, started.body.id, undefined, 60_000);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    const result = job.result as unknown as PayResult;
    expect(result.counts).to.deep.equal({ paid: 7, failed: 0, skipped: 0 });
    expect(result.totalAmount).to.equal(7_000_000);

    const entries = await Disbursement.find({ caseId: { $in: list.caseIds } }).lean();
    expect(entries.map((e) => String(e.caseId)).sort()).to.deep.equal([...list.caseIds].sort());
    expect(entries.every((e) => e.status === 'paid' && e.amount === 1_000_000)).to.equal(true);
    expect(result.results.map((r) => r.payment?.id).sort()).to.deep.equal(entries.map((e) => String(e._id)).sort());
    // Each case's history entry names its payment: the chunk's bulk update is how it was recorded.
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    for (const c of cases) {
      const disburse = c.history.filter((h) => h.action === 'disburse');
      expect(disburse).to.have.length(1);
      expect(entries.some((e) => String(e._id) === String(disburse[0]!.entryId))).to.equal(true);
      expect(c).to.deep.include({ status: 'disbursed', disbursedAmount: 1_000_000 });
    }
    const fundAfter = await fundTotals(fundId);
    expect(fundAfter.disbursed - fundBefore.disbursed).to.equal(7_000_000);
    expect((await Fund.findById(fundId).lean())!.paidRuns ?? []).to.deep.equal([]);
    const ledger = await FundEntry.find({ disbursementId: { $in: entries.map((e) => e._id) } }).lean();
    expect(ledger.map((l) => String(l.disbursementId)).sort()).to.deep.equal(entries.map((e) => String(e._id)).sort());
    expect(ledger.every((l) => l.kind === 'payment' && l.effect?.disbursed === 1_000_000)).to.equal(true);
    const audits = await AuditEntry.find({
      action: 'disbursement.create',
      entityId: { $in: entries.map((e) => String(e._id)) },
    }).lean();
    expect(audits).to.have.length(7);
    expect(await Disbursement.countDocuments({ status: 'pending' })).to.equal(0);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  it('when a chunk meets an unexpected database error after its pending entries and some of its case updates, then the job is taken up again after a wait, finishes that chunk and pays every case once', async () => {
    const list = await verifiedList(world, 4);
    await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const fundBefore = await fundTotals(fundId);
    // The fourth case (second chunk of two) is broken in the database: its update in the chunk's bulk write fails,
    // after the chunk's pending entries are written and while the third case's payment takes. Both chunks are in
    // hand at once and the runner waits for the first to end before it gives the job back: a fifth case would be
    // paid or not by then depending on the machine's speed.
    const broken = new Types.ObjectId(list.caseIds[3]);
    const history = (await Case.findById(broken).lean())!.history;
    await Case.collection.updateOne({ _id: broken }, { $set: { history: 'hỏng' } });
    const started = await world.sessions.accountant
      .post(`/api/v1/batches/${list.batch.id}/pay`, listPaymentBody())
      .set('Idempotency-Key', randomUUID())
      .set('Prefer', 'respond-async');
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    const jobId = String(started.body.id);
    startRunner('instance-A', { chunk: 2, retryMs: 3000 });
    // Mended whatever is seen, so that the file's later tests do not inherit the broken case.
    try {
      const deadline = Date.now() + 30_000;
      while (!(await Job.findById(jobId).lean())!.failures) {
        expect(Date.now(), 'the job met the error').to.be.below(deadline);
        await sleep(20);
      }
      // What the error left: the first chunk paid (the fund moved for it); the second chunk's two entries pending,
      // the third case's update taken, the fund not moved for them.
      expect(
        await Disbursement.countDocuments({ caseId: { $in: list.caseIds.slice(2, 4) }, status: 'pending' }),
      ).to.equal(2);
      const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
      expect(list.caseIds.map((id) => cases.find((c) => String(c._id) === id)!.status)).to.deep.equal([
        'disbursed',
        'disbursed',
        'disbursed',
        'approved',
      ]);
      expect((await fundTotals(fundId)).disbursed - fundBefore.disbursed).to.equal(2_000_000);
    } finally {
      await Case.collection.updateOne({ _id: broken }, { $set: { history } });
    }

    const job = await waitForJob(world.sessions.accountant, jobId, undefined, 60_000);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    const result = job.result as unknown as PayResult;
    expect(result.counts).to.deep.equal({ paid: 4, failed: 0, skipped: 0 });
    const entries = await Disbursement.find({ caseId: { $in: list.caseIds } }).lean();
    expect(entries.map((e) => [String(e.caseId), e.status]).sort()).to.deep.equal(
      list.caseIds.map((id) => [id, 'paid']).sort(),
    );
    expect(result.results.map((r) => r.payment?.id).sort()).to.deep.equal(entries.map((e) => String(e._id)).sort());
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(cases.map((c) => c.history.filter((h) => h.action === 'disburse').length)).to.deep.equal([1, 1, 1, 1]);
    expect((await fundTotals(fundId)).disbursed - fundBefore.disbursed).to.equal(4_000_000);
    const ledger = await FundEntry.countDocuments({ disbursementId: { $in: entries.map((e) => e._id) } });
    expect(ledger).to.equal(4);
    const audits = await AuditEntry.countDocuments({
      action: 'disbursement.create',
      entityId: { $in: entries.map((e) => String(e._id)) },
    });
    expect(audits).to.equal(4);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  it('when an instance lost its job after some cases of a chunk took their payments and before the fund moved, then the next instance finishes that chunk once, fences off the update still on its way, and pays the rest', async () => {
    const list = await verifiedList(world, 5);
    await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const fundBefore = await fundTotals(fundId);
    const body = listPaymentBody();
    const started = await world.sessions.accountant
      .post(`/api/v1/batches/${list.batch.id}/pay`, body)
      .set('Idempotency-Key', randomUUID())
      .set('Prefer', 'respond-async');
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    const jobId = String(started.body.id);
    // What a dead instance leaves after the bulk update of a chunk of two: pending entries its cases took, the fund
    // and ledger untouched, the job running on a lease run out.
    const job = (await Job.findById(jobId).lean())!;
    const actor = { userId: job.createdBy!.id, name: job.createdBy!.name, requestId: `job:${jobId}` };
    const mark = `${jobId}:${new Types.ObjectId().toHexString()}`;
    const planned = await Promise.all(
      list.caseIds.slice(0, 3).map(async (id) => {
        const record = (await casesRepository.findById(id))!;
        const { rules, program } = await programContextOf(record);
        const planCase = withPlan(record, rules.tranches);
        const input = { ...body, method: 'cash' as const, amount: 1_000_000, trancheNo: 1, fundId };
        const move = placePayment(planCase, input);
        const entry = pendingEntry(planCase, move, input, {
          payee: null,
          programName: program.name,
          actor,
          listRun: mark,
        });
        return { record: planCase, move, entry };
      }),
    );
    await Disbursement.insertMany(planned.map((p) => p.entry));
    // Two of the chunk's three updates took; the third is still on its way (its instance lost the job, alive).
    const { took } = await applyPaymentsAtOnce(
      planned.slice(0, 2).map(({ record, move, entry }) => ({ record, move, entryId: entry._id })),
      actor,
    );
    expect(took.size).to.equal(2);
    let done: Awaited<ReturnType<typeof waitForJob>> | undefined;
    // Counted from the moment the job can be taken up: any runner of the database may take it first.
    const sent = await commandsDuring(async () => {
      await Job.updateOne(
        { _id: jobId },
        { $set: { status: 'running', leaseOwner: 'dead', leaseToken: 'dead', leaseUntil: new Date(0), attempts: 1 } },
      );
      // The next instance, slowed so that the late update can come between its recovery and its chunk of that case.
      startRunner('instance-B', { chunk: 2, itemDelayMs: 1000 });
      const deadline = Date.now() + 30_000;
      while (await Disbursement.exists({ _id: planned[2]!.entry._id })) {
        expect(Date.now(), 'the next instance dropped the entry that had not taken').to.be.below(deadline);
        await sleep(20);
      }
      // The late update arrives now: fenced off, it changes nothing.
      const late = await applyPaymentsAtOnce(
        planned.slice(2).map(({ record, move, entry }) => ({ record, move, entryId: entry._id })),
        actor,
      );
      expect(late.took.size).to.equal(0);
      done = await waitForJob(world.sessions.accountant, jobId, undefined, 60_000);
    });
    if (!done) throw new Error('the job was not read');
    // Taken up again, the job read its earlier payments once for its three chunks (not once a chunk), and looked for
    // audit entries only of the run it recovered: each such read is a scan of its collection on the embedded engine.
    const scans = (collection: string, field: string) =>
      readsOf(sent, collection).filter((c) => JSON.stringify(c.filter ?? {}).includes(field));
    // Once per take-up: a loaded machine may let the test runner's 3 s lease run out and the job be taken up again.
    const takeUps = (await Job.findById(jobId).lean())!.attempts - 1;
    expect(scans('disbursements', 'voucherNo')).to.have.length(takeUps);
    expect(scans('audit_log', 'disbursement.create').length).to.be.within(1, takeUps);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    expect((done.result as unknown as PayResult).counts).to.deep.equal({ paid: 5, failed: 0, skipped: 0 });
    const entries = await Disbursement.find({ caseId: { $in: list.caseIds } }).lean();
    expect(entries).to.have.length(5);
    expect(entries.every((e) => e.status === 'paid')).to.equal(true);
    // The chunk left behind kept the entries its cases took: the next instance settled them, it did not pay those
    // cases again; the entry whose update had not taken was dropped and its case paid anew.
    expect(planned.map((p) => entries.some((e) => String(e._id) === String(p.entry._id)))).to.deep.equal([
      true,
      true,
      false,
    ]);
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(cases.map((c) => c.history.filter((h) => h.action === 'disburse').length)).to.deep.equal([1, 1, 1, 1, 1]);
    expect((await fundTotals(fundId)).disbursed - fundBefore.disbursed).to.equal(5_000_000);
    const ledger = await FundEntry.find({ disbursementId: { $in: entries.map((e) => e._id) } }).lean();
    expect(ledger).to.have.length(5);
    expect(
      await AuditEntry.countDocuments({
        action: 'disbursement.create',
        entityId: { $in: entries.map((e) => String(e._id)) },
      }),
    ).to.equal(5);
    const third = (await Case.findById(list.caseIds[2]).lean())!;
    expect(third.history.filter((h) => h.action === 'disburse')).to.have.length(1);
    expect(third.disbursedAmount).to.equal(1_000_000);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  it('when single payments race a list payment of the same cases, then each case is paid exactly once, never beyond its approved amount, and the totals agree', async () => {
    const list = await verifiedList(world, 6);
    await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const fundBefore = await fundTotals(fundId);
    const [listAnswer, ...singles] = await Promise.all([
      world.sessions.accountant
        .post(`/api/v1/batches/${list.batch.id}/pay`, listPaymentBody())
        .set('Idempotency-Key', randomUUID()),
      ...list.caseIds.map((id) =>
        pay(world.sessions.accountant, id, paymentBody(fundId, { amount: 1_000_000, method: 'cash' })),
      ),
    ]);
    expect(listAnswer!.status, JSON.stringify(listAnswer!.body)).to.equal(201);
    const result = listAnswer!.body as PayResult;
    const singlePaid = singles.filter((r) => r.status === 201).length;
    for (const r of singles.filter((x) => x.status !== 201)) expect(r.status, JSON.stringify(r.body)).to.equal(409);
    expect(result.counts.paid + singlePaid, JSON.stringify(result.counts)).to.equal(6);
    expect(result.counts.paid + result.counts.failed + result.counts.skipped).to.equal(6);

    const entries = await Disbursement.find({ caseId: { $in: list.caseIds } }).lean();
    expect(entries).to.have.length(6);
    expect(entries.every((e) => e.status === 'paid' && e.amount === 1_000_000)).to.equal(true);
    expect(new Set(entries.map((e) => String(e.caseId))).size).to.equal(6);
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(cases.every((c) => c.disbursedAmount === c.approvedAmount && c.status === 'disbursed')).to.equal(true);
    expect((await fundTotals(fundId)).disbursed - fundBefore.disbursed).to.equal(6_000_000);
    expect(await Disbursement.countDocuments({ status: 'pending' })).to.equal(0);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
    // The list's answer can be read again: the same job, the same outcomes.
    const again = await arrange<PayResult>(
      world.sessions.accountant.get(`/api/v1/jobs/${String(listAnswer!.headers.location).split('/').pop()}`),
      200,
    );
    expect((again as unknown as { result: PayResult }).result.counts).to.deep.equal(result.counts);
  });

  it('when an instance that lost the job pays a case of several tranches the single way that the next instance did not see paid, then the job still pays that case once: the bulk entry is refused and the single way refused after it', async () => {
    // A province whose Tết gift is paid in two tranches: a case paid once still has a tranche to pay.
    const own = await caseWorld();
    const ownFund = allocationsFor(own.province.id, 1)[0]!.fundId;
    const tranches = [
      { label: 'Đợt 1', percent: 50 },
      { label: 'Đợt 2', percent: 50 },
    ];
    await arrange(
      api()
        .put('/api/v1/programs/tet_gift/rules')
        .set('Authorization', `Bearer ${own.sessions.approver.token}`)
        .send({ rules: { tranches } }),
      200,
    );
    const list = await verifiedList(own, 3);
    await batchAction(own.sessions.approver, list.batch.id, 'approve', { fundId: ownFund });
    const fundBefore = await fundTotals(ownFund);
    const body = listPaymentBody();
    const started = await own.sessions.accountant
      .post(`/api/v1/batches/${list.batch.id}/pay`, body)
      .set('Idempotency-Key', randomUUID())
      .set('Prefer', 'respond-async');
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    const jobId = String(started.body.id);
    const { principal, actor } = await staffOf(own, 'accountant');
    const [first, second] = list.caseIds as [string, string, string];
    const tranche = (trancheNo: number) => ({
      ...body,
      method: 'cash' as const,
      amount: 500_000,
      trancheNo,
      fundId: ownFund,
    });

    // What the instance that lost the job does for a case that lost a race (payListedCase): the single payment under
    // the job's key of that case. The instance that takes the job over read the job's payments before it (here: it
    // never read them, a first attempt), so it plans the case's next tranche.
    const single = await recordDisbursement(
      principal,
      actor,
      first,
      tranche(1),
      `job-${jobId}:${first}`,
      `${jobId}:${first}`,
    );
    const singleId = (single.body as { id: string }).id;
    startRunner('instance-B', { chunk: 2 });
    const done = await waitForJob(own.sessions.accountant, jobId, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    const result = done.result as unknown as PayResult;
    expect(result.counts).to.deep.equal({ paid: 3, failed: 0, skipped: 0 });
    // Answered with the single way's payment, not paid a second tranche.
    expect(result.results.find((r) => r.caseId === first)!.payment!.id).to.equal(singleId);
    const entriesOf = (caseId: string) => Disbursement.find({ caseId, kind: 'payment' }).lean();
    expect((await entriesOf(first)).map((e) => [String(e._id), e.trancheNo, e.status])).to.deep.equal([
      [singleId, 1, 'paid'],
    ]);

    // The other way round: the job paid the second case in bulk; the instance that lost the job, paying it the single
    // way after that, is refused before anything is written, though its second tranche is still open.
    const refused = await recordDisbursement(
      principal,
      actor,
      second,
      tranche(2),
      `job-${jobId}:${second}`,
      `${jobId}:${second}`,
    ).then(
      () => null,
      (error: unknown) => error as { code?: string },
    );
    expect(refused?.code).to.equal('IDEMPOTENCY_CONFLICT');
    expect((await entriesOf(second)).map((e) => [e.trancheNo, e.status])).to.deep.equal([[1, 'paid']]);
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(
      cases.map((c) => [c.disbursedAmount, c.history.filter((h) => h.action === 'disburse').length]),
    ).to.deep.equal(list.caseIds.map(() => [500_000, 1]));
    expect((await fundTotals(ownFund)).disbursed - fundBefore.disbursed).to.equal(1_500_000);
    expect(await Disbursement.countDocuments({ caseId: { $in: list.caseIds }, status: 'pending' })).to.equal(0);
    expect((await checkReportTotals(own.province.id)).differences).to.deep.equal([]);
    await expectReconciled(own);
  });
});
