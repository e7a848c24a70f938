/**
 * SPEC §14: an instance killed outright (kill -9) in the middle of a list job leaves it to the next instance,
 * which goes on from where it stopped: every case approved once, one decision, one payment per case.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { allocationsFor } from '../support/funds.js';
import { expectReconciled, fundTotals } from '../funds/fixtures.js';
import { Fund, FundEntry } from '../../src/funds/funds.model.js';
import { Campaign } from '../../src/campaigns/campaigns.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { BenefitClaim, Case, MemberBenefits } from '../../src/cases/cases.model.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { Disbursement } from '../../src/disbursements/index.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { Member } from '../../src/members/members.model.js';
import { AuditEntry } from '../../src/audit/index.js';
import {
  batchAction,
  citizenIdOf,
  csvOf,
  importTet,
  listRow,
  tetFields,
  uploadList,
} from '../batches/batch-fixtures.js';
import { listPaymentBody, submittedList, verifiedList, waitForJob } from './job-fixtures.js';
import { killServiceProcesses, startServiceProcess } from './service-process.js';

const SIZE = 6;

interface Moment {
  jobId: string;
  caseIds: string[];
  campaignBefore: { approvedCount: number; approvedAmount: number };
}
/** Slow enough that the job is certainly half-way when the service is killed. */
const SLOW = { JOB_ITEM_DELAY_MS: '600', JOB_LEASE_MS: '3000', JOB_CHUNK: '2' };

/**
 * Starts the service with chunks of three and long pauses between a chunk's writes, and kills it with kill -9 at
 * the moment `reached` names.
 */
async function killAtMoment(reached: () => Promise<boolean>): Promise<void> {
  const service = await startServiceProcess({ JOB_ITEM_DELAY_MS: '1500', JOB_LEASE_MS: '3000', JOB_CHUNK: '3' });
  const deadline = Date.now() + 60_000;
  while (!(await reached())) {
    expect(Date.now(), 'the moment came').to.be.below(deadline);
    await sleep(50);
  }
  await service.kill9();
}

describe('jobs: an instance killed in the middle of a job', function () {
  this.timeout(300_000);
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
  });
  afterEach(killServiceProcesses);

  it('when the service is killed with kill -9 half-way through a list approval and then a list payment, then the next start finishes each with every case acted on once', async () => {
    const s = world.sessions;
    const list = await verifiedList(world, SIZE);
    const approval = await s.approver
      .post(`/api/v1/batches/${list.batch.id}/approve`, {
        fundId,
        signerName: 'Nguyễn Văn Danh',
        signerTitle: 'CHỦ TỊCH',
      })
      .set('Prefer', 'respond-async');
    expect(approval.status, JSON.stringify(approval.body)).to.equal(202);

    const first = await startServiceProcess(SLOW);
    const halfway = await waitForJob(s.approver, approval.body.id, (j) => j.progress.done >= 2, 120_000);
    await first.kill9();
    const left = await Job.findById(approval.body.id).lean();
    expect(left!.status, 'the job was still running when its instance died').to.equal('running');
    expect(halfway.progress.done).to.be.below(SIZE);

    // The next start takes the job over once the dead instance's lease has run out, and is then stopped in the
    // middle of the list payment that follows.
    const second = await startServiceProcess(SLOW);
    const approved = await waitForJob(s.approver, approval.body.id, undefined, 120_000);
    expect(approved.status, JSON.stringify(approved)).to.equal('succeeded');
    expect(approved.result!.counts).to.deep.equal({ ok: SIZE, failed: 0, excluded: 0, skipped: 0 });
    const cases = await Case.find({ batchId: list.batch.id }).lean();
    expect(cases.map((c) => c.history.filter((h) => h.action === 'approve').length)).to.deep.equal(Array(SIZE).fill(1));
    // Read per case (the engine may answer a multikey `$in` with a document once per matching element).
    const decisionIds = new Set(
      (await Promise.all(cases.map((c) => Decision.findOne({ caseIds: c._id }, { _id: 1 }).lean()))).map((d) =>
        String(d?._id),
      ),
    );
    expect([...decisionIds]).to.have.length(1);
    const decision = await Decision.findById([...decisionIds][0]).lean();
    expect(decision!.caseIds).to.have.length(SIZE);
    // Its lines, written apart before the decision (in pages), once each (an attempt that died left none behind).
    const pages = await mongoose.connection
      .db!.collection('decision_lines')
      .find({}, { projection: { decisionId: 1, no: 1, 'lines.caseId': 1 } })
      .toArray();
    const numbers = pages
      .filter((p) => String(p.decisionId) === String(decision!._id))
      .flatMap((p) => (p.lines as unknown[]).map((_, i) => (p.no as number) + i));
    expect(numbers.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: SIZE }, (_, i) => i + 1));
    expect(cases.every((c) => String(c.decisionId) === String(decision!._id))).to.equal(true);
    expect((await Job.findById(approval.body.id).lean())!.attempts).to.equal(2);

    const body = listPaymentBody();
    const fundBefore = await fundTotals(fundId);
    const payment = await s.accountant
      .post(`/api/v1/batches/${list.batch.id}/pay`, body)
      .set('Idempotency-Key', randomUUID())
      .set('Prefer', 'respond-async');
    expect(payment.status, JSON.stringify(payment.body)).to.equal(202);
    await waitForJob(s.accountant, payment.body.id, (j) => j.progress.done >= 2, 120_000);
    await second.kill9();
    expect((await Job.findById(payment.body.id).lean())!.status).to.equal('running');

    await startServiceProcess({ JOB_LEASE_MS: '3000' });
    const paid = await waitForJob(s.accountant, payment.body.id, undefined, 120_000);
    expect(paid.status, JSON.stringify(paid)).to.equal('succeeded');
    expect(paid.result!.counts).to.deep.equal({ paid: SIZE, failed: 0, skipped: 0 });
    const payments = await Disbursement.find({ caseId: { $in: list.caseIds } }).lean();
    expect(payments.map((p) => String(p.caseId)).sort()).to.deep.equal([...list.caseIds].sort());
    expect(payments.every((p) => p.voucherNo === body.voucherNo && p.status === 'paid')).to.equal(true);
    const after = await Case.find({ batchId: list.batch.id }).lean();
    expect(
      after.every((c) => c.status === 'disbursed' && c.history.filter((h) => h.action === 'disburse').length === 1),
    ).to.equal(true);
    // The fund moved by exactly the total, one ledger entry per payment, and every figure agrees with the records.
    const total = payments.reduce((sum, p) => sum + p.amount, 0);
    expect((await fundTotals(fundId)).disbursed - fundBefore.disbursed).to.equal(total);
    const ledger = await FundEntry.find({ disbursementId: { $in: payments.map((p) => p._id) } }).lean();
    expect(ledger.map((l) => String(l.disbursementId)).sort()).to.deep.equal(payments.map((p) => String(p._id)).sort());
    expect(await Disbursement.countDocuments({ status: 'pending' })).to.equal(0);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  for (const [moment, condition, kept] of [
    [
      'after the cases of a chunk took their payments and before the fund moved',
      async (caseIds: string[]) => {
        const pending = await Disbursement.find({ caseId: { $in: caseIds }, status: 'pending' }).lean();
        if (!pending.length) return false;
        const cases = await Case.find({ _id: { $in: pending.map((p) => p.caseId) } }).lean();
        return pending.every((p) => cases.some((c) => c.history.some((h) => String(h.entryId) === String(p._id))));
      },
      // No chunk kept its mark yet (kept before settling): the take-up finds them by their pending entries.
      [],
    ],
    [
      'after a chunk was settled and before its report totals and audit entries',
      async (caseIds: string[]) =>
        (await Disbursement.countDocuments({ caseId: { $in: caseIds }, status: 'paid' })) >= 3,
      // Both chunks in hand (two cases each) settled, each mark kept under its own slot: the take-up finishes both.
      ['c0', 'c1'],
    ],
  ] as const) {
    it(`when the service is killed with kill -9 in the middle of a list payment's chunk, ${moment}, then the next start finishes it with one payment per case and every total exact`, async () => {
      const list = await verifiedList(world, 5);
      await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
      const fundBefore = await fundTotals(fundId);
      const payment = await world.sessions.accountant
        .post(`/api/v1/batches/${list.batch.id}/pay`, listPaymentBody())
        .set('Idempotency-Key', randomUUID())
        .set('Prefer', 'respond-async');
      expect(payment.status, JSON.stringify(payment.body)).to.equal(202);

      await killAtMoment(() => condition(list.caseIds));
      const killed = (await Job.findById(payment.body.id).lean())!;
      expect(killed.status).to.equal('running');
      expect(Object.keys((killed.state as { runs?: object }).runs ?? {}).sort()).to.deep.equal([...kept]);
      const audited = () =>
        AuditEntry.countDocuments({ action: 'disbursement.create', 'details.caseId': { $in: list.caseIds } });
      expect(await audited(), 'the chunk was not audited yet').to.equal(0);

      await startServiceProcess({ JOB_LEASE_MS: '3000' });
      const paid = await waitForJob(world.sessions.accountant, payment.body.id, undefined, 120_000);
      expect(paid.status, JSON.stringify(paid)).to.equal('succeeded');
      expect(paid.result!.counts).to.deep.equal({ paid: 5, failed: 0, skipped: 0 });
      const entries = await Disbursement.find({ caseId: { $in: list.caseIds } }).lean();
      expect(entries.map((e) => String(e.caseId)).sort()).to.deep.equal([...list.caseIds].sort());
      expect(entries.every((e) => e.status === 'paid')).to.equal(true);
      const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
      expect(cases.map((c) => c.history.filter((h) => h.action === 'disburse').length)).to.deep.equal([1, 1, 1, 1, 1]);
      expect((await fundTotals(fundId)).disbursed - fundBefore.disbursed).to.equal(5_000_000);
      expect(await FundEntry.countDocuments({ disbursementId: { $in: entries.map((e) => e._id) } })).to.equal(5);
      expect(await audited()).to.equal(5);
      expect(await Disbursement.countDocuments({ status: 'pending' })).to.equal(0);
      expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
      await expectReconciled(world);
    });
  }

  for (const [moment, condition] of [
    [
      "after the chunk's commitment moved the fund and before its cases' bulk update",
      async ({ jobId, caseIds }: Moment) =>
        ((await Fund.findById(fundId).lean())!.approveRuns ?? []).some(
          (m) => m.startsWith(`${jobId}:`) && m.endsWith(':c'),
        ) && (await Case.countDocuments({ _id: { $in: caseIds }, status: 'approved' })) === 0,
    ],
    [
      "after the chunk's bulk update and before its report totals and audit entries",
      async ({ caseIds }: Moment) =>
        (await Case.countDocuments({ _id: { $in: caseIds }, status: 'approved' })) >= 3 &&
        (await AuditEntry.countDocuments({ action: 'case.approve', entityId: { $in: caseIds } })) === 0,
    ],
    [
      "after the chunk's report totals and audit entries and before its campaign totals",
      async ({ caseIds, campaignBefore }: Moment) =>
        (await AuditEntry.countDocuments({ action: 'case.approve', entityId: { $in: caseIds } })) >= 3 &&
        (await Campaign.findById(world.campaigns.tet.id).lean())!.approvedCount === campaignBefore.approvedCount,
    ],
  ] as const) {
    it(`when the service is killed with kill -9 in the middle of a list approval's chunk, ${moment}, then the next start finishes it with every case approved once and every total exact`, async () => {
      const list = await verifiedList(world, 5);
      const campaignId = world.campaigns.tet.id;
      const campaignTotals = async () => {
        const c = (await Campaign.findById(campaignId).lean())!;
        return { approvedCount: c.approvedCount, approvedAmount: c.approvedAmount };
      };
      const [fundBefore, campaignBefore] = [await fundTotals(fundId), await campaignTotals()];
      const approval = await world.sessions.approver
        .post(`/api/v1/batches/${list.batch.id}/approve`, {
          fundId,
          signerName: 'Nguyễn Văn Danh',
          signerTitle: 'CHỦ TỊCH',
        })
        .set('Prefer', 'respond-async');
      expect(approval.status, JSON.stringify(approval.body)).to.equal(202);

      // Chunks of three with long pauses between a chunk's writes: the kill comes at the moment named.
      const service = await startServiceProcess({ JOB_ITEM_DELAY_MS: '1500', JOB_LEASE_MS: '3000', JOB_CHUNK: '3' });
      const deadline = Date.now() + 60_000;
      const at = { jobId: String(approval.body.id), caseIds: list.caseIds, campaignBefore };
      while (!(await condition(at))) {
        expect(Date.now(), 'the moment came').to.be.below(deadline);
        await sleep(50);
      }
      await service.kill9();
      const killed = (await Job.findById(approval.body.id).lean())!;
      expect(killed.status).to.equal('running');
      // Both chunks (three cases, then two) were in hand at once, each kept under its own slot for the take-up.
      const kept = (killed.state as { runs?: Record<string, { caseIds: string[] }> }).runs ?? {};
      expect(Object.keys(kept).sort()).to.deep.equal(['c0', 'c1']);
      expect(
        Object.values(kept)
          .flatMap((r) => r.caseIds)
          .sort(),
      ).to.deep.equal([...list.caseIds].sort());

      await startServiceProcess({ JOB_LEASE_MS: '3000' });
      const approved = await waitForJob(world.sessions.approver, approval.body.id, undefined, 120_000);
      expect(approved.status, JSON.stringify(approved)).to.equal('succeeded');
      expect(approved.result!.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
      const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
      expect(cases.map((c) => c.history.filter((h) => h.action === 'approve').length)).to.deep.equal([1, 1, 1, 1, 1]);
      expect(new Set(cases.map((c) => String(c.decisionId))).size).to.equal(1);
      expect(cases.every((c) => c.status === 'approved' && c.decisionId !== null)).to.equal(true);
      const fundAfter = await fundTotals(fundId);
      expect(fundAfter.committed - fundBefore.committed).to.equal(5_000_000);
      expect(fundAfter.available - fundBefore.available).to.equal(-5_000_000);
      const ids = cases.map((c) => c._id);
      expect(await FundEntry.countDocuments({ caseId: { $in: ids }, kind: 'commitment' })).to.equal(5);
      const campaignAfter = await campaignTotals();
      expect(campaignAfter.approvedCount - campaignBefore.approvedCount).to.equal(5);
      expect(campaignAfter.approvedAmount - campaignBefore.approvedAmount).to.equal(5_000_000);
      expect(await AuditEntry.countDocuments({ action: 'case.approve', entityId: { $in: list.caseIds } })).to.equal(5);
      const ledgers = await MemberBenefits.find({
        _id: { $in: cases.map((c) => `${c.programCode}:${String(c.memberId)}`) },
      }).lean();
      expect(ledgers.map((l) => l.entries.length)).to.deep.equal([1, 1, 1, 1, 1]);
      expect((await Fund.findById(fundId).lean())!.approveRuns ?? []).to.deep.equal([]);
      expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
      await expectReconciled(world);
    });
  }

  it("when the service is killed with kill -9 in the middle of a list verify's chunk, after its bulk update and before its report totals and audit entries, then the next start finishes it with every case verified once and every total exact", async () => {
    const list = await submittedList(world, 5);
    const verify = await world.sessions.verifier
      .post(`/api/v1/batches/${list.batch.id}/verify`, { note: 'Đã rà soát' })
      .set('Prefer', 'respond-async');
    expect(verify.status, JSON.stringify(verify.body)).to.equal(202);
    const audited = () => AuditEntry.countDocuments({ action: 'case.verify', entityId: { $in: list.caseIds } });

    // Chunks of three with long pauses between a chunk's writes: the kill comes between its bulk update and the rest.
    const service = await startServiceProcess({ JOB_ITEM_DELAY_MS: '1500', JOB_LEASE_MS: '3000', JOB_CHUNK: '3' });
    const deadline = Date.now() + 60_000;
    while (!(
      (await Case.countDocuments({ _id: { $in: list.caseIds }, status: 'verified' })) >= 3 && (await audited()) === 0
    )) {
      expect(Date.now(), 'the moment came').to.be.below(deadline);
      await sleep(50);
    }
    await service.kill9();
    expect((await Job.findById(verify.body.id).lean())!.status).to.equal('running');
    expect(await audited(), 'the chunk was not audited yet').to.equal(0);

    await startServiceProcess({ JOB_LEASE_MS: '3000' });
    const verified = await waitForJob(world.sessions.verifier, verify.body.id, undefined, 120_000);
    expect(verified.status, JSON.stringify(verified)).to.equal('succeeded');
    expect(verified.result!.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(cases.map((c) => c.history.filter((h) => h.action === 'verify').length)).to.deep.equal([1, 1, 1, 1, 1]);
    expect(cases.every((c) => c.status === 'verified' && c.recommendedAmount === 1_000_000)).to.equal(true);
    const audits = await AuditEntry.find({ action: 'case.verify', entityId: { $in: list.caseIds } }).lean();
    expect(audits.map((a) => a.entityId).sort()).to.deep.equal([...list.caseIds].sort());
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  for (const [moment, condition] of [
    [
      'after its duplicate claims were taken and before its bulk update',
      async (caseIds: string[]) =>
        (await BenefitClaim.countDocuments({ caseId: { $in: caseIds } })) >= 3 &&
        (await Case.countDocuments({ _id: { $in: caseIds }, status: 'submitted' })) === 0,
    ],
    [
      'after its bulk update and before its report totals and audit entries',
      async (caseIds: string[]) =>
        (await Case.countDocuments({ _id: { $in: caseIds }, status: 'submitted' })) >= 3 &&
        (await AuditEntry.countDocuments({ action: 'case.submit', entityId: { $in: caseIds } })) === 0,
    ],
  ] as const) {
    it(`when the service is killed with kill -9 in the middle of a list submission's chunk, ${moment}, then the next start submits every case once with one claim each and every total exact`, async () => {
      const list = await importTet(
        world,
        Array.from({ length: 5 }, () => listRow()),
      );
      const submit = await world.sessions.officer
        .post(`/api/v1/batches/${list.batch.id}/submit`, {})
        .set('Prefer', 'respond-async');
      expect(submit.status, JSON.stringify(submit.body)).to.equal(202);

      await killAtMoment(() => condition(list.caseIds));
      expect((await Job.findById(submit.body.id).lean())!.status).to.equal('running');

      await startServiceProcess({ JOB_LEASE_MS: '3000' });
      const submitted = await waitForJob(world.sessions.officer, submit.body.id, undefined, 120_000);
      expect(submitted.status, JSON.stringify(submitted)).to.equal('succeeded');
      expect(submitted.result!.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
      const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
      expect(cases.map((c) => c.history.filter((h) => h.action === 'submit').length)).to.deep.equal([1, 1, 1, 1, 1]);
      const held = await BenefitClaim.find({ caseId: { $in: list.caseIds } }).lean();
      expect(held.map((c) => c._id).sort()).to.deep.equal(cases.map((c) => c.claimKey).sort());
      const audits = await AuditEntry.find({ action: 'case.submit', entityId: { $in: list.caseIds } }).lean();
      expect(audits.map((a) => a.entityId).sort()).to.deep.equal([...list.caseIds].sort());
      expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    });
  }

  it('when the service is killed with kill -9 in the middle of a list import, then the next start finishes it with every row made a case once and no member twice', async () => {
    const officer = world.sessions.officer;
    const rows = Array.from({ length: 1500 }, (_, i) =>
      listRow({ fullName: 'Trần Văn Bình', ...(i % 100 === 7 ? { gender: 'khác' } : {}) }),
    );
    const res = await uploadList(officer, csvOf(rows), 'lon.csv', tetFields(world)).set('Prefer', 'respond-async');
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const batchId = res.body.input.batchId as string;

    const first = await startServiceProcess(SLOW);
    const halfway = await waitForJob(officer, res.body.id, (j) => j.progress.done >= 250, 120_000);
    await first.kill9();
    expect((await Job.findById(res.body.id).lean())!.status, 'the job was running when its instance died').to.equal(
      'running',
    );
    expect(halfway.progress.done).to.be.below(1500);
    expect(await Case.countDocuments({ batchId })).to.be.below(1485);

    await startServiceProcess({ JOB_LEASE_MS: '3000' });
    const job = await waitForJob(officer, res.body.id, undefined, 120_000);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    expect(job.progress).to.deep.equal({ done: 1500, total: 1500 });
    expect(job.result!.counts).to.deep.equal({ rows: 1500, created: 1485, rejected: 15 });
    const cases = await Case.find({ batchId }, { memberId: 1, memberCitizenId: 1 }).lean();
    expect(cases).to.have.length(1485);
    expect(new Set(cases.map((c) => String(c.memberId))).size).to.equal(1485);
    expect(new Set(cases.map((c) => c.memberCitizenId)).size).to.equal(1485);
    const members = await Member.find({ citizenId: { $in: rows.map(citizenIdOf) } }, { citizenId: 1 }).lean();
    expect(members).to.have.length(1485);
    expect((job.result!.caseIds as string[]).slice().sort()).to.deep.equal(cases.map((c) => String(c._id)).sort());
    expect((await Job.findById(res.body.id).lean())!.attempts).to.equal(2);
  });
});
