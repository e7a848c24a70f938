/**
 * Arrangement helpers for the job tests: lists standing at a step, runners in the test process (each with its
 * own owner id, as two instances of the service would be), and waiting for a job through the API.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Session } from '../support/api.js';
import { vnToday, type CaseWorld } from '../cases/case-fixtures.js';
import { batchAction, importTet, listRow, type ImportView } from '../batches/batch-fixtures.js';
import { createLogger } from '../../src/core/logger.js';
import { JobRunner } from '../../src/jobs/index.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { testEnv } from '../support/global-setup.js';

export interface JobView {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number; total: number };
  createdBy: { id: string; name: string };
  cancelRequested: boolean;
  result: (Record<string, unknown> & { counts?: Record<string, number> }) | null;
  error: { code: string; detail: string } | null;
}

const FINAL = ['succeeded', 'failed', 'cancelled'];

const GIVEN = ['An', 'Bình', 'Cúc', 'Dũng', 'Đào', 'Giang', 'Hà', 'Khánh', 'Lan', 'Minh', 'Nga', 'Phúc'];

/** A list of `count` Tết cases, submitted through the list endpoint. */
export async function submittedList(world: CaseWorld, count: number): Promise<ImportView> {
  const imported = await importTet(
    world,
    Array.from({ length: count }, (_, i) => listRow({ fullName: `Nguyễn Thị ${GIVEN[i % GIVEN.length]!}` })),
  );
  expect((await batchAction(world.sessions.officer, imported.batch.id, 'submit')).counts.ok).to.equal(count);
  return imported;
}

/** A list of `count` Tết cases, submitted and verified through the list endpoints. */
export async function verifiedList(world: CaseWorld, count: number): Promise<ImportView> {
  const imported = await submittedList(world, count);
  expect((await batchAction(world.sessions.verifier, imported.batch.id, 'verify')).counts.ok).to.equal(count);
  return imported;
}

const runners: JobRunner[] = [];

/** A runner as an instance of the service runs one, with short leases so that a takeover is quick. */
export function startRunner(
  owner: string,
  settings: {
    leaseMs?: number;
    itemDelayMs?: number;
    resultInlineBytes?: number;
    chunk?: number;
    retryMs?: number;
  } = {},
): JobRunner {
  const runner = new JobRunner(
    {
      leaseMs: settings.leaseMs ?? 3000,
      pollMs: 50,
      itemDelayMs: settings.itemDelayMs ?? 0,
      resultInlineBytes: settings.resultInlineBytes ?? testEnv().config.jobs.resultInlineBytes,
      chunk: settings.chunk ?? 0,
      retryMs: settings.retryMs ?? 100,
      logger: createLogger('silent'),
    },
    owner,
  );
  runner.start();
  runners.push(runner);
  return runner;
}

export async function stopRunners(): Promise<void> {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
}

export async function readJob(session: Session, id: string): Promise<JobView> {
  const res = await session.get(`/api/v1/jobs/${id}`);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body as JobView;
}

/** Polls the job until `until` holds (by default: it has ended). */
export async function waitForJob(
  session: Session,
  id: string,
  until: (job: JobView) => boolean = (j) => FINAL.includes(j.status),
  timeoutMs = 60_000,
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await readJob(session, id);
    if (until(job)) return job;
    if (Date.now() > deadline)
      throw new Error(`job ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await sleep(100);
  }
}

/** A list action started as a job (`Prefer: respond-async`, 202); answers the job's id. No runner is started. */
export async function startListJob(session: Session, batchId: string, action: string, body: object): Promise<string> {
  const started = await session.post(`/api/v1/batches/${batchId}/${action}`, body).set('Prefer', 'respond-async');
  expect(started.status, JSON.stringify(started.body)).to.equal(202);
  return String(started.body.id);
}

/** A list action as a job that a runner takes in chunks of `chunk` and brings to `succeeded`. */
export async function runListJob(session: Session, batchId: string, action: string, body: object, chunk: number) {
  const jobId = await startListJob(session, batchId, action, body);
  startRunner('instance-A', { chunk });
  const job = await waitForJob(session, jobId, undefined, 60_000);
  expect(job.status, JSON.stringify(job)).to.equal('succeeded');
  return { jobId, job };
}

export function listPaymentBody(voucherNo = `PC-DS-${randomUUID().slice(0, 8)}`) {
  return { method: 'cash', paidAt: vnToday(), voucherNo, note: 'Chi quà Tết cả danh sách' };
}

/**
 * The job as an instance that lost it leaves it: running, its lease expired, begun a minute ago, with `state` (the
 * chunk it had in hand). The next runner takes it up as a second attempt.
 */
export async function leftByLostInstance(jobId: string, state: Record<string, unknown>): Promise<void> {
  await Job.updateOne(
    { _id: jobId },
    {
      $set: {
        status: 'running',
        leaseOwner: 'dead',
        leaseToken: 'dead',
        leaseUntil: new Date(0),
        attempts: 1,
        startedAt: new Date(Date.now() - 60_000),
        state,
      },
    },
  );
}
