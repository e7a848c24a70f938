/**
 * A job's items (a list's case ids, in order) are kept in a document of their own, `job_keys`, written once with
 * the job: the job's document, written at every heartbeat, progress step and chunk and read at every poll of a
 * progress bar, stays small. A job stored the earlier way, with its items in itself, is still run to its end.
 * A job that ends with its result (succeeded, cancelled) drops its items and their outcomes (`job_items`); a failed
 * job keeps them; the periodic purge drops those a crash left.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { allocationsFor } from '../support/funds.js';
import { commandsDuring, readsOf } from '../support/db-reads.js';
import { Case } from '../../src/cases/cases.model.js';
import { purgeEndedJobWork } from '../../src/jobs/cleanup.js';
import { jobsRepository } from '../../src/jobs/jobs.repository.js';
import { Job, JobItem, JobKeys } from '../../src/jobs/jobs.model.js';
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

  it('when a list approval succeeds, then its items and their outcomes are dropped, and its result still answers every case', async () => {
    const list = await verifiedList(world, 3);
    const jobId = await startListJob(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const _id = new mongoose.Types.ObjectId(jobId);
    expect(await JobKeys.countDocuments({ _id })).to.equal(1);

    startRunner('instance-A');
    const job = await waitForJob(world.sessions.approver, jobId);
    expect(job.status, JSON.stringify(job)).to.equal('succeeded');

    expect(await JobKeys.countDocuments({ _id })).to.equal(0);
    expect(await JobItem.countDocuments({ jobId: _id })).to.equal(0);
    const again = await readJob(world.sessions.approver, jobId);
    expect(again.progress).to.deep.equal({ done: 3, total: 3 });
    const results = again.result!.results as { caseId: string; outcome: string }[];
    expect(results.map((r) => r.caseId)).to.deep.equal(list.caseIds.map(String));
    expect(
      results.every((r) => r.outcome === 'ok'),
      JSON.stringify(results),
    ).to.equal(true);
  });

  it('when a queued job is cancelled, then its items go with it', async () => {
    const list = await verifiedList(world, 2);
    const jobId = await startListJob(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const _id = new mongoose.Types.ObjectId(jobId);

    const res = await world.sessions.approver.post(`/api/v1/jobs/${jobId}/cancel`, {});
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await readJob(world.sessions.approver, jobId)).status).to.equal('cancelled');
    expect(await JobKeys.countDocuments({ _id })).to.equal(0);
    const cases = await Case.find({ _id: { $in: list.caseIds } }).lean();
    expect(cases.map((c) => c.status)).to.deep.equal(['verified', 'verified']);
  });

  it('when a crash left the items of ended jobs, then the purge drops those of succeeded and cancelled jobs and keeps those of failed and running ones', async () => {
    const made = async (status: string, keys: string[]) => {
      const { job } = await jobsRepository.insert({
        kind: 'batch.approve',
        createdBy: { id: String(new mongoose.Types.ObjectId()), name: 'Người duyệt' },
        orgPath: [new mongoose.Types.ObjectId(world.province.id)],
        input: {},
        itemKeys: keys,
      });
      await jobsRepository.recordItems(
        job._id,
        keys.map((key) => ({ key, outcome: { outcome: 'ok' } })),
      );
      await Job.updateOne({ _id: job._id }, { $set: { status } });
      return job._id;
    };
    const succeeded = await made('succeeded', ['a', 'b']);
    const cancelled = await made('cancelled', ['c']);
    const failed = await made('failed', ['d', 'e']);
    const running = await made('running', ['f']);
    // Outcomes an instance that lost its job recorded after the job ended and dropped its items.
    const late = await made('succeeded', ['g']);
    await JobKeys.deleteOne({ _id: late });

    expect(await purgeEndedJobWork()).to.be.at.least(3);

    for (const jobId of [succeeded, cancelled, late]) {
      expect(await JobKeys.countDocuments({ _id: jobId }), `items of ${String(jobId)}`).to.equal(0);
      expect(await JobItem.countDocuments({ jobId }), `outcomes of ${String(jobId)}`).to.equal(0);
    }
    expect((await JobKeys.collection.findOne({ _id: failed }))?.keys).to.deep.equal(['d', 'e']);
    expect(await JobItem.countDocuments({ jobId: failed })).to.equal(2);
    expect((await JobKeys.collection.findOne({ _id: running }))?.keys).to.deep.equal(['f']);
    expect(await JobItem.countDocuments({ jobId: running })).to.equal(1);
    expect(await Job.countDocuments({ _id: { $in: [succeeded, cancelled, failed, running, late] } })).to.equal(5);
    await Job.deleteMany({ _id: { $in: [failed, running] } });
    await jobsRepository.dropWork(failed);
    await jobsRepository.dropWork(running);
  });
});
