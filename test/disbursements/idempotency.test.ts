/**
 * `Idempotency-Key` on payments (SPEC §7): required; the same key and body answer the same result and pay
 * once, also when sent again at once; another body under the same key is 409 IDEMPOTENCY_CONFLICT; a
 * refused request leaves the key free; keys expire and are purged.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { expectProblem } from '../support/api.js';
import { expectValidation } from '../support/problems.js';
import { Disbursement, IdempotencyRecord } from '../../src/disbursements/disbursements.model.js';
import { purgeExpiredIdempotencyKeys } from '../../src/disbursements/index.js';
import { caseWorld, expectUnchanged, stateOf, storedCase, upload, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  expectReconciled,
  fundState,
  fundTotals,
  pay,
  paymentBody,
  secondAccountant,
  type FundJson,
} from '../funds/fixtures.js';

describe('disbursements: Idempotency-Key', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let fund: FundJson;

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
  });

  it('when the header is missing or malformed, then 400 naming Idempotency-Key and nothing is paid', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const [caseBefore, fundBefore] = await Promise.all([stateOf(view.id), fundState(fund.id)]);
    expectValidation(await pay(world.sessions.accountant, view.id, paymentBody(fund.id), null), 'Idempotency-Key');
    for (const key of ['short', 'co dau cach 12345', 'x'.repeat(129), '{"$ne":1}']) {
      expectValidation(await pay(world.sessions.accountant, view.id, paymentBody(fund.id), key), 'Idempotency-Key');
    }
    await expectUnchanged(view.id, caseBefore);
    expect(await fundState(fund.id)).to.equal(fundBefore);
    expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(0);
  });

  it('when the same key and body are sent again, then the first answer comes back (marked as replayed) and the case is paid once', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const key = randomUUID();
    const body = paymentBody(fund.id);
    const fundBefore = await fundTotals(fund.id);

    const first = await pay(world.sessions.accountant, view.id, body, key);
    const again = await pay(world.sessions.accountant, view.id, { ...body }, key);

    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.headers['idempotent-replayed']).to.equal(undefined);
    expect(again.status).to.equal(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(1);
    expect((await storedCase(view.id)).disbursedAmount).to.equal(25_000_000);
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed + 25_000_000 });
  });

  it('when the same key and body are sent five times at once, then all five answer the same payment and it is recorded once', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const key = randomUUID();
    const body = paymentBody(fund.id);

    const results = await Promise.all(
      Array.from({ length: 5 }, () => pay(world.sessions.accountant, view.id, body, key)),
    );

    expect(
      results.map((r) => r.status),
      JSON.stringify(results.map((r) => r.body)),
    ).to.deep.equal([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).to.equal(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).to.have.length(4);
    expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(1);
    expect((await storedCase(view.id)).disbursedAmount).to.equal(25_000_000);
    await expectReconciled(world);
  });

  it('when the same key comes with another body, then 409 IDEMPOTENCY_CONFLICT and nothing more is paid', async () => {
    const [one, two] = await Promise.all([
      approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]),
      approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]),
    ]);
    const key = randomUUID();
    const body = paymentBody(fund.id);
    expect((await pay(world.sessions.accountant, one.id, body, key)).status).to.equal(201);
    const [oneBefore, twoBefore, fundBefore] = await Promise.all([
      stateOf(one.id),
      stateOf(two.id),
      fundState(fund.id),
    ]);

    expectProblem(
      await pay(world.sessions.accountant, one.id, { ...body, amount: 24_000_000 }, key),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expectProblem(
      await pay(world.sessions.accountant, one.id, { ...body, note: 'Ghi chú khác' }, key),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expectProblem(await pay(world.sessions.accountant, two.id, body, key), 409, 'IDEMPOTENCY_CONFLICT');

    await expectUnchanged(one.id, oneBefore);
    await expectUnchanged(two.id, twoBefore);
    expect(await fundState(fund.id)).to.equal(fundBefore);
  });

  it('when another accountant uses the same key, then it is their own key: the request is judged on its own', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const other = await secondAccountant(world);
    const key = randomUUID();
    expect((await pay(world.sessions.accountant, view.id, paymentBody(fund.id), key)).status).to.equal(201);
    // Same key, same body, other caller: not a replay; the tranche is now paid, so the rules refuse it.
    expectProblem(await pay(other, view.id, paymentBody(fund.id), key), 409, 'TRANCHE_ALREADY_PAID');
  });

  it('when a request is refused, then its key stays free: after the handover minutes arrive, the same key and body pay', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await pay(world.sessions.accountant, view.id, paymentBody(fund.id)).expect(201);
    const key = randomUUID();
    const body = paymentBody(fund.id, { trancheNo: 2 });

    expectProblem(await pay(world.sessions.accountant, view.id, body, key), 422, 'MISSING_DOCUMENTS');
    expect(await IdempotencyRecord.countDocuments({ key })).to.equal(0);
    await upload(world.sessions.officer, view.id, 'handover_minutes');

    const paid = await pay(world.sessions.accountant, view.id, body, key);
    expect(paid.status, JSON.stringify(paid.body)).to.equal(201);
    expect((await storedCase(view.id)).status).to.equal('disbursed');
  });

  it('when a key has expired, then it no longer binds: another body may use it, and the purge removes expired keys only', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const key = randomUUID();
    await pay(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 10_000_000 }), key).expect(201);
    await IdempotencyRecord.updateOne({ key }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    const reused = await pay(world.sessions.accountant, view.id, paymentBody(fund.id, { amount: 15_000_000 }), key);
    expect(reused.status, JSON.stringify(reused.body)).to.equal(201);
    expect(reused.headers['idempotent-replayed']).to.equal(undefined);
    expect((await storedCase(view.id)).disbursedAmount).to.equal(25_000_000);

    const fresh = randomUUID();
    await IdempotencyRecord.create({
      _id: `expired-${fresh}`,
      userId: 'x',
      key: fresh,
      requestHash: 'x',
      state: 'done',
      createdAt: new Date(0),
      expiresAt: new Date(Date.now() - 1),
    });
    expect(await purgeExpiredIdempotencyKeys()).to.be.at.least(1);
    expect(await IdempotencyRecord.countDocuments({ key: fresh })).to.equal(0);
    expect(await IdempotencyRecord.countDocuments({ key })).to.equal(1);
  });
});
