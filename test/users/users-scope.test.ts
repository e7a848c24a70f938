import { expect } from 'chai';
import { User } from '../../src/users/users.model.js';
import { api, arrange, login, loginAdmin, type Session } from '../support/api.js';
import { createProvinceTree, createUser, PASSWORD, unique, type ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNoPrivateFields, expectNotFound, unknownId } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';

interface UserJson {
  id: string;
  username: string;
  orgId: string;
  orgPath: string[];
  roles: string[];
  active: boolean;
}

async function storedUser(id: string) {
  return User.findById(id).lean();
}

describe('users: scope', () => {
  let a: ProvinceTree;
  let b: ProvinceTree;
  let root: Session;

  before(async () => {
    [a, b, root] = await Promise.all([createProvinceTree(), foreignProvince(), loginAdmin()]);
  });

  /** The users of province A by where they sit. */
  const usersOf = (tree: ProvinceTree) => ({
    province: [tree.sessions.admin, tree.sessions.approver, tree.sessions.accountant].map((s) => s.user.id),
    upper: [tree.sessions.verifier, tree.sessions.upperAdmin].map((s) => s.user.id),
    grassroots: [tree.sessions.officer.user.id],
    sibling: [tree.sessions.siblingOfficer.user.id],
  });

  it('when a province admin reads users, then those of its province answer 200 and those of another province or above it 404', async () => {
    const mine = Object.values(usersOf(a)).flat();
    const theirs = [...Object.values(usersOf(b)).flat(), root.user.id];
    const [own, foreign] = await Promise.all([
      Promise.all(mine.map((id) => a.sessions.admin.get(`/api/v1/users/${id}`))),
      Promise.all(theirs.map((id) => a.sessions.admin.get(`/api/v1/users/${id}`))),
    ]);
    own.forEach((res, i) => {
      expect(res.status).to.equal(200);
      expect(res.body.id).to.equal(mine[i]);
      expectNoPrivateFields(res.body);
    });
    foreign.forEach(expectNotFound);
  });

  it('when an admin of an upper union reads users, then only its own union and the grassroots below answer 200', async () => {
    const mine = usersOf(a);
    const visible = [...mine.upper, ...mine.grassroots, ...mine.sibling];
    const hidden = [...mine.province, ...usersOf(b).upper, unknownId()];
    const answers = await Promise.all(
      [...visible, ...hidden].map((id) => a.sessions.upperAdmin.get(`/api/v1/users/${id}`)),
    );
    answers.slice(0, visible.length).forEach((res) => expect(res.status, JSON.stringify(res.body)).to.equal(200));
    answers.slice(visible.length).forEach(expectNotFound);
  });

  it('when admins list users, then every item lies in their subtree and all of it is there', async () => {
    const [province, upper] = await Promise.all([
      a.sessions.admin.get('/api/v1/users?limit=100'),
      a.sessions.upperAdmin.get('/api/v1/users?limit=100'),
    ]);
    const mine = usersOf(a);
    const [inProvince, inUpper] = await Promise.all([
      User.find({ orgPath: a.province.id }).lean(),
      User.find({ orgPath: a.upper.id }).lean(),
    ]);
    expect(province.body.items.map((u: UserJson) => u.id)).to.have.members(inProvince.map((u) => String(u._id)));
    expect(province.body.items.map((u: UserJson) => u.id)).to.include.members(Object.values(mine).flat());
    expect(province.body.total).to.equal(inProvince.length);
    expect(upper.body.items.map((u: UserJson) => u.id)).to.have.members(inUpper.map((u) => String(u._id)));
    expect(upper.body.items.map((u: UserJson) => u.id)).to.include.members([
      ...mine.upper,
      ...mine.grassroots,
      ...mine.sibling,
    ]);
    for (const id of mine.province) expect(upper.body.items.map((u: UserJson) => u.id)).to.not.include(id);
    for (const user of upper.body.items as UserJson[]) expect(user.orgPath).to.include(a.upper.id);
    expectNoPrivateFields(province.body);
  });

  it('when an admin filters users by an org outside its subtree, then the list is empty', async () => {
    const res = await a.sessions.admin.get(`/api/v1/users?orgId=${b.province.id}`);
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ total: 0, items: [] });
  });

  it('when admins list with filters, then role, org, active and q narrow the list', async () => {
    const admin = a.sessions.admin;
    const [byRole, byOrg, byQ] = await Promise.all([
      admin.get('/api/v1/users?role=grassroots_officer'),
      admin.get(`/api/v1/users?orgId=${a.upper.id}`),
      admin.get(`/api/v1/users?q=${encodeURIComponent(a.sessions.verifier.user.username.toUpperCase())}`),
    ]);
    expect(byRole.body.items.map((u: UserJson) => u.id)).to.have.members([
      a.sessions.officer.user.id,
      a.sessions.siblingOfficer.user.id,
    ]);
    expect(byOrg.body.items.map((u: UserJson) => u.id)).to.have.members([
      a.sessions.verifier.user.id,
      a.sessions.upperAdmin.user.id,
    ]);
    expect(byQ.body.items.map((u: UserJson) => u.id)).to.deep.equal([a.sessions.verifier.user.id]);
    // Factory names are "Người dùng <username>": a search without diacritics finds them all.
    const [byName, active, inactive] = await Promise.all([
      admin.get(`/api/v1/users?q=${encodeURIComponent('NGUOI DUNG')}&limit=100`),
      admin.get('/api/v1/users?active=true&limit=100'),
      admin.get('/api/v1/users?active=false&limit=100'),
    ]);
    expect(byName.body.items.map((u: UserJson) => u.id)).to.include.members(Object.values(usersOf(a)).flat());
    expect(active.body.items.every((u: UserJson) => u.active)).to.equal(true);
    expect(active.body.total).to.equal(await User.countDocuments({ orgPath: a.province.id, active: true }));
    expect(inactive.body.total).to.equal(await User.countDocuments({ orgPath: a.province.id, active: false }));
  });

  it('when an admin creates a user in an org outside its subtree, then 404 and nothing is stored', async () => {
    const targets: [Session, string][] = [
      [a.sessions.admin, b.province.id],
      [a.sessions.admin, b.grassroots.id],
      [a.sessions.admin, root.user.orgId],
      [a.sessions.upperAdmin, a.province.id],
      [a.sessions.admin, unknownId()],
    ];
    const usernames = targets.map(() => unique('lac').toLowerCase());
    const answers = await Promise.all(
      targets.map(([session, orgId], i) =>
        session.post('/api/v1/users', {
          username: usernames[i],
          password: PASSWORD,
          fullName: 'Kẻ lạ',
          orgId,
          roles: ['admin'],
        }),
      ),
    );
    answers.forEach(expectNotFound);
    expect(await User.countDocuments({ username: { $in: usernames } })).to.equal(0);
  });

  it('when an admin edits a user outside its subtree, then 404 and the user is unchanged', async () => {
    const targets: [Session, string][] = [
      [a.sessions.admin, b.sessions.admin.user.id],
      [a.sessions.admin, b.sessions.officer.user.id],
      [a.sessions.admin, root.user.id],
      [a.sessions.upperAdmin, a.sessions.approver.user.id],
      [a.sessions.upperAdmin, a.sessions.admin.user.id],
    ];
    const before = await Promise.all(targets.map(([, id]) => storedUser(id)));
    const answers = await Promise.all(
      targets.map(([session, id]) =>
        session.patch(`/api/v1/users/${id}`, { active: false, password: 'mat-khau-moi-12345', fullName: 'Đã bị sửa' }),
      ),
    );
    answers.forEach(expectNotFound);
    expect(await Promise.all(targets.map(([, id]) => storedUser(id)))).to.deep.equal(before);
    // The untouched admin of the other province still works.
    expect((await b.sessions.admin.get('/api/v1/auth/me')).status).to.equal(200);
  });

  it('when an admin of an upper union edits a user of a grassroots union below it, then 200 and it is stored', async () => {
    const user = await createUser(root, a.sibling.id, ['grassroots_officer']);
    const res = await a.sessions.upperAdmin.patch(`/api/v1/users/${user.id}`, {
      fullName: 'Lê Thị Hồng',
      title: 'Chủ tịch CĐCS',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ fullName: 'Lê Thị Hồng', title: 'Chủ tịch CĐCS' });
    const stored = await storedUser(user.id);
    expect(stored).to.include({ fullName: 'Lê Thị Hồng', title: 'Chủ tịch CĐCS' });
    expect(stored?.searchKey).to.include('le thi hong');
  });

  it('when a user without the admin role lists, reads, creates or edits users in its own subtree, then 403 and nothing changes', async () => {
    const nonAdmins = ['approver', 'accountant', 'verifier', 'officer'] as const;
    const before = await storedUser(a.sessions.officer.user.id);
    const usernames = nonAdmins.map(() => unique('tu').toLowerCase());
    const answers = await Promise.all(
      nonAdmins.flatMap((role, i) => {
        const session = a.sessions[role];
        return [
          session.get('/api/v1/users'),
          session.get(`/api/v1/users/${a.sessions.officer.user.id}`),
          session.post('/api/v1/users', {
            username: usernames[i],
            password: PASSWORD,
            fullName: 'Tự tạo',
            orgId: session.user.orgId,
            roles: ['admin'],
          }),
          session.patch(`/api/v1/users/${a.sessions.officer.user.id}`, { roles: ['admin'] }),
          session.patch(`/api/v1/users/${session.user.id}`, { roles: ['admin'] }),
        ];
      }),
    );
    answers.forEach(expectForbidden);
    expect(await User.countDocuments({ username: { $in: usernames } })).to.equal(0);
    expect(await storedUser(a.sessions.officer.user.id)).to.deep.equal(before);
    for (const role of nonAdmins) expect((await storedUser(a.sessions[role].user.id))?.roles).to.not.include('admin');
  });

  it('when an admin disables a user of its subtree, then that user is refused at once and cannot sign in', async () => {
    const user = await createUser(root, a.grassroots.id, ['grassroots_officer']);
    const session = await login(user.username, PASSWORD);
    expect((await session.get('/api/v1/members')).status).to.equal(200);
    const res = await a.sessions.admin.patch(`/api/v1/users/${user.id}`, { active: false });
    expect(res.status).to.equal(200);
    expect(res.body.active).to.equal(false);
    expect((await session.get('/api/v1/members')).status).to.equal(401);
    const stored = await storedUser(user.id);
    expect(stored?.active).to.equal(false);
    expect(stored?.sessionVersion).to.equal(1);
    const again = await api().post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD });
    expect(again.status).to.equal(401);
    await arrange(a.sessions.admin.patch(`/api/v1/users/${user.id}`, { active: true }), 200);
  });
});
