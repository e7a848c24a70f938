/**
 * SPEC §5, §14 (issue 18): a list submitted a chunk at a time (batches/list-submit.ts) takes each case's duplicate
 * claim in one write with the others, answers what the single way answers for each case and stores what the single
 * submission stores; a case whose member holds the claim already goes the single way and is refused as a duplicate.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { act, caseWorld, readCase, type CaseWorld } from '../cases/case-fixtures.js';
import {
  leftByLostInstance,
  runListJob,
  startListJob,
  startRunner,
  stopRunners,
  waitForJob,
} from '../jobs/job-fixtures.js';
import { AuditEntry } from '../../src/audit/index.js';
import { BenefitClaim, Case } from '../../src/cases/cases.model.js';
import { takeClaim } from '../../src/cases/claims.js';
import { claimKeyOf, programContextOf, takeClaimsAtOnce, type CaseRecord } from '../../src/cases/index.js';
import { actOnBatch } from '../../src/batches/actions.service.js';
import { recoverSubmitRun } from '../../src/batches/list-submit.js';
import { Job } from '../../src/jobs/jobs.model.js';
import type { JobContext } from '../../src/jobs/index.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { batchAction, importTet, listRow } from './batch-fixtures.js';
import { minus, reportSums, staffOf } from './chunk-fixtures.js';

/** What a submission stored on a case, its claim and the audit log, without what differs by nature (ids, times, people). */
async function submittedStateOf(record: CaseRecord) {
  const entries = record.history.filter((h) => h.action === 'submit');
  expect(entries, record.code).to.have.length(1);
  const { at: _at, run: _run, ...entry } = entries[0]!;
  const claims = await BenefitClaim.find({ caseId: record._id }).lean();
  const audits = await AuditEntry.find({ entity: 'case', entityId: String(record._id), action: 'case.submit' }).lean();
  return {
    status: record.status,
    revision: record.revision,
    submittedDay: record.submittedDay,
    snapshotIsMember: record.memberSnapshot?.fullName === record.memberName,
    snapshotKeys: Object.keys(record.memberSnapshot ?? {}).sort(),
    claims: claims.map((c) => c._id === record.claimKey),
    entry,
    audits: audits.map((a) => ({
      actorId: a.actorId,
      details: { ...a.details, code: a.details.code === record.code },
    })),
  };
}

describe('batches: a list submitted in chunks', function () {
  this.timeout(180_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });
  afterEach(stopRunners);

  const submitByRunner = (batchId: string, body: object, chunk: number) =>
    runListJob(world.sessions.officer, batchId, 'submit', body, chunk);

  it('when a list of 5 is submitted in chunks of 2, one member holding the claim already and one case left out, then each other case is submitted once with its claim, and the duplicate is refused as the single way refuses it', async () => {
    const earlier = await importTet(world, [listRow()]);
    expect((await batchAction(world.sessions.officer, earlier.batch.id, 'submit')).counts.ok).to.equal(1);
    const held = (await Case.findById(earlier.caseIds[0]).lean())!;
    const rows = () => Array.from({ length: 5 }, () => listRow());
    const list = await importTet(world, rows());
    // The list's second case is another case of the member who holds the claim already.
    await Case.updateOne(
      { _id: list.caseIds[1] },
      { $set: { memberId: held.memberId, memberCitizenId: held.memberCitizenId } },
    );
    const body = { exclude: [{ caseId: list.caseIds[3]!, reason: 'Chờ bổ sung hồ sơ hoàn cảnh' }] };

    const { jobId, job } = await submitByRunner(list.batch.id, body, 2);

    expect(job.result!.counts).to.deep.equal({ ok: 3, failed: 1, excluded: 1, skipped: 0 });
    const results = job.result!.results as { caseId: string; outcome: string; problem?: { code: string } }[];
    expect(results.map((r) => r.caseId)).to.deep.equal(list.caseIds);
    expect(results[1]!.problem?.code).to.equal('DUPLICATE_BENEFICIARY');
    const cases = new Map((await Case.find({ _id: { $in: list.caseIds } }).lean()).map((c) => [String(c._id), c]));
    const submitted = [0, 2, 4].map((i) => cases.get(list.caseIds[i]!)!);
    for (const c of submitted) {
      const entries = c.history.filter((h) => h.action === 'submit');
      expect(entries, c.code).to.have.length(1);
      expect(String(entries[0]!.run)).to.match(new RegExp(`^${jobId}:`));
      expect(c.status).to.equal('submitted');
      const claim = await BenefitClaim.findById(c.claimKey).lean();
      expect(String(claim?.caseId), c.code).to.equal(String(c._id));
    }
    for (const i of [1, 3]) {
      const c = cases.get(list.caseIds[i]!)!;
      expect(c.status).to.equal('draft');
      expect(await BenefitClaim.countDocuments({ caseId: c._id })).to.equal(0);
    }
    expect(String((await BenefitClaim.findById(held.claimKey).lean())!.caseId)).to.equal(String(held._id));
    const audits = await AuditEntry.find({ action: 'case.submit', entityId: { $in: list.caseIds } }).lean();
    expect(audits.map((a) => a.entityId).sort()).to.deep.equal([0, 2, 4].map((i) => list.caseIds[i]!).sort());
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when a list of 4 is submitted in chunks of 2, then every case, claim, report figure and audit entry is what the single submission of each case stores', async () => {
    const single = await importTet(
      world,
      Array.from({ length: 4 }, () => listRow()),
    );
    const chunked = await importTet(
      world,
      Array.from({ length: 4 }, () => listRow()),
    );
    const { principal, actor } = await staffOf(world, 'officer', 'grassroots_officer');
    const report0 = await reportSums(world);
    const answer = await actOnBatch(principal, actor, single.batch.id, 'submit', {});
    expect(answer.counts).to.deep.equal({ ok: 4, failed: 0, excluded: 0, skipped: 0 });
    const report1 = await reportSums(world);
    const { job } = await submitByRunner(chunked.batch.id, {}, 2);
    expect(job.result!.counts).to.deep.equal({ ok: 4, failed: 0, excluded: 0, skipped: 0 });
    const report2 = await reportSums(world);

    const read = async (ids: string[]) => {
      const cases = await Case.find({ _id: { $in: ids } }).lean();
      return ids.map((id) => cases.find((c) => String(c._id) === id)! as CaseRecord);
    };
    const [singleCases, chunkedCases] = [await read(single.caseIds), await read(chunked.caseIds)];
    expect(chunkedCases.every((c) => c.history.find((h) => h.action === 'submit')!.run)).to.equal(true);
    const a = await Promise.all(singleCases.map(submittedStateOf));
    const b = await Promise.all(chunkedCases.map(submittedStateOf));
    expect(b).to.deep.equal(a);
    expect(a[0]!.claims).to.deep.equal([true]);
    expect(a[0]!.audits).to.have.length(1);
    expect(minus(report2, report1)).to.deep.equal(minus(report1, report0));
    expect(report2.received! - report1.received!).to.equal(4);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when single submissions race a list submission of the same cases in chunks of 3, then each case is submitted once and holds one claim, and every total agrees', async () => {
    const list = await importTet(
      world,
      Array.from({ length: 8 }, () => listRow()),
    );
    const views = await Promise.all(list.caseIds.map((id) => readCase(world.sessions.officer, id)));
    const jobId = await startListJob(world.sessions.officer, list.batch.id, 'submit', {});
    startRunner('instance-A', { chunk: 3 });
    const singles = await Promise.all(
      views.map((v) => act(world.sessions.officer, v.id, 'submit', { revision: v.revision })),
    );
    for (const r of singles) expect([200, 409], JSON.stringify(r.body)).to.include(r.status);
    const job = await waitForJob(world.sessions.officer, jobId, undefined, 60_000);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');

    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    for (const c of cases) {
      expect(c.status, c.code).to.equal('submitted');
      expect(
        c.history.filter((h) => h.action === 'submit'),
        `${c.code}: one submission`,
      ).to.have.length(1);
      const claims = await BenefitClaim.find({ caseId: c._id }).lean();
      expect(
        claims.map((h) => h._id),
        `${c.code}: one claim, the one it records`,
      ).to.deep.equal([c.claimKey]);
      const audits = await AuditEntry.countDocuments({ entityId: String(c._id), action: 'case.submit' });
      expect(audits, `${c.code}: one audit entry`).to.equal(1);
    }
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when a takeover finishes a crashed chunk while single submissions of two of its cases hold their claims unrecorded, then it gives back only the claim that still names the chunk', async () => {
    const list = await importTet(
      world,
      Array.from({ length: 3 }, () => listRow()),
    );
    const jobId = await startListJob(world.sessions.officer, list.batch.id, 'submit', {});
    const [x, y, z] = await Promise.all(list.caseIds.map(async (id) => (await Case.findById(id).lean()) as CaseRecord));
    const keyOf = async (r: CaseRecord) => claimKeyOf(r, (await programContextOf(r)).rules);
    const keys = { x: await keyOf(x!), y: await keyOf(y!), z: await keyOf(z!) };

    // Left by an instance that died after its chunk's claims: x's was refused (a single submission of x had just
    // taken it), y's and z's inserted, naming the chunk; no case updated.
    const mark = `${jobId}:${new Types.ObjectId().toHexString()}`;
    const run = {
      mark,
      caseIds: list.caseIds,
      claimKeys: Object.fromEntries([x, y, z].map((r, i) => [String(r!._id), Object.values(keys)[i]!])),
    };
    await leftByLostInstance(jobId, { run });
    expect(await takeClaim(x!, keys.x)).to.deep.equal({ key: keys.x, created: true });
    expect(
      await takeClaimsAtOnce(
        [
          { key: keys.x, record: x! },
          { key: keys.y, record: y! },
          { key: keys.z, record: z! },
        ],
        mark,
      ),
    ).to.deep.equal(new Set([String(x!._id)]));
    // A single submission of z finds the chunk's claim for z and takes it as its own; like x's, it has not recorded it.
    expect(await takeClaim(z!, keys.z)).to.deep.equal({ key: keys.z, created: false });

    // The next instance takes the job up: it fences the chunk's cases and finishes the chunk.
    const job = (await Job.findById(jobId).lean())!;
    const { principal, actor } = await staffOf(world, 'officer', 'grassroots_officer');
    await recoverSubmitRun({ job, principal, actor } as unknown as JobContext);

    const claims = await BenefitClaim.find({ _id: { $in: Object.values(keys) } }).lean();
    expect(claims.map((c) => [c._id, String(c.caseId), c.run ?? null]).sort()).to.deep.equal(
      [
        [keys.x, String(x!._id), null],
        [keys.z, String(z!._id), null],
      ].sort(),
    );
    const fenced = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(
      fenced.map((c) => [c.status, c.revision - [x, y, z].find((r) => String(r!._id) === String(c._id))!.revision]),
    ).to.deep.equal([
      ['draft', 1],
      ['draft', 1],
      ['draft', 1],
    ]);

    // The runner then submits the three, x and z with the claims the single submissions took.
    startRunner('instance-B', { chunk: 3 });
    const done = await waitForJob(world.sessions.officer, jobId, undefined, 60_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    for (const c of cases) {
      expect(c.status, c.code).to.equal('submitted');
      expect((await BenefitClaim.find({ caseId: c._id }).lean()).map((h) => h._id)).to.deep.equal([c.claimKey]);
    }
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });
});
