/**
 * Each kind of tampering done directly in the database is named with its position (SPEC §15). Every test
 * tampers with a database of its own, never the shared test database.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { Db } from 'mongodb';
import { recordAudit, verifyChain } from '../../src/audit/index.js';
import { entryHash } from '../../src/audit/canonical.js';
import { ensureChain } from '../../src/audit/chain.js';
import { chainedEntries, freshAuditDb, headSettled, sampleInput } from './audit-fixtures.js';

async function chainOfTen(): Promise<{ db: Db; entries: Awaited<ReturnType<typeof chainedEntries>> }> {
  const db = freshAuditDb();
  await ensureChain(db);
  // One after the other, a few milliseconds apart, so that every entry has its own time.
  for (let i = 1; i <= 10; i += 1) {
    await recordAudit(sampleInput(i), db);
    await new Promise((done) => setTimeout(done, 3));
  }
  const entries = await chainedEntries(db);
  expect((await verifyChain(db)).ok).to.equal(true);
  return { db, entries };
}

describe('audit: tampering is named', function () {
  it("when an entry's content is edited, then it is reported changed at its position", async () => {
    const { db, entries } = await chainOfTen();
    await db.collection('audit_log').updateOne({ _id: entries[3]!._id }, { $set: { 'details.amount': 5_000_000 } });
    const report = await verifyChain(db);
    expect(report.ok).to.equal(false);
    expect(report.firstProblem).to.deep.include({ position: 4, entryId: String(entries[3]!._id), kind: 'changed' });
    expect(report.firstProblem!.detail).to.contain('vị trí 4');
    expect(report.problemCount).to.equal(1);
  });

  it("when an entry's time is moved, then it is reported changed too (dates are part of the content)", async () => {
    const { db, entries } = await chainOfTen();
    await db
      .collection('audit_log')
      .updateOne({ _id: entries[6]!._id }, { $set: { at: new Date('2020-01-01T00:00:00Z') } });
    expect((await verifyChain(db)).firstProblem).to.deep.include({
      position: 7,
      entryId: String(entries[6]!._id),
      kind: 'changed',
    });
  });

  it('when an entry in the middle is deleted, then its position is reported removed', async () => {
    const { db, entries } = await chainOfTen();
    await db.collection('audit_log').deleteOne({ _id: entries[5]!._id });
    const report = await verifyChain(db);
    expect(report.firstProblem).to.deep.include({ position: 6, entryId: null, kind: 'removed' });
    expect(report.firstProblem!.detail).to.contain('vị trí 6');
    expect(report.checked).to.equal(9);
  });

  it('when the last entries are deleted, then the head remembered by the chain shows them removed', async () => {
    const { db, entries } = await chainOfTen();
    // The head document follows the entries within 200 ms (writer.ts): entries deleted before it caught up are
    // indistinguishable from entries never written, a window docs/audit-and-migrations.md names.
    await headSettled(db);
    await db.collection('audit_log').deleteMany({ _id: { $in: [entries[8]!._id, entries[9]!._id] } });
    const report = await verifyChain(db);
    expect(report.firstProblem).to.deep.include({ position: 9, entryId: null, kind: 'removed' });
    expect(report.headSeq).to.equal(8);
  });

  it('when an entry is inserted without a position, then it is reported inserted where its time puts it', async () => {
    const { db, entries } = await chainOfTen();
    const forged = new Types.ObjectId();
    // Dated between the 3rd and the 4th entry.
    const at = new Date((entries[2]!.at as Date).getTime() + 1);
    const { _id, seq, prevHash, hash, ...content } = entries[2]!;
    await db.collection('audit_log').insertOne({ ...content, _id: forged, at, details: { amount: 900_000_000 } });
    const report = await verifyChain(db);
    expect(report.firstProblem).to.deep.include({ position: 4, entryId: String(forged), kind: 'inserted' });
    expect(report.checked).to.equal(11);
  });

  it('when a forged entry with its own correct hash is added after the head, then it is reported inserted at its position', async () => {
    const { db, entries } = await chainOfTen();
    const { _id, hash, ...content } = entries[9]!;
    const forged = { ...content, _id: new Types.ObjectId(), seq: 11, prevHash: 'f'.repeat(64), details: { amount: 1 } };
    await db.collection('audit_log').insertOne({ ...forged, hash: entryHash(forged) });
    const report = await verifyChain(db);
    expect(report.firstProblem).to.deep.include({ position: 11, entryId: String(forged._id), kind: 'inserted' });
  });

  it('when an entry is edited and its hash recomputed by someone who knows the rule, then the next link breaks and is named', async () => {
    const { db, entries } = await chainOfTen();
    const edited = { ...entries[4]!, details: { amount: 1 } };
    await db.collection('audit_log').replaceOne({ _id: edited._id }, { ...edited, hash: entryHash(edited) });
    const report = await verifyChain(db);
    expect(report.firstProblem).to.deep.include({ position: 6, entryId: String(entries[5]!._id), kind: 'inserted' });
    expect(report.firstProblem!.detail).to.contain('vị trí 5');
  });

  it('when several entries are tampered with, then the earliest position is the first problem and all are counted', async () => {
    const { db, entries } = await chainOfTen();
    await db.collection('audit_log').deleteOne({ _id: entries[7]!._id });
    await db.collection('audit_log').updateOne({ _id: entries[1]!._id }, { $set: { actorName: 'Người khác' } });
    const report = await verifyChain(db);
    expect(report.firstProblem).to.deep.include({ position: 2, kind: 'changed' });
    expect(report.problemCount).to.equal(2);
  });
});
