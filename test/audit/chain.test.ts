/**
 * The audit log as a hash chain (SPEC §15): every entry written by the service is chained, the chain does not
 * fork when several writers (and several instances) append at once, and a list action's bulk is chained too.
 */
import { expect } from 'chai';
import mongoose, { Types, type Connection } from 'mongoose';
import type { Db } from 'mongodb';
import { findHead, recordAudit, recordAudits, recordAuditsOnce, verifyChain } from '../../src/audit/index.js';
import { entryHash, GENESIS_HASH } from '../../src/audit/canonical.js';
import { ensureChain } from '../../src/audit/chain.js';
import { testEnv } from '../support/global-setup.js';
import { loginAdmin } from '../support/api.js';
import { memberBody } from '../support/factory.js';
import { sharedProvince } from '../support/provinces.js';
import { commandsDuring } from '../support/db-reads.js';
import { chainedEntries, freshAuditDb, headSettled, sampleInput } from './audit-fixtures.js';

function expectIntactChain(entries: Record<string, unknown>[]): void {
  expect(entries.map((entry) => entry.seq)).to.deep.equal(entries.map((_, i) => i + 1));
  entries.forEach((entry, i) => {
    expect(entry.prevHash, `prevHash at ${i + 1}`).to.equal(i === 0 ? GENESIS_HASH : entries[i - 1]!.hash);
    expect(entryHash(entry), `hash at ${i + 1}`).to.equal(entry.hash);
  });
}

describe('audit: the hash chain', function () {
  let other: Connection;

  before(async () => {
    // A second connection pool stands for a second instance of the service writing to the same database.
    other = await mongoose.createConnection(testEnv().engine.uri).asPromise();
  });
  after(async () => {
    await other.close();
  });

  it('when 20 writers of two instances and 2 bulks append at once, then positions are contiguous, every link holds and nothing forked', async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    const otherDb: Db = other.getClient().db(db.databaseName);
    const writes = [
      ...Array.from({ length: 10 }, (_, i) => recordAudit(sampleInput(i, 'A'), db)),
      ...Array.from({ length: 10 }, (_, i) => recordAudit(sampleInput(i, 'B'), otherDb)),
      recordAudits(
        Array.from({ length: 5 }, (_, i) => sampleInput(100 + i, 'bulkA')),
        db,
      ),
      recordAudits(
        Array.from({ length: 5 }, (_, i) => sampleInput(200 + i, 'bulkB')),
        otherDb,
      ),
    ];
    await Promise.all(writes);
    const entries = await chainedEntries(db);
    expect(entries).to.have.length(30);
    expectIntactChain(entries);
    const report = await verifyChain(db);
    expect(report).to.include({
      ok: true,
      checked: 30,
      headSeq: 30,
      headHash: entries[29]!.hash,
      firstProblem: null,
      problemCount: 0,
    });
    expect(await findHead(db)).to.deep.equal({ seq: 30, hash: entries[29]!.hash });
  });

  it('when 40 entries are appended one after another, then the head document moves at most once per 200 ms and ends at the last entry', async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    const started = Date.now();
    const sent = await commandsDuring(async () => {
      for (let i = 1; i <= 40; i += 1) await recordAudit(sampleInput(i), db);
    });
    // Whatever the machine's pace, the pacing allows one move when the first insert lands and one per 200 ms after.
    const allowed = 1 + Math.floor((Date.now() - started) / 200) + 1;
    const inserts = sent.filter((c) => c.name === 'insert' && c.collection === 'audit_log');
    const moves = sent.filter((c) => c.name === 'update' && c.collection === 'audit_chain_head');
    expect(inserts).to.have.length(40);
    expect(moves.length, `${moves.length} moves of the head for 40 inserts`).to.be.at.most(allowed);
    await headSettled(db);
    const entries = await chainedEntries(db);
    expectIntactChain(entries);
    expect(await verifyChain(db)).to.include({ ok: true, headSeq: 40, headHash: entries[39]!.hash });
  });

  it('when one bulk is written by one instance alone, then its entries take consecutive positions in order', async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    await recordAudit(sampleInput(0), db);
    await recordAudits(
      Array.from({ length: 7 }, (_, i) => sampleInput(i + 1)),
      db,
    );
    const entries = await chainedEntries(db);
    expect(entries.map((entry) => (entry.details as { n: number }).n)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expectIntactChain(entries);
  });

  it("when another instance wrote since this one last did, then this one's next bulk is refused at the stale position and linked after the new head", async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    const otherDb: Db = other.getClient().db(db.databaseName);
    await recordAudit(sampleInput(1, 'A'), db);
    await recordAudit(sampleInput(2, 'A'), db);
    await recordAudit(sampleInput(3, 'B'), otherDb);
    await recordAudits(
      [4, 5, 6].map((n) => sampleInput(n, 'A')),
      db,
    );
    const entries = await chainedEntries(db);
    expect(entries.map((entry) => (entry.details as { n: number }).n)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expectIntactChain(entries);
    expect(await findHead(db)).to.deep.equal({ seq: 6, hash: entries[5]!.hash });
  });

  it("when two instances append the same list chunk's entries at once (one lost its job without knowing it), then each entry stands once, other writers' entries all stand, and the chain verifies", async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    const otherDb: Db = other.getClient().db(db.databaseName);
    const chunk = `${new Types.ObjectId().toHexString()}:${new Types.ObjectId().toHexString()}`;
    const inputs = Array.from({ length: 6 }, (_, i) => sampleInput(i, 'chunk'));
    // The instance that took the job over writes with new actors' request ids: the entry's id does not depend on them.
    const again = inputs.map((input) => ({ ...input, actor: { ...input.actor!, requestId: 'taken-over' } }));
    await Promise.all([
      recordAuditsOnce(inputs, { chunk, lookFirst: false }, db),
      recordAuditsOnce(again, { chunk, lookFirst: false }, otherDb),
      ...Array.from({ length: 4 }, (_, i) => recordAudit(sampleInput(50 + i, 'single'), i % 2 ? db : otherDb)),
      recordAuditsOnce(inputs.slice(2, 4), { chunk, lookFirst: false }, db),
    ]);
    const entries = await chainedEntries(db);
    expectIntactChain(entries);
    const ofChunk = entries.filter((entry) => (entry.actorName as string).includes('chunk'));
    expect(ofChunk.map((entry) => entry.entityId).sort()).to.deep.equal(inputs.map((input) => input.entityId).sort());
    expect(entries.filter((entry) => (entry.actorName as string).includes('single'))).to.have.length(4);
    expect(entries).to.have.length(10);
    // Another chunk of the same job acting on the same entity is another entry.
    await recordAuditsOnce(inputs.slice(0, 1), { chunk: `${chunk}x`, lookFirst: false }, db);
    expect(await chainedEntries(db)).to.have.length(11);
    expect(await verifyChain(db)).to.include({ ok: true, checked: 11 });
  });

  it('when the chain is verified while two instances keep appending, then no entry written meanwhile is taken for a problem', async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    const otherDb: Db = other.getClient().db(db.databaseName);
    const writes = Array.from({ length: 30 }, (_, i) => recordAudit(sampleInput(i), i % 2 ? db : otherDb));
    const reports = await Promise.all([verifyChain(db), verifyChain(otherDb), verifyChain(db)]);
    await Promise.all(writes);
    for (const report of reports)
      expect(report, JSON.stringify(report.firstProblem)).to.include({ ok: true, firstProblem: null });
    expect(await verifyChain(db)).to.include({ ok: true, headSeq: 30 });
  });

  it('when the stored entry is read back, then its hash is recomputed from what the database holds (undefined left out, dates and ids as stored)', async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    await recordAudit(sampleInput(1), db);
    const [entry] = await chainedEntries(db);
    expect(entry!.details).to.not.have.property('skipped');
    expect(entry!.orgPath).to.have.length(2);
    expect(entryHash(entry!)).to.equal(entry!.hash);
  });

  it("when 20 API actions that audit run at once beside a second instance writing, then the service's own chain still verifies", async () => {
    const tree = await sharedProvince();
    const member = await tree.sessions.officer.post('/api/v1/members', memberBody(tree.grassroots.id));
    expect(member.status).to.equal(201);
    const otherDb: Db = other.getClient().db(mongoose.connection.db!.databaseName);
    const before = await findHead(mongoose.connection.db!);
    const reads = await Promise.all([
      // Each read of the full CCCD is audited (member.read_personal_data).
      ...Array.from({ length: 20 }, () => tree.sessions.officer.get(`/api/v1/members/${member.body.id}`)),
      ...Array.from({ length: 5 }, (_, i) => recordAudit(sampleInput(i, 'instance B'), otherDb).then(() => null)),
    ]);
    expect(reads.filter((res) => res && res.status !== 200)).to.have.length(0);
    const admin = await loginAdmin();
    const res = await admin.get('/api/v1/admin/audit/verify');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ ok: true, firstProblem: null });
    expect(res.body.headSeq).to.be.at.least(before.seq + 25);
    const head = await findHead(mongoose.connection.db!);
    expect(res.body.headSeq).to.equal(head.seq);
    expect(res.body.headHash).to.equal(head.hash);
  });

  it('when a province administrator or an officer asks to verify the chain, then 403 and a Vietnamese problem', async () => {
    const tree = await sharedProvince();
    for (const session of [tree.sessions.admin, tree.sessions.approver]) {
      const res = await session.get('/api/v1/admin/audit/verify');
      expect(res.status).to.equal(403);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.code).to.equal('FORBIDDEN');
    }
  });
});
