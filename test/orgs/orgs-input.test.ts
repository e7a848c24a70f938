import { expect } from 'chai';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { api } from '../support/api.js';
import { orgBody, type ProvinceTree } from '../support/factory.js';
import { expectValidation } from '../support/problems.js';
import { sharedProvince } from '../support/provinces.js';

describe('orgs: bad input', () => {
  let tree: ProvinceTree;
  let orgCount: number;

  before(async () => {
    tree = await sharedProvince();
  });

  beforeEach(async () => {
    orgCount = await OrgModel.countDocuments({ orgPath: tree.province.id });
  });

  afterEach(async function () {
    // Whatever was refused, the province's subtree holds exactly what it held before.
    if (this.currentTest?.state === 'passed')
      expect(await OrgModel.countDocuments({ orgPath: tree.province.id })).to.equal(orgCount);
  });

  const create = (overrides: Record<string, unknown>) =>
    tree.sessions.admin.post('/api/v1/orgs', {
      ...orgBody(tree.upper.id, 'grassroots', 'Công đoàn cơ sở'),
      ...overrides,
    });

  it('when required fields are missing, then 400 names every one of them at once', async () => {
    const res = await tree.sessions.admin.post('/api/v1/orgs', {});
    expectValidation(res, 'code', 'name', 'shortName', 'level', 'parentId');
  });

  it('when fields have the wrong types, then 400 names each field', async () => {
    expectValidation(
      await create({ code: 123, name: ['Công đoàn'], shortName: { x: 1 }, place: true }),
      'code',
      'name',
      'shortName',
      'place',
    );
    expectValidation(await create({ level: 'city' }), 'level');
    expectValidation(await create({ parentId: 'not-an-id' }), 'parentId');
    expectValidation(await create({ parentId: 42 }), 'parentId');
    expectValidation(await create({ parentId: null }), 'parentId');
    expectValidation(await create({ code: 'HT KCN' }), 'code');
    expectValidation(await create({ name: '   ' }), 'name');
    expectValidation(await create({ name: 'x'.repeat(201) }), 'name');
  });

  it('when the body carries a field the client does not own, then 400 names it', async () => {
    for (const field of ['orgPath', 'active', 'searchKey', 'id', '_id', 'createdAt']) {
      expectValidation(await create({ [field]: field === 'active' ? false : [tree.province.id] }), field);
    }
  });

  it('when keys start with "$" or hold a dot, also nested, then 400 and nothing is stored', async () => {
    expectValidation(await create({ $set: { level: 'province' } }), '$set');
    expectValidation(await create({ name: { $gt: '' } }), 'name.$gt');
    expectValidation(await create({ 'orgPath.0': tree.province.id }), 'orgPath.0');
    expectValidation(await create({ parentId: { $ne: null } }), 'parentId.$ne');
  });

  it('when the JSON carries a __proto__ key, then 400 rather than silently dropped', async () => {
    const json = JSON.stringify(orgBody(tree.upper.id, 'grassroots', 'Công đoàn cơ sở')).replace(
      /^\{/,
      '{"__proto__":{"level":"province"},',
    );
    const res = await api()
      .post('/api/v1/orgs')
      .set('Authorization', `Bearer ${tree.sessions.admin.token}`)
      .set('Content-Type', 'application/json')
      .send(json);
    expectValidation(res, '__proto__');
  });

  it('when the body is not an object, is broken JSON or not JSON at all, then 400 or 415 as problem+json', async () => {
    const auth = `Bearer ${tree.sessions.admin.token}`;
    const asArray = await api()
      .post('/api/v1/orgs')
      .set('Authorization', auth)
      .send([orgBody(tree.upper.id, 'grassroots', 'Mảng')]);
    expectValidation(asArray);
    const broken = await api()
      .post('/api/v1/orgs')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"code": "X",');
    expectValidation(broken, 'body');
    const form = await api().post('/api/v1/orgs').set('Authorization', auth).type('form').send({ code: 'FORM1' });
    expect(form.status).to.equal(415);
    expect(form.body.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the id in the path is not an ObjectId, then 400 VALIDATION_FAILED on id, never 500', async () => {
    for (const id of ['abc', '123', 'zzzzzzzzzzzzzzzzzzzzzzzz', `${tree.province.id}0`, '$where', "1' OR '1'='1"]) {
      const path = `/api/v1/orgs/${encodeURIComponent(id)}`;
      expectValidation(await tree.sessions.admin.get(path), 'id');
      expectValidation(await tree.sessions.admin.patch(path, { name: 'Tên mới' }), 'id');
    }
  });

  it('when an edit is empty, changes what cannot change, or has wrong types, then 400 and the org is unchanged', async () => {
    const before = await OrgModel.findById(tree.grassroots.id).lean();
    const path = `/api/v1/orgs/${tree.grassroots.id}`;
    const admin = tree.sessions.admin;
    expectValidation(await admin.patch(path, {}));
    expectValidation(await admin.patch(path, { level: 'upper' }), 'level');
    expectValidation(await admin.patch(path, { parentId: tree.province.id }), 'parentId');
    expectValidation(await admin.patch(path, { code: 'MOI' }), 'code');
    expectValidation(await admin.patch(path, { orgPath: [tree.province.id] }), 'orgPath');
    expectValidation(await admin.patch(path, { active: 'maybe', name: 5 }), 'active', 'name');
    expectValidation(await admin.patch(path, { name: 'Tên mới', $unset: { name: 1 } }), '$unset');
    expectValidation(await admin.patch(path, { name: { $set: 'x' } }), 'name.$set');
    expect(await OrgModel.findById(tree.grassroots.id).lean()).to.deep.equal(before);
  });

  const badQueries: [string, string][] = [
    ['limit=101', 'limit'],
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=1.5', 'page'],
    ['sort=orgPath', 'sort'],
    ['sort=-searchKey', 'sort'],
    ['sort=name,code', 'sort'],
    ['level=city', 'level'],
    ['parentId=xyz', 'parentId'],
    ['parentId[$ne]=x', 'parentId[$ne]'],
    ['$where=1', '$where'],
    ['q[$regex]=.*', 'q[$regex]'],
    ['orgPath=abc', 'orgPath'],
    ['q=a&q=b', 'q'],
    [`q=${'x'.repeat(101)}`, 'q'],
  ];
  for (const [query, path] of badQueries) {
    it(`when the list is asked with ?${query.slice(0, 30)}, then 400 on ${path}`, async () => {
      expectValidation(await tree.sessions.admin.get(`/api/v1/orgs?${query}`), path);
    });
  }

  it('when limit is exactly 100, then the list answers', async () => {
    const res = await tree.sessions.admin.get('/api/v1/orgs?limit=100&page=1');
    expect(res.status).to.equal(200);
    expect(res.body.limit).to.equal(100);
  });
});
