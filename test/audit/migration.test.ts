/**
 * The migration that builds the chain for entries written before it (src/audit/chain-migration.ts), on
 * databases of its own holding entries in the shape the previous version wrote.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { Db } from 'mongodb';
import { chainUnchainedEntries, recordAudit, verifyChain } from '../../src/audit/index.js';
import { runMigrations, migrations } from '../../src/system/migrations/index.js';
import { chainedEntries, freshAuditDb, sampleInput } from './audit-fixtures.js';

/** Entries as the previous version stored them: no seq, inserted out of time order. */
async function legacyEntries(db: Db, minutes: readonly number[]): Promise<Types.ObjectId[]> {
  const ids = minutes.map(() => new Types.ObjectId());
  await db.collection('audit_log').insertMany(
    minutes.map((minute, i) => ({
      _id: ids[i]!,
      at: new Date(Date.UTC(2026, 0, 5, 8, minute)),
      action: 'member.create',
      entity: 'member',
      entityId: `m-${minute}`,
      actorId: null,
      actorName: 'Quản trị hệ thống',
      requestId: null,
      orgPath: [new Types.ObjectId()],
      details: { minute },
    })),
  );
  return ids;
}

describe('audit: the chain migration', function () {
  it('when a database holds entries without a chain, then the migration chains them in time order and the chain verifies', async () => {
    const db = freshAuditDb();
    await legacyEntries(db, [30, 10, 20, 50, 40]);
    expect((await verifyChain(db)).firstProblem).to.include({ kind: 'inserted' });
    expect(await runMigrations(db, migrations)).to.include('2026-12-audit-chain');
    const entries = await chainedEntries(db);
    expect(entries.map((entry) => (entry.details as { minute: number }).minute)).to.deep.equal([10, 20, 30, 40, 50]);
    expect(entries.map((entry) => entry.seq)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(await verifyChain(db)).to.include({ ok: true, checked: 5, headSeq: 5 });
  });

  it('when run again, then nothing changes; when older-version entries appear later, then a rerun links them after the head', async () => {
    const db = freshAuditDb();
    await legacyEntries(db, [1, 2, 3]);
    expect(await chainUnchainedEntries(db)).to.equal(3);
    const first = await chainedEntries(db);
    expect(await chainUnchainedEntries(db)).to.equal(0);
    expect(await chainedEntries(db)).to.deep.equal(first);
    // A run killed half-way leaves the rest unchained, as do entries written meanwhile by the old version.
    await legacyEntries(db, [4, 5]);
    await recordAudit(sampleInput(6), db);
    expect(await chainUnchainedEntries(db)).to.equal(2);
    const entries = await chainedEntries(db);
    expect(entries.slice(0, 3)).to.deep.equal(first);
    expect(entries.map((entry) => entry.seq)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(await verifyChain(db)).to.include({ ok: true, headSeq: 6 });
  });
});
