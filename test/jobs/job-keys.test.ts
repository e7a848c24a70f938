/**
 * A job's items (a list's case ids, in order) are kept in a document of their own, `job_keys`, written once with
 * the job: the job's document, written at every heartbeat, progress step and chunk and read at every poll of a
 * progress bar, stays small. A job stored the earlier way, with its items in itself, is still run to its end.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { allocationsFor } from '../support/funds.js';
import { commandsDuring, readsOf } from '../support/db-reads.js';
import { Case } from '../../src/cases/cases.model.js';
import { jobsRepository } from '../../src/jobs/jobs.repository.js';
import { Job, JobKeys } from '../../src/jobs/jobs.model.js';
import { readJob, startListJob, startRunner, stopRunners, verifiedList, waitForJob } from './job-fixtures.js';

describe('jobs: the items of a job are kept beside it', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
  });
  afterEach(stopRunners);

  it('when a list approval is queued, then its cases are kept in order in job_keys and not in the job, a poll of its progress reads neither, and a runner acts on each', async () => {
    const list = await verifiedList(world, 4);
    const jobId = await startListJob(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const caseIds = list.caseIds.map(String);

    const stored = await Job.collection.findOne({ _id: new mongoose.Types.ObjectId(jobId) });
    expect(stored).to.not.equal(null);
    expect(stored).to.not.have.property('itemKeys');
    expect(stored!.progress).to.deep.equal({ done: 0, total: 4 });
    const keys = await JobKeys.collection.findOne({ _id: new mongoose.Types.ObjectId(jobId) });
    expect(keys?.keys).to.deep.equal(caseIds);

    const sent = await commandsDuring(() => readJob(world.sessions.approver, jobId));
    const jobReads = readsOf(sent, 'jobs');
    expect(jobReads).to.have.length(1);
    expect(jobReads[0]!.projection).to.deep.include({ itemKeys: 0, state: 0 });

    startRunner('instance-A');
    const job = await waitForJob(world.sessions.approver, jobId);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    expect(job.result!.counts).to.deep.include({ ok: 4, failed: 0 });
    const results = job.result!.results as { caseId: string }[];
    expect(results.map((r) => r.caseId)).to.deep.equal(caseIds);
    const cases = await Case.find({ _id: { $in: caseIds } }).lean();
    expect(cases.map((c) => c.status)).to.deep.equal(['approved', 'approved', 'approved', 'approved']);
  });

  it('when a job was stored the earlier way, with its items in itself, then a runner takes it up and acts on every one of them', async () => {
    const list = await verifiedList(world, 3);
    const jobId = await startListJob(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const _id = new mongoose.Types.ObjectId(jobId);
    const caseIds = list.caseIds.map(String);
    // As a job made before its items moved: in the job, and no document in job_keys.
    await Job.collection.updateOne({ _id }, { $set: { itemKeys: caseIds } });
    await JobKeys.collection.deleteOne({ _id });

    startRunner('instance-A');
    const job = await waitForJob(world.sessions.approver, jobId);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');
    expect(job.progress).to.deep.equal({ done: 3, total: 3 });
    expect((job.result!.results as { caseId: string }[]).map((r) => r.caseId)).to.deep.equal(caseIds);
    const cases = await Case.find({ _id: { $in: caseIds } }).lean();
    expect(cases.every((c) => c.status === 'approved')).to.equal(true);
  });

  it('when a job is not made because its Idempotency-Key was taken meanwhile, then its items are not left behind', async () => {
    const job = {
      kind: 'batch.approve',
      createdBy: { id: String(new mongoose.Types.ObjectId()), name: 'Người duyệt' },
      orgPath: [new mongoose.Types.ObjectId(world.province.id)],
      input: {},
      itemKeys: ['a', 'b'],
      requestKey: `keys-test:${String(new mongoose.Types.ObjectId())}`,
    };
    const { job: made } = await jobsRepository.insert(job);
    const before = await JobKeys.countDocuments();
    let refused: unknown = null;
    await jobsRepository.insert(job).catch((error: unknown) => (refused = error));
    expect(refused, 'the second insert under the same key').to.not.equal(null);
    expect(await JobKeys.countDocuments()).to.equal(before);
    expect(await Job.countDocuments({ requestKey: job.requestKey })).to.equal(1);
    expect((await JobKeys.collection.findOne({ _id: made._id }))?.keys).to.deep.equal(['a', 'b']);
    await Job.deleteOne({ _id: made._id });
    await JobKeys.deleteOne({ _id: made._id });
  });
});
