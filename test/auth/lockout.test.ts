import { createHash, randomInt } from 'node:crypto';
import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { LoginDevice, LoginThrottle } from '../../src/auth/auth.models.js';
import { login as loginService } from '../../src/auth/auth.service.js';
import { countPairAttempt, throttleDelayMs, throttleKeys } from '../../src/auth/login-throttle.js';
import { AuditEntry } from '../../src/audit/index.js';
import { createLogger } from '../../src/core/logger.js';
import { expectProblem, loginAdmin } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { unique } from '../support/factory.js';
import { foreignProvince } from '../support/provinces.js';
import { authTree, newOfficer, type TestUser } from './auth-fixtures.js';

const WRONG = 'sai-mat-khau-123';
const maxFailures = () => testEnv().config.login.maxFailures;

/**
 * The app behind a trusted proxy on loopback, so each test chooses the client address with
 * X-Forwarded-For, as a load balancer would send it.
 */
let proxied: Express | undefined;
function app(): Express {
  proxied ??= createApp({ config: { ...testEnv().config, trustProxy: 'loopback' }, logger: createLogger('silent') });
  return proxied;
}

/** A client address of its own (documentation range, RFC 3849). */
function uniqueAddress(): string {
  return `2001:db8::${randomInt(0, 0xffff).toString(16)}:${randomInt(0, 0xffff).toString(16)}`;
}

function signInFrom(address: string, username: string, password: string, deviceCookie?: string): request.Test {
  const test = request(app()).post('/api/v1/auth/login').set('X-Forwarded-For', address);
  if (deviceCookie) test.set('Cookie', deviceCookie);
  return test.send({ username, password });
}

async function failFrom(address: string, username: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) expectProblem(await signInFrom(address, username, WRONG), 401, 'UNAUTHENTICATED');
}

/** The device cookie a successful sign-in set, as the browser sends it back (`name=value`). */
function deviceCookieOf(res: request.Response): string {
  const header = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((line) => line.startsWith('mai_am_device='));
  expect(header, 'a device cookie is set').to.be.a('string');
  return header!.split(';')[0]!;
}

function pairId(username: string, address: string): string {
  return throttleKeys(username, address).pair;
}

describe('auth: throttling per username × address', () => {
  let officer: TestUser;
  let address: string;

  beforeEach(async () => {
    officer = await newOfficer();
    address = uniqueAddress();
  });

  it('when a pair has failed one time fewer than the limit, then the right password still signs in and the counter is cleared', async () => {
    await failFrom(address, officer.username, maxFailures() - 1);
    expect((await LoginThrottle.findById(pairId(officer.username, address)).lean())!.failures).to.equal(
      maxFailures() - 1,
    );

    const res = await signInFrom(address, officer.username, officer.password);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await LoginThrottle.findById(pairId(officer.username, address)).lean()).to.equal(null);
  });

  it('when a pair reaches the limit, then that pair (in capitals too) answers 429 with Retry-After, and the lock is audited once', async () => {
    await failFrom(address, officer.username, maxFailures());

    const res = await signInFrom(address, officer.username, officer.password);

    expectProblem(res, 429, 'RATE_LIMITED');
    const lockSeconds = testEnv().config.login.lockMinutes * 60;
    expect(Number(res.headers['retry-after'])).to.be.within(lockSeconds - 5, lockSeconds);
    expect(res.body.detail).to.match(/^Đăng nhập sai quá nhiều lần từ địa chỉ này\. Vui lòng thử lại sau \d+ phút/);
    expect(res.body).to.not.have.property('accessToken');
    expectProblem(await signInFrom(address, officer.username.toUpperCase(), officer.password), 429, 'RATE_LIMITED');
    const stored = await LoginThrottle.findById(pairId(officer.username, address)).lean();
    expect(stored).to.include({ kind: 'pair', username: officer.username, address, failures: maxFailures() });
    expect(stored!.lockedUntil!.getTime()).to.be.greaterThan(Date.now() + (lockSeconds - 10) * 1000);
    const audits = await AuditEntry.find({ action: 'auth.lock', entityId: officer.username }).lean();
    expect(audits).to.have.length(1);
    expect(audits[0]!.details).to.include({ username: officer.username, address, failures: maxFailures() });
    expect(JSON.stringify(audits[0])).to.not.include(WRONG);
  });

  it('when a pair is locked, then the same account from another address and another account from the same address still sign in', async () => {
    const other = await newOfficer();
    await failFrom(address, officer.username, maxFailures());

    const elsewhere = await signInFrom(uniqueAddress(), officer.username, officer.password);
    const neighbour = await signInFrom(address, other.username, other.password);

    expect(elsewhere.status, JSON.stringify(elsewhere.body)).to.equal(200);
    expect(neighbour.status, JSON.stringify(neighbour.body)).to.equal(200);
    expect(await LoginThrottle.findById(pairId(other.username, address)).lean()).to.equal(null);
  });

  it('when the account is under attack from the address it signs in from, then the right password from its known device still works', async () => {
    const first = await signInFrom(address, officer.username, officer.password);
    expect(first.status).to.equal(200);
    const device = deviceCookieOf(first);
    // An attacker behind the same office address, and another one elsewhere, guess the password.
    await failFrom(address, officer.username, maxFailures());
    await failFrom(uniqueAddress(), officer.username, maxFailures());
    expectProblem(await signInFrom(address, officer.username, WRONG), 429, 'RATE_LIMITED');
    expectProblem(await signInFrom(address, officer.username, officer.password), 429, 'RATE_LIMITED');

    const res = await signInFrom(address, officer.username, officer.password, device);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.user.id).to.equal(officer.id);
    expect((await LoginThrottle.findById(pairId(officer.username, address)).lean())!.lockedUntil).to.not.equal(null);
  });

  it('when a sign-in succeeds, then the device cookie is HttpOnly, SameSite=Strict, for the login path only, long-lived, and stored hashed', async () => {
    const res = await signInFrom(address, officer.username, officer.password);

    const header = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((line) => line.startsWith('mai_am_device='))!;
    expect(header)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Strict/i)
      .and.match(/Path=\/api\/v1\/auth\/login/);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(header)![1]);
    expect(maxAge).to.equal(testEnv().config.login.deviceDays * 86400);
    const token = deviceCookieOf(res).split('=')[1]!;
    const stored = await LoginDevice.findOne({ tokenHash: createHash('sha256').update(token).digest('hex') }).lean();
    expect(String(stored!.userId)).to.equal(officer.id);
    expect(await LoginDevice.findOne({ tokenHash: token }).lean()).to.equal(null);
  });

  it("when a device cookie of another account is presented, then it does not lift this account's lock", async () => {
    const other = await newOfficer();
    const device = deviceCookieOf(await signInFrom(address, other.username, other.password));
    await failFrom(address, officer.username, maxFailures());

    expectProblem(await signInFrom(address, officer.username, officer.password, device), 429, 'RATE_LIMITED');
  });

  it('when a known device itself keeps failing, then it stops being trusted and the pair rules apply', async () => {
    const device = deviceCookieOf(await signInFrom(address, officer.username, officer.password));
    for (let i = 0; i < maxFailures(); i += 1) {
      expectProblem(await signInFrom(address, officer.username, WRONG, device), 401, 'UNAUTHENTICATED');
    }
    await failFrom(address, officer.username, maxFailures());

    expectProblem(await signInFrom(address, officer.username, officer.password, device), 429, 'RATE_LIMITED');
  });

  it('when a burst of wrong guesses for one pair arrives at once, then only the first LOGIN_MAX_FAILURES are tried', async () => {
    const burst = maxFailures() + 10;

    const results = await Promise.all(
      Array.from({ length: burst }, () => signInFrom(address, officer.username, WRONG)),
    );

    const statuses = results.map((res) => res.status);
    expect(
      statuses.filter((status) => status === 401),
      statuses.join(','),
    ).to.have.length(maxFailures());
    expect(
      statuses.filter((status) => status === 429),
      statuses.join(','),
    ).to.have.length(burst - maxFailures());
    expectProblem(await signInFrom(address, officer.username, officer.password), 429, 'RATE_LIMITED');
  });

  it('when the lock has passed, then the right password signs in again and the counter is cleared', async () => {
    await failFrom(address, officer.username, maxFailures());
    const id = pairId(officer.username, address);
    await LoginThrottle.updateOne(
      { _id: id },
      { $set: { lockedUntil: new Date(Date.now() - 1000), windowStartedAt: new Date(0) } },
    );

    const res = await signInFrom(address, officer.username, officer.password);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await LoginThrottle.findById(id).lean()).to.equal(null);
  });

  it('when a username that does not exist keeps failing, then its pair is locked the same way as a real one', async () => {
    const nobody = unique('nobody').toLowerCase();
    await failFrom(address, nobody, maxFailures());

    expectProblem(await signInFrom(address, nobody, WRONG), 429, 'RATE_LIMITED');
  });
});

describe('auth: throttling per address', () => {
  it("when 31 random usernames fail from one address, then another account's right password from it is slowed but signs in, and the burst is audited", async () => {
    const { config } = testEnv();
    const strict = { ...config, login: { ...config.login, maxFailuresPerIp: 30, failureDelayMs: 40, maxDelayMs: 400 } };
    const officer = await newOfficer();
    const address = uniqueAddress();
    const attempt = (username: string, password: string) =>
      loginService(strict, { username, password, address, deviceTokens: [], requestId: unique('req') });
    for (let i = 0; i < 31; i += 1) {
      await attempt(unique('guess').toLowerCase(), WRONG).then(
        () => expect.fail('a guess signed in'),
        (error: { code: string }) => {
          expect(error.code).to.equal('UNAUTHENTICATED');
        },
      );
    }

    const started = Date.now();
    const result = await attempt(officer.username, officer.password);
    const waited = Date.now() - started;

    expect(result.pair.user.id).to.equal(officer.id);
    expect(waited, 'two failures over the limit double the first delay').to.be.at.least(75);
    expect((await LoginThrottle.findById(throttleKeys('x', address).addressKey).lean())!.failures).to.equal(31);
    const bursts = await AuditEntry.find({ action: 'auth.login_failure_burst', entityId: address }).lean();
    expect(bursts).to.have.length(1);
    expect(bursts[0]!.details).to.include({ address, failures: 30 });
  });

  it('when the delay is worked out, then it doubles with each failure of the pair and stops at LOGIN_MAX_DELAY_MS', () => {
    const { config } = testEnv();
    const c = { ...config, login: { ...config.login, failureDelayMs: 300, maxDelayMs: 10_000, maxFailuresPerIp: 30 } };

    expect([0, 1, 2, 3, 4, 10].map((failures) => throttleDelayMs(c, failures, 0))).to.deep.equal([
      0, 300, 600, 1200, 2400, 10_000,
    ]);
    expect(throttleDelayMs(c, 0, 29)).to.equal(0);
    expect(throttleDelayMs(c, 0, 30)).to.equal(300);
    expect(throttleDelayMs(c, 1, 32)).to.equal(1200);
  });

  it('when twenty attempts of a new pair are counted in parallel, then each caller gets its own count and none is lost', async () => {
    const keys = throttleKeys(unique('burst'), uniqueAddress());

    const counts = await Promise.all(Array.from({ length: 20 }, () => countPairAttempt(testEnv().config, keys)));

    expect([...counts].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await LoginThrottle.findById(keys.pair).lean())!.failures).to.equal(20);
  });
});

describe('auth: a disabled account', () => {
  it('when a disabled account signs in with the right password, then it gets exactly the wrong-password answer', async () => {
    const officer = await newOfficer();
    const { sessions } = await authTree();
    const disabled = await sessions.admin.patch(`/api/v1/users/${officer.id}`, { active: false });
    expect(disabled.status, JSON.stringify(disabled.body)).to.equal(200);
    const address = uniqueAddress();

    const right = await signInFrom(address, officer.username, officer.password);
    const wrong = await signInFrom(address, officer.username, WRONG);

    expectProblem(right, 401, 'UNAUTHENTICATED');
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(right.body)).to.deep.equal(strip(wrong.body));
    expect(right.headers['www-authenticate']).to.equal(wrong.headers['www-authenticate']);
    expect((await LoginThrottle.findById(pairId(officer.username, address)).lean())!.failures).to.equal(2);
  });
});

describe('auth: locked accounts for administrators', () => {
  it("when a pair of the admin's subtree is locked, then the admin lists it, unlocks it (audited), and the user signs in from there again", async () => {
    const { sessions } = await authTree();
    const officer = await newOfficer();
    const address = uniqueAddress();
    await failFrom(address, officer.username, maxFailures());

    const list = await sessions.admin.get('/api/v1/admin/locked-accounts');
    expect(list.status, JSON.stringify(list.body)).to.equal(200);
    const item = list.body.items.find(
      (i: { username: string; address: string }) => i.username === officer.username && i.address === address,
    );
    expect(item).to.deep.include({ failures: maxFailures() });
    expect(item.user).to.include({ id: officer.id });

    const unlocked = await sessions.admin.post('/api/v1/admin/locked-accounts/unlock', {
      username: officer.username,
      address,
    });

    expect(unlocked.status, JSON.stringify(unlocked.body)).to.equal(204);
    expect(await LoginThrottle.findById(pairId(officer.username, address)).lean()).to.equal(null);
    const audit = await AuditEntry.findOne({ action: 'auth.unlock', entityId: officer.username }).lean();
    expect(audit!.actorId).to.equal(sessions.admin.user.id);
    expect(audit!.details).to.include({ username: officer.username, address, userId: officer.id });
    expect((await signInFrom(address, officer.username, officer.password)).status).to.equal(200);
    expectProblem(
      await sessions.admin.post('/api/v1/admin/locked-accounts/unlock', { username: officer.username, address }),
      404,
      'NOT_FOUND',
    );
  });

  it('when an admin of another province or a non-admin asks, then the pair is neither listed nor unlockable', async () => {
    const { sessions } = await authTree();
    const foreign = await foreignProvince();
    const officer = await newOfficer();
    const address = uniqueAddress();
    await failFrom(address, officer.username, maxFailures());

    const list = await foreign.sessions.admin.get('/api/v1/admin/locked-accounts');
    const refused = await foreign.sessions.admin.post('/api/v1/admin/locked-accounts/unlock', {
      username: officer.username,
      address,
    });

    expect(list.status).to.equal(200);
    expect(list.body.items.map((i: { username: string }) => i.username)).to.not.include(officer.username);
    expectProblem(refused, 404, 'NOT_FOUND');
    expectProblem(await sessions.officer.get('/api/v1/admin/locked-accounts'), 403, 'FORBIDDEN');
    expect((await LoginThrottle.findById(pairId(officer.username, address)).lean())!.lockedUntil).to.not.equal(null);
    const root = await loginAdmin();
    const rootList = await root.get('/api/v1/admin/locked-accounts');
    expect(rootList.body.items.map((i: { username: string }) => i.username)).to.include(officer.username);
  });
});
