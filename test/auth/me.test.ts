import { expect } from 'chai';
import { api, expectProblem, login, loginAdmin } from '../support/api.js';
import { authTree, me, newOfficer } from './auth-fixtures.js';

describe('auth: the current user', () => {
  it('when a signed-in user asks who they are, then it answers the user with their organisation', async () => {
    const { grassroots } = await authTree();
    const officer = await newOfficer();
    const session = await login(officer.username, officer.password);

    const res = await me(session.token);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ id: officer.id, username: officer.username, orgId: grassroots.id, active: true });
    expect(res.body.roles).to.deep.equal(['grassroots_officer']);
    expect(res.body.orgPath).to.deep.equal(grassroots.orgPath);
    expect(res.body.org).to.deep.equal({
      id: grassroots.id,
      code: grassroots.code,
      name: grassroots.name,
      level: 'grassroots',
    });
    for (const field of ['passwordHash', 'sessionVersion', 'searchKey', '_id', '__v'])
      expect(res.body).to.not.have.property(field);
    expect(res.body.lastLoginAt).to.be.a('string');
  });

  it('when the first administrator asks who they are, then the organisation is the national root VN', async () => {
    const admin = await loginAdmin();

    const res = await admin.get('/api/v1/auth/me');

    expect(res.status).to.equal(200);
    expect(res.body.username).to.equal('admin');
    expect(res.body.org).to.deep.equal({
      id: admin.user.orgId,
      code: 'VN',
      name: 'Tổng Liên đoàn Lao động Việt Nam',
      level: 'national',
    });
  });

  it('when nobody is signed in, then it answers 401', async () => {
    expectProblem(await api().get('/api/v1/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('when a query string is added, then it answers 400 because me takes no parameters', async () => {
    const officer = await newOfficer();
    const session = await login(officer.username, officer.password);

    expectProblem(await session.get('/api/v1/auth/me?userId=someone-else'), 400, 'VALIDATION_FAILED');
  });
});
