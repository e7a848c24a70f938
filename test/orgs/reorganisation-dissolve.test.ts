/**
 * SPEC §13 dissolve and §3 ended memberships: a district-level union dissolved into its province (the Hà Tĩnh
 * shape), a grassroots union whose members left the union, and a grassroots union taken over by another.
 */
import { expect } from 'chai';
import { Case } from '../../src/cases/cases.model.js';
import { Member } from '../../src/members/members.model.js';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { api, arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { createOrg, memberBody, PASSWORD, userSession, type Org } from '../support/factory.js';
import {
  act,
  bodyFor,
  caseAt,
  caseBody,
  caseWorld,
  newCase,
  storedCase,
  vnToday,
  type CaseWorld,
} from '../cases/case-fixtures.js';
import { expectReconciled } from '../funds/fixtures.js';
import { checkReportTotals } from '../../src/reports/index.js';
import {
  EFFECTIVE,
  expectOrgPathsClean,
  REASON,
  statuses,
  storedOrgPath,
  type OperationView,
} from './reorganisation-fixtures.js';

async function dissolveOk(admin: Session, orgId: string, body: Record<string, unknown>): Promise<OperationView> {
  const op = await arrange<OperationView>(
    admin.post(`/api/v1/orgs/${orgId}/dissolve`, { effectiveDate: EFFECTIVE, reason: REASON, ...body }),
    200,
  );
  expect(op.status).to.equal('succeeded');
  return op;
}

describe('orgs: reorganisation — dissolve', function () {
  this.timeout(90_000);
  let world: CaseWorld;
  let root: Session;

  /** The same province seen through a second upper union that stays (its verifier returns cases). */
  let other: CaseWorld;

  before(async () => {
    [world, root] = await Promise.all([caseWorld(), loginAdmin()]);
    const upper3 = await createOrg(root, world.province.id, 'upper', 'Công đoàn Khu công nghiệp');
    other = {
      ...world,
      upper: upper3,
      sessions: { ...world.sessions, verifier: await userSession(root, upper3.id, ['verifier']) },
    };
  });

  it('when an upper union is dissolved into its province, then its grassroots unions, members and cases go directly under the province, and it and its users can no longer act', async () => {
    const s = world.sessions;
    const submitted = await caseAt(world, 'submitted');
    const closedBefore = JSON.stringify((await storedCase(submitted.id)).history);
    expect(
      (await api().post('/api/v1/auth/login').send({ username: s.verifier.user.username, password: PASSWORD })).status,
    ).to.equal(200);

    await dissolveOk(s.admin, world.upper.id, { successorId: world.province.id });

    const upper = (await OrgModel.findById(world.upper.id).lean())!;
    expect(upper).to.deep.include({ status: 'dissolved', active: false, dissolvedAt: EFFECTIVE });
    expect(String(upper.successorId)).to.equal(world.province.id);
    // After the `created` entry of POST /orgs.
    expect(upper.history.map((h) => [h.event, h.to?.id, h.reason])).to.deep.equal([
      ['created', world.upper.id, ''],
      ['dissolved', world.province.id, REASON],
    ]);
    for (const child of [world.grassroots, world.sibling]) {
      const org = (await OrgModel.findById(child.id).lean())!;
      expect(String(org.parentId)).to.equal(world.province.id);
      expect(org.orgPath.map(String)).to.deep.equal([world.province.orgPath[0], world.province.id, child.id]);
      expect(
        org.history.filter((h) => h.event !== 'created').map((h) => [h.event, h.from?.name, h.to?.name]),
      ).to.deep.equal([['moved', world.upper.name, world.province.name]]);
    }
    expect((await storedCase(submitted.id)).orgPath.map(String)).to.deep.equal([
      world.province.orgPath[0],
      world.province.id,
      world.grassroots.id,
    ]);
    expect(JSON.stringify((await storedCase(submitted.id)).history)).to.equal(closedBefore);

    // Its users: the open session ends at once, and they cannot sign in again.
    expectProblem(await s.verifier.get('/api/v1/cases'), 401, 'UNAUTHENTICATED');
    expectProblem(await s.upperAdmin.get(`/api/v1/orgs/${world.upper.id}`), 401, 'UNAUTHENTICATED');
    expectProblem(
      await api().post('/api/v1/auth/login').send({ username: s.verifier.user.username, password: PASSWORD }),
      401,
      'UNAUTHENTICATED',
    );
    // The grassroots unions still work, now seen from the province.
    expect(await statuses([s.officer, s.admin], `/api/v1/cases/${submitted.id}`)).to.deep.equal([200, 200]);

    // Nothing new goes under it, and it cannot be dissolved or moved again.
    expectProblem(
      await root.post('/api/v1/orgs', {
        code: 'X-DISSOLVED-CHILD',
        name: 'Công đoàn cơ sở mới',
        shortName: 'CĐCS mới',
        level: 'grassroots',
        parentId: world.upper.id,
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await s.admin.post(`/api/v1/orgs/${world.upper.id}/dissolve`, {
        effectiveDate: EFFECTIVE,
        reason: REASON,
        successorId: world.province.id,
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await s.admin.post(`/api/v1/orgs/${world.grassroots.id}/move`, {
        parentId: world.upper.id,
        effectiveDate: EFFECTIVE,
        reason: REASON,
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectOrgPathsClean(world.province.id);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when a grassroots union is dissolved with endMemberships, then its members are no longer eligible, drafts and returned cases are withdrawn with the reason, and submitted cases go on', async () => {
    const s = world.sessions;
    const union = await createOrg(root, other.upper.id, 'grassroots', 'Công đoàn cơ sở Trường học');
    const officer = await userSession(root, union.id, ['grassroots_officer']);
    const options = { officer, orgId: union.id };
    const { view: draft } = await newCase(other, 'tet_gift', options);
    const returned = await caseAt(other, 'returned', 'tet_gift', options);
    const submitted = await caseAt(other, 'submitted', 'tet_gift', options);
    const bad = await s.admin.post(`/api/v1/orgs/${union.id}/dissolve`, {
      effectiveDate: EFFECTIVE,
      reason: REASON,
      endMemberships: true,
      successorId: world.province.id,
    });
    expectProblem(bad, 400, 'VALIDATION_FAILED');

    await dissolveOk(s.admin, union.id, { endMemberships: true });

    for (const c of [draft, returned]) {
      const stored = await storedCase(c.id);
      expect(stored.status).to.equal('cancelled');
      expect(stored.history.at(-1)).to.deep.include({ action: 'withdraw', from: c.status, to: 'cancelled' });
      expect(stored.history.at(-1)!.note).to.include(REASON);
    }
    expect((await storedCase(submitted.id)).status).to.equal('submitted');
    const member = (await Member.findById(draft.memberId).lean())!;
    expect(member).to.deep.include({ membershipEndedAt: EFFECTIVE, membershipEndReason: REASON });
    expect((await OrgModel.findById(union.id).lean())!.status).to.equal('dissolved');
    expectProblem(await officer.get('/api/v1/cases'), 401, 'UNAUTHENTICATED');
    expectProblem(await s.admin.post('/api/v1/members', memberBody(union.id)), 400, 'VALIDATION_FAILED');
    expect(await Case.countDocuments({ orgId: union.id, status: 'draft' })).to.equal(0);
  });

  it("when a member's membership has ended, then a new case for them and the submission of their draft answer 422 NOT_ELIGIBLE", async () => {
    const s = world.sessions;
    const { member, view } = await newCase(world, 'tet_gift');
    await Member.updateOne(
      { _id: member.id },
      { $set: { membershipEndedAt: EFFECTIVE, membershipEndReason: 'Chuyển công tác ra ngoài ngành' } },
    );
    expectProblem(await s.officer.post('/api/v1/cases', caseBody(world, 'tet_gift', member.id)), 422, 'NOT_ELIGIBLE');
    expectProblem(await act(s.officer, view.id, 'submit', bodyFor('submit', view)), 422, 'NOT_ELIGIBLE');
    expect((await storedCase(view.id)).status).to.equal('draft');
  });

  it('when a grassroots union is dissolved into another one, then its members and open cases belong to the successor, and closed ones stay where they happened', async () => {
    const s = world.sessions;
    const union: Org = await createOrg(root, other.upper.id, 'grassroots', 'Công đoàn cơ sở Chi nhánh');
    const officer = await userSession(root, union.id, ['grassroots_officer']);
    const submitted = await caseAt(other, 'submitted', 'tet_gift', { officer, orgId: union.id });
    const rejected = await caseAt(other, 'rejected', 'tet_gift', { officer, orgId: union.id });
    expectProblem(
      await s.admin.post(`/api/v1/orgs/${union.id}/dissolve`, {
        effectiveDate: EFFECTIVE,
        reason: REASON,
        successorId: world.province.id,
      }),
      400,
      'VALIDATION_FAILED',
    );

    await dissolveOk(s.admin, union.id, { successorId: world.sibling.id });

    const successorPath = await storedOrgPath(world.sibling.id);
    const open = await storedCase(submitted.id);
    expect(String(open.orgId)).to.equal(world.sibling.id);
    expect(open.orgPath.map(String)).to.deep.equal(successorPath);
    expect(String((await Member.findById(submitted.memberId).lean())!.orgId)).to.equal(world.sibling.id);
    expect(String((await storedCase(rejected.id)).orgId)).to.equal(union.id);
    expect(await statuses([s.siblingOfficer, officer], `/api/v1/cases/${submitted.id}`)).to.deep.equal([200, 401]);
    await expectOrgPathsClean(world.province.id);
    await expectReconciled(world);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    // Reports name the dissolved union as such, where it now is.
    const report = await arrange<{ rows: { key: { org: string }; labels: { org: string } }[] }>(
      s.accountant.get(`/api/v1/reports/summary?period=${vnToday().slice(0, 4)}&orgId=${other.upper.id}&groupBy=org`),
      200,
    );
    expect(report.rows.find((r) => r.key.org === union.id)?.labels.org).to.equal(`${union.name} (đã giải thể)`);
  });
});
