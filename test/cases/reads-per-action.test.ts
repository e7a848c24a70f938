/**
 * One read of the case per step (the lifecycle issue): an approval through `POST /cases/:id/approve` reads the case
 * once (in scope, with its revision) and the province's rules once, and everything after the guarded update (report totals, the decision, the
 * answer) works from the case the update left, not from a new read. The driver's command monitoring counts what the
 * real app sent to the real engine.
 */
import { expect } from 'chai';
import { Case } from '../../src/cases/cases.model.js';
import { Member } from '../../src/members/members.model.js';
import { commandsDuring, readsOf } from '../support/db-reads.js';
import { provinceFund } from '../support/funds.js';
import { batchAction, importTet, listRow, type BatchResultView } from '../batches/batch-fixtures.js';
import { act, bodyFor, caseAt, caseWorld, storedCase, type CaseView, type CaseWorld } from './case-fixtures.js';

describe('cases: what one step reads', function () {
  this.timeout(60_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when a verified case is approved, then the case is read once, the decision is issued and the answer carries it', async () => {
    const verified: CaseView = await caseAt(world, 'verified');
    let answer: { status: number; body: Record<string, unknown> } | undefined;
    const sent = await commandsDuring(async () => {
      answer = await act(world.sessions.approver, verified.id, 'approve', bodyFor('approve', verified));
    });
    expect(answer!.status, JSON.stringify(answer!.body)).to.equal(200);
    const caseReads = readsOf(sent, Case.collection.collectionName);
    expect(caseReads, JSON.stringify(caseReads)).to.have.length(1);
    // The province's rules of the program are read once at most (checks, reservations and the answer's actions);
    // none when this process read them seconds ago (programs keep them briefly, docs/benchmarks.md "Request path").
    expect(readsOf(sent, 'program_overrides')).to.have.length.at.most(1);
    const stored = await storedCase(verified.id);
    expect(stored.status).to.equal('approved');
    expect(stored.decisionId, 'the decision was issued and linked').to.not.equal(null);
    expect(answer!.body.decisionId).to.equal(String(stored.decisionId));
    expect(answer!.body.revision).to.equal(stored.revision);
    expect(answer!.body.history).to.have.length(stored.history.length);
  });

  it('when a submitted case is verified, then the case is read once and the answer is the stored case', async () => {
    const submitted: CaseView = await caseAt(world, 'submitted');
    let answer: { status: number; body: Record<string, unknown> } | undefined;
    const sent = await commandsDuring(async () => {
      answer = await act(world.sessions.verifier, submitted.id, 'verify', bodyFor('verify', submitted));
    });
    expect(answer!.status, JSON.stringify(answer!.body)).to.equal(200);
    expect(readsOf(sent, Case.collection.collectionName)).to.have.length(1);
    const stored = await storedCase(submitted.id);
    expect(answer!.body).to.include({
      status: 'verified',
      revision: stored.revision,
      recommendedAmount: stored.recommendedAmount,
    });
  });

  it('when a list of three submitted cases is verified, then its cases are read together once, for the chunk (not again after a bulk update that took for all of them)', async () => {
    const imported = await importTet(world, [listRow(), listRow(), listRow()]);
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    let result: BatchResultView | undefined;
    const sent = await commandsDuring(async () => {
      result = await batchAction(world.sessions.verifier, imported.batch.id, 'verify', { note: 'Đã rà soát' });
    });
    expect(result!.counts.ok).to.equal(3);
    const caseReads = readsOf(sent, Case.collection.collectionName);
    const idOf = (c: { filter?: unknown }) => (c.filter as { _id?: unknown } | undefined)?._id;
    // Verify takes its cases a chunk at a time (batches/list-chunks.ts): no case is read by itself, and the bulk
    // update that took for every case needs no read after it (cases/steps-at-once.ts).
    expect(caseReads.filter((c) => (idOf(c) as { $in?: unknown } | undefined)?.$in !== undefined)).to.have.length(1);
    expect(caseReads, JSON.stringify(caseReads)).to.have.length(1);
  });

  it('when a list of three drafts is submitted, then its cases and their members are read together once each, not each by itself', async () => {
    const imported = await importTet(world, [listRow(), listRow(), listRow()]);
    let result: BatchResultView | undefined;
    const sent = await commandsDuring(async () => {
      result = await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    });
    expect(result!.counts.ok).to.equal(3);
    const idOf = (c: { filter?: unknown }) => (c.filter as { _id?: unknown } | undefined)?._id;
    const together = (reads: { filter?: unknown }[]) =>
      reads.filter((c) => (idOf(c) as { $in?: unknown } | undefined)?.$in !== undefined);
    const caseReads = readsOf(sent, Case.collection.collectionName);
    expect(together(caseReads), JSON.stringify(caseReads)).to.have.length(1);
    expect(caseReads).to.have.length(1);
    // The submission snapshots each case's member: the chunk's members in one query (batches/list-submit.ts).
    const memberReads = readsOf(sent, Member.collection.collectionName);
    expect(together(memberReads), JSON.stringify(memberReads)).to.have.length(1);
    expect(memberReads).to.have.length(1);
  });

  it('when a list of three verified cases is approved, then its cases are read together: once for the chunk and once for the decision over all of them (not after a bulk update that took for all)', async () => {
    const imported = await importTet(world, [listRow(), listRow(), listRow()]);
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    await batchAction(world.sessions.verifier, imported.batch.id, 'verify', { note: 'Đã rà soát' });
    let result: BatchResultView | undefined;
    const sent = await commandsDuring(async () => {
      result = await batchAction(world.sessions.approver, imported.batch.id, 'approve', {
        fundId: await provinceFund(world),
      });
    });
    expect(result!.counts.ok).to.equal(3);
    const caseReads = readsOf(sent, Case.collection.collectionName);
    const idOf = (c: { filter?: unknown }) => (c.filter as { _id?: unknown } | undefined)?._id;
    const together = caseReads.filter((c) => (idOf(c) as { $in?: unknown } | undefined)?.$in !== undefined);
    // The approval takes its cases a chunk at a time (batches/list-approval.ts): no case is read by itself.
    expect(together, JSON.stringify(caseReads)).to.have.length(2);
    expect(caseReads).to.have.length(2);
  });
});
