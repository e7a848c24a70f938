/**
 * SPEC §14: a list chunk whose report totals were stopped half-way (a crash in the middle of their writes, or a
 * write that failed) is left `applying` in `report_runs`; once its job has ended, the service queues a report
 * rebuild on its own (report-runs.ts `repairPartlyCountedRuns`), and the figures agree with the cases and payments
 * again. Here a year document that refuses the chunk's `$inc` stops the writes after the buckets, which leaves the
 * same record and the same kind of partly counted figures as a kill -9 between them.
 */
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { arrange, loginAdmin, type Session } from '../support/api.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { approvedFrom, createFund, paymentBody, payOk } from '../funds/fixtures.js';
import { killServiceProcesses, startServiceProcess } from '../jobs/service-process.js';
import {
  runListJob,
  startListJob,
  startRunner,
  stopRunners,
  submittedList,
  waitForJob,
  type JobView,
} from '../jobs/job-fixtures.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { checkReportTotals, purgeSpentReportRuns, repairPartlyCountedRuns } from '../../src/reports/index.js';
import { DEFAULT_FINISH_AFTER_MS, singleWorkKeptMs } from '../../src/core/shared/single-work.js';
import { MAX_REPAIR_TRIES } from '../../src/reports/report-runs.js';
import { ReportRun } from '../../src/reports/reports.model.js';
import { collectionNames, totalsState } from '../../src/reports/store.js';

/** A logger whose lines the test reads (warn and above, as the service logs these). */
function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

const activeRebuilds = () =>
  Job.find({ kind: 'reports.rebuild', status: { $in: ['queued', 'running'] } }, { _id: 1 }).lean();
const runsOf = (jobId: string) =>
  ReportRun.find({ _id: new RegExp(`^${jobId}:`) })
    .sort({ _id: 1 })
    .lean();

describe('reports: list chunks whose report totals were stopped half-way are rebuilt on their own', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  let admin: Session;

  before(async () => {
    world = await caseWorld();
    admin = await loginAdmin();
  });
  afterEach(async () => {
    await stopRunners();
    await killServiceProcesses();
  });

  /** The grassroots union's year figures made to refuse any $inc: each chunk's buckets are written, its years not. */
  const breakYearFigures = async () => {
    const { generation } = await totalsState();
    const years = mongoose.connection.db!.collection(collectionNames(generation).years);
    const broken = await years.updateMany(
      { orgId: world.grassroots.id, year: { $exists: true } },
      { $set: { g: 'hỏng' } },
    );
    expect(broken.modifiedCount).to.be.at.least(1);
    return generation;
  };

  it('when a list verify stops in its chunks’ report totals, then once its job has ended one rebuild is queued by racing instances, a cancelled one is followed by another, and the figures agree again', async () => {
    const list = await submittedList(world, 5);
    const generation = await breakYearFigures();

    // A chunk still in flight (its job running) is not the repair's business.
    const running = await Job.create({
      kind: 'test.running',
      status: 'running',
      createdBy: { id: 'u', name: 'Người thử' },
      orgPath: [world.province.id],
    });
    await ReportRun.create({ _id: `${String(running._id)}:0`, state: 'applying', at: new Date() });

    const { jobId } = await runListJob(world.sessions.verifier, list.batch.id, 'verify', {}, 2);
    await stopRunners();
    const left = await runsOf(jobId);
    expect(left.map((run) => run.state)).to.deep.equal(['applying', 'applying', 'applying']);
    expect((await checkReportTotals()).differences).to.not.be.empty;

    // Three instances' rounds at once queue one rebuild, on behalf of the national administrator.
    const { logger, lines } = capturedLogger();
    const rounds = await Promise.all([1, 2, 3].map(() => repairPartlyCountedRuns(logger)));
    const firstRebuild = rounds[0]!.rebuildJobId!;
    expect(firstRebuild).to.be.a('string');
    expect(rounds.map((r) => r.rebuildJobId)).to.deep.equal([firstRebuild, firstRebuild, firstRebuild]);
    expect((await activeRebuilds()).map((j) => String(j._id))).to.deep.equal([firstRebuild]);
    const queued = (await Job.findById(firstRebuild).lean())!;
    expect(queued.createdBy?.name).to.be.a('string').and.not.empty;
    expect(queued.orgPath).to.have.length(1);
    expect((queued.input as { repairOf: string[] }).repairOf).to.include.members(left.map((run) => run._id));
    expect((await runsOf(jobId)).map((run) => [String(run.repairJob), run.repairTries])).to.deep.equal(
      left.map(() => [firstRebuild, 1]),
    );
    expect(lines.filter((l) => l.msg.includes('a report rebuild was queued'))).to.have.length.at.least(1);
    const inFlight = (await ReportRun.findById(`${String(running._id)}:0`).lean())!;
    expect(inFlight.repairJob).to.equal(null);

    // The administrator cancels it before it starts: the next round queues another.
    const cancelled = await arrange<JobView>(admin.post(`/api/v1/jobs/${firstRebuild}/cancel`, {}), 200);
    expect(cancelled.status).to.equal('cancelled');
    expect((await Job.findById(firstRebuild).lean())!.status).to.equal('cancelled');
    const second = await repairPartlyCountedRuns(logger);
    expect(second.rebuildJobId).to.be.a('string').and.not.equal(firstRebuild);
    expect((await runsOf(jobId)).map((run) => [String(run.repairJob), run.repairTries])).to.deep.equal(
      left.map(() => [second.rebuildJobId, 2]),
    );

    startRunner('instance-A');
    const rebuilt = await waitForJob(admin, second.rebuildJobId!, undefined, 120_000);
    expect(rebuilt.status, JSON.stringify(rebuilt)).to.equal('succeeded');
    expect((rebuilt.result as { cancelled: boolean }).cancelled).to.equal(false);
    expect((await totalsState()).generation).to.not.equal(generation);

    const after = await repairPartlyCountedRuns(logger);
    expect(after.repaired).to.be.at.least(left.length);
    expect(await runsOf(jobId)).to.deep.equal([]);
    expect((await checkReportTotals()).differences).to.deep.equal([]);
    // Still running: still waiting, with no rebuild of its own.
    expect((await ReportRun.findById(`${String(running._id)}:0`).lean())!.repairJob).to.equal(null);
    await Promise.all([Job.deleteOne({ _id: running._id }), ReportRun.deleteOne({ _id: `${String(running._id)}:0` })]);
  });

  it('when a single payment stops in its report totals, then once it is older than PAYMENT_FINISH_AFTER_MS a rebuild is queued and the figures agree again; the records of payments counted whole go after an hour', async () => {
    const fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    const whole = await payOk(
      world.sessions.accountant,
      (await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }])).id,
      paymentBody(fund.id),
    );
    const wholeRun = `pay:${whole.id}`;
    expect(await ReportRun.findById(wholeRun).lean()).to.deep.include({ state: 'applied' });
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const generation = await breakYearFigures();
    const paid = await payOk(world.sessions.accountant, view.id, paymentBody(fund.id));
    const mark = `pay:${paid.id}`;
    expect(await ReportRun.findById(mark).lean(), 'left partly counted').to.deep.include({ state: 'applying' });
    expect((await checkReportTotals()).differences).to.not.be.empty;

    // Its request may still be at it: nothing is queued while the record is younger than PAYMENT_FINISH_AFTER_MS.
    const { logger } = capturedLogger();
    expect((await repairPartlyCountedRuns(logger, 60_000)).rebuildJobId).to.equal(null);
    expect(await activeRebuilds()).to.deep.equal([]);
    await sleep(1_100);
    const rounds = await Promise.all([1, 2, 3].map(() => repairPartlyCountedRuns(logger, 1_000)));
    const rebuildId = rounds[0]!.rebuildJobId!;
    expect(rebuildId).to.be.a('string');
    expect((await activeRebuilds()).map((j) => String(j._id))).to.deep.equal([rebuildId]);
    expect(String((await ReportRun.findById(mark).lean())!.repairJob)).to.equal(rebuildId);

    startRunner('instance-A');
    const rebuilt = await waitForJob(admin, rebuildId, undefined, 120_000);
    expect(rebuilt.status, JSON.stringify(rebuilt)).to.equal('succeeded');
    expect((await totalsState()).generation).to.not.equal(generation);
    expect((await repairPartlyCountedRuns(logger, 1_000)).repaired).to.be.at.least(1);
    expect(await ReportRun.findById(mark).lean()).to.equal(null);
    expect((await checkReportTotals()).differences).to.deep.equal([]);

    // The record of the payment counted whole stays while a stalled request could still tell it, then goes.
    await purgeSpentReportRuns();
    expect(await ReportRun.findById(wholeRun).lean()).to.not.equal(null);
    await ReportRun.updateOne(
      { _id: wholeRun },
      { $set: { at: new Date(Date.now() - singleWorkKeptMs(DEFAULT_FINISH_AFTER_MS) - 1_000) } },
    );
    expect(await purgeSpentReportRuns()).to.be.at.least(1);
    expect(await ReportRun.findById(wholeRun).lean()).to.equal(null);
  });

  it(`when a chunk's figures were rebuilt ${MAX_REPAIR_TRIES} times without success, then no rebuild is queued any more and an operator is told, once an hour whatever the instances`, async () => {
    const ended = await Job.create({
      kind: 'test.ended',
      status: 'failed',
      createdBy: { id: 'u', name: 'Người thử' },
      orgPath: [world.province.id],
      finishedAt: new Date(),
    });
    const mark = `${String(ended._id)}:0`;
    await ReportRun.create({ _id: mark, state: 'applying', at: new Date(), repairTries: MAX_REPAIR_TRIES });
    const { logger, lines } = capturedLogger();
    const round = await repairPartlyCountedRuns(logger);
    expect(round.rebuildJobId).to.equal(null);
    expect(await activeRebuilds()).to.deep.equal([]);
    const told = () => lines.filter((l) => l.level === 50 && l.msg.includes('npm run reports:rebuild'));
    expect(told()).to.have.length(1);
    expect((await ReportRun.findById(mark).lean())!.repairJob).to.equal(null);
    // Every instance's next rounds say nothing more within the hour; after it, one of three racing rounds says it again.
    await Promise.all([1, 2, 3].map(() => repairPartlyCountedRuns(logger)));
    expect(told()).to.have.length(1);
    await ReportRun.updateOne({ _id: mark }, { $set: { toldAt: new Date(Date.now() - 2 * 60 * 60_000) } });
    await Promise.all([1, 2, 3].map(() => repairPartlyCountedRuns(logger)));
    expect(told()).to.have.length(2);
    await Promise.all([Job.deleteOne({ _id: ended._id }), ReportRun.deleteOne({ _id: mark })]);
  });

  it('when the service itself meets such a list and is killed with kill -9 while the rebuild it queued runs, then the next start finishes that rebuild and the figures agree again', async () => {
    const list = await submittedList(world, 6);
    await breakYearFigures();
    const env = {
      JOB_ITEM_DELAY_MS: '250',
      JOB_LEASE_MS: '3000',
      JOB_CHUNK: '2',
      REPORT_REPAIR_EVERY_MS: '300',
      REPORT_REBUILD_DRAIN_MS: '300',
      REPORT_REBUILD_CHUNK: '5',
    };
    const jobId = await startListJob(world.sessions.verifier, list.batch.id, 'verify', {});
    const first = await startServiceProcess(env);
    const verified = await waitForJob(world.sessions.verifier, jobId, undefined, 60_000);
    expect(verified.status, JSON.stringify(verified)).to.equal('succeeded');
    const left = await runsOf(jobId);
    expect(left.map((run) => run.state)).to.deep.equal(['applying', 'applying', 'applying']);

    // The service's own round queues the rebuild; it is killed while that rebuild counts.
    const repairOf = async () => {
      const runs = await runsOf(jobId);
      return runs[0]?.repairJob ? String(runs[0].repairJob) : null;
    };
    const deadline = Date.now() + 60_000;
    while (!(await repairOf()) && Date.now() < deadline) await sleep(100);
    const rebuildId = (await repairOf())!;
    expect(rebuildId, first.output()).to.be.a('string');
    await waitForJob(admin, rebuildId, (j) => j.status === 'running' && j.progress.done > 0, 120_000);
    await first.kill9();
    expect((await Job.findById(rebuildId).lean())!.status).to.equal('running');
    expect(await runsOf(jobId)).to.have.length(3);

    const second = await startServiceProcess(env);
    const rebuilt = await waitForJob(admin, rebuildId, undefined, 240_000);
    expect(rebuilt.status, JSON.stringify(rebuilt)).to.equal('succeeded');
    expect((await Job.findById(rebuildId).lean())!.attempts).to.equal(2);
    const gone = Date.now() + 30_000;
    while ((await runsOf(jobId)).length && Date.now() < gone) await sleep(100);
    expect(await runsOf(jobId), second.output()).to.deep.equal([]);
    expect((await checkReportTotals()).differences).to.deep.equal([]);
    expect(await activeRebuilds()).to.deep.equal([]);
  });
});
