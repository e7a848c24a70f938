import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../core/config.js';
import { UnauthenticatedError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { dummyPasswordHash, usersRepository, verifyPassword, type UserRecord } from '../users/index.js';
import { RefreshToken } from './auth.models.js';
import { assertNotLocked, clearFailures, recordFailure, throttleKeys } from './login-throttle.js';
import { hashToken, newOpaqueToken, signAccessToken } from './tokens.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  user: Record<string, unknown>;
}

const BAD_CREDENTIALS = 'Tên đăng nhập hoặc mật khẩu không đúng.';
const SESSION_ENDED = 'Phiên đăng nhập không còn hiệu lực, vui lòng đăng nhập lại.';

async function issueTokens(config: Config, user: UserRecord, familyId: string): Promise<TokenPair> {
  const refreshToken = newOpaqueToken();
  await RefreshToken.create({
    tokenHash: hashToken(refreshToken),
    familyId,
    userId: user._id,
    sessionVersion: user.sessionVersion,
    expiresAt: new Date(Date.now() + config.jwt.refreshTtlDays * 86_400_000),
  });
  return {
    accessToken: signAccessToken(config, String(user._id), user.sessionVersion),
    refreshToken,
    expiresIn: config.jwt.accessTtlSeconds,
    tokenType: 'Bearer',
    user: usersRepository.toJSON(user),
  };
}

/**
 * Sign in. Failures are counted per username and per address (shared by all instances), each failure
 * waits a little longer, and reaching the limit locks for LOGIN_LOCK_MINUTES (429 RATE_LIMITED).
 */
export async function login(config: Config, username: string, password: string, ip: string): Promise<TokenPair> {
  const keys = throttleKeys(username, ip);
  await assertNotLocked([keys.user, keys.ip]);
  // The attempt counts against the username before the password is checked: guesses sent in parallel all
  // pass the check above, and only this count stops all but the first LOGIN_MAX_FAILURES of them.
  const attempts = await recordFailure(config, keys.user, config.login.maxFailures);
  if (attempts > config.login.maxFailures) await assertNotLocked([keys.user]);
  const user = await usersRepository.findByUsername(username);
  // The hash is checked even for an unknown username so that timing does not reveal which names exist.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk) {
    await recordFailure(config, keys.ip, config.login.maxFailuresPerIp);
    await sleep(Math.min(config.login.failureDelayMs * attempts, 3000));
    throw new UnauthenticatedError(BAD_CREDENTIALS);
  }
  await clearFailures(keys.user);
  if (!user.active) throw new UnauthenticatedError('Tài khoản đã bị khóa. Liên hệ quản trị viên.');
  await usersRepository.touchLogin(String(user._id));
  return issueTokens(config, user, randomUUID());
}

/**
 * Rotation: the presented token is marked used in one conditional update, so two parallel refreshes with
 * the same token cannot both succeed. A token that was already used revokes its whole family.
 */
export async function refresh(config: Config, refreshToken: string, logger: Logger): Promise<TokenPair> {
  const tokenHash = hashToken(refreshToken);
  const now = new Date();
  const token = await RefreshToken.findOneAndUpdate(
    { tokenHash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
    { $set: { usedAt: now } },
    { returnDocument: 'before' },
  ).lean();
  if (!token) {
    const known = await RefreshToken.findOne({ tokenHash }).lean();
    if (known?.usedAt) {
      await RefreshToken.updateMany({ familyId: known.familyId, revokedAt: null }, { $set: { revokedAt: now } });
      logger.warn({ userId: String(known.userId), familyId: known.familyId }, 'refresh token reused: family revoked');
    }
    throw new UnauthenticatedError(SESSION_ENDED);
  }
  // A logout or a detected reuse that ran while an earlier exchange was in flight revoked the family
  // before that exchange stored its successor; such a successor must not outlive its family.
  if (await RefreshToken.exists({ familyId: token.familyId, revokedAt: { $ne: null } })) {
    await RefreshToken.updateMany({ familyId: token.familyId, revokedAt: null }, { $set: { revokedAt: now } });
    throw new UnauthenticatedError(SESSION_ENDED);
  }
  const user = await usersRepository.findById(String(token.userId));
  if (!user || !user.active || user.sessionVersion !== token.sessionVersion) throw new UnauthenticatedError(SESSION_ENDED);
  return issueTokens(config, user, token.familyId);
}

/** Ends the sign-in the token belongs to. Unknown tokens are ignored so that logout is idempotent. */
export async function logout(refreshToken: string): Promise<void> {
  const known = await RefreshToken.findOne({ tokenHash: hashToken(refreshToken) }).lean();
  if (known) await RefreshToken.updateMany({ familyId: known.familyId, revokedAt: null }, { $set: { revokedAt: new Date() } });
}

export async function purgeExpiredTokens(): Promise<void> {
  await RefreshToken.deleteMany({ expiresAt: { $lt: new Date() } });
}
