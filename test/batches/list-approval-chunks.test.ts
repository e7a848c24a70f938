/**
 * SPEC §5, §7, §14 (issue 18): a list approved a chunk at a time (batches/list-approval.ts) stores what the single
 * approval of each case stores, field by field; a chunk left by an instance that lost its job is finished once and
 * its late bulk update fenced off; single approvals and returns racing the list change each case once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { arrange } from '../support/api.js';
import { allocationsFor } from '../support/funds.js';
import { caseWorld, act, readCase, REASON, type CaseWorld } from '../cases/case-fixtures.js';
import { expectReconciled, fundTotals } from '../funds/fixtures.js';
import {
  leftByLostInstance,
  startListJob,
  startRunner,
  stopRunners,
  verifiedList,
  waitForJob,
} from '../jobs/job-fixtures.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { AuditEntry } from '../../src/audit/index.js';
import { Campaign } from '../../src/campaigns/campaigns.model.js';
import { Case, MemberBenefits } from '../../src/cases/cases.model.js';
import { applyStepsAtOnce, planStep, programContextOf, type CaseRecord } from '../../src/cases/index.js';
import { actOnBatch, caseBody } from '../../src/batches/actions.service.js';
import { chunkCommitments, fundsRepository } from '../../src/funds/index.js';
import { Fund, FundEntry } from '../../src/funds/funds.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { minus, reportSums, staffOf } from './chunk-fixtures.js';

const SIGNER = { signerName: 'Nguyễn Văn Danh', signerTitle: 'CHỦ TỊCH' };

const approverOf = (world: CaseWorld) => staffOf(world, 'approver');

async function campaignTotals(id: string) {
  const c = (await Campaign.findById(id).lean())!;
  return { approvedCount: c.approvedCount, approvedAmount: c.approvedAmount };
}

/** What an approval stored on a case and around it, without what differs by nature (ids, times, codes, members). */
async function approvalStateOf(record: CaseRecord) {
  const entry = record.history.filter((h) => h.action === 'approve');
  expect(entry, record.code).to.have.length(1);
  const { at: _at, run: _run, ...historyEntry } = entry[0]!;
  const ledger = await FundEntry.find({ caseId: record._id }).lean();
  const audits = await AuditEntry.find({ entity: 'case', entityId: String(record._id), action: 'case.approve' }).lean();
  const benefits = await MemberBenefits.findById(`${record.programCode}:${String(record.memberId)}`).lean();
  return {
    case: {
      status: record.status,
      revision: record.revision,
      approvedAmount: record.approvedAmount,
      approvedBy: record.approvedBy,
      approvedDay: record.approvedDay,
      approvedAtSet: record.approvedAt instanceof Date,
      recommendedAmount: record.recommendedAmount,
      fundAllocations: record.fundAllocations,
      decisionIdSet: record.decisionId !== null,
      claimKey: record.claimKey === `tet_gift:campaign:${String(record.campaignId)}:member:${String(record.memberId)}`,
      disbursedAmount: record.disbursedAmount,
      tranches: record.tranches,
    },
    history: historyEntry,
    ledger: ledger.map(({ _id, at: _a, caseId: _c, caseCode, requestId: _r, ...rest }) => ({
      ...rest,
      caseCode: caseCode === record.code,
    })),
    audits: audits.map((a) => ({
      actorId: a.actorId,
      details: { ...a.details, code: a.details.code === record.code },
    })),
    benefits: {
      version: benefits?.version,
      entries: (benefits?.entries ?? []).map(({ at: _a, caseId, caseCode, ...rest }) => ({
        ...rest,
        own: String(caseId) === String(record._id) && caseCode === record.code,
      })),
    },
  };
}

/**
 * Every case of the list approved once, into the decision, and every figure around them moved once: the fund's
 * commitment, its ledger, the campaign totals, the audit, the members' benefit ledgers, the report totals.
 */
async function expectEachApprovedOnce(
  world: CaseWorld,
  caseIds: string[],
  before: {
    fundId: string;
    fundBefore: { committed: number };
    campaignBefore: Awaited<ReturnType<typeof campaignTotals>>;
  },
) {
  const n = caseIds.length;
  const cases = await Case.find({ _id: { $in: caseIds } }).lean();
  expect(cases.map((c) => c.history.filter((h) => h.action === 'approve').length)).to.deep.equal(Array(n).fill(1));
  expect(cases.every((c) => c.status === 'approved' && c.decisionId !== null)).to.equal(true);
  expect((await fundTotals(before.fundId)).committed - before.fundBefore.committed).to.equal(n * 1_000_000);
  expect(await FundEntry.countDocuments({ caseId: { $in: cases.map((c) => c._id) }, kind: 'commitment' })).to.equal(n);
  expect(minus(await campaignTotals(world.campaigns.tet.id), before.campaignBefore)).to.deep.equal({
    approvedCount: n,
    approvedAmount: n * 1_000_000,
  });
  expect(await AuditEntry.countDocuments({ action: 'case.approve', entityId: { $in: caseIds } })).to.equal(n);
  const ledgers = await MemberBenefits.find({
    _id: { $in: cases.map((c) => `${c.programCode}:${String(c.memberId)}`) },
  }).lean();
  expect(ledgers.map((l) => l.entries.length)).to.deep.equal(Array(n).fill(1));
  expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  await expectReconciled(world);
}

/**
 * A list of 4 approved by a runner in chunks of two, whose fourth case is broken in the database: its update in the
 * second chunk's bulk write fails, after that chunk has committed the fund for it and while the third case's update
 * takes. Both chunks are in hand at once (LIST_CHUNKS_AT_ONCE) and the runner waits for the first to end before it
 * gives the job back, so what the error leaves does not depend on which chunk ends first (a fifth case would be
 * approved or not by then, depending on the machine's speed). Answers once the job has met the error and waits to be
 * taken up again (3 s), with the way to mend the case; the case is mended at once if what the error left is not
 * what is expected, so that the file's later tests do not inherit the broken case.
 */
async function approvalFailingOnce(
  list: { batch: { id: string }; caseIds: string[] },
  fundId: string,
  world: CaseWorld,
) {
  const fundBefore = await fundTotals(fundId);
  const broken = new Types.ObjectId(list.caseIds[3]);
  const history = (await Case.findById(broken).lean())!.history;
  await Case.collection.updateOne({ _id: broken }, { $set: { history: 'hỏng' } });
  const jobId = await startListJob(world.sessions.approver, list.batch.id, 'approve', { fundId, ...SIGNER });
  startRunner('instance-A', { chunk: 2, retryMs: 3000 });
  const mend = () => Case.collection.updateOne({ _id: broken }, { $set: { history } });
  try {
    const deadline = Date.now() + 30_000;
    let job = (await Job.findById(jobId).lean())!;
    while (!job.failures) {
      expect(Date.now(), 'the job met the error').to.be.below(deadline);
      await sleep(20);
      job = (await Job.findById(jobId).lean())!;
    }
    // Given back to wait: still running, with nobody holding it, the error kept for operators.
    expect([job.status, job.leaseToken, job.failures]).to.deep.equal(['running', null, 1]);
    expect(job.lastError).to.deep.include({ code: 'INTERNAL_ERROR' });
    expect(job.leaseUntil!.getTime()).to.be.above(Date.now());
    // What the error left: the first chunk approved; the fund holds the second chunk's commitment for two cases,
    // one of them not approved.
    expect((await fundTotals(fundId)).committed - fundBefore.committed).to.equal(4_000_000);
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(list.caseIds.map((id) => cases.find((c) => String(c._id) === id)!.status)).to.deep.equal([
      'approved',
      'approved',
      'approved',
      'verified',
    ]);
  } catch (error) {
    await mend();
    throw error;
  }
  return { jobId, mend };
}

describe('batches: a list approved in chunks', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
  });
  afterEach(stopRunners);

  it('when a list of 5 is approved in chunks of 2 by a runner, then every case, fund, ledger, campaign, report and audit figure is what the single approval of each case stores', async () => {
    const body = { fundId, note: 'Duyệt quà Tết', decisionDate: '2026-01-20', ...SIGNER };
    const single = await verifiedList(world, 5);
    const chunked = await verifiedList(world, 5);
    const campaignId = world.campaigns.tet.id;

    // The single way: each case through the single-case step (performAction), as every list used to.
    const { principal, actor } = await approverOf(world);
    const [fund0, campaign0, report0] = [
      await fundTotals(fundId),
      await campaignTotals(campaignId),
      await reportSums(world),
    ];
    const answer = await actOnBatch(principal, actor, single.batch.id, 'approve', body);
    expect(answer.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
    const [fund1, campaign1, report1] = [
      await fundTotals(fundId),
      await campaignTotals(campaignId),
      await reportSums(world),
    ];

    // The chunked way: the job, two cases a chunk.
    const started = await world.sessions.approver
      .post(`/api/v1/batches/${chunked.batch.id}/approve`, body)
      .set('Prefer', 'respond-async');
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    startRunner('instance-A', { chunk: 2 });
    const job = await waitForJob(world.sessions.approver, started.body.id, undefined, 60_000);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    expect(job.result!.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
    const [fund2, campaign2, report2] = [
      await fundTotals(fundId),
      await campaignTotals(campaignId),
      await reportSums(world),
    ];

    // The chunked way took the bulk path: every approval entry carries a chunk's mark, three chunks in all.
    const chunkedCases = await Case.find({ _id: { $in: chunked.caseIds } }).lean();
    const marks = chunkedCases.map((c) => c.history.find((h) => h.action === 'approve')!.run);
    expect(marks.every((m) => typeof m === 'string' && m.startsWith(`${started.body.id as string}:`))).to.equal(true);
    expect(new Set(marks).size).to.equal(3);
    const singleCases = await Case.find({ _id: { $in: single.caseIds } }).lean();
    // The single way's approvals each ran under a mark of their own (cases/step-runs.ts), none of the job's.
    const singleMarks = singleCases.map((c) => c.history.find((h) => h.action === 'approve')!.run);
    expect(singleMarks.every((m) => typeof m === 'string' && /^[0-9a-f]{24}$/.test(m))).to.equal(true);
    expect(new Set(singleMarks).size).to.equal(5);

    const byId = (cases: CaseRecord[], ids: string[]) => ids.map((id) => cases.find((c) => String(c._id) === id)!);
    const a = await Promise.all(byId(singleCases as CaseRecord[], single.caseIds).map(approvalStateOf));
    const b = await Promise.all(byId(chunkedCases as CaseRecord[], chunked.caseIds).map(approvalStateOf));
    expect(b).to.deep.equal(a);
    expect(a[0]!.case.approvedDay).to.equal('2026-01-20');
    expect(a[0]!.ledger).to.have.length(1);
    expect(a[0]!.audits).to.have.length(1);
    expect(a[0]!.benefits.entries).to.have.length(1);

    expect(minus(fund2, fund1)).to.deep.equal(minus(fund1, fund0));
    expect(fund2.committed - fund1.committed).to.equal(5_000_000);
    expect(minus(campaign2, campaign1)).to.deep.equal(minus(campaign1, campaign0));
    expect(campaign2.approvedCount - campaign1.approvedCount).to.equal(5);
    expect(minus(report2, report1)).to.deep.equal(minus(report1, report0));
    expect(report2.approvedCount! - report1.approvedCount!).to.equal(5);
    // The chunks' marks are gone from the fund and the campaign once the job ended; the single approvals' marks stay
    // for an hour after their runs ended (cases/step-runs.ts `dropEndedStepMarks`).
    const sorted = (list: readonly string[]) => [...list].sort();
    expect(sorted((await Fund.findById(fundId).lean())!.approveRuns ?? [])).to.deep.equal(
      sorted(singleMarks.map((m) => `${m!}:c`)),
    );
    expect(sorted((await Campaign.findById(campaignId).lean())!.approveRuns ?? [])).to.deep.equal(
      sorted(singleMarks.map((m) => m!)),
    );
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  it('when an instance lost its job after two cases of a chunk took their approvals, then the next instance finishes that chunk once, fences off the update still on its way, and approves the rest', async () => {
    const list = await verifiedList(world, 5);
    const body = { fundId, ...SIGNER };
    const campaignId = world.campaigns.tet.id;
    const [fundBefore, campaignBefore] = [await fundTotals(fundId), await campaignTotals(campaignId)];
    const started = await world.sessions.approver
      .post(`/api/v1/batches/${list.batch.id}/approve`, body)
      .set('Prefer', 'respond-async');
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    const jobId = String(started.body.id);

    // What an instance that lost its job leaves in a chunk of three: the chunk in the job's state, the fund
    // committed for the three, two cases updated; the third case's update is still on its way.
    const { principal, actor } = await approverOf(world);
    const mark = `${jobId}:${new Types.ObjectId().toHexString()}`;
    const planned = await Promise.all(
      list.caseIds.slice(0, 3).map(async (id) => {
        const record = (await Case.findById(id).lean()) as CaseRecord;
        const stepBody: Record<string, unknown> = {
          ...caseBody('approve', body, record, new Map()),
          revision: record.revision,
        };
        const plan = await planStep(principal, { ...actor, requestId: `job:${jobId}` }, record, 'approve', stepBody, {
          programContext: programContextOf,
        });
        const funds = new Map((await fundsRepository.findByIds([fundId])).map((f) => [String(f._id), f]));
        const fundAllocations = chunkCommitments.check(record, stepBody.fundAllocations, 1_000_000, funds);
        return { ...plan, set: { ...plan.set, fundAllocations } };
      }),
    );
    await leftByLostInstance(jobId, {
      run: { mark, caseIds: list.caseIds.slice(0, 3), sums: { [fundId]: 3_000_000 } },
      campaignIds: [campaignId],
    });
    expect(await chunkCommitments.commit(new Map([[fundId, 3_000_000]]), mark)).to.equal(true);
    const took = await applyStepsAtOnce(planned.slice(0, 2), mark);
    expect([...took.values()].filter((c) => c.status === 'approved')).to.have.length(2);

    // The next instance, slowed so that the late update can come between its recovery and its chunk of that case.
    startRunner('instance-B', { chunk: 2, itemDelayMs: 1000 });
    const deadline = Date.now() + 30_000;
    while (!((await Fund.findById(fundId).lean())!.approveRuns ?? []).includes(`${mark}:b`)) {
      expect(Date.now(), 'the next instance gave back what the third case had taken').to.be.below(deadline);
      await sleep(20);
    }
    // The late update arrives now: fenced off, it changes nothing.
    const late = await applyStepsAtOnce(planned.slice(2), mark);
    expect(late.get(list.caseIds[2]!)!.status).to.equal('verified');

    const done = await waitForJob(world.sessions.approver, jobId, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    expect(done.result!.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    // The third case was approved by the next instance's own chunk, not by the late update.
    const third = cases.find((c) => String(c._id) === list.caseIds[2])!;
    expect(third.history.find((h) => h.action === 'approve')!.run).to.not.equal(mark);
    expect(await FundEntry.countDocuments({ caseId: { $in: cases.map((c) => c._id) }, kind: 'release' })).to.equal(0);
    await expectEachApprovedOnce(world, list.caseIds, { fundId, fundBefore, campaignBefore });
  });

  it('when single approvals and returns race a list approval of the same cases, then each case changes once and every total agrees', async () => {
    const list = await verifiedList(world, 8);
    const campaignId = world.campaigns.tet.id;
    const [fundBefore, campaignBefore] = [await fundTotals(fundId), await campaignTotals(campaignId)];
    const views = await Promise.all(list.caseIds.map((id) => readCase(world.sessions.approver, id)));
    const [listAnswer, ...singles] = await Promise.all([
      world.sessions.approver.post(`/api/v1/batches/${list.batch.id}/approve`, { fundId, ...SIGNER }),
      ...views.map((v, i) =>
        i % 2 === 0
          ? act(world.sessions.approver, v.id, 'approve', {
              revision: v.revision,
              approvedAmount: 1_000_000,
              fundAllocations: [{ fundId, amount: 1_000_000 }],
            })
          : act(world.sessions.approver, v.id, 'return', { revision: v.revision, reason: REASON }),
      ),
    ]);
    expect(listAnswer!.status, JSON.stringify(listAnswer!.body)).to.equal(200);
    for (const r of singles) expect([200, 409], JSON.stringify(r.body)).to.include(r.status);
    const counts = listAnswer!.body.counts as { ok: number; failed: number; skipped: number };
    expect(counts.ok + counts.failed + counts.skipped).to.equal(8);

    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    for (const c of cases) {
      const moves = c.history.filter((h) => h.action === 'approve' || h.action === 'return');
      expect(moves, `${c.code}: one move after verification`).to.have.length(1);
      expect(c.status).to.equal(moves[0]!.to);
    }
    const approved = cases.filter((c) => c.status === 'approved');
    expect(approved.length).to.equal(counts.ok + singles.filter((r, i) => i % 2 === 0 && r.status === 200).length);
    expect((await fundTotals(fundId)).committed - fundBefore.committed).to.equal(approved.length * 1_000_000);
    const campaignAfter = await campaignTotals(campaignId);
    expect(campaignAfter.approvedCount - campaignBefore.approvedCount).to.equal(approved.length);
    expect(campaignAfter.approvedAmount - campaignBefore.approvedAmount).to.equal(approved.length * 1_000_000);
    expect(await AuditEntry.countDocuments({ action: 'case.approve', entityId: { $in: list.caseIds } })).to.equal(
      approved.length,
    );
    expect(
      await FundEntry.countDocuments({ caseId: { $in: approved.map((c) => c._id) }, kind: 'commitment' }),
    ).to.be.at.least(approved.length);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  it('when a chunk meets an unexpected database error after its fund commitment, then the job is taken up again after a wait, finishes that chunk (what the failed case had committed given back) and approves every case once', async () => {
    const list = await verifiedList(world, 4);
    const campaignId = world.campaigns.tet.id;
    const [fundBefore, campaignBefore] = [await fundTotals(fundId), await campaignTotals(campaignId)];
    const { jobId, mend } = await approvalFailingOnce(list, fundId, world);
    // The fault passes (the database answers again) before the job is taken up.
    await mend();

    const done = await waitForJob(world.sessions.approver, jobId, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    expect(done.result!.counts).to.deep.equal({ ok: 4, failed: 0, excluded: 0, skipped: 0 });
    const stored = (await Job.findById(jobId).lean())!;
    expect([stored.attempts, stored.failures, stored.error]).to.deep.equal([2, 1, null]);
    await expectEachApprovedOnce(world, list.caseIds, { fundId, fundBefore, campaignBefore });
  });

  it('when the starter cancels a job that waits to be taken up again after an error, then the next take-up still finishes the chunk in hand (what the failed case had committed given back) before it stops', async () => {
    const list = await verifiedList(world, 4);
    const fundBefore = await fundTotals(fundId);
    const { jobId, mend } = await approvalFailingOnce(list, fundId, world);
    await arrange(world.sessions.approver.post(`/api/v1/jobs/${jobId}/cancel`), 200);
    await mend();

    const done = await waitForJob(world.sessions.approver, jobId, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).to.equal('cancelled');
    // The first chunk, and the third case whose update took in the second: approved, each once; the failed case is
    // not tried again.
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    const byList = list.caseIds.map((id) => cases.find((c) => String(c._id) === id)!);
    expect(byList.map((c) => c.status)).to.deep.equal(['approved', 'approved', 'approved', 'verified']);
    expect(byList.map((c) => c.history.filter((h) => h.action === 'approve').length)).to.deep.equal([1, 1, 1, 0]);
    expect((await fundTotals(fundId)).committed - fundBefore.committed).to.equal(3_000_000);
    expect(await FundEntry.countDocuments({ caseId: { $in: cases.map((c) => c._id) }, kind: 'commitment' })).to.equal(
      3,
    );
    expect(await AuditEntry.countDocuments({ action: 'case.approve', entityId: { $in: list.caseIds } })).to.equal(3);
    const marks = (await Fund.findById(fundId).lean())!.approveRuns ?? [];
    expect(marks.filter((m) => m.startsWith(`${jobId}:`))).to.deep.equal([]);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  it('when every attempt meets the same unexpected error after the approvals of a chunk took, then the job fails after its third, the chunk is left finished once (ledger, report totals and audit once, the fund reconciled) and its marks are gone', async () => {
    const list = await verifiedList(world, 3);
    const body = { fundId, ...SIGNER };
    const campaignId = world.campaigns.tet.id;
    const fundBefore = await fundTotals(fundId);
    const auditsBefore = await AuditEntry.countDocuments({});
    // The campaign's total is broken in the database: the chunk's campaign $inc fails every time.
    const campaign = (await Campaign.collection.findOne({ _id: new Types.ObjectId(campaignId) }))!;
    await Campaign.collection.updateOne({ _id: campaign._id }, { $set: { approvedAmount: 'hỏng' } });
    try {
      const jobId = await startListJob(world.sessions.approver, list.batch.id, 'approve', body);
      startRunner('instance-A', { chunk: 2, retryMs: 50 });
      const failed = await waitForJob(world.sessions.approver, jobId, undefined, 60_000);
      expect(failed.status, JSON.stringify(failed)).to.equal('failed');
      expect(failed.error).to.deep.include({ code: 'INTERNAL_ERROR' });
      const stored = (await Job.findById(jobId).lean())!;
      expect([stored.attempts, stored.failures]).to.deep.equal([3, 2]);
      // Nothing takes a failed job up again: the marks its chunks left on the fund are gone.
      const marks = (await Fund.findById(fundId).lean())!.approveRuns ?? [];
      expect(marks.filter((m) => m.startsWith(`${jobId}:`))).to.deep.equal([]);

      // Both chunks (two cases, then one) were in hand at once (LIST_CHUNKS_AT_ONCE), and their three approvals took
      // in the first attempt; each chunk was finished four times (three take-ups and the failure), each write once.
      const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
      expect(cases.map((c) => c.status)).to.deep.equal(['approved', 'approved', 'approved']);
      expect(cases.map((c) => c.history.filter((h) => h.action === 'approve').length)).to.deep.equal([1, 1, 1]);
      expect((await fundTotals(fundId)).committed - fundBefore.committed).to.equal(3_000_000);
      expect(await FundEntry.countDocuments({ caseId: { $in: cases.map((c) => c._id) }, kind: 'commitment' })).to.equal(
        3,
      );
      const stateRuns = Object.keys((stored.state as { runs?: object }).runs ?? {});
      expect(stateRuns.sort()).to.deep.equal(['c0', 'c1']);
      expect(await AuditEntry.countDocuments({ action: 'case.approve', entityId: { $in: list.caseIds } })).to.equal(3);
      expect(await AuditEntry.countDocuments({})).to.be.at.least(auditsBefore + 3);
      expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    } finally {
      await Campaign.collection.updateOne({ _id: campaign._id }, { $set: { approvedAmount: campaign.approvedAmount } });
    }
    await expectReconciled(world);
  });
});
