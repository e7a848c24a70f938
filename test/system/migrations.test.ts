/**
 * The migrations runner (src/system/migrations), on databases of its own on the test engine: the shared test
 * database is never wiped, so a runner test there could not start from an empty `migrations` collection.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import type { Db } from 'mongodb';
import {
  migrations,
  runMigrations,
  MIGRATIONS_COLLECTION,
  MIGRATION_LOCK_COLLECTION,
  type Migration,
} from '../../src/system/migrations/index.js';
import { testEnv } from '../support/global-setup.js';

/** Two migrations that count their runs in the database and take a while, so that concurrent starts overlap. */
function countingMigrations(): Migration[] {
  const counting = (id: string): Migration => ({
    id,
    description: `probe ${id}`,
    async up(db) {
      await db.collection('probe_runs').insertOne({ migration: id, at: new Date() });
      await new Promise((done) => setTimeout(done, 150));
    },
  });
  return [counting('0001-first'), counting('0002-second')];
}

async function runsOf(db: Db): Promise<Record<string, number>> {
  const rows = await db.collection('probe_runs').find({}).toArray();
  const counts: Record<string, number> = {};
  for (const row of rows) counts[String(row.migration)] = (counts[String(row.migration)] ?? 0) + 1;
  return counts;
}

describe('system: migrations at start', function () {
  let other: Connection;
  const freshDb = (): Db => mongoose.connection.getClient().db(`mai-am-migrations-${randomUUID().slice(0, 8)}`);

  before(async () => {
    // A second connection pool stands for a second instance of the service starting at the same time.
    other = await mongoose.createConnection(testEnv().engine.uri).asPromise();
  });
  after(async () => {
    await other.close();
  });

  it('when the service started on the test database, then every migration of the list is recorded as applied', async () => {
    const stored = await mongoose.connection.db!.collection(MIGRATIONS_COLLECTION).find({}).toArray();
    expect(stored.map((row) => row._id)).to.include.members(migrations.map((migration) => migration.id));
  });

  it('when run twice, then each migration runs once, in order, and is recorded with its description', async () => {
    const db = freshDb();
    const list = countingMigrations();
    expect(await runMigrations(db, list)).to.deep.equal(['0001-first', '0002-second']);
    expect(await runMigrations(db, list)).to.deep.equal([]);
    expect(await runsOf(db)).to.deep.equal({ '0001-first': 1, '0002-second': 1 });
    const stored = await db.collection(MIGRATIONS_COLLECTION).find({}).sort({ appliedAt: 1 }).toArray();
    expect(stored.map((row) => [row._id, row.description])).to.deep.equal([
      ['0001-first', 'probe 0001-first'],
      ['0002-second', 'probe 0002-second'],
    ]);
    expect(await db.collection(MIGRATION_LOCK_COLLECTION).countDocuments()).to.equal(0);
  });

  it('when a migration is added later, then only the new one runs', async () => {
    const db = freshDb();
    const [first, second] = countingMigrations();
    await runMigrations(db, [first!]);
    expect(await runMigrations(db, [first!, second!])).to.deep.equal(['0002-second']);
    expect(await runsOf(db)).to.deep.equal({ '0001-first': 1, '0002-second': 1 });
  });

  it('when two instances start at once, then each migration is applied once and both starts finish', async () => {
    const name = `mai-am-migrations-${randomUUID().slice(0, 8)}`;
    const dbA = mongoose.connection.getClient().db(name);
    const dbB = other.getClient().db(name);
    const list = countingMigrations();
    const [a, b] = await Promise.all([
      runMigrations(dbA, list, { pollMs: 50 }),
      runMigrations(dbB, list, { pollMs: 50 }),
    ]);
    expect([...a, ...b].sort()).to.deep.equal(['0001-first', '0002-second']);
    expect(await runsOf(dbA)).to.deep.equal({ '0001-first': 1, '0002-second': 1 });
    expect(await dbA.collection(MIGRATIONS_COLLECTION).countDocuments()).to.equal(2);
    expect(await dbA.collection(MIGRATION_LOCK_COLLECTION).countDocuments()).to.equal(0);
  });

  it('when a migration fails, then it is not recorded, the lock is released, and the next start runs it again', async () => {
    const db = freshDb();
    let attempts = 0;
    const flaky: Migration = {
      id: '0001-flaky',
      description: 'fails once',
      async up(target) {
        attempts += 1;
        if (attempts === 1) throw new Error('disk full');
        await target.collection('probe_runs').insertOne({ migration: '0001-flaky' });
      },
    };
    let failure: unknown;
    await runMigrations(db, [flaky]).catch((error: unknown) => {
      failure = error;
    });
    expect(String(failure)).to.contain('disk full');
    expect(await db.collection(MIGRATIONS_COLLECTION).countDocuments()).to.equal(0);
    expect(await db.collection(MIGRATION_LOCK_COLLECTION).countDocuments()).to.equal(0);
    expect(await runMigrations(db, [flaky])).to.deep.equal(['0001-flaky']);
    expect(await runsOf(db)).to.deep.equal({ '0001-flaky': 1 });
  });

  it('when a start died holding the lock, then the next start waits for its expiry and takes it over', async () => {
    const db = freshDb();
    await db
      .collection<{ _id: string; owner: string; expiresAt: Date }>(MIGRATION_LOCK_COLLECTION)
      .insertOne({ _id: 'migrations', owner: 'a start killed with kill -9', expiresAt: new Date(Date.now() + 400) });
    const started = Date.now();
    expect(await runMigrations(db, countingMigrations(), { pollMs: 50 })).to.have.length(2);
    expect(Date.now() - started).to.be.at.least(350);
    expect(await runsOf(db)).to.deep.equal({ '0001-first': 1, '0002-second': 1 });
  });
});
