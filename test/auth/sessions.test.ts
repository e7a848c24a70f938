import { expect } from 'chai';
import { RefreshToken } from '../../src/auth/auth.models.js';
import { User } from '../../src/users/users.model.js';
import { arrange, expectProblem, login, type Session } from '../support/api.js';
import { userSession } from '../support/factory.js';
import { authTree, me, newOfficer, refreshWith, signIn, type TestUser } from './auth-fixtures.js';

const NEW_PASSWORD = 'mat-khau-moi-2026';

async function adminPatch(userId: string, body: object): Promise<Record<string, unknown>> {
  const { sessions } = await authTree();
  return arrange(sessions.admin.patch(`/api/v1/users/${userId}`, body), 200);
}

async function storedSessionVersion(userId: string): Promise<number> {
  return (await User.findById(userId).lean())!.sessionVersion;
}

describe('auth: ending sessions when an account changes', () => {
  let officer: TestUser;
  let session: Session;

  beforeEach(async () => {
    officer = await newOfficer();
    session = await login(officer.username, officer.password);
  });

  it('when an admin disables a user, then their access token answers 401 at once and their refresh token fails', async () => {
    const versionBefore = await storedSessionVersion(officer.id);

    const updated = await adminPatch(officer.id, { active: false });

    expect(updated).to.include({ id: officer.id, active: false });
    expect(updated).to.not.have.property('sessionVersion');
    expect(await storedSessionVersion(officer.id)).to.equal(versionBefore + 1);
    expectProblem(await me(session.token), 401, 'UNAUTHENTICATED');
    expectProblem(await session.get('/api/v1/members'), 401, 'UNAUTHENTICATED');
    expectProblem(await refreshWith(session.refreshToken), 401, 'UNAUTHENTICATED');
  });

  it('when a disabled user signs in with the right password, then it answers 401 as for a wrong password and issues no token', async () => {
    await adminPatch(officer.id, { active: false });
    const tokensBefore = await RefreshToken.countDocuments({ userId: officer.id });

    const res = await signIn(officer.username, officer.password);

    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.body.detail).to.equal('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(await RefreshToken.countDocuments({ userId: officer.id })).to.equal(tokensBefore);
  });

  it('when a disabled user is enabled again, then they sign in again but their old tokens stay dead', async () => {
    await adminPatch(officer.id, { active: false });

    const updated = await adminPatch(officer.id, { active: true });

    expect(updated.active).to.equal(true);
    const again = await signIn(officer.username, officer.password);
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect((await me(again.body.accessToken)).status).to.equal(200);
    expectProblem(await me(session.token), 401, 'UNAUTHENTICATED');
    expectProblem(await refreshWith(session.refreshToken), 401, 'UNAUTHENTICATED');
  });

  it("when an admin changes a user's password, then their sessions end and only the new password signs in", async () => {
    await adminPatch(officer.id, { password: NEW_PASSWORD });

    expectProblem(await me(session.token), 401, 'UNAUTHENTICATED');
    expectProblem(await refreshWith(session.refreshToken), 401, 'UNAUTHENTICATED');
    expectProblem(await signIn(officer.username, officer.password), 401, 'UNAUTHENTICATED');
    const res = await signIn(officer.username, NEW_PASSWORD);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const stored = await User.findById(officer.id).lean();
    expect(stored!.passwordHash).to.match(/^scrypt\$/);
    expect(stored!.passwordHash).to.not.include(NEW_PASSWORD);
  });

  it("when an admin changes only the name or the roles, then the user's session keeps working", async () => {
    const versionBefore = await storedSessionVersion(officer.id);

    await adminPatch(officer.id, { fullName: 'Trần Thị Bình', roles: ['grassroots_officer', 'admin'] });

    expect(await storedSessionVersion(officer.id)).to.equal(versionBefore);
    const res = await me(session.token);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.fullName).to.equal('Trần Thị Bình');
    expect(res.body.roles).to.have.members(['grassroots_officer', 'admin']);
    expect((await refreshWith(session.refreshToken)).status).to.equal(200);
  });

  it("when an admin outside the user's subtree tries to disable them, then it answers 404 and the session keeps working", async () => {
    // An admin of the sibling grassroots union: same province, but the officer is not in its subtree.
    const { sessions, sibling } = await authTree();
    const outsider = await userSession(sessions.admin, sibling.id, ['admin']);
    const versionBefore = await storedSessionVersion(officer.id);

    const res = await outsider.patch(`/api/v1/users/${officer.id}`, { active: false });

    expectProblem(res, 404, 'NOT_FOUND');
    expect(await storedSessionVersion(officer.id)).to.equal(versionBefore);
    expect((await me(session.token)).status).to.equal(200);
  });
});
