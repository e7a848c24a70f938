/**
 * SPEC §5, §14 (issue 18): a list verified (or returned, or rejected) a chunk at a time (batches/list-chunks.ts) answers what the
 * single way answers for each case and stores what the single step stores, field by field; single steps racing the
 * list change each case once; a chunk left by an instance that lost its job is finished once and its late bulk
 * update fenced off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Types } from 'mongoose';
import { act, caseWorld, readCase, REASON, type CaseWorld } from '../cases/case-fixtures.js';
import {
  leftByLostInstance,
  runListJob,
  startListJob,
  startRunner,
  stopRunners,
  submittedList,
  waitForJob,
} from '../jobs/job-fixtures.js';
import { AuditEntry } from '../../src/audit/index.js';
import { BenefitClaim, Case } from '../../src/cases/cases.model.js';
import { applyStepsAtOnce, planStep, programContextOf, type CaseRecord } from '../../src/cases/index.js';
import { actOnBatch, caseBody, type BatchActionBody } from '../../src/batches/actions.service.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { minus, reportSums, staffOf } from './chunk-fixtures.js';

type Step = 'verify' | 'return' | 'reject';

/** What a step stored on a case and in the audit log, without what differs by nature (ids, times, codes). */
async function stepStateOf(record: CaseRecord, action: Step) {
  const entries = record.history.filter((h) => h.action === action);
  expect(entries, record.code).to.have.length(1);
  const { at, run: _run, ...entry } = entries[0]!;
  const audits = await AuditEntry.find({
    entity: 'case',
    entityId: String(record._id),
    action: `case.${action}`,
  }).lean();
  return {
    case: {
      status: record.status,
      revision: record.revision,
      recommendedAmount: record.recommendedAmount,
      verifiedBy: record.verifiedBy,
      verifiedAtSet: record.verifiedAt instanceof Date,
      verifiedAtIsEntryAt: record.verifiedAt?.getTime() === at.getTime(),
      approvedAmount: record.approvedAmount,
      claimKey: record.claimKey === `tet_gift:campaign:${String(record.campaignId)}:member:${String(record.memberId)}`,
      historyActions: record.history.map((h) => h.action),
    },
    history: entry,
    audits: audits.map((a) => ({
      actorId: a.actorId,
      details: { ...a.details, code: a.details.code === record.code },
    })),
  };
}

/** A job's answer for a case, without what differs between two lists (ids, codes). */
const shapeOf = ({ caseId: _c, code: _k, ...rest }: { caseId: string; code: string }) => rest;

describe('batches: a list verified, returned or rejected in chunks', function () {
  this.timeout(180_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });
  afterEach(stopRunners);

  /** The list's step, as a job the runner takes in chunks of `chunk`. */
  const stepByRunner = (batchId: string, action: Step, body: object, chunk: number) =>
    runListJob(world.sessions.verifier, batchId, action, body, chunk);

  it('when a list of 7 is verified in chunks of 3 by a runner, one case left out, one over the cap and one returned before, then each case is verified once with the outcomes the single way answers', async () => {
    const single = await submittedList(world, 7);
    const chunked = await submittedList(world, 7);
    /** The same arrangement on each list: a case returned before the list is verified, the body. */
    const arrangeList = async (caseIds: string[]): Promise<BatchActionBody> => {
      const returned = await readCase(world.sessions.verifier, caseIds[2]!);
      expect(
        (await act(world.sessions.verifier, returned.id, 'return', { revision: returned.revision, reason: REASON }))
          .status,
      ).to.equal(200);
      return {
        note: 'Đã rà soát',
        exclude: [{ caseId: caseIds[0]!, reason: 'Chờ xác minh lại hoàn cảnh gia đình' }],
        amounts: [
          { caseId: caseIds[1]!, amount: 10_000_000_000 },
          { caseId: caseIds[4]!, amount: 800_000 },
        ],
      };
    };

    // The single way: each case through the single-case step (actOnListedCase), as every list used to be verified.
    const { principal, actor } = await staffOf(world, 'verifier');
    const singleAnswer = await actOnBatch(
      principal,
      actor,
      single.batch.id,
      'verify',
      await arrangeList(single.caseIds),
    );
    const { jobId, job } = await stepByRunner(chunked.batch.id, 'verify', await arrangeList(chunked.caseIds), 3);

    expect(job.result!.counts).to.deep.equal({ ok: 4, failed: 1, excluded: 1, skipped: 1 });
    const results = job.result!.results as { caseId: string; code: string }[];
    expect(results.map((r) => r.caseId)).to.deep.equal(chunked.caseIds);
    expect(results.map(shapeOf)).to.deep.equal(singleAnswer.results.map(shapeOf));
    expect((results[1] as { problem?: { code: string } }).problem?.code).to.be.a('string');

    const cases = await Case.find({ _id: { $in: chunked.caseIds } }).lean();
    const byId = new Map(cases.map((c) => [String(c._id), c]));
    const verified = chunked.caseIds.slice(3).map((id) => byId.get(id)!);
    // The bulk way took them: each `verify` entry carries a chunk's mark (the chunk of cases 3–5, and case 6's).
    const marks = verified.map((c) => c.history.filter((h) => h.action === 'verify').map((h) => h.run));
    expect(marks.every((m) => m.length === 1 && String(m[0]).startsWith(`${jobId}:`))).to.equal(true);
    expect(new Set(marks.flat()).size).to.equal(2);
    expect(verified.map((c) => c.status)).to.deep.equal(['verified', 'verified', 'verified', 'verified']);
    expect(verified.map((c) => c.recommendedAmount)).to.deep.equal([1_000_000, 800_000, 1_000_000, 1_000_000]);
    for (const id of chunked.caseIds.slice(0, 3))
      expect(
        byId.get(id)!.history.filter((h) => h.action === 'verify'),
        id,
      ).to.have.length(0);
    const audits = await AuditEntry.find({ action: 'case.verify', entityId: { $in: chunked.caseIds } }).lean();
    expect(audits.map((a) => a.entityId).sort()).to.deep.equal(chunked.caseIds.slice(3).sort());
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  const claimsOf = (caseIds: string[]) =>
    BenefitClaim.countDocuments({ caseId: { $in: caseIds.map((id) => new Types.ObjectId(id)) } });
  const done = { verify: 'verified', return: 'returned', reject: 'rejected' } as const;

  for (const [action, body] of [
    ['verify', { note: 'Đã rà soát', amounts: [] as { caseId: string; amount: number }[] }],
    ['return', { reason: REASON }],
    ['reject', { reason: REASON }],
  ] as const) {
    it(`when a list of 5 is ${done[action]} in chunks of 2, then every case, claim, report figure and audit entry is what the single step of each case stores`, async () => {
      const single = await submittedList(world, 5);
      const chunked = await submittedList(world, 5);
      const bodyOf = (caseIds: string[]): BatchActionBody =>
        action === 'verify' ? { ...body, amounts: [{ caseId: caseIds[1]!, amount: 700_000 }] } : body;
      const { principal, actor } = await staffOf(world, 'verifier');
      const report0 = await reportSums(world);
      const answer = await actOnBatch(principal, actor, single.batch.id, action, bodyOf(single.caseIds));
      expect(answer.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
      const report1 = await reportSums(world);
      const { jobId, job } = await stepByRunner(chunked.batch.id, action, bodyOf(chunked.caseIds), 2);
      expect(job.result!.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
      const report2 = await reportSums(world);

      const read = async (ids: string[]) => {
        const cases = await Case.find({ _id: { $in: ids } }).lean();
        return ids.map((id) => cases.find((c) => String(c._id) === id)! as CaseRecord);
      };
      const [singleCases, chunkedCases] = [await read(single.caseIds), await read(chunked.caseIds)];
      const runs = chunkedCases.map((c) => c.history.find((h) => h.action === action)!.run);
      expect(runs.every((r) => r?.startsWith(`${jobId}:`))).to.equal(true);
      expect(new Set(runs).size).to.equal(3);
      // The single step runs under a run of its own (cases/step-runs.ts): a mark of its own on each case.
      const singleRuns = singleCases.map((c) => c.history.find((h) => h.action === action)!.run ?? '');
      expect(singleRuns.every((r) => /^[0-9a-f]{24}$/.test(r))).to.equal(true);
      expect(new Set(singleRuns).size).to.equal(5);
      const a = await Promise.all(singleCases.map((c) => stepStateOf(c, action)));
      const b = await Promise.all(chunkedCases.map((c) => stepStateOf(c, action)));
      expect(b).to.deep.equal(a);
      expect(a[0]!.audits).to.have.length(1);
      expect(a[0]!.case.status).to.equal(done[action]);
      expect(minus(report2, report1)).to.deep.equal(minus(report1, report0));
      expect(report2['open.submitted']! - report1['open.submitted']!).to.equal(-5);
      if (action !== 'reject') expect(report2[`open.${done[action]}`]! - report1[`open.${done[action]}`]!).to.equal(5);
      // A rejection gives the duplicate claims back (SPEC §5); the other steps keep them.
      const kept = action === 'reject' ? 0 : 5;
      expect([await claimsOf(single.caseIds), await claimsOf(chunked.caseIds)]).to.deep.equal([kept, kept]);
      expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    });
  }

  it('when single verifies and returns race a list verify of the same cases in chunks of 3, then each case moves once and every total agrees', async () => {
    const list = await submittedList(world, 8);
    const views = await Promise.all(list.caseIds.map((id) => readCase(world.sessions.verifier, id)));
    const jobId = await startListJob(world.sessions.verifier, list.batch.id, 'verify', {});
    startRunner('instance-A', { chunk: 3 });
    const singles = await Promise.all(
      views.map((v, i) =>
        i % 2 === 0
          ? act(world.sessions.verifier, v.id, 'verify', { revision: v.revision, recommendedAmount: 900_000 })
          : act(world.sessions.verifier, v.id, 'return', { revision: v.revision, reason: REASON }),
      ),
    );
    for (const r of singles) expect([200, 409], JSON.stringify(r.body)).to.include(r.status);
    const job = await waitForJob(world.sessions.verifier, jobId, undefined, 60_000);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    const counts = job.result!.counts as { ok: number; failed: number; skipped: number };
    expect(counts.ok + counts.failed + counts.skipped).to.equal(8);

    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    for (const c of cases) {
      const moves = c.history.filter((h) => h.action === 'verify' || h.action === 'return');
      expect(moves, `${c.code}: one move after submission`).to.have.length(1);
      expect(c.status).to.equal(moves[0]!.to);
      const audits = await AuditEntry.countDocuments({ entityId: String(c._id), action: `case.${moves[0]!.action}` });
      expect(audits, `${c.code}: one audit entry`).to.equal(1);
    }
    const singleVerified = singles.filter((r, i) => i % 2 === 0 && r.status === 200).length;
    expect(cases.filter((c) => c.status === 'verified').length).to.equal(counts.ok + singleVerified);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when an instance lost its job after two cases of a chunk took their verification, then the next instance finishes that chunk once, fences off the update still on its way, and verifies the rest', async () => {
    const list = await submittedList(world, 5);
    const jobId = await startListJob(world.sessions.verifier, list.batch.id, 'verify', {});

    // What an instance that lost its job leaves in a chunk of three: the chunk in the job's state, two cases
    // updated; the third case's update is still on its way.
    const { principal, actor } = await staffOf(world, 'verifier');
    const mark = `${jobId}:${new Types.ObjectId().toHexString()}`;
    const planned = await Promise.all(
      list.caseIds.slice(0, 3).map(async (id) => {
        const record = (await Case.findById(id).lean()) as CaseRecord;
        const stepBody = { ...caseBody('verify', {}, record, new Map()), revision: record.revision };
        return planStep(principal, { ...actor, requestId: `job:${jobId}` }, record, 'verify', stepBody, {
          programContext: programContextOf,
        });
      }),
    );
    await leftByLostInstance(jobId, { run: { mark, caseIds: list.caseIds.slice(0, 3) } });
    const took = await applyStepsAtOnce(planned.slice(0, 2), mark);
    expect([...took.values()].filter((c) => c.status === 'verified')).to.have.length(2);

    // The next instance, slowed so that the late update can come between its recovery and its chunk of that case.
    startRunner('instance-B', { chunk: 2, itemDelayMs: 1000 });
    const audited = () => AuditEntry.countDocuments({ action: 'case.verify', entityId: { $in: list.caseIds } });
    const deadline = Date.now() + 30_000;
    while ((await audited()) < 2) {
      expect(Date.now(), 'the next instance finished the chunk left half-way').to.be.below(deadline);
      await sleep(20);
    }
    // The late update arrives now: fenced off, it changes nothing.
    const late = await applyStepsAtOnce(planned.slice(2), mark);
    expect(late.get(list.caseIds[2]!)!.status).to.equal('submitted');

    const done = await waitForJob(world.sessions.verifier, jobId, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    expect(done.result!.counts).to.deep.equal({ ok: 5, failed: 0, excluded: 0, skipped: 0 });
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(cases.map((c) => c.history.filter((h) => h.action === 'verify').length)).to.deep.equal([1, 1, 1, 1, 1]);
    expect(cases.every((c) => c.status === 'verified')).to.equal(true);
    // The third case was verified by the next instance's own chunk, not by the late update.
    const third = cases.find((c) => String(c._id) === list.caseIds[2])!;
    expect(third.history.find((h) => h.action === 'verify')!.run).to.not.equal(mark);
    expect(await audited()).to.equal(5);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when an instance lost its job after two cases of a chunk were rejected, then the next instance gives back their duplicate claims from the chunk it left, once, and rejects the rest', async () => {
    const list = await submittedList(world, 4);
    expect(await claimsOf(list.caseIds)).to.equal(4);
    const jobId = await startListJob(world.sessions.verifier, list.batch.id, 'reject', { reason: REASON });

    // Left by an instance that lost its job: the chunk of three in the job's state with the claims it gives back,
    // two cases rejected (their update cleared `claimKey`), nothing given back yet.
    const { principal, actor } = await staffOf(world, 'verifier');
    const mark = `${jobId}:${new Types.ObjectId().toHexString()}`;
    const records = await Promise.all(
      list.caseIds.slice(0, 3).map(async (id) => (await Case.findById(id).lean()) as CaseRecord),
    );
    const planned = await Promise.all(
      records.map((record) =>
        planStep(
          principal,
          { ...actor, requestId: `job:${jobId}` },
          record,
          'reject',
          { reason: REASON, revision: record.revision },
          { programContext: programContextOf },
        ),
      ),
    );
    const claimKeys = Object.fromEntries(records.map((r) => [String(r._id), r.claimKey!]));
    await leftByLostInstance(jobId, { run: { mark, caseIds: list.caseIds.slice(0, 3), claimKeys } });
    const took = await applyStepsAtOnce(planned.slice(0, 2), mark);
    expect([...took.values()].map((c) => [c.status, c.claimKey])).to.deep.include.members([
      ['rejected', null],
      ['rejected', null],
    ]);
    expect(await claimsOf(list.caseIds)).to.equal(4);

    startRunner('instance-B', { chunk: 2 });
    const job = await waitForJob(world.sessions.verifier, jobId, undefined, 60_000);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    expect(job.result!.counts).to.deep.equal({ ok: 4, failed: 0, excluded: 0, skipped: 0 });
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(cases.map((c) => c.history.filter((h) => h.action === 'reject').length)).to.deep.equal([1, 1, 1, 1]);
    expect(cases.every((c) => c.status === 'rejected' && c.claimKey === null)).to.equal(true);
    expect(await claimsOf(list.caseIds)).to.equal(0);
    expect(await AuditEntry.countDocuments({ action: 'case.reject', entityId: { $in: list.caseIds } })).to.equal(4);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });
});
