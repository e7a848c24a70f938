/**
 * SPEC §14: rebuilding the report totals is a job, and the service keeps serving while it runs. Every case
 * and payment that changes meanwhile counts exactly once in the new figures; the swap reaches every reader at
 * once; a cancel changes nothing for readers; a rebuild killed with kill -9 is finished by the next start.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { api, arrange, expectProblem, login, loginAdmin, type Session } from '../support/api.js';
import { createUser, PASSWORD } from '../support/factory.js';
import { testEnv } from '../support/global-setup.js';
import { caseAt, caseWorld, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approveBody,
  approvedFrom,
  createFund,
  paymentBody,
  payOk,
  secondAccountant,
  today,
  verifiedCase,
  type FundJson,
} from '../funds/fixtures.js';
import { actOk } from '../cases/case-fixtures.js';
import { readJob, startRunner, stopRunners, waitForJob, type JobView } from '../jobs/job-fixtures.js';
import { killServiceProcesses, startServiceProcess } from '../jobs/service-process.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { registerRebuildJob } from '../../src/reports/rebuild-job.js';
import { collectionNames, totalsState } from '../../src/reports/store.js';

const db = () => mongoose.connection.db!;
const marksOf = (generation: number) => db().collection('report_marks').countDocuments({ generation });
const collectionsNow = async () => new Set((await db().listCollections().toArray()).map((c) => c.name));
/** How many submitted cases and settled entries a rebuild reads now. */
const readable = async () =>
  (await db()
    .collection('cases')
    .countDocuments({ submittedDay: { $ne: null } })) +
  (await db()
    .collection('disbursements')
    .countDocuments({ status: { $in: ['paid', 'reversed', 'reversal'] } }));

describe('reports: the totals rebuilt as a job while the service serves', function () {
  this.timeout(300_000);
  let world: CaseWorld;
  let fund: FundJson;
  let admin: Session;
  let checker: Session;

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 5_000_000_000 });
    checker = await secondAccountant(world);
    admin = await loginAdmin();
    // A few of every kind of record, so that the scan meets cases, payments and reversals.
    for (let i = 0; i < 3; i += 1) {
      const house = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
      const paid = await payOk(world.sessions.accountant, house.id, paymentBody(fund.id));
      if (i === 0)
        await arrange(checker.post(`/api/v1/disbursements/${paid.id}/reverse`, { reason: 'Chi nhầm số tài khoản' }));
    }
    await caseAt(world, 'submitted', 'tet_gift');
  });
  afterEach(async () => {
    await stopRunners();
    await killServiceProcesses();
    const { config } = testEnv();
    registerRebuildJob({
      drainMs: config.jobs.reportDrainMs,
      chunk: config.jobs.reportChunk,
      chunkDelayMs: config.jobs.itemDelayMs,
    });
  });

  const start = () => arrange<JobView>(admin.post('/api/v1/reports/rebuild', {}), 202);
  /** A rebuild started by an administrator of its own, whom a test can disable while the job's instance is down. */
  const startAsOwnAdmin = async () => {
    const starter = await createUser(admin, admin.user.orgId, ['admin']);
    const session = await login(starter.username, PASSWORD);
    const job = await arrange<JobView>(session.post('/api/v1/reports/rebuild', {}), 202);
    const disableStarter = () => arrange(admin.patch(`/api/v1/users/${starter.id}`, { active: false }), 200);
    return { job, session, disableStarter };
  };
  /** The generation a rebuild switched in, once its build has ended (the job's state holds `ending`). */
  const endingOf = async (jobId: string): Promise<number> => {
    for (let tries = 0; ; tries += 1) {
      const held = (await Job.findById(jobId).lean())!.state as { ending?: number } | null;
      if (held?.ending !== undefined && (await totalsState()).building === null) return held.ending;
      expect(tries, 'the rebuild reaches its end').to.be.below(2400);
      await new Promise((done) => setTimeout(done, 50));
    }
  };
  /** Small chunks with a pause before each: about ten chunks, so that a test can act while it runs. */
  const slowly = async () => {
    registerRebuildJob({ drainMs: 1000, chunk: Math.max(2, Math.ceil((await readable()) / 10)), chunkDelayMs: 250 });
  };

  it('refuses whoever is not a national administrator, a body with fields, and no sign-in, and starts nothing', async () => {
    expectProblem(await world.sessions.admin.post('/api/v1/reports/rebuild', {}), 403, 'FORBIDDEN');
    expectProblem(await world.sessions.accountant.post('/api/v1/reports/rebuild', {}), 403, 'FORBIDDEN');
    expectProblem(await admin.post('/api/v1/reports/rebuild', { orgId: world.province.id }), 400, 'VALIDATION_FAILED');
    const anonymous = await api().post('/api/v1/reports/rebuild').send({});
    expectProblem(anonymous, 401, 'UNAUTHENTICATED');
    expect(await Job.countDocuments({ kind: 'reports.rebuild', status: { $in: ['queued', 'running'] } })).to.equal(0);
  });

  it('when cases are submitted, approved, paid and reversed while it runs, then each counts once in the new figures, which replace the old at once', async () => {
    const verified: CaseView[] = [];
    for (let i = 0; i < 3; i += 1) verified.push(await verifiedCase(world, 'tet_gift'));
    const approved: CaseView[] = [];
    for (let i = 0; i < 3; i += 1) approved.push(await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]));
    const before = await totalsState();
    await slowly();
    const job = await start();
    expect(job.kind).to.equal('reports.rebuild');
    startRunner('rebuild-a');
    await waitForJob(admin, job.id, (j) => j.progress.done > 0);
    expect((await totalsState()).building).to.include({ phase: 'building', jobId: job.id });

    // Live changes while the scan runs: new cases, approvals, payments and a reversal.
    const acts: (() => Promise<unknown>)[] = [
      ...verified.map(
        (v) => () =>
          actOk(
            world.sessions.approver,
            v.id,
            'approve',
            approveBody(v, [{ fundId: fund.id, amount: v.recommendedAmount! }]),
          ),
      ),
      ...approved.map((a) => () => payOk(world.sessions.accountant, a.id, paymentBody(fund.id))),
      () => caseAt(world, 'submitted', 'tet_gift'),
      () => caseAt(world, 'verified', 'disaster_relief'),
    ];
    let during = 0;
    for (const act of acts) {
      await act();
      if ((await readJob(admin, job.id)).status === 'running') during += 1;
    }
    const done = await waitForJob(admin, job.id, undefined, 240_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    expect(during, 'changes made while the rebuild ran').to.be.greaterThan(2);
    expect(done.result).to.include({ generation: done.result!.generation, cancelled: false });

    const after = await totalsState();
    expect(after.generation).to.equal(done.result!.generation).and.to.be.greaterThan(before.generation);
    expect(after.building).to.equal(null);
    const names = await collectionsNow();
    expect(names.has(collectionNames(before.generation).buckets), 'the old generation is dropped').to.equal(false);
    expect(names.has(collectionNames(after.generation).buckets)).to.equal(true);
    expect(await marksOf(after.generation)).to.equal(0);
    // The stored figures are what the cases and payments give, the live changes included once.
    const check = await checkReportTotals();
    expect(check.differences, JSON.stringify(check.differences.slice(0, 5))).to.deep.equal([]);

    // After the swap, a change reaches the new figures (and only them).
    const paidAfter = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await payOk(world.sessions.accountant, paidAfter.id, paymentBody(fund.id));
    expect((await checkReportTotals()).differences).to.deep.equal([]);
  });

  it('answers 409 to a second rebuild and to a reorganisation while one runs, and a cancel leaves the figures as they were', async () => {
    const before = await totalsState();
    await slowly();
    const job = await start();
    startRunner('rebuild-b');
    await waitForJob(admin, job.id, (j) => j.progress.done > 0);
    expectProblem(await admin.post('/api/v1/reports/rebuild', {}), 409, 'CONFLICT');
    const move = await admin.post(`/api/v1/orgs/${world.grassroots.id}/move`, {
      parentId: world.province.id,
      effectiveDate: today(),
      reason: 'Sắp xếp lại tổ chức công đoàn',
    });
    expectProblem(move, 409, 'CONFLICT');
    const building = (await totalsState()).building!;

    await arrange(admin.post(`/api/v1/jobs/${job.id}/cancel`, {}), 200);
    const cancelled = await waitForJob(admin, job.id);
    expect(cancelled.status).to.equal('cancelled');
    const after = await totalsState();
    expect(after).to.deep.equal({ generation: before.generation, building: null });
    expect((await collectionsNow()).has(collectionNames(building.generation).buckets)).to.equal(false);
    expect(await marksOf(building.generation)).to.equal(0);
    expect((await checkReportTotals()).differences).to.deep.equal([]);
  });

  it('when the service is killed with kill -9 in the middle of a rebuild, then the next start builds it again and finishes it, nothing counted twice', async () => {
    const before = await totalsState();
    const env = {
      JOB_ITEM_DELAY_MS: '250',
      JOB_LEASE_MS: '3000',
      REPORT_REBUILD_DRAIN_MS: '300',
      REPORT_REBUILD_CHUNK: String(Math.max(2, Math.ceil((await readable()) / 10))),
    };
    const job = await start();
    const first = await startServiceProcess(env);
    await waitForJob(admin, job.id, (j) => j.progress.done > 0, 120_000);
    const abandoned = (await totalsState()).building!.generation;
    await first.kill9();
    expect((await Job.findById(job.id).lean())!.status).to.equal('running');

    await startServiceProcess(env);
    const done = await waitForJob(admin, job.id, undefined, 240_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    expect((await Job.findById(job.id).lean())!.attempts).to.equal(2);
    const after = await totalsState();
    expect(after.building).to.equal(null);
    expect(after.generation).to.be.greaterThan(abandoned);
    const names = await collectionsNow();
    for (const gone of [abandoned, before.generation])
      expect(names.has(collectionNames(gone).buckets), `generation ${gone} dropped`).to.equal(false);
    expect(await marksOf(abandoned)).to.equal(0);
    expect((await checkReportTotals()).differences).to.deep.equal([]);
  });

  it('when the service is killed in the sweep after the switch, between marking a chunk seen and counting it, then the next start builds the figures again instead of losing that chunk', async () => {
    const before = await totalsState();
    const env = {
      // One chunk per scan, a pause before it, and in the sweep after the switch between marking and counting.
      JOB_ITEM_DELAY_MS: '3000',
      JOB_LEASE_MS: '3000',
      REPORT_REBUILD_DRAIN_MS: '3000',
      REPORT_REBUILD_CHUNK: '10000',
    };
    const job = await start();
    const first = await startServiceProcess(env);
    let state = await totalsState();
    for (let tries = 0; state.building?.phase !== 'switching'; tries += 1) {
      expect(tries, 'the rebuild reaches its switch').to.be.below(1200);
      await new Promise((done) => setTimeout(done, 100));
      state = await totalsState();
    }
    const switched = state.building!.generation;
    // During the drain: a case the scan never met, submitted now, is left to the sweep after the switch.
    await caseAt(world, 'submitted', 'tet_gift');
    for (let tries = 0; ; tries += 1) {
      const held = (await Job.findById(job.id).lean())!.state as { sweepInFlight?: boolean } | null;
      if (held?.sweepInFlight) break;
      expect(tries, 'the sweep after the switch marks a chunk seen').to.be.below(600);
      await new Promise((done) => setTimeout(done, 50));
    }
    await first.kill9();
    expect((await totalsState()).generation).to.equal(switched);

    await startServiceProcess({ ...env, JOB_ITEM_DELAY_MS: '0' });
    const done = await waitForJob(admin, job.id, undefined, 240_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    // Counted once: without building again, the case submitted during the drain was missing here.
    expect((await checkReportTotals()).differences).to.deep.equal([]);
    const after = await totalsState();
    expect(after.building).to.equal(null);
    expect(after.generation).to.be.greaterThan(switched);
    const names = await collectionsNow();
    for (const gone of [switched, before.generation])
      expect(names.has(collectionNames(gone).buckets), `generation ${gone} dropped`).to.equal(false);
    expect(await marksOf(switched)).to.equal(0);
  });

  it('when the service is killed after the last sweep, while the build ends and its marks are dropped, then the next start only cleans up: the switched-in figures stay, nothing is built again', async () => {
    const before = await totalsState();
    const env = {
      // One chunk per scan and a long drain: the kill falls inside the drain after the build ended.
      JOB_ITEM_DELAY_MS: '0',
      JOB_LEASE_MS: '3000',
      REPORT_REBUILD_DRAIN_MS: '6000',
      REPORT_REBUILD_CHUNK: '10000',
    };
    const job = await start();
    const first = await startServiceProcess(env);
    const ending = await endingOf(job.id);
    await first.kill9();
    expect((await Job.findById(job.id).lean())!.status).to.equal('running');
    expect((await totalsState()).generation).to.equal(ending);
    expect(await marksOf(ending)).to.be.greaterThan(0);

    await startServiceProcess(env);
    const done = await waitForJob(admin, job.id, undefined, 240_000);
    expect(done.status, JSON.stringify(done)).to.equal('succeeded');
    expect((await Job.findById(job.id).lean())!.attempts).to.equal(2);
    // Built once: the generation the first attempt switched in is still the current one (a second build takes a newer).
    const after = await totalsState();
    expect(after).to.deep.equal({ generation: ending, building: null });
    expect((done.result as { generation?: number } | null)?.generation).to.equal(ending);
    expect(await marksOf(ending)).to.equal(0);
    expect((await collectionsNow()).has(collectionNames(before.generation).buckets)).to.equal(false);
    expect((await checkReportTotals()).differences).to.deep.equal([]);
  });

  it('when the starter of a rebuild is disabled and its instance killed after the last sweep, then the job fails, the switched-in figures stay, and its marks and the replaced generation are dropped', async () => {
    const before = await totalsState();
    const env = {
      JOB_ITEM_DELAY_MS: '0',
      JOB_LEASE_MS: '3000',
      REPORT_REBUILD_DRAIN_MS: '6000',
      REPORT_REBUILD_CHUNK: '10000',
    };
    const { job, disableStarter } = await startAsOwnAdmin();
    const first = await startServiceProcess(env);
    const ending = await endingOf(job.id);
    await first.kill9();
    expect(await marksOf(ending)).to.be.greaterThan(0);
    await disableStarter();

    await startServiceProcess(env);
    const failed = await waitForJob(admin, job.id, undefined, 120_000);
    expect(failed.status).to.equal('failed');
    expect(failed.error!.code).to.equal('UNAUTHENTICATED');
    // The build had ended: its figures are complete and stay; nothing was left behind.
    expect(await totalsState()).to.deep.equal({ generation: ending, building: null });
    expect(await marksOf(ending)).to.equal(0);
    const collections = await collectionsNow();
    expect(collections.has(collectionNames(before.generation).buckets)).to.equal(false);
    expect(collections.has(collectionNames(ending).buckets)).to.equal(true);
    expect((await checkReportTotals()).differences).to.deep.equal([]);
  });

  it('when the starter of a rebuild is disabled and its instance killed half-way, then the job fails and leaves the figures and the state as they were, free for the next rebuild', async () => {
    const before = await totalsState();
    const env = {
      JOB_ITEM_DELAY_MS: '250',
      JOB_LEASE_MS: '3000',
      REPORT_REBUILD_DRAIN_MS: '300',
      REPORT_REBUILD_CHUNK: String(Math.max(2, Math.ceil((await readable()) / 10))),
    };
    const { job, session, disableStarter } = await startAsOwnAdmin();
    const first = await startServiceProcess(env);
    await waitForJob(session, job.id, (j) => j.progress.done > 0, 120_000);
    const abandoned = (await totalsState()).building!.generation;
    await first.kill9();
    await disableStarter();

    await startServiceProcess(env);
    const failed = await waitForJob(admin, job.id, undefined, 120_000);
    expect(failed.status).to.equal('failed');
    expect(failed.error!.code).to.equal('UNAUTHENTICATED');
    expect(await totalsState()).to.deep.equal({ generation: before.generation, building: null });
    expect((await collectionsNow()).has(collectionNames(abandoned).buckets)).to.equal(false);
    expect(await marksOf(abandoned)).to.equal(0);
    expect((await checkReportTotals()).differences).to.deep.equal([]);
    await killServiceProcesses();
    startRunner('rebuild-after-failure');
    const next = await start();
    expect((await waitForJob(admin, next.id, undefined, 120_000)).status).to.equal('succeeded');
  });
});
