import type { Config } from '../core/config.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
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

/** Counts one failure (or one attempt not yet decided) under `key`; returns the count in the current window. */
export async function recordFailure(config: Config, key: string, limit: number): Promise<number> {
  const now = new Date();
  const windowMs = config.login.lockMinutes * 60_000;
  const failures = await countInWindow(key, now, windowMs);
  if (failures >= limit) {
    await LoginThrottle.updateOne({ _id: key }, { $set: { lockedUntil: new Date(now.getTime() + windowMs) } });
  }
  return failures;
}

/**
 * Parallel callers must each get their own count: a new window is started by one conditional update or
 * one insert, and whoever loses that race counts inside the window the winner started (upserts are not
 * atomic on the embedded engine, ENGINE-NOTES.md).
 */
async function countInWindow(key: string, now: Date, windowMs: number): Promise<number> {
  const cutoff = new Date(now.getTime() - windowMs);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await LoginThrottle.findOneAndUpdate(
      { _id: key, windowStartedAt: { $gt: cutoff } },
      { $inc: { failures: 1 } },
      { returnDocument: 'before' },
    ).lean();
    if (current) return current.failures + 1;
    const fresh = { failures: 1, windowStartedAt: now, lockedUntil: null };
    const reset = await LoginThrottle.updateOne({ _id: key, windowStartedAt: { $lte: cutoff } }, { $set: fresh });
    if (reset.modifiedCount === 1) return 1;
    try {
      await LoginThrottle.create({ _id: key, ...fresh });
      return 1;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`login throttle ${key}: could not count the failure`);
}

export async function clearFailures(key: string): Promise<void> {
  await LoginThrottle.deleteOne({ _id: key });
}

export async function purgeOldThrottles(config: Config): Promise<void> {
  const cutoff = new Date(Date.now() - config.login.lockMinutes * 60_000);
  await LoginThrottle.deleteMany({ windowStartedAt: { $lt: cutoff }, $or: [{ lockedUntil: null }, { lockedUntil: { $lt: new Date() } }] });
}
