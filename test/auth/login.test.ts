import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { RefreshToken } from '../../src/auth/auth.models.js';
import { User } from '../../src/users/users.model.js';
import { expectProblem } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { unique } from '../support/factory.js';
import { newOfficer, signIn, storedRefreshToken } from './auth-fixtures.js';

const PRIVATE_FIELDS = ['passwordHash', 'sessionVersion', 'searchKey', '_id', '__v'];

describe('auth: login', () => {
  it('when the username and password are right, then it answers an access token, a refresh token and the user', async () => {
    const officer = await newOfficer();
    const { config } = testEnv();

    const res = await signIn(officer.username, officer.password);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.have.all.keys('accessToken', 'refreshToken', 'expiresIn', 'tokenType', 'user');
    expect(res.body.tokenType).to.equal('Bearer');
    expect(res.body.expiresIn).to.equal(config.jwt.accessTtlSeconds);
    expect(res.body.refreshToken).to.be.a('string').with.length.greaterThan(40);
    expect(res.body.user).to.include({ id: officer.id, username: officer.username, active: true });
    expect(res.body.user.roles).to.deep.equal(['grassroots_officer']);
    for (const field of PRIVATE_FIELDS) expect(res.body.user).to.not.have.property(field);

    const decoded = jwt.decode(res.body.accessToken, { complete: true });
    expect(decoded?.header.alg).to.equal('HS256');
    const claims = decoded?.payload as jwt.JwtPayload;
    expect(claims).to.include({ sub: officer.id, iss: config.jwt.issuer, aud: config.jwt.audience, sv: 0 });
    expect(claims.exp! - claims.iat!).to.equal(config.jwt.accessTtlSeconds);
  });

  it('when a user signs in, then the refresh token is stored only as a hash and the login time is recorded', async () => {
    const officer = await newOfficer();
    const before = Date.now();

    const res = await signIn(officer.username, officer.password);

    expect(res.status).to.equal(200);
    const stored = await storedRefreshToken(res.body.refreshToken);
    expect(stored, 'refresh token stored by its SHA-256').to.not.equal(null);
    expect(String(stored!.userId)).to.equal(officer.id);
    expect(stored!.usedAt).to.equal(null);
    expect(stored!.revokedAt).to.equal(null);
    const days = (stored!.expiresAt.getTime() - before) / 86_400_000;
    expect(days).to.be.closeTo(testEnv().config.jwt.refreshTtlDays, 0.01);
    const raw = JSON.stringify(await RefreshToken.collection.find({ userId: stored!.userId }).toArray());
    expect(raw).to.not.include(res.body.refreshToken);
    const user = await User.findById(officer.id).lean();
    expect(user!.lastLoginAt!.getTime()).to.be.at.least(before - 1000);
  });

  it('when the username is typed in capitals with spaces around it, then the user still signs in', async () => {
    const officer = await newOfficer();

    const res = await signIn(`  ${officer.username.toUpperCase()} `, officer.password);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.user.id).to.equal(officer.id);
  });

  it('when the password is wrong or the user does not exist, then both answer 401 with the same detail', async () => {
    const officer = await newOfficer();

    const wrongPassword = await signIn(officer.username, 'not-the-password-1');
    const unknownUser = await signIn(unique('nobody').toLowerCase(), 'not-the-password-1');

    expectProblem(wrongPassword, 401, 'UNAUTHENTICATED');
    expectProblem(unknownUser, 401, 'UNAUTHENTICATED');
    expect(wrongPassword.body.detail).to.equal(unknownUser.body.detail);
    expect(wrongPassword.body.title).to.equal(unknownUser.body.title);
    expect(wrongPassword.body).to.not.have.property('accessToken');
  });

  it('when username and password are missing, then it answers 400 naming both fields at once', async () => {
    const res = await signIn(undefined, undefined);

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.have.members(['username', 'password']);
  });

  it('when the body carries an unknown field, then it answers 400 naming that field', async () => {
    const res = await signIn('someone', 'some-password-1').send({ rememberMe: true });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['rememberMe']);
  });

  it('when the fields have the wrong types, then it answers 400 for each of them', async () => {
    const res = await signIn(12345, ['a', 'b']);

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.have.members(['username', 'password']);
  });

  it('when the username is a query operator, then it answers 400 and nobody is signed in', async () => {
    const res = await signIn({ $gt: '' }, { $gt: '' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body).to.not.have.property('accessToken');
  });

  it('when the body is not JSON, then it answers 415', async () => {
    const res = await signIn(undefined, undefined).type('form').send('username=someone&password=some-password-1');

    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});
