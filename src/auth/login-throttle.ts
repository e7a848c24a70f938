import type { Config } from '../core/config.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { RateLimitedError } from '../core/errors.js';
import { LoginThrottle } from './auth.models.js';

/**
 * Login throttling after OWASP's authentication guidance, with every counter in the database so that all
 * instances share it:
 * - per username × client address: each failure makes the next attempt of that pair wait twice as long
 *   (LOGIN_FAILURE_DELAY_MS, 2×, 4×, … at most LOGIN_MAX_DELAY_MS) before its password is checked, and
 *   LOGIN_MAX_FAILURES failures lock that pair only (LOGIN_LOCK_MINUTES): never the account everywhere,
 *   so five guesses from anywhere cannot keep the real user out;
 * - per address, over all usernames: beyond LOGIN_MAX_FAILURES_PER_IP failures its attempts wait as well
 *   (doubling from the first delay per failure over the limit), but they are never refused, so a password
 *   sprayer behind an office's address slows everyone there down without locking the office out.
 * The wait comes before the password is checked and applies to every attempt of a throttled pair or
 * address, so its length says nothing about whether the password was right.
 */
export interface ThrottleKeys {
  username: string;
  address: string;
  pair: string;
  addressKey: string;
}

export function throttleKeys(username: string, address: string): ThrottleKeys {
  const name = username.toLowerCase();
  return { username: name, address, pair: `pair:${name}|${address}`, addressKey: `address:${address}` };
}

function windowMs(config: Config): number {
  return config.login.lockMinutes * 60_000;
}

export async function assertPairNotLocked(keys: ThrottleKeys): Promise<void> {
  const now = new Date();
  const locked = await LoginThrottle.findOne({ _id: keys.pair, lockedUntil: { $gt: now } }).lean();
  if (locked) throw lockedError(locked.lockedUntil!.getTime() - now.getTime());
}

export function lockedError(remainingMs: number): RateLimitedError {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60000));
  return new RateLimitedError(
    `Đăng nhập sai quá nhiều lần từ địa chỉ này. Vui lòng thử lại sau ${minutes} phút, đăng nhập từ thiết bị đã dùng trước đây, hoặc nhờ quản trị viên mở khóa.`,
    remainingMs / 1000,
  );
}

/**
 * Counts the attempt against the pair before the password is checked: guesses sent in parallel all pass
 * the lock check, and only this count stops all but the first LOGIN_MAX_FAILURES of them. Answers the
 * attempts in the window, this one included.
 */
export async function countPairAttempt(config: Config, keys: ThrottleKeys): Promise<number> {
  return countInWindow(keys.pair, { kind: 'pair', username: keys.username, address: keys.address }, windowMs(config));
}

/** Counts a failure from the address; answers the failures in the window, this one included. */
export async function countAddressFailure(config: Config, keys: ThrottleKeys): Promise<number> {
  return countInWindow(keys.addressKey, { kind: 'address', username: null, address: keys.address }, windowMs(config));
}

export async function addressFailures(config: Config, keys: ThrottleKeys): Promise<number> {
  const cutoff = new Date(Date.now() - windowMs(config));
  const doc = await LoginThrottle.findOne({ _id: keys.addressKey, windowStartedAt: { $gt: cutoff } }).lean();
  return doc?.failures ?? 0;
}

/** How long an attempt waits before its password is checked, from the failures seen before it. */
export function throttleDelayMs(config: Config, pairFailuresBefore: number, failuresFromAddress: number): number {
  const { failureDelayMs, maxDelayMs, maxFailuresPerIp } = config.login;
  const doubling = (steps: number) => (steps <= 0 ? 0 : failureDelayMs * 2 ** Math.min(steps - 1, 20));
  const overAddressLimit = failuresFromAddress - maxFailuresPerIp + 1;
  return Math.min(Math.max(doubling(pairFailuresBefore), doubling(overAddressLimit)), maxDelayMs);
}

/** Locks the pair; answers true only for the call that started the lock (so it is audited once). */
export async function lockPair(config: Config, keys: ThrottleKeys): Promise<boolean> {
  const now = new Date();
  const result = await LoginThrottle.updateOne(
    { _id: keys.pair, $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] },
    { $set: { lockedUntil: new Date(now.getTime() + windowMs(config)) } },
  );
  return result.modifiedCount === 1;
}

export async function clearPair(keys: ThrottleKeys): Promise<void> {
  await LoginThrottle.deleteOne({ _id: keys.pair });
}

export interface LockedPair {
  username: string;
  address: string;
  failures: number;
  lockedUntil: Date;
}

export async function lockedPairs(): Promise<LockedPair[]> {
  const docs = await LoginThrottle.find({ kind: 'pair', lockedUntil: { $gt: new Date() } })
    .sort({ lockedUntil: -1 })
    .limit(1000)
    .lean();
  return docs.map((doc) => ({
    username: doc.username!,
    address: doc.address!,
    failures: doc.failures,
    lockedUntil: doc.lockedUntil!,
  }));
}

/** Ends a lock that still holds; answers false when there was none. */
export async function unlockPair(keys: ThrottleKeys): Promise<boolean> {
  const result = await LoginThrottle.deleteOne({ _id: keys.pair, lockedUntil: { $gt: new Date() } });
  return result.deletedCount === 1;
}

interface ThrottleMeta {
  kind: 'pair' | 'address';
  username: string | null;
  address: string;
}

/**
 * Parallel callers must each get their own count: a new window is started by one conditional update or
 * one insert, and whoever loses that race counts inside the window the winner started (upserts are not
 * atomic on the embedded engine, ENGINE-NOTES.md).
 */
async function countInWindow(key: string, meta: ThrottleMeta, window: number): Promise<number> {
  const now = new Date();
  const cutoff = new Date(now.getTime() - window);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await LoginThrottle.findOneAndUpdate(
      { _id: key, windowStartedAt: { $gt: cutoff } },
      { $inc: { failures: 1 } },
      { returnDocument: 'before' },
    ).lean();
    if (current) return current.failures + 1;
    const fresh = { ...meta, failures: 1, windowStartedAt: now, lockedUntil: null };
    const reset = await LoginThrottle.updateOne({ _id: key, windowStartedAt: { $lte: cutoff } }, { $set: fresh });
    if (reset.modifiedCount === 1) return 1;
    try {
      await LoginThrottle.create({ _id: key, ...fresh });
      return 1;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`login throttle ${key}: could not count the attempt`);
}

export async function purgeOldThrottles(config: Config): Promise<void> {
  const cutoff = new Date(Date.now() - windowMs(config));
  await LoginThrottle.deleteMany({
    windowStartedAt: { $lt: cutoff },
    $or: [{ lockedUntil: null }, { lockedUntil: { $lt: new Date() } }],
  });
}
