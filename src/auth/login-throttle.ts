import type { Config } from '../core/config.js';
import { RateLimitedError } from '../core/errors.js';
import { LoginThrottle } from './auth.models.js';

/**
 * Failed logins are counted per username and per client address in the database, so the limit holds
 * across instances. Within a window of LOGIN_LOCK_MINUTES, reaching the limit locks that key until the
 * window's lock expires.
 */
export function throttleKeys(username: string, ip: string): { user: string; ip: string } {
  return { user: `user:${username.toLowerCase()}`, ip: `ip:${ip}` };
}

export async function assertNotLocked(keys: string[]): Promise<void> {
  const now = new Date();
  const locked = await LoginThrottle.find({ _id: { $in: keys }, lockedUntil: { $gt: now } }).lean();
  if (locked.length) {
    const until = Math.max(...locked.map((doc) => doc.lockedUntil!.getTime()));
    const minutes = Math.ceil((until - now.getTime()) / 60000);
    throw new RateLimitedError(
      `Đăng nhập sai quá nhiều lần. Tài khoản hoặc địa chỉ này tạm khóa, vui lòng thử lại sau ${minutes} phút.`,
      (until - now.getTime()) / 1000,
    );
  }
}

/** Counts one failure under `key`; returns the failures in the current window. */
export async function recordFailure(config: Config, key: string, limit: number): Promise<number> {
  const now = new Date();
  const windowMs = config.login.lockMinutes * 60_000;
  const current = await LoginThrottle.findOneAndUpdate(
    { _id: key, windowStartedAt: { $gt: new Date(now.getTime() - windowMs) } },
    { $inc: { failures: 1 } },
    { returnDocument: 'before' },
  ).lean();
  let failures = 1;
  if (current) failures = current.failures + 1;
  else await LoginThrottle.replaceOne({ _id: key }, { failures: 1, windowStartedAt: now, lockedUntil: null }, { upsert: true });
  if (failures >= limit) {
    await LoginThrottle.updateOne({ _id: key }, { $set: { lockedUntil: new Date(now.getTime() + windowMs) } });
  }
  return failures;
}

export async function clearFailures(key: string): Promise<void> {
  await LoginThrottle.deleteOne({ _id: key });
}

export async function purgeOldThrottles(config: Config): Promise<void> {
  const cutoff = new Date(Date.now() - config.login.lockMinutes * 60_000);
  await LoginThrottle.deleteMany({ windowStartedAt: { $lt: cutoff }, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: new Date() } }] });
}
