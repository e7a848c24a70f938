import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { isDuplicateKeyError } from '../../core/db/mongo-errors.js';
import type { Logger } from '../../core/logger.js';
import type { Migration } from './migration.js';

export const MIGRATIONS_COLLECTION = 'migrations';
export const MIGRATION_LOCK_COLLECTION = 'migrations_lock';
const LOCK_ID = 'migrations';

export interface RunOptions {
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** A lock not renewed for this long belongs to a start that died: the next start may take it. */
  lockTtlMs?: number;
  /** How often a start that waits for another one's lock looks again. */
  pollMs?: number;
  /** A start gives up waiting after this long (the holder renews its lock but never finishes). */
  maxWaitMs?: number;
}

interface AppliedMigration {
  _id: string;
  description: string;
  appliedAt: Date;
}

interface LockDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function pendingOf(db: Db, migrations: readonly Migration[]): Promise<Migration[]> {
  const applied = await db
    .collection<AppliedMigration>(MIGRATIONS_COLLECTION)
    .find({}, { projection: { _id: 1 } })
    .toArray();
  const done = new Set(applied.map((row) => row._id));
  return migrations.filter((migration) => !done.has(migration.id));
}

/**
 * The lock is one document with a fixed `_id`, so the unique `_id` index lets exactly one start insert it.
 * Expiry is checked in the query (TTL indexes never fire on the embedded engine), so a lock left by a start
 * killed with kill -9 is taken over once it is older than its TTL.
 */
async function tryLock(db: Db, owner: string, ttlMs: number): Promise<boolean> {
  const locks = db.collection<LockDocument>(MIGRATION_LOCK_COLLECTION);
  const now = new Date();
  await locks.deleteOne({ _id: LOCK_ID, expiresAt: { $lte: now } });
  try {
    await locks.insertOne({ _id: LOCK_ID, owner, expiresAt: new Date(now.getTime() + ttlMs) });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

async function renewLock(db: Db, owner: string, ttlMs: number): Promise<boolean> {
  const result = await db
    .collection<LockDocument>(MIGRATION_LOCK_COLLECTION)
    .updateOne({ _id: LOCK_ID, owner }, { $set: { expiresAt: new Date(Date.now() + ttlMs) } });
  return result.matchedCount === 1;
}

async function applyPending(
  db: Db,
  migrations: readonly Migration[],
  owner: string,
  options: Required<RunOptions>,
): Promise<string[]> {
  const applied: string[] = [];
  for (const migration of await pendingOf(db, migrations)) {
    // Another start may have taken an expired lock and applied it meanwhile.
    if (await db.collection<AppliedMigration>(MIGRATIONS_COLLECTION).findOne({ _id: migration.id })) continue;
    if (!(await renewLock(db, owner, options.lockTtlMs))) throw new Error(`migration lock lost before ${migration.id}`);
    options.logger.info({ migration: migration.id }, `migration: ${migration.description}`);
    await migration.up(db);
    try {
      await db
        .collection<AppliedMigration>(MIGRATIONS_COLLECTION)
        .insertOne({ _id: migration.id, description: migration.description, appliedAt: new Date() });
      applied.push(migration.id);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  return applied;
}

/**
 * Applies, in list order, every migration not yet recorded in `migrations`, holding a lock so that several
 * instances starting together apply each one once; the others wait, then find nothing left to do.
 * Answers the ids this call applied.
 */
export async function runMigrations(
  db: Db,
  migrations: readonly Migration[],
  options: RunOptions = {},
): Promise<string[]> {
  const settings: Required<RunOptions> = {
    logger: options.logger ?? { info: () => undefined, warn: () => undefined },
    lockTtlMs: options.lockTtlMs ?? 60_000,
    pollMs: options.pollMs ?? 250,
    maxWaitMs: options.maxWaitMs ?? 15 * 60_000,
  };
  const ids = new Set<string>();
  for (const migration of migrations) {
    if (ids.has(migration.id)) throw new Error(`duplicate migration id ${migration.id}`);
    ids.add(migration.id);
  }
  const owner = randomUUID();
  const giveUpAt = Date.now() + settings.maxWaitMs;
  while ((await pendingOf(db, migrations)).length) {
    if (await tryLock(db, owner, settings.lockTtlMs)) {
      // Renewed while a long `up` runs, so that a slow migration is not mistaken for a dead start.
      const heartbeat = setInterval(
        () => {
          renewLock(db, owner, settings.lockTtlMs).catch(() => undefined);
        },
        Math.max(1_000, settings.lockTtlMs / 3),
      );
      heartbeat.unref();
      try {
        return await applyPending(db, migrations, owner, settings);
      } finally {
        clearInterval(heartbeat);
        await db.collection<LockDocument>(MIGRATION_LOCK_COLLECTION).deleteOne({ _id: LOCK_ID, owner });
      }
    }
    if (Date.now() > giveUpAt) throw new Error('gave up waiting for another instance to finish the migrations');
    await sleep(settings.pollMs);
  }
  return [];
}
