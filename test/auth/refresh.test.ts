import { expect } from 'chai';
import { RefreshToken } from '../../src/auth/auth.models.js';
import { api, expectProblem, login } from '../support/api.js';
import { logoutWith, me, newOfficer, refreshWith, storedRefreshToken, type TestUser } from './auth-fixtures.js';

const SESSION_ENDED = 'Phiên đăng nhập không còn hiệu lực, vui lòng đăng nhập lại.';

function expectSessionEnded(res: Awaited<ReturnType<typeof refreshWith>>): void {
  expectProblem(res, 401, 'UNAUTHENTICATED');
  expect(res.body.detail).to.equal(SESSION_ENDED);
}

describe('auth: refresh and logout', () => {
  let officer: TestUser;

  before(async () => {
    officer = await newOfficer();
  });

  it('when a refresh token is exchanged, then a new pair comes back in the same family and the old token is marked used', async () => {
    const session = await login(officer.username, officer.password);

    const res = await refreshWith(session.refreshToken);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.have.all.keys('accessToken', 'refreshToken', 'expiresIn', 'tokenType', 'user');
    expect(res.body.refreshToken).to.not.equal(session.refreshToken);
    expect(res.body.user.id).to.equal(officer.id);
    expect((await me(res.body.accessToken)).status).to.equal(200);
    const [old, next] = await Promise.all([storedRefreshToken(session.refreshToken), storedRefreshToken(res.body.refreshToken)]);
    expect(old!.usedAt).to.be.instanceOf(Date);
    expect(next!.familyId).to.equal(old!.familyId);
    expect(next!.usedAt).to.equal(null);
    expect(next!.revokedAt).to.equal(null);
  });

  it('when a token that was already exchanged is presented again, then it answers 401 and the whole family is revoked', async () => {
    const session = await login(officer.username, officer.password);
    const second = await refreshWith(session.refreshToken);
    const third = await refreshWith(second.body.refreshToken);
    expect(third.status).to.equal(200);

    const reuse = await refreshWith(session.refreshToken);

    expectSessionEnded(reuse);
    expectSessionEnded(await refreshWith(third.body.refreshToken));
    const { familyId } = (await storedRefreshToken(session.refreshToken))!;
    const family = await RefreshToken.find({ familyId }).lean();
    expect(family).to.have.length(3);
    for (const token of family) expect(token.revokedAt, 'every token of the family revoked').to.be.instanceOf(Date);
  });

  it('when one family is revoked for reuse, then the same user\'s other sign-ins keep working', async () => {
    const stolen = await login(officer.username, officer.password);
    const other = await login(officer.username, officer.password);
    await refreshWith(stolen.refreshToken);

    await refreshWith(stolen.refreshToken);

    const res = await refreshWith(other.refreshToken);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });

  it('when the same refresh token is sent twice in parallel, then exactly one exchange succeeds', async () => {
    const session = await login(officer.username, officer.password);

    const results = await Promise.all([refreshWith(session.refreshToken), refreshWith(session.refreshToken)]);

    expect(results.map((res) => res.status).sort()).to.deep.equal([200, 401]);
    const { familyId } = (await storedRefreshToken(session.refreshToken))!;
    // The family holds the presented token and only the one successor issued to the winner.
    expect(await RefreshToken.countDocuments({ familyId })).to.equal(2);
    // The loser presented a used token, which is a reuse: the winner's successor ends with the family,
    // whichever of the two finished first.
    const winner = results.find((res) => res.status === 200)!;
    expectSessionEnded(await refreshWith(winner.body.refreshToken));
  });

  it('when five exchanges of one token race, then at most one succeeds and only one successor is ever issued', async () => {
    const session = await login(officer.username, officer.password);

    const results = await Promise.all(Array.from({ length: 5 }, () => refreshWith(session.refreshToken)));

    // Only one request can mark the token used; the losers count as reuse and revoke the family, which
    // may happen before the winner answers, so the winner may be refused too (never two winners).
    expect(results.filter((res) => res.status === 200).length).to.be.at.most(1);
    const { familyId } = (await storedRefreshToken(session.refreshToken))!;
    expect(await RefreshToken.countDocuments({ familyId })).to.be.at.most(2);
    for (const res of results.filter((r) => r.status !== 200)) expectProblem(res, 401, 'UNAUTHENTICATED');
  });

  it('when the refresh token has expired, then it answers 401 and is not marked used', async () => {
    const session = await login(officer.username, officer.password);
    const stored = await storedRefreshToken(session.refreshToken);
    await RefreshToken.updateOne({ _id: stored!._id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const res = await refreshWith(session.refreshToken);

    expectSessionEnded(res);
    const after = await storedRefreshToken(session.refreshToken);
    expect(after!.usedAt).to.equal(null);
  });

  it('when a refresh token was never issued, then it answers 401', async () => {
    expectSessionEnded(await refreshWith('x'.repeat(43)));
  });

  it('when the refresh token is missing, too short or of the wrong type, then it answers 400', async () => {
    const bodies = [
      {},
      { refreshToken: 'short' },
      { refreshToken: 1234567890 },
      { refreshToken: ['x'.repeat(43)] },
      { refreshToken: 'x'.repeat(43), extra: 1 },
    ];
    for (const body of bodies) {
      const res = await api().post('/api/v1/auth/refresh').send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('when a user logs out, then it answers 204, the family is revoked and its refresh tokens stop working', async () => {
    const session = await login(officer.username, officer.password);
    const rotated = await refreshWith(session.refreshToken);

    const res = await logoutWith(rotated.body.refreshToken);

    expect(res.status).to.equal(204);
    expect(res.text).to.equal('');
    const { familyId } = (await storedRefreshToken(session.refreshToken))!;
    const family = await RefreshToken.find({ familyId }).lean();
    expect(family).to.have.length(2);
    for (const token of family) expect(token.revokedAt).to.be.instanceOf(Date);
    expectSessionEnded(await refreshWith(rotated.body.refreshToken));
  });

  it('when logout races an exchange of the same token, then no refresh token of that sign-in survives the logout', async () => {
    // Without a check at exchange time, a successor stored just after the logout's revocation outlived it.
    for (let round = 0; round < 6; round += 1) {
      const session = await login(officer.username, officer.password);

      const [exchange, logout] = await Promise.all([refreshWith(session.refreshToken), logoutWith(session.refreshToken)]);

      expect(logout.status).to.equal(204);
      if (exchange.status === 200) expectSessionEnded(await refreshWith(exchange.body.refreshToken));
      const { familyId } = (await storedRefreshToken(session.refreshToken))!;
      expect(await RefreshToken.countDocuments({ familyId, revokedAt: null }), `round ${round}`).to.equal(0);
    }
  });

  it('when the same logout is sent twice, then both answer 204 and the revocation time is kept', async () => {
    const session = await login(officer.username, officer.password);
    await logoutWith(session.refreshToken);
    const firstRevokedAt = (await storedRefreshToken(session.refreshToken))!.revokedAt;

    const again = await logoutWith(session.refreshToken);

    expect(again.status).to.equal(204);
    expect((await storedRefreshToken(session.refreshToken))!.revokedAt).to.deep.equal(firstRevokedAt);
  });

  it('when logout is sent with a token that was never issued, then it still answers 204', async () => {
    const res = await logoutWith('y'.repeat(43));

    expect(res.status).to.equal(204);
  });

  it('when one sign-in logs out, then another sign-in of the same user keeps working', async () => {
    const phone = await login(officer.username, officer.password);
    const laptop = await login(officer.username, officer.password);

    await logoutWith(phone.refreshToken);

    expect((await refreshWith(laptop.refreshToken)).status).to.equal(200);
  });
});
