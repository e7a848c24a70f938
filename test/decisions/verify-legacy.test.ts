/**
 * Decisions issued before verify tokens (issue 14.3): their paper prints the id link, which keeps answering the
 * public for them only; the migration gives each a token and marks it, once, however often it runs.
 */
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { Decision } from '../../src/decisions/decisions.model.js';
import { verifyTokensMigration } from '../../src/decisions/index.js';
import { api } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';
import { expectNotFound } from '../support/problems.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { approvedCase, decisionOf, type DecisionView } from './decision-fixtures.js';

/** Turns a decision back into one issued before tokens: no token, no mark, the id link on its paper. */
async function makeLegacy(id: string): Promise<void> {
  await Decision.collection.updateOne(
    { _id: new Types.ObjectId(id) },
    {
      $unset: { verifyToken: '', legacyVerify: '' },
      $set: { 'content.verifyUrl': `${testEnv().config.publicBaseUrl}/api/v1/decisions/${id}/verify` },
    },
  );
}

describe('decisions: verify links of decisions issued before the token', () => {
  let world: CaseWorld;
  let legacy: DecisionView;
  let recent: DecisionView;

  before(async () => {
    world = await caseWorld();
    legacy = await decisionOf(world.sessions.approver, await approvedCase(world));
    recent = await decisionOf(world.sessions.approver, await approvedCase(world));
    await makeLegacy(legacy.id);
  });

  it("when a decision has not been migrated yet, then its printed id link answers the public, and a recent decision's id does not", async () => {
    const res = await api().get(`/api/v1/decisions/${legacy.id}/verify`);
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: legacy.id, number: legacy.number, status: 'issued' });
    expectNotFound(await api().get(`/api/v1/decisions/${recent.id}/verify`));
    const page = await api().get(`/api/v1/decisions/${legacy.id}/verify`).set('Accept', 'text/html');
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.text).to.contain(`Quyết định số ${legacy.number}`);
    const hidden = await api().get(`/api/v1/decisions/${recent.id}/verify`).set('Accept', 'text/html');
    expect(hidden.status).to.equal(404);
    expect(hidden.text).to.not.contain(recent.number);
  });

  it('when the migration runs twice, then the old decision has one token of 128 bits and the mark, the recent one is untouched, and both links answer', async () => {
    const before = await Decision.collection.findOne({ _id: new Types.ObjectId(recent.id) });
    await verifyTokensMigration.up(mongoose.connection.db!);
    const first = await Decision.collection.findOne({ _id: new Types.ObjectId(legacy.id) });
    expect(first?.verifyToken).to.match(/^[A-Za-z0-9_-]{22}$/);
    expect(first?.legacyVerify).to.equal(true);
    await verifyTokensMigration.up(mongoose.connection.db!);
    const second = await Decision.collection.findOne({ _id: new Types.ObjectId(legacy.id) });
    expect(second?.verifyToken, 'idempotent').to.equal(first?.verifyToken);
    const after = await Decision.collection.findOne({ _id: new Types.ObjectId(recent.id) });
    expect(after?.verifyToken).to.equal(before?.verifyToken);
    expect(after?.legacyVerify).to.equal(false);
    expect(verifyTokensMigration.id).to.be.a('string').and.not.empty;

    expect((await api().get(`/api/v1/decisions/${legacy.id}/verify`)).status).to.equal(200);
    expect((await api().get(`/api/v1/decisions/verify/${String(first?.verifyToken)}`)).body).to.include({
      number: legacy.number,
    });
    expectNotFound(await api().get(`/api/v1/decisions/${recent.id}/verify`));
  });

  it('when two decisions were given one token, then the database refuses it (unique index)', async () => {
    const stored = await Decision.collection.findOne({ _id: new Types.ObjectId(recent.id) });
    const clash = Decision.collection.updateOne(
      { _id: new Types.ObjectId(legacy.id) },
      { $set: { verifyToken: stored?.verifyToken } },
    );
    await clash.then(
      () => expect.fail('a duplicate token was stored'),
      (error: { code?: number }) => expect(error.code).to.equal(11000),
    );
  });
});
