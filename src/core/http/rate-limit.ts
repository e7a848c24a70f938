import type { NextFunction, Request, RequestHandler, Response } from 'express';
import mongoose, { type mongo } from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, RateLimitedError } from '../errors.js';

type Db = mongo.Db;

class ServiceUnavailableError extends AppError {
  constructor() {
    super(503, 'SERVICE_UNAVAILABLE', 'Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau.');
  }
}

/** The named limits a route may ask for (`RouteDef.rateLimit`); their sizes come from the configuration. */
export type RateLimitName = 'public' | 'auth';

export interface RateLimitSettings {
  /** Requests allowed per address in one window. */
  points: number;
  windowSeconds: number;
}

/** Every limiter shares one collection; the limit's name prefixes the key, so each counts apart. */
export const RATE_LIMIT_COLLECTION = 'rate_limits';

/** Stale counters are removed now and then; the limiter never depends on it (the engine ignores TTL indexes). */
const PURGE_EVERY_MS = 10 * 60_000;

interface Store {
  limiter: RateLimiterMongo;
  lastPurge: number;
}

function detailOf(retryAfterSeconds: number): string {
  return `Quá nhiều yêu cầu từ địa chỉ của bạn. Vui lòng thử lại sau ${retryAfterSeconds} giây.`;
}

/**
 * Counts requests per client address in the database (rate-limiter-flexible's Mongo store), so that every
 * instance behind a load balancer shares the count (SPEC §11). Each counter document carries its own `expire`
 * and the store compares it in the query: an expired counter is replaced, not trusted, so the limit is right
 * although the embedded engine never applies TTL indexes (ENGINE-NOTES.md). Over the limit: 429 RATE_LIMITED
 * with `Retry-After`. The store is opened on the first request, once the database connection exists.
 */
export function rateLimit(name: string, settings: RateLimitSettings): RequestHandler {
  let store: Promise<Store> | undefined;
  let storeDb: Db | undefined;
  const open = async (db: Db): Promise<Store> => {
    const limiter = new RateLimiterMongo({
      storeClient: db,
      tableName: RATE_LIMIT_COLLECTION,
      keyPrefix: name,
      points: settings.points,
      duration: settings.windowSeconds,
      disableIndexesCreation: true,
    });
    // The unique index on the key must exist before the first count: two first requests racing would
    // otherwise insert two counters for one address.
    await limiter.createIndexes();
    return { limiter, lastPurge: Date.now() };
  };

  return async (req: Request, _res: Response, next: NextFunction) => {
    const db = mongoose.connection.db;
    if (!db) throw new ServiceUnavailableError();
    // A new connection (after a reconnect) has a new handle: the store follows it.
    if (!store || storeDb !== db) {
      storeDb = db;
      store = open(db).catch((error: unknown) => {
        store = undefined;
        throw error;
      });
    }
    const current = await store;
    purgeNowAndThen(current);
    try {
      await current.limiter.consume(req.ip ?? 'unknown');
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      const seconds = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
      throw new RateLimitedError(detailOf(seconds), seconds);
    }
    next();
  };
}

function purgeNowAndThen(store: Store): void {
  if (Date.now() - store.lastPurge < PURGE_EVERY_MS) return;
  store.lastPurge = Date.now();
  void mongoose.connection.db
    ?.collection(RATE_LIMIT_COLLECTION)
    .deleteMany({ expire: { $lt: new Date() } })
    .catch(() => undefined);
}
