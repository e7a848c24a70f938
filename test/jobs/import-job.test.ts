/**
 * SPEC §14: the list import as a job. Past the sync limit, or when the client prefers it, the upload answers
 * 202 with the job; the file waits in GridFS for whichever runner takes the job; the job's result is what the
 * synchronous import answers; a chunk run again (its instance died after making its cases) makes nothing twice.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { expectProblem } from '../support/api.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import {
  citizenIdOf,
  csvOf,
  listRow,
  xlsxOf,
  tetFields,
  uploadList,
  type Cell,
  type ImportView,
} from '../batches/batch-fixtures.js';
import { Batch } from '../../src/batches/batches.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Job, JobItem } from '../../src/jobs/jobs.model.js';
import { Member } from '../../src/members/members.model.js';
import { startRunner, stopRunners, waitForJob } from './job-fixtures.js';

/** Rows of `count` new members, with a bad gender on every `badEvery`-th row (row numbers 2…). */
function rowsOf(count: number, badEvery = 0): Cell[][] {
  return Array.from({ length: count }, (_, i) =>
    listRow({ fullName: 'Nguyễn Thị Lan', ...(badEvery && i % badEvery === 0 ? { gender: 'khác' } : {}) }),
  );
}

async function storedUploads(): Promise<number> {
  return mongoose.connection.db!.collection('list_uploads.files').countDocuments({});
}

/** The stored state of an imported batch: its cases once each, one per row that was made a case. */
async function expectStoredOnce(batchId: string, created: number, rows: Cell[][]): Promise<void> {
  const cases = await Case.find({ batchId }, { memberId: 1, memberCitizenId: 1 }).lean();
  expect(cases).to.have.length(created);
  expect(new Set(cases.map((c) => String(c.memberId))).size).to.equal(created);
  expect(new Set(cases.map((c) => c.memberCitizenId)).size).to.equal(created);
  const members = await Member.find({ citizenId: { $in: rows.map(citizenIdOf) } }, { citizenId: 1 }).lean();
  expect(new Set(members.map((m) => m.citizenId)).size).to.equal(members.length);
  const batch = await Batch.findById(batchId).lean();
  expect(batch!.status).to.equal('imported');
  expect(batch!.caseIds.map(String).sort()).to.deep.equal(cases.map((c) => String(c._id)).sort());
}

describe('jobs: the list import as a job', function () {
  this.timeout(180_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });
  afterEach(stopRunners);

  it('when an import prefers to be answered at once, then 202 with Location, and the job ends with what the synchronous import of the same list answers', async () => {
    const officer = world.sessions.officer;
    const uploadsBefore = await storedUploads();
    const asyncRows = rowsOf(7, 3);
    const res = await uploadList(officer, csvOf(asyncRows), 'a.csv', tetFields(world)).set('Prefer', 'respond-async');
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.headers.location).to.equal(`/api/v1/jobs/${res.body.id}`);
    expect(res.body).to.include({ kind: 'batch.import', status: 'queued' });
    expect(res.body.progress).to.deep.equal({ done: 0, total: 7 });
    expect(await storedUploads()).to.equal(uploadsBefore + 1);
    expect(await Case.countDocuments({ batchId: res.body.input.batchId })).to.equal(0);

    startRunner('instance-A');
    const job = await waitForJob(officer, res.body.id);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    expect(job.progress).to.deep.equal({ done: 7, total: 7 });
    const result = job.result as unknown as ImportView;

    // The same list (other people, the same rows refused) imported synchronously.
    const syncRows = rowsOf(7, 3);
    const sync = await uploadList(officer, csvOf(syncRows), 'b.csv', tetFields(world));
    expect(sync.status, JSON.stringify(sync.body)).to.equal(201);
    const answer = sync.body as ImportView;
    expect(result.counts).to.deep.equal(answer.counts);
    expect(result.counts).to.deep.equal({ rows: 7, created: 4, rejected: 3 });
    const shape = (view: ImportView) => view.rejectedRows.map((r) => ({ row: r.row, reasons: r.reasons }));
    expect(shape(result)).to.deep.equal(shape(answer));
    expect(Object.keys(result).sort()).to.deep.equal(Object.keys(answer).sort());
    expect(Object.keys(result.batch).sort()).to.deep.equal(Object.keys(answer.batch).sort());
    expect(result.batch).to.include({ id: res.body.input.batchId, status: 'imported', createdCount: 4 });

    expect(await Batch.countDocuments({ _id: result.batch.id })).to.equal(1);
    await expectStoredOnce(result.batch.id, 4, asyncRows);
    const inFileOrder = (await Case.find({ _id: { $in: result.caseIds } }).lean())
      .sort((a, b) => result.caseIds.indexOf(String(a._id)) - result.caseIds.indexOf(String(b._id)))
      .map((c) => c.memberCitizenId);
    expect(inFileOrder).to.deep.equal(asyncRows.filter((_, i) => i % 3 !== 0).map(citizenIdOf));
    // The file is removed once the job has ended (the synchronous one's too).
    expect(await storedUploads()).to.equal(uploadsBefore);
  });

  it('when a list has more than 500 rows, then 202 without asking, and the job makes every row a case once', async () => {
    const rows = rowsOf(501);
    const res = await uploadList(world.sessions.officer, csvOf(rows), 'big.csv', tetFields(world));
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body.progress).to.deep.equal({ done: 0, total: 501 });
    startRunner('instance-A');
    const job = await waitForJob(world.sessions.officer, res.body.id);
    expect(job.status, JSON.stringify(job.error)).to.equal('succeeded');
    expect(job.progress).to.deep.equal({ done: 501, total: 501 });
    expect((job.result as unknown as ImportView).counts).to.deep.equal({ rows: 501, created: 501, rejected: 0 });
    await expectStoredOnce(res.body.input.batchId, 501, rows);
  });

  it('when the same 600-row list comes as a CSV and as an XLSX, then each is read in chunks as a job and both come to the same: counts, refused rows (a CCCD repeated two chunks apart) and cases', async () => {
    const officer = world.sessions.officer;
    const GIVEN = ['Hường', 'Kỷ', 'Ẩn', 'Ổn', 'Ỹ'];
    /** Other people each time, the same rows refused: a bad gender every 97th row, row 402 repeats row 12's CCCD. */
    const tetList = () => {
      const list = Array.from({ length: 600 }, (_, i) =>
        listRow({
          fullName: `Nguyễn Thị ${GIVEN[i % GIVEN.length]!}`,
          amount: i % 2 ? '1.000.000' : '',
          ...(i % 97 === 0 ? { gender: 'khác' } : {}),
        }),
      );
      list[400]![1] = list[10]![1]!;
      return list;
    };
    const imported = async (bytes: Buffer, name: string) => {
      const res = await uploadList(officer, bytes, name, tetFields(world));
      expect(res.status, JSON.stringify(res.body)).to.equal(202);
      startRunner(`instance-${name}`);
      const job = await waitForJob(officer, res.body.id);
      expect(job.status, JSON.stringify(job.error)).to.equal('succeeded');
      expect(job.progress).to.deep.equal({ done: 600, total: 600 });
      const result = job.result as unknown as ImportView;
      const cases = await Case.find({ batchId: result.batch.id }, { memberName: 1, requestedAmount: 1 })
        .sort({ _id: 1 })
        .lean();
      expect(cases.map((c) => String(c._id))).to.deep.equal(result.caseIds);
      return {
        counts: result.counts,
        rejected: result.rejectedRows.map((r) => ({ row: r.row, reasons: r.reasons })),
        cases: cases.map((c) => [c.memberName, c.requestedAmount]),
      };
    };
    const fromCsv = await imported(csvOf(tetList()), 'list.csv');
    const fromXlsx = await imported(await xlsxOf(tetList()), 'list.xlsx');
    expect(fromCsv.counts).to.deep.equal({ rows: 600, created: 592, rejected: 8 });
    expect(fromCsv.rejected).to.deep.include({ row: 402, reasons: ['Số CCCD trùng với dòng 12 trong cùng tệp'] });
    expect(fromXlsx).to.deep.equal(fromCsv);
  });

  it('when a list imported as a job has no valid row, then the job fails with the code and detail of the synchronous 400, and nothing is stored', async () => {
    const officer = world.sessions.officer;
    const rows = rowsOf(2, 1);
    const sync = await uploadList(officer, csvOf(rowsOf(2, 1)), 'x.csv', tetFields(world));
    expectProblem(sync, 400, 'VALIDATION_FAILED');
    const [batches, uploads] = [await Batch.countDocuments({}), await storedUploads()];
    const res = await uploadList(officer, csvOf(rows), 'y.csv', tetFields(world)).set('Prefer', 'respond-async');
    expect(res.status).to.equal(202);
    startRunner('instance-A');
    const job = await waitForJob(officer, res.body.id);
    expect(job.status).to.equal('failed');
    expect(job.error).to.deep.equal({ code: sync.body.code, detail: sync.body.detail });
    expect([await Batch.countDocuments({}), await storedUploads()]).to.deep.equal([batches, uploads]);
    expect(await Member.countDocuments({ citizenId: { $in: rows.map(citizenIdOf) } })).to.equal(0);
  });

  it('when the same file comes while its import job runs, or a list is refused whole, then the answer is given at once', async () => {
    const officer = world.sessions.officer;
    const bytes = csvOf(rowsOf(3));
    const first = await uploadList(officer, bytes, 'a.csv', tetFields(world)).set('Prefer', 'respond-async');
    expect(first.status).to.equal(202);
    const again = await uploadList(officer, bytes, 'b.csv', tetFields(world)).set('Prefer', 'respond-async');
    expectProblem(again, 409, 'CONFLICT');
    expect(again.body.batchId).to.equal(first.body.input.batchId);
    const badHeader = await uploadList(
      officer,
      csvOf([listRow()], { header: ['Tên', 'CCCD'] }),
      'h.csv',
      tetFields(world),
    ).set('Prefer', 'respond-async');
    expectProblem(badHeader, 400, 'VALIDATION_FAILED');
    startRunner('instance-A');
    expect((await waitForJob(officer, first.body.id)).status).to.equal('succeeded');
  });

  it('when a chunk is run again after its instance stopped having made its cases, then no case or member is made twice and the job finishes the rest', async () => {
    const officer = world.sessions.officer;
    const rows = rowsOf(700, 50);
    const res = await uploadList(officer, csvOf(rows), 'c.csv', tetFields(world));
    expect(res.status).to.equal(202);
    const jobId = res.body.id as string;
    const batchId = res.body.input.batchId as string;
    // One runner, slowed, stopped between chunks once the first chunk is recorded.
    const first = startRunner('instance-A', { itemDelayMs: 1000 });
    await waitForJob(officer, jobId, (j) => j.progress.done >= 250, 60_000);
    await first.stop();
    expect((await Job.findById(jobId).lean())!.status).to.equal('running');
    const made = await Case.countDocuments({ batchId });
    expect(made).to.be.within(245, 499);
    // As if the instance died after making the chunk's cases and before recording the chunk: its outcome is gone.
    await JobItem.deleteOne({ _id: `${jobId}:0` });
    await Job.updateOne({ _id: jobId }, { $set: { leaseUntil: new Date(0) } });

    startRunner('instance-B');
    const job = await waitForJob(officer, jobId);
    expect(job.status, JSON.stringify(job.error)).to.equal('succeeded');
    expect((job.result as unknown as ImportView).counts).to.deep.equal({ rows: 700, created: 686, rejected: 14 });
    await expectStoredOnce(batchId, 686, rows);
    expect((await Job.findById(jobId).lean())!.attempts).to.equal(2);
  });
});
