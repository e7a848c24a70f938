import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../core/config.js';
import { UnauthenticatedError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { dummyPasswordHash, usersRepository, verifyPassword, type UserRecord } from '../users/index.js';
import { RefreshToken } from './auth.models.js';
import { purgeExpiredDevices, rememberDevice, trustedDevice } from './device-cookie.js';
import { recordLoginFailure } from './login-events.js';
import {
  addressFailures,
  assertPairNotLocked,
  clearPair,
  countPairAttempt,
  lockedError,
  throttleDelayMs,
  throttleKeys,
  type ThrottleKeys,
} from './login-throttle.js';
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

export interface LoginAttempt {
  username: string;
  password: string;
  address: string;
  /** Tokens of the device cookie, if the browser sent one. */
  deviceTokens: readonly string[];
  requestId: string;
}

export interface LoginResult {
  pair: TokenPair;
  /** The device cookie's new tokens, or null when it stays as it is. */
  deviceTokens: string[] | null;
}

/**
 * Sign in (throttling: login-throttle.ts). A device this user signed in from before skips the pair's delay
 * and lock, so an attack from elsewhere, or from behind the same address, does not keep the user out.
 * A disabled account with the right password gets exactly the wrong-password answer, so the answer never
 * confirms a password.
 */
export async function login(config: Config, attempt: LoginAttempt): Promise<LoginResult> {
  const keys = throttleKeys(attempt.username, attempt.address);
  const user = await usersRepository.findByUsername(keys.username);
  const deviceId = user ? await trustedDevice(config, user._id, attempt.deviceTokens) : null;
  let attempts = 0;
  if (!deviceId) {
    await assertPairNotLocked(keys);
    attempts = await countPairAttempt(config, keys);
    if (attempts > config.login.maxFailures) await refuseBurst(config, keys);
    await sleep(throttleDelayMs(config, attempts - 1, await addressFailures(config, keys)));
  }
  // The hash is checked even for an unknown username so that timing does not reveal which names exist.
  const passwordOk = await verifyPassword(attempt.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk || !user.active) {
    await recordLoginFailure(config, keys, {
      deviceId,
      attempts,
      requestId: attempt.requestId,
      orgPath: user?.orgPath.map(String),
    });
    throw new UnauthenticatedError(BAD_CREDENTIALS);
  }
  if (!deviceId) await clearPair(keys);
  const deviceTokens = await rememberDevice(config, user._id, deviceId, attempt.deviceTokens);
  await usersRepository.touchLogin(String(user._id));
  return { pair: await issueTokens(config, user, randomUUID()), deviceTokens };
}

/** Parallel guesses beyond the limit: the pair is locked by the first failure that reached it. */
async function refuseBurst(config: Config, keys: ThrottleKeys): Promise<never> {
  await assertPairNotLocked(keys);
  throw lockedError(config.login.lockMinutes * 60_000);
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
  if (!user || !user.active || user.sessionVersion !== token.sessionVersion)
    throw new UnauthenticatedError(SESSION_ENDED);
  return issueTokens(config, user, token.familyId);
}

/** Ends the sign-in the token belongs to. Unknown tokens are ignored so that logout is idempotent. */
export async function logout(refreshToken: string): Promise<void> {
  const known = await RefreshToken.findOne({ tokenHash: hashToken(refreshToken) }).lean();
  if (known)
    await RefreshToken.updateMany({ familyId: known.familyId, revokedAt: null }, { $set: { revokedAt: new Date() } });
}

export async function purgeExpiredTokens(): Promise<void> {
  await RefreshToken.deleteMany({ expiresAt: { $lt: new Date() } });
  await purgeExpiredDevices();
}
