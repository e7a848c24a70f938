import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { api, expectProblem, login } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { me, newOfficer, type TestUser } from './auth-fixtures.js';

const INVALID_TOKEN = 'Mã truy cập không hợp lệ.';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A token exactly like the service's own, with some claims or options changed. */
function craftToken(
  userId: string,
  overrides: { payload?: object; secret?: string; options?: jwt.SignOptions } = {},
): string {
  const { config } = testEnv();
  return jwt.sign({ sv: 0, ...overrides.payload }, overrides.secret ?? config.jwt.secret, {
    algorithm: 'HS256',
    subject: userId,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    expiresIn: 300,
    ...overrides.options,
  });
}

function expectRefusedToken(res: Awaited<ReturnType<typeof me>>, detail = INVALID_TOKEN): void {
  expectProblem(res, 401, 'UNAUTHENTICATED');
  expect(res.headers['www-authenticate']).to.equal('Bearer');
  expect(res.body.detail).to.equal(detail);
}

describe('auth: access tokens', () => {
  let officer: TestUser;

  before(async () => {
    officer = await newOfficer();
  });

  it('when a token crafted the same way as the service does is sent, then it is accepted (the control case)', async () => {
    const res = await me(craftToken(officer.id));

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.id).to.equal(officer.id);
  });

  it('when the token has expired, then it answers 401 saying the session expired', async () => {
    const expired = craftToken(officer.id, { options: { expiresIn: -60 } });
    expect((jwt.decode(expired) as jwt.JwtPayload).exp).to.be.below(Date.now() / 1000);

    const res = await me(expired);

    expectRefusedToken(res, 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.');
    expect(res.body.detail).to.match(/hết hạn/);
  });

  it('when a token accepted before has expired since, then the same token answers 401 saying the session expired', async () => {
    const shortLived = craftToken(officer.id, { options: { expiresIn: 2 } });
    const { exp } = jwt.decode(shortLived) as { exp: number };
    expect((await me(shortLived)).status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));

    expectRefusedToken(await me(shortLived), 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.');
  });

  it('when the payload is changed to another user, then the signature no longer matches and it answers 401', async () => {
    const session = await login(officer.username, officer.password);
    const other = (await newOfficer()).id;
    const [header, payload, signature] = session.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());

    const res = await me(`${header}.${base64url({ ...claims, sub: other })}.${signature}`);

    expectRefusedToken(res);
  });

  it('when one character of the signature is changed, then it answers 401', async () => {
    const session = await login(officer.username, officer.password);
    const [header, payload, signature] = session.token.split('.');
    // A middle character: the last one of a base64url signature partly encodes padding bits.
    const flipped = signature!.slice(0, 10) + (signature![10] === 'A' ? 'B' : 'A') + signature!.slice(11);

    const res = await me(`${header}.${payload}.${flipped}`);

    expectRefusedToken(res);
  });

  it('when the token says alg none and has no signature, then it answers 401', async () => {
    const { config } = testEnv();
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: officer.id,
      sv: 0,
      iss: config.jwt.issuer,
      aud: config.jwt.audience,
      iat: now,
      exp: now + 300,
    };

    const res = await me(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`);

    expectRefusedToken(res);
  });

  it('when the token is signed with another secret, then it answers 401', async () => {
    const res = await me(craftToken(officer.id, { secret: 'another-secret-that-is-also-long-enough-42' }));

    expectRefusedToken(res);
  });

  it('when the token is signed with the right secret but HS512, then the pinned algorithm refuses it', async () => {
    const res = await me(craftToken(officer.id, { options: { algorithm: 'HS512' } }));

    expectRefusedToken(res);
  });

  it('when the audience is wrong, then it answers 401', async () => {
    const res = await me(craftToken(officer.id, { options: { audience: 'some-other-api' } }));

    expectRefusedToken(res);
  });

  it('when the issuer is wrong, then it answers 401', async () => {
    const res = await me(craftToken(officer.id, { options: { issuer: 'someone-else' } }));

    expectRefusedToken(res);
  });

  it('when the session version claim is missing, then it answers 401', async () => {
    const { config } = testEnv();
    const token = jwt.sign({}, config.jwt.secret, {
      algorithm: 'HS256',
      subject: officer.id,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      expiresIn: 300,
    });

    const res = await me(token);

    expectRefusedToken(res);
  });

  it('when a well-signed token names no existing user, then it answers 401', async () => {
    const ghost = await me(craftToken('0123456789abcdef01234567'));
    const notAnId = await me(craftToken('admin'));

    expectProblem(ghost, 401, 'UNAUTHENTICATED');
    expectProblem(notAnId, 401, 'UNAUTHENTICATED');
  });

  it('when a well-signed token carries an older session version, then it answers 401', async () => {
    const res = await me(craftToken(officer.id, { payload: { sv: -1 } }));

    expectProblem(res, 401, 'UNAUTHENTICATED');
  });

  it('when the scheme is written "bearer" in lower case, then the token is accepted (scheme names ignore case)', async () => {
    const res = await api()
      .get('/api/v1/auth/me')
      .set('Authorization', `bearer ${craftToken(officer.id)}`);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });

  for (const [label, header] of [
    ['missing', undefined],
    ['empty', ''],
    ['Basic credentials', 'Basic YWRtaW46YWRtaW4='],
    ['"Bearer" without a token', 'Bearer '],
    ['a token with a space in it', 'Bearer abc def'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ] as const) {
    it(`when the Authorization header is ${label}, then it answers 401 problem+json with WWW-Authenticate`, async () => {
      const test = api().get('/api/v1/auth/me');
      if (header !== undefined) test.set('Authorization', header);

      const res = await test;

      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).to.equal('Bearer');
    });
  }
});
