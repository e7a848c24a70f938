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
    const [old, next] = await Promise.all([
      storedRefreshToken(session.refreshToken),
      storedRefreshToken(res.body.refreshToken),
    ]);
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

  it("when one family is revoked for reuse, then the same user's other sign-ins keep working", async () => {
    const stolen = await login(officer.username, officer.password);
    const other = await login(officer.username, officer.password);
    await refreshWith(stolen.refreshToken);

    await refreshWith(stolen.refreshToken);

    const res = await refreshWith(other.refreshToken);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });

  it('when the same refresh token is sent twice in parallel, then they never both succeed and one successor at most is issued', async () => {
    const session = await login(officer.username, officer.password);

    const results = await Promise.all([refreshWith(session.refreshToken), refreshWith(session.refreshToken)]);

    // The loser presented a used token, which is a reuse and revokes the family; when that revocation lands
    // before the winner's own check, the winner is refused too. Both succeeding is what must never happen.
    const statuses = results
      .map((res) => res.status)
      .sort()
      .join(',');
    expect(statuses).to.be.oneOf(['200,401', '401,401']);
    const { familyId } = (await storedRefreshToken(session.refreshToken))!;
    expect(await RefreshToken.countDocuments({ familyId })).to.be.at.most(2);
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

      const [exchange, logout] = await Promise.all([
        refreshWith(session.refreshToken),
        logoutWith(session.refreshToken),
      ]);

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
