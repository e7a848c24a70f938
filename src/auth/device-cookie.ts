import type { Request, Response } from 'express';
import type { Types } from 'mongoose';
import type { Config } from '../core/config.js';
import { LoginDevice } from './auth.models.js';
import { hashToken, newOpaqueToken } from './tokens.js';

/**
 * The device cookie: HttpOnly, SameSite=Strict, sent only to the login path, long-lived. It holds the random
 * tokens of the last few accounts that signed in on this browser (people share office computers), each
 * stored only as its SHA-256 with its user.
 */
export const DEVICE_COOKIE = 'mai_am_device';
const COOKIE_PATH = '/api/v1/auth/login';
const MAX_TOKENS = 5;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;

export function deviceTokensOf(req: Request): string[] {
  const raw = (req.cookies as Record<string, unknown> | undefined)?.[DEVICE_COOKIE];
  if (typeof raw !== 'string') return [];
  return raw
    .split('.')
    .filter((token) => TOKEN_SHAPE.test(token))
    .slice(0, MAX_TOKENS);
}

export function setDeviceCookie(config: Config, res: Response, tokens: readonly string[]): void {
  res.cookie(DEVICE_COOKIE, tokens.slice(0, MAX_TOKENS).join('.'), {
    httpOnly: true,
    secure: config.env !== 'development',
    sameSite: 'strict',
    path: COOKIE_PATH,
    maxAge: config.login.deviceDays * 86_400_000,
  });
}

/** The id of a device record of this user among the presented tokens, still valid and still trusted. */
export async function trustedDevice(
  config: Config,
  userId: Types.ObjectId,
  tokens: readonly string[],
): Promise<string | null> {
  if (!tokens.length) return null;
  const device = await LoginDevice.findOne({
    tokenHash: { $in: tokens.map(hashToken) },
    userId,
    expiresAt: { $gt: new Date() },
    failures: { $lt: config.login.maxFailures },
  }).lean();
  return device ? String(device._id) : null;
}

/** A wrong password from a trusted device counts against that device only. */
export async function countDeviceFailure(deviceId: string): Promise<void> {
  await LoginDevice.updateOne({ _id: deviceId }, { $inc: { failures: 1 } });
}

/**
 * After a successful sign-in: a known device is refreshed (failures cleared, lifetime renewed); otherwise a
 * new token is made. Answers the cookie's tokens, this user's first.
 */
export async function rememberDevice(
  config: Config,
  userId: Types.ObjectId,
  deviceId: string | null,
  presented: readonly string[],
): Promise<string[] | null> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + config.login.deviceDays * 86_400_000);
  if (deviceId) {
    await LoginDevice.updateOne({ _id: deviceId }, { $set: { failures: 0, lastUsedAt: now, expiresAt } });
    return null;
  }
  const token = newOpaqueToken();
  await LoginDevice.create({ tokenHash: hashToken(token), userId, failures: 0, lastUsedAt: now, expiresAt });
  return [token, ...presented];
}

export async function purgeExpiredDevices(): Promise<void> {
  await LoginDevice.deleteMany({ expiresAt: { $lt: new Date() } });
}
