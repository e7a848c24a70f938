/**
 * SPEC §13 + §14: a reorganisation runs as a job on the job runner. A large subtree (more members and cases than
 * JOB_SYNC_LIMIT) or `Prefer: respond-async` answers 202 with `Location: /api/v1/jobs/:id` and the job; the
 * job's progress counts the items moved, its result is the synchronous answer, and a second reorganisation of
 * the same province is 409 while it has not finished (even while it only waits in the queue).
 */
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { Member } from '../../src/members/members.model.js';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { OrgOperation } from '../../src/reorganisation/reorganisation.model.js';
import { PATH_COLLECTIONS } from '../../src/reorganisation/subtree-move.js';
import { User } from '../../src/users/users.model.js';
import { arrange, expectProblem } from '../support/api.js';
import type { Org, ProvinceTree } from '../support/factory.js';
import { testEnv } from '../support/global-setup.js';
import { readJob, startRunner, stopRunners, waitForJob } from '../jobs/job-fixtures.js';
import {
  EFFECTIVE,
  expectNoClaims,
  expectOrgPathsClean,
  moveOk,
  moveWorld,
  REASON,
} from './reorganisation-fixtures.js';

/** Every document of the collections that carry a chain, under `rootId`: what a move of it re-chains. */
async function documentsUnder(rootId: string): Promise<number> {
  const counts = await Promise.all(
    PATH_COLLECTIONS.map((name) =>
      mongoose.connection.db!.collection(name).countDocuments({ orgPath: new Types.ObjectId(rootId) }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

describe('orgs: reorganisation as a job (SPEC §14)', function () {
  this.timeout(120_000);
  let tree: ProvinceTree;
  let upper2: Org;
  let memberIds: string[];

  before(async () => {
    ({ tree, upper2, memberIds } = await moveWorld());
  });
  afterEach(stopRunners);

  it('when a move prefers to be answered at once, then 202 with Location and a queued org.move job; meanwhile another reorganisation of the province is 409; a runner finishes it, counting the items moved', async () => {
    const items = await documentsUnder(tree.grassroots.id);
    const res = await tree.sessions.admin
      .post(`/api/v1/orgs/${tree.grassroots.id}/move`, {
        parentId: upper2.id,
        effectiveDate: EFFECTIVE,
        reason: REASON,
      })
      .set('Prefer', 'respond-async');
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.headers.location).to.equal(`/api/v1/jobs/${res.body.id}`);
    expect(res.body).to.include({ kind: 'org.move', status: 'queued' });
    const operationId = String(res.body.input.operationId);
    expect(res.body.input).to.deep.include({ orgId: tree.grassroots.id });
    // The items: every document of the subtree whose chain is rewritten, plus the organisation's record step and the decisions step.
    expect(res.body.progress).to.deep.equal({ done: 0, total: items + 2 });
    // Nothing has moved yet: no runner in this process.
    expect((await OrgModel.findById(tree.grassroots.id).lean())!.parentId!.toString()).to.equal(tree.upper.id);

    // The subtree is claimed from the moment the job is accepted: a second reorganisation waits for it.
    const before = await OrgOperation.countDocuments();
    expectProblem(
      await tree.sessions.admin.post(`/api/v1/orgs/${tree.sibling.id}/move`, {
        parentId: upper2.id,
        effectiveDate: EFFECTIVE,
        reason: REASON,
      }),
      409,
      'CONFLICT',
    );
    expect(await OrgOperation.countDocuments()).to.equal(before);
    // And it cannot be cancelled.
    expectProblem(await tree.sessions.admin.post(`/api/v1/jobs/${res.body.id}/cancel`, {}), 409, 'INVALID_TRANSITION');

    startRunner('instance-A');
    const job = await waitForJob(tree.sessions.admin, res.body.id);
    expect(job.status).to.equal('succeeded');
    expect(job.progress).to.deep.equal({ done: items + 2, total: items + 2 });
    const operation = await arrange<Record<string, unknown>>(
      tree.sessions.admin.get(`/api/v1/org-operations/${operationId}`),
      200,
    );
    expect(job.result).to.deep.equal(operation);
    expect(job.result).to.include({ id: operationId, kind: 'move', status: 'succeeded' });
    expect(operation.progress).to.deep.equal(job.progress);

    // Stored state after: the organisation, its members and its users carry the new chain, once.
    const chain = [tree.province.orgPath[0], tree.province.id, upper2.id, tree.grassroots.id];
    const org = (await OrgModel.findById(tree.grassroots.id).lean())!;
    expect(org.orgPath.map(String)).to.deep.equal(chain);
    expect(org.history.filter((h) => h.event === 'moved')).to.have.length(1);
    for (const id of memberIds) expect((await Member.findById(id).lean())!.orgPath.map(String)).to.deep.equal(chain);
    for (const user of await User.find({ orgId: tree.grassroots.id }).lean())
      expect(user.orgPath.map(String)).to.deep.equal(chain);
    await expectNoClaims(operationId);
    await expectOrgPathsClean(tree.province.id);
    // The starter's job list shows it.
    const list = await arrange<{ items: { id: string; kind: string }[] }>(
      tree.sessions.admin.get('/api/v1/jobs?kind=org.move'),
      200,
    );
    expect(list.items.map((j) => j.id)).to.include(res.body.id);
  });

  it('when the subtree holds more members and cases than JOB_SYNC_LIMIT, then the move answers 202 without Prefer; a small one answers 200 with the operation and the job kept', async () => {
    const config = loadConfig({ ...testEnv().env, JOB_SYNC_LIMIT: '2' });
    const small = createApp({ config, logger: createLogger('silent') });
    const move = (orgId: string, parentId: string) =>
      request(small)
        .post(`/api/v1/orgs/${orgId}/move`)
        .set('Authorization', `Bearer ${tree.sessions.admin.token}`)
        .send({ parentId, effectiveDate: EFFECTIVE, reason: REASON });

    // Three members (more than 2): a job answered at once.
    const accepted = await move(tree.grassroots.id, tree.upper.id);
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    expect(accepted.body).to.include({ kind: 'org.move', status: 'queued' });
    startRunner('instance-A');
    const job = await waitForJob(tree.sessions.admin, accepted.body.id);
    expect(job.status).to.equal('succeeded');
    expect((await OrgModel.findById(tree.grassroots.id).lean())!.parentId!.toString()).to.equal(tree.upper.id);

    // The sibling has no members or cases: run within the request, answered 200 with the finished operation.
    const direct = await move(tree.sibling.id, upper2.id);
    expect(direct.status, JSON.stringify(direct.body)).to.equal(200);
    expect(direct.body).to.include({ kind: 'move', status: 'succeeded' });
    expect(direct.body.progress.done).to.equal(direct.body.progress.total);
    const kept = await readJob(tree.sessions.admin, String(direct.headers.location).split('/').pop()!);
    expect(kept).to.include({ kind: 'org.move', status: 'succeeded' });
    expect(kept.result).to.deep.equal(direct.body);
    await expectOrgPathsClean(tree.province.id);
    // Back where it was, through the ordinary app (its own sync limit).
    await moveOk(tree.sessions.admin, tree.sibling.id, tree.upper.id);
  });
});
