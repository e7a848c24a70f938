/**
 * A list import whose job fails half-way (docs/jobs.md, "An import that stops"): the list is left `incomplete`
 * with the cases made, the error and the rows read, its file is gone from GridFS, and the same file uploaded
 * again finishes the same list without making any row twice.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { arrange, login, type Session } from '../support/api.js';
import { PASSWORD } from '../support/factory.js';
import { caseWorld, createCampaign, type CaseWorld } from '../cases/case-fixtures.js';
import { citizenIdOf, csvOf, listRow, tetFields, uploadList, type ImportView } from '../batches/batch-fixtures.js';
import { Batch } from '../../src/batches/batches.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Job, JobItem } from '../../src/jobs/jobs.model.js';
import { Member } from '../../src/members/members.model.js';
import { startRunner, stopRunners, waitForJob } from './job-fixtures.js';

/** The uploads kept for import jobs: GridFS files and their chunks. */
async function storedUploads(): Promise<number[]> {
  const db = mongoose.connection.db!;
  return [
    await db.collection('list_uploads.files').countDocuments({}),
    await db.collection('list_uploads.chunks').countDocuments({}),
  ];
}

async function jobEnded(id: string) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    const job = await Job.findById(id).lean();
    if (job && ['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
  }
  throw new Error(`job ${id} did not end`);
}

describe('jobs: a list import that stops half-way', function () {
  this.timeout(180_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });
  afterEach(stopRunners);

  it('when the import job fails after its first chunks (its starter disabled before another instance took it over), then the list is incomplete with the cases made and the error, the file is gone, and the same file uploaded again finishes it with every row once', async () => {
    const { officer, admin } = world.sessions;
    // 600 rows in three chunks; every 50th row refused (a bad gender).
    const rows = Array.from({ length: 600 }, (_, i) =>
      listRow({ fullName: 'Nguyễn Thị Lan', ...(i % 50 === 0 ? { gender: 'khác' } : {}) }),
    );
    const file = csvOf(rows);
    const uploadsBefore = await storedUploads();
    const res = await uploadList(officer, file, 'tet-dang-do.csv', tetFields(world));
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const jobId = res.body.id as string;
    const batchId = res.body.input.batchId as string;

    // An instance runs the first chunk(s) and stops; meanwhile the officer's account is disabled, so the instance
    // that takes the job over cannot run it as its starter: the job fails there.
    const first = startRunner('instance-A', { itemDelayMs: 500 });
    await waitForJob(officer, jobId, (j) => j.progress.done >= 250);
    await first.stop();
    await arrange(admin.patch(`/api/v1/users/${officer.user.id}`, { active: false }), 200);
    startRunner('instance-B');
    const failed = await jobEnded(jobId);
    expect(failed.status).to.equal('failed');
    expect(failed.error).to.include({ code: 'UNAUTHENTICATED' });

    const chunksDone = await JobItem.countDocuments({ _id: { $regex: `^${jobId}:` } });
    expect(chunksDone).to.be.within(1, 2);
    const made = await Case.find({ batchId }, { _id: 1, memberCitizenId: 1 }).sort({ _id: 1 }).lean();
    expect(made).to.have.length(chunksDone * 245);
    expect(new Set(made.map((c) => c.memberCitizenId)).size).to.equal(made.length);
    const stopped = (await Batch.findById(batchId).lean())!;
    expect(stopped.status).to.equal('incomplete');
    expect(stopped.importError).to.deep.equal({ code: failed.error!.code, detail: failed.error!.detail });
    expect(stopped).to.include({
      rowCount: 600,
      rowsRead: chunksDone * 250,
      createdCount: made.length,
      rejectedCount: chunksDone * 5,
    });
    expect(stopped.caseIds.map(String)).to.deep.equal(made.map((c) => String(c._id)));
    expect(stopped.rejectedRows.map((r) => r.row)).to.deep.equal(
      Array.from({ length: chunksDone * 5 }, (_, i) => 2 + i * 50),
    );
    expect(await storedUploads()).to.deep.equal(uploadsBefore);

    // The officer, enabled again, finds the list with its error, and its cases act as any list's.
    await arrange(admin.patch(`/api/v1/users/${officer.user.id}`, { active: true }), 200);
    const again: Session = await login(officer.user.username, PASSWORD);
    const shown = await arrange<{ status: string; importError: unknown; cases: unknown[] }>(
      again.get(`/api/v1/batches/${batchId}`),
      200,
    );
    expect(shown.status).to.equal('incomplete');
    expect(shown.importError).to.deep.equal(stopped.importError);
    expect(shown.cases).to.have.length(made.length);
    const listed = await arrange<{ items: { id: string; status: string }[] }>(
      again.get('/api/v1/batches?limit=100'),
      200,
    );
    expect(listed.items.find((b) => b.id === batchId)?.status).to.equal('incomplete');

    // The same file for another campaign is the file of another list: refused at once, nothing stored or changed.
    const otherCampaign = await createCampaign(world.sessions.approver, 'tet_gift');
    const elsewhere = await uploadList(again, file, 'tet-dang-do.csv', {
      programCode: 'tet_gift',
      campaignId: otherCampaign.id,
    });
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).to.equal(409);
    expect(elsewhere.body.batchId).to.equal(batchId);
    expect(await storedUploads()).to.deep.equal(uploadsBefore);
    expect((await Batch.findById(batchId).lean())!.status).to.equal('incomplete');

    // Taken up again and stopped again before its first chunk (the officer disabled once more): the list is as it
    // was, with what the first run read and refused.
    await stopRunners();
    const stalled = await uploadList(again, file, 'tet-dang-do.csv', tetFields(world));
    expect(stalled.status, JSON.stringify(stalled.body)).to.equal(202);
    expect(stalled.body.input.batchId).to.equal(batchId);
    await arrange(admin.patch(`/api/v1/users/${officer.user.id}`, { active: false }), 200);
    startRunner('instance-C');
    expect((await jobEnded(stalled.body.id as string)).status).to.equal('failed');
    const stoppedAgain = (await Batch.findById(batchId).lean())!;
    expect(stoppedAgain).to.include({ status: 'incomplete', rowsRead: stopped.rowsRead, createdCount: made.length });
    expect(stoppedAgain.rejectedRows).to.deep.equal(stopped.rejectedRows);
    expect(stoppedAgain.caseIds.map(String)).to.deep.equal(made.map((c) => String(c._id)));
    expect(await storedUploads()).to.deep.equal(uploadsBefore);
    await arrange(admin.patch(`/api/v1/users/${officer.user.id}`, { active: true }), 200);
    const enabled: Session = await login(officer.user.username, PASSWORD);

    // The same file again goes on with the same list: the rows made before are not made again.
    const retry = await uploadList(enabled, file, 'tet-dang-do.csv', tetFields(world));
    expect(retry.status, JSON.stringify(retry.body)).to.equal(202);
    expect(retry.body.input.batchId).to.equal(batchId);
    const done = await waitForJob(enabled, retry.body.id as string);
    expect(done.status, JSON.stringify(done.error)).to.equal('succeeded');
    expect((done.result as unknown as ImportView).counts).to.deep.equal({ rows: 600, created: 588, rejected: 12 });

    const cases = await Case.find({ batchId }, { _id: 1, memberId: 1, memberCitizenId: 1 }).lean();
    expect(cases).to.have.length(588);
    expect(new Set(cases.map((c) => c.memberCitizenId)).size).to.equal(588);
    expect(new Set(cases.map((c) => String(c.memberId))).size).to.equal(588);
    const ids = new Set(cases.map((c) => String(c._id)));
    expect(
      made.every((c) => ids.has(String(c._id))),
      'the cases made before keep their ids',
    ).to.equal(true);
    const members = await Member.find({ citizenId: { $in: rows.map(citizenIdOf) } }, { citizenId: 1 }).lean();
    expect(new Set(members.map((m) => m.citizenId)).size).to.equal(members.length);
    const finished = (await Batch.findById(batchId).lean())!;
    expect(finished).to.include({ status: 'imported', importError: null, createdCount: 588, rejectedCount: 12 });
    expect(finished.caseIds.map(String).sort()).to.deep.equal([...ids].sort());
    expect(await storedUploads()).to.deep.equal(uploadsBefore);

    // A finished list's file is refused again, as before.
    const third = await uploadList(enabled, file, 'tet-dang-do.csv', tetFields(world));
    expect(third.status).to.equal(409);
    expect(third.body.batchId).to.equal(batchId);
  });
});
