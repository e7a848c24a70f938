/**
 * Long work as jobs (SPEC §14): list actions answer 202 with a job past the sync limit or when the client
 * prefers it, runners in the database take them up, share the queue, stop on cancel, and nobody outside the
 * job's scope sees it. The job's result is the answer the synchronous call gives.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { arrange, expectProblem } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { foreignProvince } from '../support/provinces.js';
import { allocationsFor } from '../support/funds.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { batchAction } from '../batches/batch-fixtures.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { Case } from '../../src/cases/cases.model.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { Disbursement } from '../../src/disbursements/index.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { purgeLeftJobResults } from '../../src/jobs/index.js';
import { resultStore } from '../../src/jobs/result-store.js';
import { purgeSpentReportRuns } from '../../src/reports/index.js';
import { ReportRun } from '../../src/reports/reports.model.js';
import {
  listPaymentBody,
  readJob,
  startRunner,
  stopRunners,
  verifiedList,
  waitForJob,
  type JobView,
} from './job-fixtures.js';

function historyCount(record: { history: { action: string }[] }, action: string): number {
  return record.history.filter((h) => h.action === action).length;
}

describe('jobs: list actions and list payments as jobs', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = allocationsFor(world.province.id, 1)[0]!.fundId;
  });
  afterEach(stopRunners);

  it('when an approval prefers to be answered at once, then 202 with Location and a queued job, which a runner finishes with the synchronous answer', async () => {
    const list = await verifiedList(world, 3);
    const res = await world.sessions.approver
      .post(`/api/v1/batches/${list.batch.id}/approve`, { fundId })
      .set('Prefer', 'respond-async');
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.headers.location).to.equal(`/api/v1/jobs/${res.body.id}`);
    expect(res.body).to.include({ kind: 'batch.approve', status: 'queued' });
    expect(res.body.progress).to.deep.equal({ done: 0, total: 3 });
    // Nothing runs it in this process until a runner starts: the cases still wait.
    expect((await Case.find({ batchId: list.batch.id }).lean()).map((c) => c.status)).to.deep.equal([
      'verified',
      'verified',
      'verified',
    ]);

    startRunner('instance-A');
    const job = await waitForJob(world.sessions.approver, res.body.id);
    expect(job.status).to.equal('succeeded');
    expect(job.progress).to.deep.equal({ done: 3, total: 3 });
    expect(job.result!.counts).to.deep.equal({ ok: 3, failed: 0, excluded: 0, skipped: 0 });
    const decision = job.result!.decision as { id: string; caseCount: number };
    expect(decision.caseCount).to.equal(3);
    const stored = await Case.find({ batchId: list.batch.id }).lean();
    expect(
      stored.every(
        (c) => c.status === 'approved' && String(c.decisionId) === decision.id && historyCount(c, 'approve') === 1,
      ),
    ).to.equal(true);
    expect(await Decision.countDocuments({ caseIds: { $in: stored.map((c) => c._id) } })).to.equal(1);
  });

  it('when the same approver approves a case of a queued list alone before the runner reaches it, then the list reports it skipped, not as its own', async () => {
    const list = await verifiedList(world, 3);
    const res = await world.sessions.approver
      .post(`/api/v1/batches/${list.batch.id}/approve`, { fundId })
      .set('Prefer', 'respond-async');
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const [first] = list.caseIds;
    const view = (await world.sessions.approver.get(`/api/v1/cases/${first}`)).body as {
      revision: number;
      recommendedAmount: number;
    };
    const single = await world.sessions.approver.post(`/api/v1/cases/${first}/approve`, {
      revision: view.revision,
      approvedAmount: view.recommendedAmount,
      fundAllocations: [{ fundId, amount: view.recommendedAmount }],
    });
    expect(single.status, JSON.stringify(single.body)).to.equal(200);

    startRunner('instance-A');
    const job = await waitForJob(world.sessions.approver, res.body.id);
    expect(job.status).to.equal('succeeded');
    expect(job.result!.counts).to.deep.equal({ ok: 2, failed: 0, excluded: 0, skipped: 1 });
    const results = job.result!.results as { caseId: string; outcome: string }[];
    expect(results.find((r) => r.caseId === first)!.outcome).to.equal('skipped');
    const stored = await Case.findById(first).lean();
    expect(historyCount(stored!, 'approve')).to.equal(1);
    expect(String(stored!.decisionId)).to.equal(single.body.decisionId);
  });

  it('when a list has more cases than JOB_SYNC_LIMIT, then the action answers 202 even without Prefer; at or under it, the answer comes at once', async () => {
    const env = testEnv();
    const config = loadConfig({ ...env.env, JOB_SYNC_LIMIT: '2' });
    const small = createApp({ config, logger: createLogger('silent') });
    const big = await verifiedList(world, 3);
    const two = await verifiedList(world, 2);
    const post = (batchId: string) =>
      request(small)
        .post(`/api/v1/batches/${batchId}/approve`)
        .set('Authorization', `Bearer ${world.sessions.approver.token}`)
        .send({ fundId });

    const accepted = await post(big.batch.id);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    const direct = await post(two.batch.id);
    expect(direct.status, JSON.stringify(direct.body)).to.equal(200);
    expect(direct.body.counts.ok).to.equal(2);
    // The synchronous answer is a job's result too, kept for reading again.
    const kept = await readJob(world.sessions.approver, String(direct.headers.location).split('/').pop()!);
    expect(kept).to.include({ status: 'succeeded' });
    expect(kept.result).to.deep.equal(direct.body);

    startRunner('instance-A');
    const job = await waitForJob(world.sessions.approver, accepted.body.id);
    expect(job.result!.counts).to.deep.equal({ ok: 3, failed: 0, excluded: 0, skipped: 0 });
  });

  it('when two instances share the queue, then each job is run by one of them and every case is acted on exactly once', async () => {
    const lists = await Promise.all([1, 2, 3, 4].map(() => verifiedList(world, 3)));
    const ids: string[] = [];
    for (const list of lists) {
      const res = await world.sessions.approver
        .post(`/api/v1/batches/${list.batch.id}/approve`, { fundId })
        .set('Prefer', 'respond-async');
      expect(res.status).to.equal(202);
      ids.push(res.body.id as string);
    }
    startRunner('instance-A', { itemDelayMs: 100 });
    startRunner('instance-B', { itemDelayMs: 100 });
    const jobs = await Promise.all(ids.map((id) => waitForJob(world.sessions.approver, id)));
    expect(jobs.map((j) => j.status)).to.deep.equal(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const stored = await Job.find({ _id: { $in: ids } }).lean();
    expect(new Set(stored.map((j) => j.leaseOwner))).to.deep.equal(new Set(['instance-A', 'instance-B']));
    expect(stored.every((j) => j.attempts === 1)).to.equal(true);
    const cases = await Case.find({ batchId: { $in: lists.map((l) => l.batch.id) } }).lean();
    expect(cases).to.have.length(12);
    expect(cases.every((c) => c.status === 'approved' && historyCount(c, 'approve') === 1)).to.equal(true);
    expect(await Decision.countDocuments({ caseIds: { $in: cases.map((c) => c._id) } })).to.equal(4);
  });

  it('when the starter cancels a running job, then it stops between chunks of cases, what was done stays done and is reported, and the rest is untouched', async () => {
    const list = await verifiedList(world, 16);
    const res = await world.sessions.approver
      .post(`/api/v1/batches/${list.batch.id}/approve`, { fundId })
      .set('Prefer', 'respond-async');
    // The approval takes its cases a chunk at a time, two chunks at once: chunks of two, so that there is a between.
    startRunner('instance-A', { itemDelayMs: 400, chunk: 2 });
    await waitForJob(world.sessions.approver, res.body.id, (j) => j.progress.done >= 1);
    // Someone else in scope cannot cancel it: the verifier does not even see it; the province admin sees it but did not start it.
    expectProblem(await world.sessions.verifier.post(`/api/v1/jobs/${res.body.id}/cancel`), 404, 'NOT_FOUND');
    expectProblem(await world.sessions.admin.post(`/api/v1/jobs/${res.body.id}/cancel`), 403, 'FORBIDDEN');
    const asked = await arrange<JobView>(world.sessions.approver.post(`/api/v1/jobs/${res.body.id}/cancel`), 200);
    expect(asked.cancelRequested).to.equal(true);

    const job = await waitForJob(world.sessions.approver, res.body.id);
    expect(job.status).to.equal('cancelled');
    const done = job.progress.done;
    expect(done).to.be.within(1, 15);
    const counts = job.result!.counts!;
    expect(counts.ok).to.equal(done);
    const cases = await Case.find({ batchId: list.batch.id }).lean();
    expect(cases.filter((c) => c.status === 'approved')).to.have.length(done);
    expect(cases.filter((c) => c.status === 'verified')).to.have.length(16 - done);
    // The cases approved before the cancel have their one decision.
    expect((job.result!.decision as { caseCount: number }).caseCount).to.equal(done);
    expectProblem(await world.sessions.approver.post(`/api/v1/jobs/${res.body.id}/cancel`), 409, 'INVALID_TRANSITION');
  });

  it("when jobs are listed or read, then the starter sees theirs, an admin their subtree's, and another province nothing", async () => {
    const list = await verifiedList(world, 1);
    const res = await world.sessions.approver
      .post(`/api/v1/batches/${list.batch.id}/return`, { reason: 'Thiếu giấy xác nhận hoàn cảnh' })
      .set('Prefer', 'respond-async');
    expect(res.status).to.equal(202);
    const id = res.body.id as string;
    const mine = await arrange<{ items: JobView[] }>(
      world.sessions.approver.get(`/api/v1/jobs?batchId=${list.batch.id}`),
      200,
    );
    expect(mine.items.map((j) => j.id)).to.deep.equal([id]);
    // The province admin sees every job on the list in its subtree: the officer's import (a list of one row is
    // imported by a job the request runs itself) and submit, the verifier's verify, this return.
    const admins = await arrange<{ items: JobView[] }>(
      world.sessions.admin.get(`/api/v1/jobs?batchId=${list.batch.id}`),
      200,
    );
    expect(admins.items.map((j) => j.kind)).to.deep.equal([
      'batch.return',
      'batch.verify',
      'batch.submit',
      'batch.import',
    ]);
    expect(admins.items[0]!.id).to.equal(id);
    const officers = await arrange<{ items: JobView[] }>(
      world.sessions.officer.get(`/api/v1/jobs?batchId=${list.batch.id}`),
      200,
    );
    expect(officers.items.map((j) => j.kind)).to.deep.equal(['batch.submit', 'batch.import']);
    expectProblem(await world.sessions.officer.get(`/api/v1/jobs/${id}`), 404, 'NOT_FOUND');
    const foreign = await foreignProvince();
    expectProblem(await foreign.sessions.admin.get(`/api/v1/jobs/${id}`), 404, 'NOT_FOUND');
    expectProblem(await world.sessions.approver.get('/api/v1/jobs/not-an-id'), 400, 'VALIDATION_FAILED');
    startRunner('instance-A');
    expect((await waitForJob(world.sessions.approver, id)).status).to.equal('succeeded');
  });

  it('when an accountant pays a whole list, then each case gets one payment under one voucher, the same key answers the same job, and a list of bank transfers names its file', async () => {
    const list = await verifiedList(world, 3);
    await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const key = randomUUID();
    const body = listPaymentBody();
    const first = await world.sessions.accountant
      .post(`/api/v1/batches/${list.batch.id}/pay`, body)
      .set('Idempotency-Key', key);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body.counts).to.deep.equal({ paid: 3, failed: 0, skipped: 0 });
    expect(first.body.totalAmount).to.equal(3_000_000);
    expect(first.body.transferList).to.equal(null);

    const again = await world.sessions.accountant
      .post(`/api/v1/batches/${list.batch.id}/pay`, body)
      .set('Idempotency-Key', key);
    expect(again.status).to.equal(201);
    expect(again.body).to.deep.equal(first.body);
    expectProblem(
      await world.sessions.accountant
        .post(`/api/v1/batches/${list.batch.id}/pay`, { ...body, note: 'khác' })
        .set('Idempotency-Key', key),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expectProblem(
      await world.sessions.accountant.post(`/api/v1/batches/${list.batch.id}/pay`, body),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await world.sessions.approver
        .post(`/api/v1/batches/${list.batch.id}/pay`, body)
        .set('Idempotency-Key', randomUUID()),
      403,
      'FORBIDDEN',
    );

    const payments = await Disbursement.find({ caseId: { $in: list.caseIds } }).lean();
    expect(payments).to.have.length(3);
    expect(
      payments.every((p) => p.voucherNo === body.voucherNo && p.status === 'paid' && p.amount === 1_000_000),
    ).to.equal(true);
    const cases = await Case.find({ batchId: list.batch.id }).lean();
    expect(cases.every((c) => c.status === 'disbursed')).to.equal(true);

    // A second run of the list (another key) pays nothing more: every case is paid in full.
    const second = await arrange<{ counts: Record<string, number> }>(
      world.sessions.accountant
        .post(`/api/v1/batches/${list.batch.id}/pay`, listPaymentBody())
        .set('Idempotency-Key', randomUUID()),
      201,
    );
    expect(second.counts).to.deep.equal({ paid: 0, failed: 0, skipped: 3 });
    expect(await Disbursement.countDocuments({ caseId: { $in: list.caseIds } })).to.equal(3);
  });
  it('when a job answers more than JOB_RESULT_INLINE_BYTES (a list of 50,000 outcomes is 20 MB, beyond a document), then its result is kept in GridFS and answered whole, also to a repeat of the request', async () => {
    const list = await verifiedList(world, 3);
    await batchAction(world.sessions.approver, list.batch.id, 'approve', { fundId });
    const config = loadConfig({ ...testEnv().env, JOB_RESULT_INLINE_BYTES: '300' });
    const small = createApp({ config, logger: createLogger('silent') });
    const key = randomUUID();
    const body = listPaymentBody();
    const pay = () =>
      request(small)
        .post(`/api/v1/batches/${list.batch.id}/pay`)
        .set('Authorization', `Bearer ${world.sessions.accountant.token}`)
        .set('Idempotency-Key', key)
        .send(body);
    const first = await pay();
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body.counts).to.deep.equal({ paid: 3, failed: 0, skipped: 0 });
    expect(first.body.results).to.have.length(3);
    const id = String(first.headers.location).split('/').pop()!;
    const stored = await Job.findById(id).lean();
    expect(stored!.result).to.equal(null);
    expect(stored!.resultFile).to.not.equal(null);
    const file = await mongoose.connection.db!.collection('job_results.files').findOne({ _id: stored!.resultFile! });
    expect(file!.length).to.be.greaterThan(300);
    expect((await readJob(world.sessions.accountant, id)).result).to.deep.equal(first.body);

    // The same key and body answer the same, read back from GridFS.
    const again = await pay();
    expect(again.status, JSON.stringify(again.body)).to.equal(201);
    expect(again.body).to.deep.equal(first.body);

    // A job run by a runner keeps its result the same way.
    const next = await verifiedList(world, 3);
    const queued = await world.sessions.approver
      .post(`/api/v1/batches/${next.batch.id}/approve`, { fundId })
      .set('Prefer', 'respond-async');
    expect(queued.status, JSON.stringify(queued.body)).to.equal(202);
    startRunner('instance-A', { resultInlineBytes: 300 });
    const job = await waitForJob(world.sessions.approver, queued.body.id);
    expect(job.status).to.equal('succeeded');
    expect(job.result!.counts).to.deep.equal({ ok: 3, failed: 0, excluded: 0, skipped: 0 });
    expect((await Job.findById(queued.body.id).lean())!.resultFile).to.not.equal(null);
  });
  it('when the periodic clean-up runs, then only result files and report run records no job can need again go', async () => {
    const kind = 'test.cleanup';
    const job = (status: 'succeeded' | 'running') =>
      Job.create({ kind, status, createdBy: { id: 'u', name: 'Người thử' }, orgPath: [world.province.id] });
    const [ended, running] = [await job('succeeded'), await job('running')];
    const kept = await resultStore.save(ended._id, '{"kept":true}');
    const left = await resultStore.save(ended._id, '{"left":true}');
    const inFlight = await resultStore.save(running._id, '{"writing":true}');
    await Job.updateOne({ _id: ended._id }, { $set: { resultFile: kept } });
    const runs = [
      { _id: `${String(ended._id)}:a`, state: 'applied' },
      { _id: `${String(ended._id)}:b`, state: 'applying' },
      { _id: `${String(running._id)}:c`, state: 'applied' },
      { _id: `not-a-job-${randomUUID()}`, state: 'applied' },
    ];
    await ReportRun.insertMany(runs.map((run) => ({ ...run, at: new Date() })));
    const files = () =>
      mongoose.connection
        .db!.collection('job_results.files')
        .find({ _id: { $in: [kept, left, inFlight] } })
        .toArray()
        .then((found) => found.map((f) => String(f._id)).sort());
    const chunksOf = (id: mongoose.Types.ObjectId) =>
      mongoose.connection.db!.collection('job_results.chunks').countDocuments({ files_id: id });
    const storedRuns = async () =>
      (await ReportRun.find({ _id: { $in: runs.map((run) => run._id) } }).lean()).map((run) => run._id).sort();

    expect(await purgeLeftJobResults()).to.be.at.least(1);
    expect(await purgeSpentReportRuns()).to.be.at.least(1);
    expect(await files()).to.deep.equal([String(kept), String(inFlight)].sort());
    expect(await chunksOf(left)).to.equal(0);
    expect(await storedRuns()).to.deep.equal(
      runs
        .slice(1)
        .map((run) => run._id)
        .sort(),
    );
    expect(await resultStore.read(kept)).to.deep.equal({ kept: true });

    // Once the running job ends naming its file, that file stays and its run record goes.
    await Job.updateOne({ _id: running._id }, { $set: { status: 'succeeded', resultFile: inFlight } });
    await purgeLeftJobResults();
    await purgeSpentReportRuns();
    expect(await files()).to.deep.equal([String(kept), String(inFlight)].sort());
    expect(await storedRuns()).to.deep.equal([runs[1]!._id, runs[3]!._id].sort());
  });
});
