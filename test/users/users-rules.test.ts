import { expect } from 'chai';
import { User } from '../../src/users/users.model.js';
import { api, arrange, expectProblem, login, loginAdmin, type Session } from '../support/api.js';
import { orgBody, PASSWORD, unique, type ProvinceTree } from '../support/factory.js';
import { expectNoPrivateFields, expectValidation, expectVietnamese } from '../support/problems.js';
import { foreignProvince, sharedProvince } from '../support/provinces.js';

type Level = 'province' | 'upper' | 'grassroots';

const newUsername = () => unique('nd.').toLowerCase();

describe('users: rules', () => {
  let tree: ProvinceTree;
  let admin: Session;

  before(async () => {
    tree = await sharedProvince();
    admin = tree.sessions.admin;
  });

  const body = (orgId: string, roles: string[], overrides: Record<string, unknown> = {}) => ({
    username: newUsername(),
    password: PASSWORD,
    fullName: 'Trần Thị Bình',
    orgId,
    roles,
    title: 'Kế toán',
    ...overrides,
  });

  /** SPEC §2: each role at its levels (a verifier at an upper union or the province); admin anywhere. */
  const fits: [string[], Level, boolean][] = [
    [['verifier'], 'upper', true],
    [['verifier'], 'province', true],
    [['verifier'], 'grassroots', false],
    [['approver'], 'province', true],
    [['approver'], 'upper', false],
    [['approver'], 'grassroots', false],
    [['accountant'], 'province', true],
    [['accountant'], 'upper', false],
    [['accountant'], 'grassroots', false],
    [['grassroots_officer'], 'grassroots', true],
    [['grassroots_officer'], 'upper', false],
    [['grassroots_officer'], 'province', false],
    [['admin'], 'province', true],
    [['admin'], 'upper', true],
    [['admin'], 'grassroots', true],
    [['approver', 'accountant', 'admin'], 'province', true],
    [['admin', 'verifier'], 'province', true],
    [['verifier', 'approver'], 'province', true],
    [['admin', 'verifier'], 'grassroots', false],
    [['grassroots_officer', 'approver'], 'grassroots', false],
  ];

  it('when users are created with each role at each level, then only roles that fit the level are accepted', async () => {
    const bodies = fits.map(([roles, level]) => body(tree[level].id, roles));
    const answers = await Promise.all(bodies.map((b) => admin.post('/api/v1/users', b)));
    const stored = await User.find({ username: { $in: bodies.map((b) => b.username) } }).lean();
    fits.forEach(([roles, level, ok], i) => {
      const res = answers[i]!;
      const label = `${roles.join('+')} at ${level}: ${JSON.stringify(res.body)}`;
      const row = stored.find((u) => u.username === bodies[i]!.username);
      if (ok) {
        expect(res.status, label).to.equal(201);
        expect(res.body).to.deep.include({ username: bodies[i]!.username, roles, orgId: tree[level].id });
        expect(row?.roles, label).to.deep.equal(roles);
        expect(row?.orgPath.map(String), label).to.deep.equal(tree[level].orgPath);
      } else {
        expectValidation(res, 'roles');
        expect(row, label).to.equal(undefined);
      }
    });
  });

  it('when users are created at commune unions, then a verifier only where the province delegated verify, admin anywhere, no other role', async () => {
    const root = await loginAdmin();
    const [withVerify, without] = await Promise.all([
      arrange<{ id: string }>(
        root.post('/api/v1/orgs', {
          ...orgBody(tree.province.id, 'commune', 'Công đoàn xã Kỳ Anh'),
          delegations: ['verify'],
        }),
      ),
      arrange<{ id: string }>(
        root.post('/api/v1/orgs', orgBody(tree.province.id, 'commune', 'Công đoàn phường Hoành Sơn')),
      ),
    ]);
    const table: [string, string[], boolean][] = [
      [withVerify.id, ['verifier'], true],
      [withVerify.id, ['verifier', 'admin'], true],
      [without.id, ['verifier'], false],
      [without.id, ['admin'], true],
      [withVerify.id, ['approver'], false],
      [withVerify.id, ['accountant'], false],
      [withVerify.id, ['grassroots_officer'], false],
    ];
    for (const [orgId, roles, ok] of table) {
      const b = body(orgId, roles);
      const res = await admin.post('/api/v1/users', b);
      const label = `${roles.join('+')} at ${orgId === without.id ? 'a commune without verify' : 'a commune with verify'}`;
      if (ok) expect(res.status, label).to.equal(201);
      else {
        expectValidation(res, 'roles');
        expectVietnamese(res.body.errors[0].message);
      }
      expect(await User.countDocuments({ username: b.username }), label).to.equal(ok ? 1 : 0);
    }
  });

  it('when a role that does not fit is given in an edit, then 400 and the roles stay as they were', async () => {
    const user = await arrange<{ id: string }>(
      admin.post('/api/v1/users', body(tree.grassroots.id, ['grassroots_officer'])),
    );
    expectValidation(await admin.patch(`/api/v1/users/${user.id}`, { roles: ['approver'] }), 'roles');
    expectValidation(
      await admin.patch(`/api/v1/users/${user.id}`, { roles: ['grassroots_officer', 'verifier'] }),
      'roles',
    );
    expect((await User.findById(user.id).lean())?.roles).to.deep.equal(['grassroots_officer']);
    const ok = await admin.patch(`/api/v1/users/${user.id}`, { roles: ['grassroots_officer', 'admin'] });
    expect(ok.status).to.equal(200);
    expect((await User.findById(user.id).lean())?.roles).to.deep.equal(['grassroots_officer', 'admin']);
  });

  it('when a username is taken, also in other letter case, then 409 in Vietnamese and only the first user exists', async () => {
    const first = await arrange<{ id: string; username: string }>(
      admin.post('/api/v1/users', body(tree.province.id, ['accountant'])),
    );
    const other = await foreignProvince();
    const again = await Promise.all([
      admin.post('/api/v1/users', body(tree.province.id, ['approver'], { username: first.username })),
      admin.post('/api/v1/users', body(tree.province.id, ['approver'], { username: first.username.toUpperCase() })),
      other.sessions.admin.post(
        '/api/v1/users',
        body(other.province.id, ['approver'], { username: ` ${first.username} ` }),
      ),
    ]);
    for (const res of again) {
      expectProblem(res, 409, 'CONFLICT');
      expectVietnamese(res.body.detail);
      expect(res.body.errors).to.deep.equal([{ path: 'username', message: 'Tên đăng nhập đã tồn tại' }]);
    }
    const stored = await User.find({ username: first.username }).lean();
    expect(stored.map((u) => String(u._id))).to.deep.equal([first.id]);
    expect(stored[0]?.roles).to.deep.equal(['accountant']);
  });

  it('when the password has fewer than 10 characters, then 400 on password, on create and on reset', async () => {
    const short = body(tree.province.id, ['accountant'], { password: '123456789' });
    expectValidation(await admin.post('/api/v1/users', short), 'password');
    expect(await User.countDocuments({ username: short.username })).to.equal(0);

    const user = await arrange<{ id: string; username: string }>(
      admin.post('/api/v1/users', body(tree.province.id, ['accountant'], { password: '0123456789' })),
    );
    const before = await User.findById(user.id).lean();
    expectValidation(await admin.patch(`/api/v1/users/${user.id}`, { password: 'ngan-qua' }), 'password');
    expect(await User.findById(user.id).lean()).to.deep.equal(before);
    // Exactly ten characters is enough.
    await login(user.username, '0123456789');
  });

  it('when a password is reset, then the old one stops working, the new one works and open sessions end', async () => {
    const user = await arrange<{ id: string; username: string }>(
      admin.post('/api/v1/users', body(tree.province.id, ['approver'])),
    );
    const session = await login(user.username, PASSWORD);
    const res = await admin.patch(`/api/v1/users/${user.id}`, { password: 'mat-khau-moi-dai-hon' });
    expect(res.status).to.equal(200);
    expectNoPrivateFields(res.body);
    expect((await session.get('/api/v1/auth/me')).status).to.equal(401);
    expect(
      (await api().post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD })).status,
    ).to.equal(401);
    await login(user.username, 'mat-khau-moi-dai-hon');
    const stored = await User.findById(user.id).lean();
    expect(stored?.passwordHash).to.be.a('string').and.not.include('mat-khau-moi-dai-hon');
  });

  it('when users are created, read, listed and edited, then no answer carries passwordHash, sessionVersion or searchKey', async () => {
    const created = await admin.post('/api/v1/users', body(tree.upper.id, ['verifier']));
    expect(created.status).to.equal(201);
    const id = created.body.id as string;
    const answers = await Promise.all([
      admin.get(`/api/v1/users/${id}`),
      admin.get('/api/v1/users?limit=100'),
      admin.patch(`/api/v1/users/${id}`, { title: 'Chuyên viên' }),
      admin.patch(`/api/v1/users/${id}`, { password: 'mot-mat-khau-khac' }),
    ]);
    for (const res of [created, ...answers]) {
      expect(res.status).to.equal(200 + (res === created ? 1 : 0));
      expectNoPrivateFields(res.body);
      expect(JSON.stringify(res.body)).to.not.match(/scrypt\$|mot-mat-khau-khac|mat-khau-thu-nghiem/);
    }
    expect(Object.keys(created.body)).to.include.members([
      'id',
      'username',
      'fullName',
      'orgId',
      'roles',
      'active',
      'createdAt',
    ]);
    // The stored document does hold them.
    const stored = await User.findById(id).lean();
    expect(stored)
      .to.have.property('passwordHash')
      .that.matches(/^scrypt\$/);
    expect(stored).to.have.property('searchKey');
    expect(stored).to.have.property('sessionVersion', 1);
  });

  it('when an admin disables itself or changes its own roles, then 400 and nothing changes; other edits of itself work', async () => {
    const me = admin.user.id;
    const before = await User.findById(me).lean();
    expectValidation(await admin.patch(`/api/v1/users/${me}`, { active: false }), 'active');
    expectValidation(await admin.patch(`/api/v1/users/${me}`, { roles: ['approver'] }), 'roles');
    expectValidation(await admin.patch(`/api/v1/users/${me}`, { roles: ['admin', 'approver'] }), 'roles');
    expectValidation(await admin.patch(`/api/v1/users/${me}`, { roles: ['admin'], fullName: 'Vẫn là tôi' }), 'roles');
    expect(await User.findById(me).lean()).to.deep.equal(before);
    expect((await admin.get('/api/v1/auth/me')).status).to.equal(200);

    const ok = await admin.patch(`/api/v1/users/${me}`, { title: 'Trưởng ban Tổ chức' });
    expect(ok.status).to.equal(200);
    expect((await User.findById(me).lean())?.title).to.equal('Trưởng ban Tổ chức');
  });

  it('when an admin disables another admin of its province, then that works, though the other could not disable itself', async () => {
    const second = await arrange<{ id: string; username: string }>(
      admin.post('/api/v1/users', body(tree.province.id, ['admin'])),
    );
    const secondSession = await login(second.username, PASSWORD);
    const res = await secondSession.patch(`/api/v1/users/${second.id}`, { active: false });
    expectValidation(res, 'active');
    const byFirst = await admin.patch(`/api/v1/users/${second.id}`, { active: false });
    expect(byFirst.status).to.equal(200);
    expect((await User.findById(second.id).lean())?.active).to.equal(false);
  });
});

describe('users: bad input', () => {
  let tree: ProvinceTree;
  let admin: Session;
  let userCount: number;

  before(async () => {
    tree = await sharedProvince();
    admin = tree.sessions.admin;
  });

  beforeEach(async () => {
    userCount = await User.countDocuments({ orgPath: tree.province.id });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'passed')
      expect(await User.countDocuments({ orgPath: tree.province.id })).to.equal(userCount);
  });

  const valid = (overrides: Record<string, unknown> = {}) => ({
    username: newUsername(),
    password: PASSWORD,
    fullName: 'Phạm Văn Cường',
    orgId: tree.province.id,
    roles: ['approver'],
    ...overrides,
  });
  const create = (overrides: Record<string, unknown>) => admin.post('/api/v1/users', valid(overrides));

  it('when required fields are missing, then 400 names each of them', async () => {
    expectValidation(await admin.post('/api/v1/users', {}), 'username', 'password', 'fullName', 'orgId', 'roles');
  });

  it('when fields have the wrong types or shapes, then 400 names each field', async () => {
    expectValidation(
      await create({ username: 42, password: 1234567890123, fullName: null, roles: 'approver' }),
      'username',
      'password',
      'fullName',
      'roles',
    );
    expectValidation(await create({ roles: [] }), 'roles');
    expectValidation(await create({ roles: ['approver', 'approver'] }), 'roles.1');
    expectValidation(await create({ roles: ['superuser'] }), 'roles.0');
    expectValidation(await create({ orgId: 'xyz' }), 'orgId');
    expectValidation(await create({ username: 'a b' }), 'username');
    expectValidation(await create({ username: 'ab' }), 'username');
    expectValidation(await create({ username: 'Đặng.An' }), 'username');
    expectValidation(await create({ password: 'x'.repeat(201) }), 'password');
  });

  it('when the body sets fields the client does not own, then 400 names them', async () => {
    for (const [field, value] of Object.entries({
      passwordHash: 'scrypt$1',
      sessionVersion: 5,
      active: false,
      orgPath: [tree.province.id],
      searchKey: 'x',
      lastLoginAt: '2026-01-01',
    })) {
      expectValidation(await create({ [field]: value }), field);
    }
  });

  it('when keys start with "$" or hold a dot, also nested, then 400', async () => {
    expectValidation(await create({ $set: { roles: ['admin'] } }), '$set');
    expectValidation(await create({ username: { $ne: null } }), 'username.$ne');
    expectValidation(await create({ roles: [{ $in: ['admin'] }] }), '$in');
    expectValidation(await create({ 'roles.0': 'admin' }), 'roles.0');
  });

  it('when the JSON carries a __proto__ key, then 400 rather than silently dropped', async () => {
    const json = JSON.stringify(valid()).replace(/^\{/, '{"__proto__":{"roles":["admin"]},');
    const res = await api()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${admin.token}`)
      .set('Content-Type', 'application/json')
      .send(json);
    expectValidation(res, '__proto__');
  });

  it('when the id in the path is not an ObjectId, then 400 on id for read and edit', async () => {
    for (const id of ['abc', '0', 'gggggggggggggggggggggggg', '$where']) {
      expectValidation(await admin.get(`/api/v1/users/${encodeURIComponent(id)}`), 'id');
      expectValidation(await admin.patch(`/api/v1/users/${encodeURIComponent(id)}`, { title: 'x' }), 'id');
    }
  });

  it('when an edit is empty, has unknown fields, operator keys or wrong types, then 400 and the user is unchanged', async () => {
    const id = tree.sessions.accountant.user.id;
    const before = await User.findById(id).lean();
    const path = `/api/v1/users/${id}`;
    expectValidation(await admin.patch(path, {}));
    expectValidation(await admin.patch(path, { username: 'doi-ten' }), 'username');
    expectValidation(await admin.patch(path, { orgId: tree.upper.id }), 'orgId');
    expectValidation(await admin.patch(path, { sessionVersion: 0 }), 'sessionVersion');
    expectValidation(await admin.patch(path, { active: 'no' }), 'active');
    expectValidation(await admin.patch(path, { roles: 'admin' }), 'roles');
    expectValidation(await admin.patch(path, { fullName: '' }), 'fullName');
    expectValidation(await admin.patch(path, { fullName: 'Hợp lệ', $inc: { sessionVersion: 1 } }), '$inc');
    expectValidation(await admin.patch(path, { roles: { $push: 'admin' } }), 'roles.$push');
    expect(await User.findById(id).lean()).to.deep.equal(before);
  });

  const badQueries: [string, string][] = [
    ['limit=101', 'limit'],
    ['limit=-5', 'limit'],
    ['page=abc', 'page'],
    ['sort=passwordHash', 'sort'],
    ['sort=-sessionVersion', 'sort'],
    ['role=root', 'role'],
    ['active=maybe', 'active'],
    ['orgId=123', 'orgId'],
    ['orgId[$ne]=x', 'orgId[$ne]'],
    ['$where=1', '$where'],
    ['username=admin', 'username'],
  ];
  for (const [query, path] of badQueries) {
    it(`when users are listed with ?${query}, then 400 on ${path}`, async () => {
      expectValidation(await admin.get(`/api/v1/users?${query}`), path);
    });
  }
});
