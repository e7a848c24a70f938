/**
 * SPEC §13 move: a grassroots union moves with everything that belongs to it; the old parent's users lose
 * it (404), the new parent's gain it (200); decisions, histories and past reports stay as decided.
 */
import { expect } from 'chai';
import { Case } from '../../src/cases/cases.model.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { Member } from '../../src/members/members.model.js';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { User } from '../../src/users/users.model.js';
import { arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { createOrg, userSession, type Org } from '../support/factory.js';
import {
  act,
  bodyFor,
  caseAt,
  newCase,
  readCase,
  storedCase,
  uploadStage,
  type CaseWorld,
} from '../cases/case-fixtures.js';
import { approvedFrom, createFund, expectReconciled, payOk, paymentBody, type FundJson } from '../funds/fixtures.js';
import { actOk, caseWorld, vnToday } from '../cases/case-fixtures.js';
import { approveBody } from '../funds/fixtures.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { checkOrgPaths } from '../../src/reorganisation/index.js';

interface Summary {
  total: { approved: { count: number; amount: number }; disbursed: { count: number; amount: number } };
}
import {
  EFFECTIVE,
  expectNoClaims,
  expectOrgPathsClean,
  moveOk,
  REASON,
  statuses,
  storedOrgPath,
} from './reorganisation-fixtures.js';

describe('orgs: reorganisation — move', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let upper2: Org;
  let admin2: Session;
  let verifier2: Session;
  let fund: FundJson;

  const summary = (orgId: string) =>
    arrange<Summary>(
      world.sessions.accountant.get(`/api/v1/reports/summary?period=${vnToday().slice(0, 4)}&orgId=${orgId}`),
      200,
    );

  before(async () => {
    world = await caseWorld();
    const root = await loginAdmin();
    upper2 = await createOrg(root, world.province.id, 'upper', 'Công đoàn Khu công nghiệp');
    [admin2, verifier2, fund] = await Promise.all([
      userSession(root, upper2.id, ['admin']),
      userSession(root, upper2.id, ['verifier']),
      createFund(world.sessions.accountant, { allocated: 1_000_000_000 }),
    ]);
  });

  it('when a grassroots union moves to another upper union, then its members, cases, payments, decisions and users follow: the old upper union answers 404, the new one 200, and nothing decided changes', async () => {
    const s = world.sessions;
    const submitted = await caseAt(world, 'submitted');
    const approved = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const payment = await payOk(s.accountant, approved.id, paymentBody(fund.id));
    const decisionBefore = await Decision.findOne({ caseIds: approved.id }).lean();
    expect(decisionBefore, 'the approval issued a decision').to.not.equal(null);
    const paths = [
      `/api/v1/orgs/${world.grassroots.id}`,
      `/api/v1/cases/${submitted.id}`,
      `/api/v1/cases/${approved.id}`,
      `/api/v1/members/${submitted.memberId}`,
      `/api/v1/decisions/${String(decisionBefore!._id)}`,
    ];
    for (const path of paths) {
      expect(await statuses([s.upperAdmin, admin2, s.admin], path), `before: ${path}`).to.deep.equal([200, 404, 200]);
    }

    const historyBefore = JSON.stringify((await storedCase(submitted.id)).history);
    const [provinceBefore, upperBefore] = await Promise.all([summary(world.province.id), summary(world.upper.id)]);
    expect(upperBefore.total.approved.count, 'the upper union counted the approval before').to.be.greaterThan(0);
    const op = await moveOk(s.admin, world.grassroots.id, upper2.id);
    expect(op.kind).to.equal('move');

    // The year's report of the province counts exactly what it counted; the union's figures roll up to its new parent.
    const [provinceAfter, upperAfter, upper2After] = await Promise.all([
      summary(world.province.id),
      summary(world.upper.id),
      summary(upper2.id),
    ]);
    expect(provinceAfter.total).to.deep.equal(provinceBefore.total);
    expect(upper2After.total.approved).to.deep.equal(upperBefore.total.approved);
    expect(upper2After.total.disbursed).to.deep.equal(upperBefore.total.disbursed);
    expect(upperAfter.total.approved.count).to.equal(0);

    for (const path of paths) {
      expect(await statuses([s.upperAdmin, admin2, s.admin], path), `after: ${path}`).to.deep.equal([404, 200, 200]);
    }
    const chain = [world.province.orgPath[0], world.province.id, upper2.id, world.grassroots.id];
    const org = await OrgModel.findById(world.grassroots.id).lean();
    expect(String(org!.parentId)).to.equal(upper2.id);
    expect(org!.orgPath.map(String)).to.deep.equal(chain);
    // After the `created` entry of POST /orgs.
    expect(
      org!.history
        .filter((h) => h.event !== 'created')
        .map((h) => ({
          event: h.event,
          from: h.from?.id,
          to: h.to?.id,
          effectiveDate: h.effectiveDate,
          reason: h.reason,
        })),
    ).to.deep.equal([
      { event: 'moved', from: world.upper.id, to: upper2.id, effectiveDate: EFFECTIVE, reason: REASON },
    ]);
    for (const doc of [
      await Member.findById(submitted.memberId).lean(),
      await Case.findById(submitted.id).lean(),
      await Case.findById(approved.id).lean(),
      await Disbursement.findById(payment.id).lean(),
      await User.findById(s.officer.user.id).lean(),
    ])
      expect(doc!.orgPath.map(String)).to.deep.equal(chain);
    // The decision is now visible from the new upper union, and keeps its number, names and bytes.
    const decisionAfter = await Decision.findById(decisionBefore!._id).lean();
    expect(decisionAfter!.scopeOrgIds.map(String)).to.include(upper2.id).and.not.include(world.upper.id);
    const { scopeOrgIds: _a, updatedAt: _b, ...keptBefore } = decisionBefore as Record<string, unknown>;
    const { scopeOrgIds: _c, updatedAt: _d, ...keptAfter } = decisionAfter as Record<string, unknown>;
    expect(JSON.stringify(keptAfter)).to.equal(JSON.stringify(keptBefore));
    // The case's history keeps the names of its time.
    expect(JSON.stringify((await storedCase(submitted.id)).history)).to.equal(historyBefore);

    // The submitted case now waits for the new direct upper union: its verifier verifies, the old one cannot see it.
    const view = await uploadStage(verifier2, await readCase(verifier2, submitted.id), 'verify');
    expectProblem(await act(s.verifier, submitted.id, 'verify', bodyFor('verify', view)), 404, 'NOT_FOUND');
    expect((await act(verifier2, submitted.id, 'verify', bodyFor('verify', view))).status).to.equal(200);

    await expectNoClaims(op.id);
    await expectOrgPathsClean(world.province.id);
    await expectReconciled(world);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when a move races with a verification and a payment on cases of the moved union, then each stands or is refused whole, and every stored chain is the new one', async () => {
    const s = world.sessions;
    const root = await loginAdmin();
    const union = await createOrg(root, world.upper.id, 'grassroots', 'Công đoàn cơ sở Xí nghiệp');
    const officer = await userSession(root, union.id, ['grassroots_officer']);
    const submitted = await caseAt(world, 'submitted', 'tet_gift', { officer, orgId: union.id });
    const ready = await uploadStage(s.verifier, submitted, 'verify');
    const verified = await caseAt(world, 'verified', 'union_house', { officer, orgId: union.id });
    const approved = await actOk(
      s.approver,
      verified.id,
      'approve',
      approveBody(verified, [{ fundId: fund.id, amount: 50_000_000 }]),
    );

    const [move, verify, payment] = await Promise.all([
      s.admin.post(`/api/v1/orgs/${union.id}/move`, { parentId: upper2.id, effectiveDate: EFFECTIVE, reason: REASON }),
      act(s.verifier, submitted.id, 'verify', bodyFor('verify', ready)),
      payOk(s.accountant, approved.id, paymentBody(fund.id)),
    ]);
    expect(move.status, JSON.stringify(move.body)).to.equal(200);
    // The old upper union's verifier either verified before the move or no longer sees the case.
    expect([200, 404], JSON.stringify(verify.body)).to.include(verify.status);
    expect((await storedCase(submitted.id)).status).to.equal(verify.status === 200 ? 'verified' : 'submitted');
    const chain = [world.province.orgPath[0], world.province.id, upper2.id, union.id];
    for (const doc of [
      await Case.findById(submitted.id).lean(),
      await Case.findById(approved.id).lean(),
      await Disbursement.findById(payment.id).lean(),
    ])
      expect(doc!.orgPath.map(String)).to.deep.equal(chain);
    expect((await storedCase(approved.id)).disbursedAmount).to.equal(25_000_000);
    await expectOrgPathsClean(world.province.id);
    await expectReconciled(world);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
  });

  it('when a document keeps a chain its organisation no longer has, then the reconcile check names it', async () => {
    const { member } = await newCase(world, 'tet_gift', {
      officer: world.sessions.siblingOfficer,
      orgId: world.sibling.id,
    });
    const right = await storedOrgPath(world.sibling.id);
    const stale = [right[0]!, world.province.id, upper2.id, world.sibling.id];
    await Member.updateOne({ _id: member.id }, { $set: { orgPath: stale } });
    try {
      const found = (await checkOrgPaths()).filter((d) => d.orgId === world.sibling.id);
      expect(found).to.deep.equal([
        { collection: 'members', orgId: world.sibling.id, count: 1, recorded: stale, expected: right },
      ]);
    } finally {
      await Member.updateOne({ _id: member.id }, { $set: { orgPath: right } });
    }
    await expectOrgPathsClean(world.province.id);
  });

  it('when the move is refused (a grassroots union as parent, a parent outside scope, its own parent, no reason), then nothing changes', async () => {
    const s = world.sessions;
    const before = await storedOrgPath(world.sibling.id);
    const body = (parentId: string, extra: Record<string, unknown> = {}) => ({
      parentId,
      effectiveDate: EFFECTIVE,
      reason: REASON,
      ...extra,
    });
    expectProblem(
      await s.admin.post(`/api/v1/orgs/${world.sibling.id}/move`, body(world.grassroots.id)),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await s.admin.post(`/api/v1/orgs/${world.sibling.id}/move`, body(world.upper.id)),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await s.admin.post(`/api/v1/orgs/${world.sibling.id}/move`, { parentId: upper2.id, effectiveDate: EFFECTIVE }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await s.admin.post(`/api/v1/orgs/${world.sibling.id}/move`, body(upper2.id, { effectiveDate: '2025-02-30' })),
      400,
      'VALIDATION_FAILED',
    );
    // The upper union's admin does not hold the new parent: outside scope answers 404.
    expectProblem(await s.upperAdmin.post(`/api/v1/orgs/${world.sibling.id}/move`, body(upper2.id)), 404, 'NOT_FOUND');
    // A verifier is not an admin: 403.
    expectProblem(await s.verifier.post(`/api/v1/orgs/${world.sibling.id}/move`, body(upper2.id)), 403, 'FORBIDDEN');
    // The province cannot be moved.
    const root = await loginAdmin();
    expectProblem(
      await root.post(`/api/v1/orgs/${world.province.id}/move`, body(root.user.orgId)),
      400,
      'VALIDATION_FAILED',
    );
    expect(await storedOrgPath(world.sibling.id)).to.deep.equal(before);
  });

  it('when a grassroots union moves directly under the province, then the province keeps it and the history tab lists the move', async () => {
    const s = world.sessions;
    const { view } = await newCase(world, 'tet_gift', { officer: s.siblingOfficer, orgId: world.sibling.id });
    await moveOk(s.admin, world.sibling.id, world.province.id);
    expect(await storedOrgPath(world.sibling.id)).to.deep.equal([
      world.province.orgPath[0],
      world.province.id,
      world.sibling.id,
    ]);
    expect(await statuses([s.upperAdmin, s.admin, s.siblingOfficer], `/api/v1/cases/${view.id}`)).to.deep.equal([
      404, 200, 200,
    ]);
    const history = await arrange<{ items: { event: string; from: { name: string } | null; to: { name: string } }[] }>(
      s.siblingOfficer.get(`/api/v1/orgs/${world.sibling.id}/history`),
      200,
    );
    expect(history.items.map((h) => [h.event, h.from?.name ?? null, h.to.name])).to.deep.equal([
      ['created', null, world.sibling.name],
      ['moved', world.upper.name, world.province.name],
    ]);
    await expectOrgPathsClean(world.province.id);
  });
});
