/**
 * A single payment cut off between its writes (kill -9 of the service) is finished by the service afterwards
 * (disbursements/interrupted-payments.ts): a payment its case took moves its fund, ledger, totals and audit once and
 * its Idempotency-Key answers it; one its case never took leaves nothing and its key is free for the retry.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/index.js';
import { Case } from '../../src/cases/cases.model.js';
import { createLogger } from '../../src/core/logger.js';
import { Disbursement, IdempotencyRecord } from '../../src/disbursements/disbursements.model.js';
import { finishInterruptedPayments } from '../../src/disbursements/index.js';
import { FundEntry } from '../../src/funds/funds.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  expectReconciled,
  fundTotals,
  pay,
  paymentBody,
  type FundJson,
} from '../funds/fixtures.js';
import { killServiceProcesses, startServiceProcess } from '../jobs/service-process.js';

/** The moment a payment has reached, read from the database. */
async function paymentState(caseId: string) {
  const entries = await Disbursement.find({ caseId }).lean();
  const record = await Case.findById(caseId).lean();
  const entry = entries[0];
  return {
    entries,
    entry,
    took: Boolean(entry && record!.history.some((h) => String(h.entryId) === String(entry._id))),
  };
}

/**
 * Sends the payment to a service that pauses between the payment's writes, and kills it (kill -9) once `reached`
 * holds. Answers the key the payment was sent with.
 */
async function payAndKill(
  world: CaseWorld,
  caseId: string,
  body: Record<string, unknown>,
  reached: (state: Awaited<ReturnType<typeof paymentState>>) => boolean,
): Promise<string> {
  const service = await startServiceProcess({ PAYMENT_STEP_DELAY_MS: '4000' });
  const key = randomUUID();
  const answer = fetch(`http://127.0.0.1:${service.port}/api/v1/cases/${caseId}/disbursements`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${world.sessions.accountant.token}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify(body),
  }).catch(() => null);
  const deadline = Date.now() + 30_000;
  while (!reached(await paymentState(caseId))) {
    expect(Date.now(), 'the moment came').to.be.below(deadline);
    await sleep(50);
  }
  await service.kill9();
  expect(await answer, 'the request got no answer').to.equal(null);
  return key;
}

/** The key's record as stored (the service keeps it under a hash of the caller and the key). */
const keyRecord = (key: string) => IdempotencyRecord.findOne({ key }).lean();

/** Waits until the payment's keys are older than `PAYMENT_FINISH_AFTER_MS` of the finishing rounds below (1 s). */
const OLDER_THAN_MS = 1_000;

describe('disbursements: a single payment cut off by a crash', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  let fund: FundJson;
  const logger = createLogger('silent');

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
  });
  afterEach(killServiceProcesses);

  it('when the service is killed after the case took the payment and before its fund moved, then three instances finishing it at once move the fund, ledger, totals and audit once, and the key answers the payment', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);
    const body = paymentBody(fund.id);
    const key = await payAndKill(world, view.id, body, (s) => s.took);

    const cut = await paymentState(view.id);
    expect(cut.entries.map((e) => e.status)).to.deep.equal(['pending']);
    expect(await fundTotals(fund.id), 'the fund did not move yet').to.deep.equal(fundBefore);
    expect((await keyRecord(key))!.state).to.equal('in_progress');
    const conflict = await pay(world.sessions.accountant, view.id, body, key);
    expect(conflict.status, 'the retry waits for the cut-off payment').to.equal(409);

    await sleep(OLDER_THAN_MS);
    const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedPayments(OLDER_THAN_MS, logger)));
    expect(rounds.reduce((sum, r) => sum + r.paid + r.answered, 0)).to.be.at.least(1);
    expect(rounds.reduce((sum, r) => sum + r.discarded, 0)).to.equal(0);

    const entryId = cut.entry!._id;
    expect((await Disbursement.findById(entryId).lean())!.status).to.equal('paid');
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed + 25_000_000 });
    expect(await FundEntry.countDocuments({ disbursementId: entryId })).to.equal(1);
    const audits = await AuditEntry.find({ action: 'disbursement.create', entityId: String(entryId) }).lean();
    expect(audits).to.have.length(1);
    expect(audits[0]!.actorId).to.equal(world.sessions.accountant.user.id);
    const stored = (await Case.findById(view.id).lean())!;
    expect(stored.disbursedAmount).to.equal(25_000_000);
    expect(stored.history.filter((h) => h.action === 'disburse')).to.have.length(1);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);

    const replay = await pay(world.sessions.accountant, view.id, body, key);
    expect(replay.status, JSON.stringify(replay.body)).to.equal(201);
    expect(replay.headers['idempotent-replayed']).to.equal('true');
    expect(replay.body.id).to.equal(String(entryId));
    expect(replay.body.status).to.equal('paid');
    expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(1);

    // A later round finds nothing left to do.
    expect(await finishInterruptedPayments(OLDER_THAN_MS, logger)).to.deep.equal({
      paid: 0,
      discarded: 0,
      answered: 0,
    });
  });

  it('when the service is killed after the payment entry was written and before the case took it, then the next start removes the entry and frees the key, and the same retry pays once', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);
    const body = paymentBody(fund.id);
    const key = await payAndKill(world, view.id, body, (s) => s.entries.length === 1 && !s.took);
    expect((await paymentState(view.id)).entries.map((e) => e.status)).to.deep.equal(['pending']);

    // The service's own round (every 300 ms here) finishes it.
    await startServiceProcess({ PAYMENT_FINISH_EVERY_MS: '300', PAYMENT_FINISH_AFTER_MS: String(OLDER_THAN_MS) });
    const deadline = Date.now() + 60_000;
    while ((await Disbursement.countDocuments({ caseId: view.id })) > 0 || (await keyRecord(key))) {
      expect(Date.now(), 'the service finished the payment').to.be.below(deadline);
      await sleep(100);
    }
    expect(await fundTotals(fund.id)).to.deep.equal(fundBefore);
    const untouched = (await Case.findById(view.id).lean())!;
    expect(untouched.disbursedAmount).to.equal(0);
    expect(untouched.history.filter((h) => h.action === 'disburse')).to.have.length(0);
    expect(await AuditEntry.countDocuments({ action: 'disbursement.create', 'details.caseId': view.id })).to.equal(0);

    const retry = await pay(world.sessions.accountant, view.id, body, key);
    expect(retry.status, JSON.stringify(retry.body)).to.equal(201);
    expect(retry.headers['idempotent-replayed']).to.equal(undefined);
    expect(await Disbursement.countDocuments({ caseId: view.id, status: 'paid' })).to.equal(1);
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed + 25_000_000 });
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });
});
