/**
 * SPEC §13, §14: a reorganisation is a job, resumable and exclusive. The real service (src/server.ts) runs in a
 * child process on the test database with a pause before each step; it is killed with SIGKILL midway through a
 * move's job, and the next start's job runner takes the job over once its lease has run out and finishes the
 * move from where it stopped. Meanwhile a second reorganisation of the same province answers 409.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { builtScript, projectRoot } from '../support/built-service.js';
import { Member } from '../../src/members/members.model.js';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { OrgOperation } from '../../src/reorganisation/reorganisation.model.js';
import { expectProblem } from '../support/api.js';
import type { Org, ProvinceTree } from '../support/factory.js';
import { testEnv } from '../support/global-setup.js';
import {
  EFFECTIVE,
  expectNoClaims,
  expectOrgPathsClean,
  moveOk,
  moveWorld,
  REASON,
} from './reorganisation-fixtures.js';

interface Child {
  process: ChildProcessWithoutNullStreams;
  base: string;
  exited: Promise<unknown>;
  output: () => string;
}
const children: Child[] = [];

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** The service on the test database, its own process group so that SIGKILL takes it whole. */
async function startService(stepDelayMs: number): Promise<Child> {
  let port = 0;
  for (let i = 0; i < 50 && !port; i += 1) {
    const candidate = randomInt(20000, 32000);
    if (await canListen(candidate)) port = candidate;
  }
  const env = {
    ...testEnv().env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    REORG_STEP_DELAY_MS: String(stepDelayMs),
    // Short leases and polls: the next instance takes the dead one's job over within seconds.
    JOB_LEASE_MS: '2000',
    JOB_POLL_MS: '100',
  };
  const child = spawn(process.execPath, builtScript('server'), {
    cwd: projectRoot,
    env,
    stdio: 'pipe',
    detached: true,
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output = (output + c).slice(-8000)));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output = (output + c).slice(-8000)));
  const service: Child = {
    process: child,
    base: `http://127.0.0.1:${port}`,
    exited: new Promise((done) => child.once('exit', done)),
    output: () => output,
  };
  children.push(service);
  const deadline = Date.now() + 60_000;
  while (!output.includes(`"port":${port}`)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the service did not start:\n${output}`);
    await sleep(100);
  }
  return service;
}

async function killHard(service: Child): Promise<void> {
  process.kill(-service.process.pid!, 'SIGKILL');
  await service.exited;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe('orgs: reorganisation — resumable and exclusive', function () {
  this.timeout(180_000);
  let tree: ProvinceTree;
  let upper2: Org;
  let memberIds: string[];

  before(async () => {
    ({ tree, upper2, memberIds } = await moveWorld());
  });

  afterEach(async () => {
    for (const child of children.splice(0))
      if (child.process.exitCode === null && child.process.signalCode === null) await killHard(child);
  });

  it('when the service is killed with SIGKILL midway through a move, then a second reorganisation of the province meanwhile is 409, and the restarted service finishes the move once', async () => {
    const first = await startService(400);
    const res = await fetch(`${first.base}/api/v1/orgs/${tree.grassroots.id}/move`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${tree.sessions.admin.token}`,
        Prefer: 'respond-async',
      },
      body: JSON.stringify({ parentId: upper2.id, effectiveDate: EFFECTIVE, reason: REASON }),
    });
    const job = (await res.json()) as { id: string; kind: string; status: string; input: { operationId: string } };
    expect(res.status, JSON.stringify(job)).to.equal(202);
    expect(res.headers.get('location')).to.equal(`/api/v1/jobs/${job.id}`);
    expect(job.kind).to.equal('org.move');
    const accepted = { id: job.input.operationId };

    // Midway: some steps done, not all; the job, run by the service's job runner, shows the items moved so far.
    const stepsDone = async () => (await OrgOperation.findById(accepted.id).lean())!.steps.filter((s) => s.done).length;
    await waitFor('three steps done', stepsDone, (n) => n >= 3);
    const midway = await waitFor(
      'the job to show progress',
      async () =>
        (await tree.sessions.admin.get(`/api/v1/jobs/${job.id}`)).body as {
          status: string;
          progress: { done: number; total: number };
        },
      (j) => j.progress.done > 0,
    );
    expect(midway.status).to.equal('running');
    expect(midway.progress.done).to.be.below(midway.progress.total);
    // A reorganisation cannot be stopped half-way.
    expectProblem(await tree.sessions.admin.post(`/api/v1/jobs/${job.id}/cancel`, {}), 409, 'INVALID_TRANSITION');

    // Another reorganisation of the same province while it runs: 409, and nothing of it is stored.
    const operationsBefore = await OrgOperation.countDocuments();
    expectProblem(
      await tree.sessions.admin.post(`/api/v1/orgs/${tree.sibling.id}/move`, {
        parentId: upper2.id,
        effectiveDate: EFFECTIVE,
        reason: REASON,
      }),
      409,
      'CONFLICT',
    );
    expect(await OrgOperation.countDocuments()).to.equal(operationsBefore);

    const progress = await tree.sessions.admin.get(`/api/v1/org-operations/${accepted.id}`);
    expect(progress.status).to.equal(200);
    expect(progress.body.status).to.equal('running');

    await killHard(first);
    const stopped = (await OrgOperation.findById(accepted.id).lean())!;
    expect(stopped.status).to.equal('running');
    const done = stopped.steps.filter((s) => s.done).length;
    expect(done, 'killed midway').to.be.within(1, stopped.steps.length - 1);

    await startService(0);
    await waitFor(
      'the move to finish',
      async () => (await OrgOperation.findById(accepted.id).lean())!.status,
      (s) => s === 'succeeded',
    );
    const finished = await waitFor(
      'the job to finish',
      async () =>
        (await tree.sessions.admin.get(`/api/v1/jobs/${job.id}`)).body as {
          status: string;
          progress: { done: number; total: number };
          result: { id: string; status: string };
        },
      (j) => j.status !== 'running' && j.status !== 'queued',
    );
    expect(finished.status).to.equal('succeeded');
    expect(finished.progress.done).to.equal(finished.progress.total);
    expect(finished.result).to.include({ id: accepted.id, status: 'succeeded' });
    expect((await Job.findById(job.id).lean())!.attempts, 'taken over by the second instance').to.be.at.least(2);

    const chain = [tree.province.orgPath[0], tree.province.id, upper2.id, tree.grassroots.id];
    const org = (await OrgModel.findById(tree.grassroots.id).lean())!;
    expect(org.orgPath.map(String)).to.deep.equal(chain);
    expect(
      org.history.filter((h) => h.event === 'moved'),
      'the history entry is written once',
    ).to.have.length(1);
    for (const id of memberIds) expect((await Member.findById(id).lean())!.orgPath.map(String)).to.deep.equal(chain);
    await expectNoClaims(accepted.id);
    await expectOrgPathsClean(tree.province.id);
    // The province is free again.
    await moveOk(tree.sessions.admin, tree.sibling.id, upper2.id);
  });
});
