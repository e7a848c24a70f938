/**
 * Who verifies (SPEC §2, §5): a grassroots union's direct upper union — its parent when that is an upper union or
 * the province, a commune union only while it holds `verify`, else the province — whatever the depth. Verifying,
 * returning and rejecting, `allowedActions` and Việc cần làm (`GET /cases?verifierOrgId=`) all follow it; and a
 * provincial officer holding verifier and approver meets four eyes, one case and a list alike.
 */
import { expect } from 'chai';
import { arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { createOrg, orgBody, PASSWORD, unique, userSession, type Org } from '../support/factory.js';
import { provinceFund } from '../support/funds.js';
import { expectForbidden, expectValidation } from '../support/problems.js';
import { Case } from '../../src/cases/cases.model.js';
import { batchAction, importTet, listRow } from '../batches/batch-fixtures.js';
import {
  act,
  actOk,
  bodyFor,
  caseAt,
  caseWorld,
  expectUnchanged,
  readCase,
  stateOf,
  storedCase,
  uploadStage,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';

interface Union {
  org: Org;
  officer: Session;
}

describe('cases: verification by the direct upper union', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let root: Session;
  /** Directly under the province, under a commune union with `verify`, under one without. */
  let direct: Union;
  let underVerifying: Union;
  let underPlain: Union;
  let verifyingCommune: Org;
  let plainCommune: Org;
  let provinceVerifier: Session;
  let communeVerifier: Session;
  /** A provincial officer who is both verifier and approver (SPEC §2). */
  let both: Session;

  async function union(parentId: string, name: string): Promise<Union> {
    const org = await createOrg(root, parentId, 'grassroots', name);
    return { org, officer: await userSession(root, org.id, ['grassroots_officer']) };
  }

  /** The case fixtures' world, with this union's officer and the given verifier driving the steps. */
  const worldOf = (at: Union, verifier: Session): CaseWorld => ({
    ...world,
    grassroots: at.org,
    sessions: { ...world.sessions, officer: at.officer, verifier },
  });

  const caseOf = (at: Union, verifier: Session, status: 'submitted' | 'verified') =>
    caseAt(worldOf(at, verifier), status, 'tet_gift', { officer: at.officer, orgId: at.org.id });

  /** Việc cần làm of a verifier: the submitted cases whose direct upper union is `orgId`. */
  async function todo(session: Session, orgId: string): Promise<string[]> {
    const page = await arrange<{ items: { id: string }[] }>(
      session.get(`/api/v1/cases?status=submitted&verifierOrgId=${orgId}&limit=100`),
      200,
    );
    return page.items.map((c) => c.id);
  }

  async function verify(session: Session, view: CaseView): Promise<CaseView> {
    const ready = await uploadStage(session, view, 'verify');
    return actOk(session, view.id, 'verify', bodyFor('verify', ready));
  }

  before(async () => {
    [world, root] = await Promise.all([caseWorld(), loginAdmin()]);
    const p = world.province.id;
    [verifyingCommune, plainCommune] = await Promise.all([
      arrange<Org>(
        root.post('/api/v1/orgs', { ...orgBody(p, 'commune', 'Công đoàn xã Cẩm Bình'), delegations: ['verify'] }),
      ),
      createOrg(root, p, 'commune', 'Công đoàn phường Bắc Hồng Lĩnh'),
    ]);
    [direct, underVerifying, underPlain, provinceVerifier, communeVerifier, both] = await Promise.all([
      union(p, 'Công đoàn cơ sở Trường THPT Hồng Lĩnh'),
      union(verifyingCommune.id, 'Công đoàn cơ sở Trường Tiểu học Cẩm Bình'),
      union(plainCommune.id, 'Công đoàn cơ sở Trạm Y tế Bắc Hồng'),
      userSession(root, p, ['verifier']),
      userSession(root, verifyingCommune.id, ['verifier']),
      userSession(root, p, ['verifier', 'approver']),
    ]);
  });

  it('when a grassroots union sits directly under the province, then the province verifier is offered verify, sees it waiting and verifies it', async () => {
    const submitted = await caseOf(direct, provinceVerifier, 'submitted');

    expect((await readCase(provinceVerifier, submitted.id)).allowedActions).to.have.members([
      'verify',
      'return',
      'reject',
    ]);
    expect(await todo(provinceVerifier, world.province.id)).to.include(submitted.id);
    // The upper union's verifier does not even see it: it lies outside its subtree.
    expectProblem(await world.sessions.verifier.get(`/api/v1/cases/${submitted.id}`), 404, 'NOT_FOUND');

    const verified = await verify(provinceVerifier, submitted);
    expect(verified.status).to.equal('verified');
    expect((await storedCase(submitted.id)).verifiedBy?.id).to.equal(provinceVerifier.user.id);
  });

  it("when a case belongs to a union under the upper union, then the province verifier sees it but may not verify (403), and it waits in the upper union's list only", async () => {
    const submitted = await caseAt(world, 'submitted');

    expect((await readCase(provinceVerifier, submitted.id)).allowedActions).to.deep.equal([]);
    const ready = await uploadStage(world.sessions.verifier, submitted, 'verify');
    const seen = await stateOf(submitted.id);
    for (const action of ['verify', 'return', 'reject'] as const) {
      expectForbidden(await act(provinceVerifier, submitted.id, action, bodyFor(action, ready)));
    }
    await expectUnchanged(submitted.id, seen);

    expect(await todo(provinceVerifier, world.province.id)).to.not.include(submitted.id);
    expect(await todo(world.sessions.verifier, world.upper.id)).to.include(submitted.id);
    expect((await readCase(world.sessions.verifier, submitted.id)).allowedActions).to.include('verify');
    // The province's approver still acts on its whole subtree (return and reject are also the approver's).
    expect((await readCase(world.sessions.approver, submitted.id)).allowedActions).to.have.members([
      'return',
      'reject',
    ]);
  });

  it("when a commune union holds verify, then its own verifier verifies its grassroots unions' cases and the province verifier is refused", async () => {
    const submitted = await caseOf(underVerifying, communeVerifier, 'submitted');

    expect(await todo(communeVerifier, verifyingCommune.id)).to.deep.equal([submitted.id]);
    expect(await todo(provinceVerifier, world.province.id)).to.not.include(submitted.id);
    expect((await readCase(provinceVerifier, submitted.id)).allowedActions).to.deep.equal([]);
    const ready = await uploadStage(communeVerifier, submitted, 'verify');
    const before = await stateOf(submitted.id);
    expectForbidden(await act(provinceVerifier, submitted.id, 'verify', bodyFor('verify', ready)));
    await expectUnchanged(submitted.id, before);

    expect((await readCase(communeVerifier, submitted.id)).allowedActions).to.have.members([
      'verify',
      'return',
      'reject',
    ]);
    const verified = await actOk(communeVerifier, submitted.id, 'verify', bodyFor('verify', ready));
    expect(verified.status).to.equal('verified');
    expect((await storedCase(submitted.id)).verifiedBy?.id).to.equal(communeVerifier.user.id);
  });

  it("when a commune union does not hold verify, then the province verifies its unions' cases, and giving it verify hands the waiting case to the commune at once", async () => {
    const submitted = await caseOf(underPlain, provinceVerifier, 'submitted');
    expect(await todo(provinceVerifier, world.province.id)).to.include(submitted.id);
    expect((await readCase(provinceVerifier, submitted.id)).allowedActions).to.include('verify');
    // No verifier may sit at a commune union without the delegation (SPEC §2).
    const refused = await root.post('/api/v1/users', {
      username: unique('xa.').toLowerCase(),
      password: PASSWORD,
      fullName: 'Cán bộ xã',
      orgId: plainCommune.id,
      roles: ['verifier'],
    });
    expectValidation(refused, 'roles');

    await arrange(root.patch(`/api/v1/orgs/${plainCommune.id}`, { delegations: ['verify'] }), 200);
    const newCommuneVerifier = await userSession(root, plainCommune.id, ['verifier']);

    expect(await todo(provinceVerifier, world.province.id)).to.not.include(submitted.id);
    expect(await todo(newCommuneVerifier, plainCommune.id)).to.deep.equal([submitted.id]);
    expect((await readCase(provinceVerifier, submitted.id)).allowedActions).to.deep.equal([]);
    const verified = await verify(newCommuneVerifier, submitted);
    expect(verified.status).to.equal('verified');

    // Taken back, the next case waits for the province again.
    await arrange(root.patch(`/api/v1/orgs/${plainCommune.id}`, { delegations: [] }), 200);
    const next = await caseOf(underPlain, provinceVerifier, 'submitted');
    expect(await todo(provinceVerifier, world.province.id)).to.include(next.id);
    expect(await todo(newCommuneVerifier, plainCommune.id)).to.deep.equal([]);
    expectForbidden(await act(newCommuneVerifier, next.id, 'verify', bodyFor('verify', next)));
  });

  it('when the province verifier asks for its list, then it holds exactly the submitted cases of the unions it is direct upper union of', async () => {
    const [own, ofUpper, ofCommune] = await Promise.all([
      caseOf(direct, provinceVerifier, 'submitted'),
      caseAt(world, 'submitted'),
      caseOf(underVerifying, communeVerifier, 'submitted'),
    ]);
    const list = await todo(provinceVerifier, world.province.id);
    expect(list).to.include(own.id);
    expect(list).to.not.include.members([ofUpper.id, ofCommune.id]);
    const stored = await Case.find({ _id: { $in: list } }, { orgId: 1, status: 1 }).lean();
    expect(stored.map((c) => String(c.orgId))).to.satisfy((ids: string[]) =>
      ids.every((id) => [direct.org.id, underPlain.org.id].includes(id)),
    );
    expect(stored.every((c) => c.status === 'submitted')).to.equal(true);
  });

  it('when the verifier-approver verified a case, then approve is not offered to them and approving answers 409 SEPARATION_OF_DUTIES; another approver approves it', async () => {
    const submitted = await caseOf(direct, both, 'submitted');
    const verified = await verify(both, submitted);
    const seen = await readCase(both, verified.id);
    expect(seen.allowedActions).to.have.members(['return', 'reject']);
    const before = await stateOf(verified.id);

    expectProblem(await act(both, verified.id, 'approve', bodyFor('approve', seen)), 409, 'SEPARATION_OF_DUTIES');
    await expectUnchanged(verified.id, before);

    const other = await readCase(world.sessions.approver, verified.id);
    expect(other.allowedActions).to.include('approve');
    await actOk(world.sessions.approver, verified.id, 'approve', bodyFor('approve', other));
    expect((await storedCase(verified.id)).approvedBy?.id).to.equal(world.sessions.approver.user.id);
  });

  it('when the verifier-approver verified a case someone else verified, then they may approve it', async () => {
    const verified = await caseOf(direct, provinceVerifier, 'verified');
    const seen = await readCase(both, verified.id);
    expect(seen.allowedActions).to.include('approve');
    const approved = await actOk(both, verified.id, 'approve', bodyFor('approve', seen));
    expect(approved.status).to.equal('approved');
  });

  it('when the verifier-approver verified a list, then approving that list fails every case with SEPARATION_OF_DUTIES and another approver approves it', async () => {
    const imported = await importTet(worldOf(direct, both), [listRow(), listRow()], direct.officer);
    await batchAction(direct.officer, imported.batch.id, 'submit');
    // The list names who verifies it, so the page offers verification to that organisation's verifier only.
    expect(
      (await arrange<{ verifierOrgId: string }>(both.get(`/api/v1/batches/${imported.batch.id}`), 200)).verifierOrgId,
    ).to.equal(world.province.id);
    const verified = await batchAction(both, imported.batch.id, 'verify');
    expect(verified.counts.ok).to.equal(2);
    const fundId = await provinceFund(world);

    const refused = await batchAction(both, imported.batch.id, 'approve', { fundId });
    expect(refused.counts).to.deep.include({ ok: 0, failed: 2 });
    expect(refused.results.map((r) => r.problem?.code)).to.deep.equal(['SEPARATION_OF_DUTIES', 'SEPARATION_OF_DUTIES']);
    expect(refused.decision).to.equal(null);
    const stored = await Case.find({ _id: { $in: imported.caseIds } }).lean();
    expect(stored.map((c) => [c.status, c.approvedBy])).to.deep.equal([
      ['verified', null],
      ['verified', null],
    ]);

    const approved = await batchAction(world.sessions.approver, imported.batch.id, 'approve', { fundId });
    expect(approved.counts.ok).to.equal(2);
  });

  it('when a province verifier (not an approver) acts on a list of a union under the upper union, then each case fails with FORBIDDEN and none moves', async () => {
    const imported = await importTet(world, [listRow()]);
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    expect(
      (await arrange<{ verifierOrgId: string }>(provinceVerifier.get(`/api/v1/batches/${imported.batch.id}`), 200))
        .verifierOrgId,
    ).to.equal(world.upper.id);
    const result = await batchAction(provinceVerifier, imported.batch.id, 'verify');
    expect(result.counts).to.deep.include({ ok: 0, failed: 1 });
    expect(result.results[0]!.problem?.code).to.equal('FORBIDDEN');
    expect((await storedCase(imported.caseIds[0]!)).status).to.equal('submitted');
  });
});
