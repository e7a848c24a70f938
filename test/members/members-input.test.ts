import { expect } from 'chai';
import { Member } from '../../src/members/members.model.js';
import { api, arrange, type Session } from '../support/api.js';
import { memberBody, type ProvinceTree } from '../support/factory.js';
import { expectValidation } from '../support/problems.js';
import { sharedProvince } from '../support/provinces.js';

describe('members: bad input', () => {
  let tree: ProvinceTree;
  let officer: Session;
  let memberId: string;
  let stored: unknown;
  let memberCount: number;

  before(async () => {
    tree = await sharedProvince();
    officer = tree.sessions.officer;
    memberId = (await arrange<{ id: string }>(officer.post('/api/v1/members', memberBody(tree.grassroots.id)))).id;
  });

  beforeEach(async () => {
    [stored, memberCount] = await Promise.all([
      Member.findById(memberId).lean(),
      Member.countDocuments({ orgPath: tree.province.id }),
    ]);
  });

  afterEach(async function () {
    // Whatever was refused, the province holds the same members and the arranged one is untouched.
    if (this.currentTest?.state !== 'passed') return;
    expect(await Member.countDocuments({ orgPath: tree.province.id })).to.equal(memberCount);
    expect(await Member.findById(memberId).lean()).to.deep.equal(stored);
  });

  const create = (overrides: Record<string, unknown>) =>
    officer.post('/api/v1/members', memberBody(tree.grassroots.id, overrides));
  const edit = (body: object) => officer.patch(`/api/v1/members/${memberId}`, body);

  it('when required fields are missing, then 400 names each of them', async () => {
    expectValidation(
      await officer.post('/api/v1/members', {}),
      'fullName',
      'dateOfBirth',
      'gender',
      'citizenId',
      'joinedUnionAt',
    );
  });

  it('when fields have the wrong types, then 400 names each field', async () => {
    expectValidation(
      await create({ fullName: 123, gender: 1, phone: 912345678, address: 'Hà Tĩnh', bankAccount: '1234567890' }),
      'fullName',
      'gender',
      'phone',
      'address',
      'bankAccount',
    );
    expectValidation(await create({ gender: 'nam' }), 'gender');
    expectValidation(await create({ fullName: 'A' }), 'fullName');
    expectValidation(await create({ phone: '12345' }), 'phone');
    expectValidation(await create({ orgId: 'abc' }), 'orgId');
    expectValidation(await create({ orgId: { id: tree.grassroots.id } }), 'orgId');
    expectValidation(await create({ unionCardNo: '' }), 'unionCardNo');
    expectValidation(await create({ address: { province: 5, commune: ['x'] } }), 'address.province', 'address.commune');
    expectValidation(
      await create({ bankAccount: { bankBin: '97041', accountNo: '12', accountName: '' } }),
      'bankAccount.bankBin',
      'bankAccount.accountNo',
      'bankAccount.accountName',
    );
    expectValidation(
      await create({ bankAccount: { accountNo: '1234567890' } }),
      'bankAccount.bankBin',
      'bankAccount.accountName',
    );
  });

  it('when the body sets fields the client does not own or that do not exist, also nested, then 400 names them', async () => {
    const fields: Record<string, unknown> = {
      orgPath: [tree.province.id],
      createdBy: tree.sessions.admin.user.id,
      searchName: 'x',
      id: memberId,
      _id: memberId,
      createdAt: '2020-01-01',
      status: 'approved',
      email: 'a@b.vn',
    };
    for (const [field, value] of Object.entries(fields)) expectValidation(await create({ [field]: value }), field);
    expectValidation(await create({ address: { province: 'Hà Tĩnh', ward: 'Phường 1' } }), 'address.ward');
    expectValidation(
      await create({ bankAccount: { bankBin: '970415', accountNo: '1234567890', accountName: 'A', branch: 'HN' } }),
      'bankAccount.branch',
    );
  });

  it('when keys start with "$" or hold a dot, at the top or nested, then 400', async () => {
    expectValidation(await create({ $set: { orgId: tree.sibling.id } }), '$set');
    expectValidation(await create({ address: { $set: { province: 'x' } } }), 'address.$set');
    expectValidation(
      await create({ bankAccount: { bankBin: '970415', accountNo: { $gt: '' }, accountName: 'A' } }),
      'bankAccount.accountNo.$gt',
    );
    expectValidation(await create({ 'address.province': 'Nghệ An' }), 'address.province');
    expectValidation(await create({ citizenId: { $regex: '.*' } }), 'citizenId.$regex');
  });

  it('when the JSON carries a __proto__ key, at the top or nested, then 400 rather than silently dropped', async () => {
    const send = (method: 'post' | 'patch', path: string, json: string) => {
      const client = api();
      return client[method](path)
        .set('Authorization', `Bearer ${officer.token}`)
        .set('Content-Type', 'application/json')
        .send(json);
    };
    const body = JSON.stringify(memberBody(tree.grassroots.id));
    expectValidation(
      await send('post', '/api/v1/members', body.replace(/^\{/, '{"__proto__":{"orgId":"x"},')),
      '__proto__',
    );
    expectValidation(
      await send('post', '/api/v1/members', body.replace('"address":{', '"address":{"__proto__":{"detail":"x"},')),
      'address.__proto__',
    );
    expectValidation(
      await send(
        'patch',
        `/api/v1/members/${memberId}`,
        '{"phone":"0912345678","__proto__":{"citizenId":"000000000000"}}',
      ),
      '__proto__',
    );
    expectValidation(await officer.get('/api/v1/members?__proto__=1'), '__proto__');
  });

  it('when an edit is empty, has unknown or owned fields, operator keys or wrong types, then 400 and the member is unchanged', async () => {
    expectValidation(await edit({}));
    expectValidation(await edit({ orgPath: [tree.province.id] }), 'orgPath');
    expectValidation(await edit({ createdBy: tree.sessions.admin.user.id }), 'createdBy');
    expectValidation(await edit({ citizenId: '1234' }), 'citizenId');
    expectValidation(await edit({ dateOfBirth: '2026-02-30' }), 'dateOfBirth');
    expectValidation(await edit({ gender: 'other', fullName: '' }), 'gender', 'fullName');
    expectValidation(await edit({ address: null }), 'address');
    expectValidation(await edit({ address: { $set: { detail: 'x' } } }), 'address.$set');
    expectValidation(await edit({ phone: '0912345678', $unset: { citizenId: 1 } }), '$unset');
    expectValidation(await edit({ 'bankAccount.accountNo': '999' }), 'bankAccount.accountNo');
    expectValidation(await edit({ bankAccount: { $set: null } }), 'bankAccount.$set');
    expectValidation(await edit({ orgId: { $ne: null } }), 'orgId.$ne');
  });

  it('when the body is an array, broken JSON or a form, then 400 or 415', async () => {
    const auth = `Bearer ${officer.token}`;
    expectValidation(
      await api()
        .post('/api/v1/members')
        .set('Authorization', auth)
        .send([memberBody(tree.grassroots.id)]),
    );
    expectValidation(
      await api()
        .patch(`/api/v1/members/${memberId}`)
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .send('{"phone":'),
      'body',
    );
    const form = await api()
      .post('/api/v1/members')
      .set('Authorization', auth)
      .type('form')
      .send({ fullName: 'Nguyễn Văn An' });
    expect(form.status).to.equal(415);
    expect(form.body.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the id in the path is not an ObjectId, then 400 on id for read and edit, never 500', async () => {
    for (const id of ['abc', '1', 'zzzzzzzzzzzzzzzzzzzzzzzz', `${memberId}ff`, '$where', 'null']) {
      expectValidation(await officer.get(`/api/v1/members/${encodeURIComponent(id)}`), 'id');
      expectValidation(await officer.patch(`/api/v1/members/${encodeURIComponent(id)}`, { phone: '0912345678' }), 'id');
    }
  });

  const badQueries: [string, string][] = [
    ['limit=101', 'limit'],
    ['limit=1e3', 'limit'],
    ['page=0', 'page'],
    ['sort=citizenId', 'sort'],
    ['sort=-searchName', 'sort'],
    ['sort=%24natural', 'sort'],
    ['gender=x', 'gender'],
    ['orgId=abc', 'orgId'],
    ['orgId[$ne]=x', 'orgId[$ne]'],
    ['orgId[$in][]=x', 'orgId[$in][]'],
    ['$where=1', '$where'],
    ['q[$regex]=.*', 'q[$regex]'],
    ['citizenId=042085001234', 'citizenId'],
    ['q=a&q=b', 'q'],
  ];
  for (const [query, path] of badQueries) {
    it(`when members are listed with ?${query}, then 400 on ${path}`, async () => {
      expectValidation(await officer.get(`/api/v1/members?${query}`), path);
    });
  }

  it('when a refused write is repeated by every editor role, then the member is still unchanged', async () => {
    const editors = [
      tree.sessions.admin,
      tree.sessions.approver,
      tree.sessions.verifier,
      tree.sessions.upperAdmin,
      officer,
    ];
    const answers = await Promise.all(
      editors.map((s) => s.patch(`/api/v1/members/${memberId}`, { citizenId: '0420850012', orgPath: [] })),
    );
    answers.forEach((res) => expectValidation(res, 'citizenId', 'orgPath'));
  });
});
