import { expect } from 'chai';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { arrange, loginAdmin, type Session } from '../support/api.js';
import { createProvinceTree, orgBody, type Org, type ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound, expectNoPrivateFields, unknownId } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';

type Caller = keyof ProvinceTree['sessions'];
type Target = 'province' | 'upper' | 'grassroots' | 'sibling' | 'otherProvince' | 'otherGrassroots' | 'root';

/** What each caller of province A may read: its own organisation and everything below it, nothing else. */
const VISIBLE: Record<Caller, Target[]> = {
  admin: ['province', 'upper', 'grassroots', 'sibling'],
  approver: ['province', 'upper', 'grassroots', 'sibling'],
  accountant: ['province', 'upper', 'grassroots', 'sibling'],
  upperAdmin: ['upper', 'grassroots', 'sibling'],
  verifier: ['upper', 'grassroots', 'sibling'],
  officer: ['grassroots'],
  siblingOfficer: ['sibling'],
};
const TARGETS: Target[] = ['province', 'upper', 'grassroots', 'sibling', 'otherProvince', 'otherGrassroots', 'root'];

async function storedOrg(id: string) {
  return OrgModel.findById(id).lean();
}

describe('orgs: scope', () => {
  let a: ProvinceTree;
  let b: ProvinceTree;
  let root: Session;
  let targets: Record<Target, Org>;

  before(async () => {
    [a, b, root] = await Promise.all([createProvinceTree(), foreignProvince(), loginAdmin()]);
    const rootOrg = await arrange<Org>(root.get(`/api/v1/orgs/${root.user.orgId}`), 200);
    targets = {
      province: a.province,
      upper: a.upper,
      grassroots: a.grassroots,
      sibling: a.sibling,
      otherProvince: b.province,
      otherGrassroots: b.grassroots,
      root: rootOrg,
    };
  });

  it('when each role reads each organisation, then its own subtree answers 200 and everything else 404', async () => {
    const checks = (Object.keys(VISIBLE) as Caller[]).flatMap((caller) =>
      TARGETS.map(async (target) => {
        const res = await a.sessions[caller].get(`/api/v1/orgs/${targets[target].id}`);
        if (VISIBLE[caller].includes(target)) {
          expect(res.status, `${caller} → ${target}`).to.equal(200);
          expect(res.body.id).to.equal(targets[target].id);
          expectNoPrivateFields(res.body);
        } else {
          expect(res.status, `${caller} → ${target}: ${JSON.stringify(res.body)}`).to.equal(404);
          expectNotFound(res);
        }
      }),
    );
    await Promise.all(checks);
  });

  it('when an org id does not exist, then the answer is the same 404 as for an org outside scope', async () => {
    const [missing, foreign] = await Promise.all([
      a.sessions.admin.get(`/api/v1/orgs/${unknownId()}`),
      a.sessions.admin.get(`/api/v1/orgs/${b.province.id}`),
    ]);
    expectNotFound(missing);
    expectNotFound(foreign);
    expect(foreign.body.detail).to.equal(missing.body.detail);
    expect(foreign.body.title).to.equal(missing.body.title);
  });

  it('when each role lists organisations, then every item lies in its own subtree and nothing of it is missing', async () => {
    await Promise.all(
      (Object.keys(VISIBLE) as Caller[]).map(async (caller) => {
        const session = a.sessions[caller];
        const res = await session.get('/api/v1/orgs?limit=100');
        expect(res.status).to.equal(200);
        const ids = res.body.items.map((o: Org) => o.id);
        const subtree = await OrgModel.find({ orgPath: session.user.orgId }).lean();
        expect(ids, caller).to.have.members(subtree.map((o) => String(o._id)));
        expect(ids, caller).to.include.members(VISIBLE[caller].map((t) => targets[t].id));
        for (const outside of [b.province.id, b.grassroots.id, targets.root.id])
          expect(ids, caller).to.not.include(outside);
        expect(res.body.total).to.equal(subtree.length);
        for (const item of res.body.items as Org[]) expect(item.orgPath, caller).to.include(session.user.orgId);
        expectNoPrivateFields(res.body);
      }),
    );
  });

  it('when the national admin lists organisations, then both provinces are there', async () => {
    const res = await root.get(`/api/v1/orgs?level=province&limit=100&q=${encodeURIComponent(a.province.code)}`);
    expect(res.status).to.equal(200);
    expect(res.body.items.map((o: Org) => o.id)).to.deep.equal([a.province.id]);
    const other = await root.get(`/api/v1/orgs/${b.grassroots.id}`);
    expect(other.status).to.equal(200);
  });

  it('when a list filter names an org outside scope, then the list is empty, not the other subtree', async () => {
    const [byParent, byLevel] = await Promise.all([
      a.sessions.admin.get(`/api/v1/orgs?parentId=${b.upper.id}`),
      a.sessions.upperAdmin.get('/api/v1/orgs?level=province'),
    ]);
    expect(byParent.status).to.equal(200);
    expect(byParent.body).to.include({ total: 0 });
    expect(byParent.body.items).to.deep.equal([]);
    expect(byLevel.status).to.equal(200);
    expect(byLevel.body.total).to.equal(0);
  });

  it('when an admin edits an org outside its subtree, then 404 and the org is unchanged', async () => {
    const cases: [Session, Org][] = [
      [a.sessions.admin, b.province],
      [a.sessions.admin, b.grassroots],
      [a.sessions.admin, targets.root],
      [a.sessions.upperAdmin, a.province],
      [a.sessions.upperAdmin, b.upper],
    ];
    const before = await Promise.all(cases.map(([, org]) => storedOrg(org.id)));
    const answers = await Promise.all(
      cases.map(([session, org]) => session.patch(`/api/v1/orgs/${org.id}`, { name: 'Bị chiếm quyền', active: false })),
    );
    answers.forEach(expectNotFound);
    const after = await Promise.all(cases.map(([, org]) => storedOrg(org.id)));
    expect(after).to.deep.equal(before);
  });

  it('when an admin edits an org inside its subtree, then 200 and the change is stored', async () => {
    const org = await arrange<Org>(
      root.post('/api/v1/orgs', orgBody(a.upper.id, 'grassroots', 'Công đoàn cơ sở Trường học')),
    );
    const res = await a.sessions.upperAdmin.patch(`/api/v1/orgs/${org.id}`, {
      name: 'Công đoàn Trường THPT Cẩm Bình',
      place: 'Cẩm Xuyên',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ id: org.id, name: 'Công đoàn Trường THPT Cẩm Bình', place: 'Cẩm Xuyên' });
    const stored = await storedOrg(org.id);
    expect(stored).to.include({ name: 'Công đoàn Trường THPT Cẩm Bình', place: 'Cẩm Xuyên' });
    expect(stored?.searchKey).to.include('cong doan truong thpt cam binh');
  });

  it('when an admin creates an org under a parent outside its subtree, then 404 and nothing is stored', async () => {
    const bodies: [Session, ReturnType<typeof orgBody>][] = [
      [a.sessions.admin, orgBody(b.province.id, 'upper', 'Công đoàn ngành Giáo dục')],
      [a.sessions.admin, orgBody(targets.root.id, 'province', 'Liên đoàn Lao động tỉnh')],
      [a.sessions.upperAdmin, orgBody(a.province.id, 'upper', 'Công đoàn ngành Y tế')],
      [a.sessions.admin, orgBody(unknownId(), 'upper', 'Công đoàn ngành Xây dựng')],
    ];
    const answers = await Promise.all(bodies.map(([session, body]) => session.post('/api/v1/orgs', body)));
    answers.forEach(expectNotFound);
    const stored = await OrgModel.countDocuments({ code: { $in: bodies.map(([, body]) => body.code) } });
    expect(stored).to.equal(0);
  });

  it('when a user without the admin role creates or edits an org in its own subtree, then 403 and nothing changes', async () => {
    const roles: Caller[] = ['approver', 'accountant', 'verifier', 'officer'];
    const bodies = roles.map(() => orgBody(a.upper.id, 'grassroots', 'Công đoàn cơ sở Hợp tác xã'));
    const before = await storedOrg(a.grassroots.id);
    const answers = await Promise.all([
      ...roles.map((role, i) => a.sessions[role].post('/api/v1/orgs', bodies[i])),
      ...roles.map((role) => a.sessions[role].patch(`/api/v1/orgs/${a.grassroots.id}`, { name: 'Đổi tên trái phép' })),
    ]);
    answers.forEach(expectForbidden);
    expect(await OrgModel.countDocuments({ code: { $in: bodies.map((body) => body.code) } })).to.equal(0);
    expect(await storedOrg(a.grassroots.id)).to.deep.equal(before);
  });

  it('when a user without the admin role edits any org id, then the answer is the same 403 whether it exists or not', async () => {
    // The role check comes before the lookup, so a 403 tells nothing about which ids exist.
    const answers = await Promise.all([
      a.sessions.officer.patch(`/api/v1/orgs/${b.grassroots.id}`, { name: 'X y' }),
      a.sessions.officer.patch(`/api/v1/orgs/${unknownId()}`, { name: 'X y' }),
    ]);
    answers.forEach(expectForbidden);
    expect(answers[0]!.body.detail).to.equal(answers[1]!.body.detail);
  });

  it('when an admin deactivates its own organisation, then 400 and it stays active', async () => {
    const res = await a.sessions.upperAdmin.patch(`/api/v1/orgs/${a.upper.id}`, { active: false });
    expect(res.status).to.equal(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.include('active');
    expect((await storedOrg(a.upper.id))?.active).to.equal(true);
  });
});
