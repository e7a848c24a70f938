import { expect } from 'chai';
import { LoginThrottle } from '../../src/auth/auth.models.js';
import { login as loginService } from '../../src/auth/auth.service.js';
import { assertNotLocked, recordFailure } from '../../src/auth/login-throttle.js';
import { AppError } from '../../src/core/errors.js';
import { expectProblem } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { unique } from '../support/factory.js';
import { newOfficer, signIn, type TestUser } from './auth-fixtures.js';

const WRONG = 'sai-mat-khau-123';
const maxFailures = () => testEnv().config.login.maxFailures;

async function failLogins(username: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    const res = await signIn(username, WRONG);
    expectProblem(res, 401, 'UNAUTHENTICATED');
  }
}

async function rejection(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to be refused');
}

/** A client address of its own for each call (documentation range, RFC 3849). */
function uniqueAddress(): string {
  return `2001:db8::${unique('').toLowerCase()}`;
}

describe('auth: failed logins and lockout', () => {
  let officer: TestUser;

  beforeEach(async () => {
    officer = await newOfficer();
  });

  it('when a username has failed one time fewer than the limit, then the right password still signs in', async () => {
    await failLogins(officer.username, maxFailures() - 1);

    const res = await signIn(officer.username, officer.password);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
  });

  it('when a username reaches the failure limit, then the next login, even with the right password or in capitals, answers 429 with Retry-After', async () => {
    await failLogins(officer.username, maxFailures());

    const res = await signIn(officer.username, officer.password);

    expectProblem(res, 429, 'RATE_LIMITED');
    const retryAfter = Number(res.headers['retry-after']);
    const lockSeconds = testEnv().config.login.lockMinutes * 60;
    expect(retryAfter).to.be.a('number').within(lockSeconds - 5, lockSeconds);
    expect(res.body.detail).to.match(/^Đăng nhập sai quá nhiều lần.*thử lại sau \d+ phút\.$/);
    expect(res.body).to.not.have.property('accessToken');
    const stored = await LoginThrottle.findById(`user:${officer.username}`).lean();
    expect(stored!.failures).to.equal(maxFailures());
    expect(stored!.lockedUntil!.getTime()).to.be.greaterThan(Date.now() + (lockSeconds - 10) * 1000);
    expectProblem(await signIn(officer.username.toUpperCase(), officer.password), 429, 'RATE_LIMITED');
  });

  it('when one username is locked, then other usernames still sign in', async () => {
    const other = await newOfficer();
    await failLogins(officer.username, maxFailures());

    const res = await signIn(other.username, other.password);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await LoginThrottle.findById(`user:${other.username}`).lean()).to.equal(null);
  });

  it('when a success comes before the limit, then the username\'s counter starts again', async () => {
    await failLogins(officer.username, maxFailures() - 1);
    expect((await LoginThrottle.findById(`user:${officer.username}`).lean())!.failures).to.equal(maxFailures() - 1);

    expect((await signIn(officer.username, officer.password)).status).to.equal(200);

    expect(await LoginThrottle.findById(`user:${officer.username}`).lean()).to.equal(null);
    await failLogins(officer.username, maxFailures() - 1);
    expect((await signIn(officer.username, officer.password)).status).to.equal(200);
  });

  it('when the lock has passed, then the right password signs in again and the counter is cleared', async () => {
    await failLogins(officer.username, maxFailures());
    const past = new Date(Date.now() - 1000);
    await LoginThrottle.updateOne({ _id: `user:${officer.username}` }, { $set: { lockedUntil: past, windowStartedAt: new Date(0) } });

    const res = await signIn(officer.username, officer.password);

    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await LoginThrottle.findById(`user:${officer.username}`).lean()).to.equal(null);
  });

  it('when a burst of wrong guesses for one username arrives at once, then only the first LOGIN_MAX_FAILURES are tried', async () => {
    const burst = maxFailures() + 10;

    const results = await Promise.all(Array.from({ length: burst }, () => signIn(officer.username, WRONG)));

    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 401), statuses.join(',')).to.have.length(maxFailures());
    expect(statuses.filter((status) => status === 429), statuses.join(',')).to.have.length(burst - maxFailures());
    expectProblem(await signIn(officer.username, officer.password), 429, 'RATE_LIMITED');
  });

  it('when one address fails with many usernames up to its limit, then even a right password from it is refused', async () => {
    const { config } = testEnv();
    const strict = { ...config, login: { ...config.login, maxFailuresPerIp: 3 } };
    const address = uniqueAddress();
    for (let i = 0; i < 3; i += 1) {
      const error = await rejection(loginService(strict, unique('guess').toLowerCase(), WRONG, address));
      expect(error.code).to.equal('UNAUTHENTICATED');
    }

    const locked = await rejection(loginService(strict, officer.username, officer.password, address));
    const fromElsewhere = await loginService(strict, officer.username, officer.password, uniqueAddress());

    expect(locked.code).to.equal('RATE_LIMITED');
    expect(fromElsewhere.user.id).to.equal(officer.id);
    expect((await LoginThrottle.findById(`ip:${address}`).lean())!.failures).to.equal(3);
  });
});

describe('auth: lockout counters', () => {
  it('when twenty failures of a new key are recorded in parallel, then each caller gets its own count and none is lost', async () => {
    const key = `user:${unique('burst').toLowerCase()}`;

    const counts = await Promise.all(Array.from({ length: 20 }, () => recordFailure(testEnv().config, key, 1000)));

    expect([...counts].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await LoginThrottle.findById(key).lean())!.failures).to.equal(20);
  });

  it('when a username that does not exist keeps failing, then it is locked the same way as a real one', async () => {
    const nobody = unique('nobody').toLowerCase();
    await failLogins(nobody, maxFailures());

    expectProblem(await signIn(nobody, WRONG), 429, 'RATE_LIMITED');
  });

  it('when failures from one address reach its limit, then that address is locked with a Vietnamese 429 and others are not', async () => {
    const { config } = testEnv();
    const address = `ip:${uniqueAddress()}`;
    const limit = 3;

    for (let i = 0; i < limit; i += 1) expect(await recordFailure(config, address, limit)).to.equal(i + 1);

    const stored = await LoginThrottle.findById(address).lean();
    expect(stored!.failures).to.equal(limit);
    expect(stored!.lockedUntil!.getTime()).to.be.greaterThan(Date.now() + (config.login.lockMinutes * 60 - 10) * 1000);
    const error = await rejection(assertNotLocked([`user:${unique('x')}`, address]));
    expect(error.status).to.equal(429);
    expect(error.code).to.equal('RATE_LIMITED');
    expect(error.detail).to.match(/tạm khóa, vui lòng thử lại sau \d+ phút/);
    expect(Number(error.extra.headers!['Retry-After'])).to.be.within(1, config.login.lockMinutes * 60);
    await assertNotLocked([`ip:${uniqueAddress()}`]);
  });
});
