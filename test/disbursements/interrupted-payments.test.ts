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
import { dropEndedPaymentMarks } from '../../src/disbursements/interrupted-payments.js';
import { Fund, FundEntry } from '../../src/funds/funds.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { ReportRun } from '../../src/reports/reports.model.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import type { Session } from '../support/api.js';
import {
  approvedFrom,
  createFund,
  expectReconciled,
  fundTotals,
  pay,
  paymentBody,
  payOk,
  secondAccountant,
  type FundJson,
} from '../funds/fixtures.js';
import { killServiceProcesses, sendAndKill, sendAndStall, startServiceProcess } from '../jobs/service-process.js';

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
 * Sends `path` (a payment or a reversal) as `session` to a service that pauses between the payment's writes, and
 * kills it (kill -9) once `reached` holds. Answers the Idempotency-Key it was sent with.
 */
async function sendWithKeyAndKill(
  session: Session,
  path: string,
  body: Record<string, unknown>,
  reached: () => Promise<boolean>,
): Promise<string> {
  const key = randomUUID();
  await sendAndKill(session, path, body, reached, { 'idempotency-key': key });
  return key;
}

/** A payment sent to the service and cut off once `reached` holds for its case. */
const payAndKill = (
  world: CaseWorld,
  caseId: string,
  body: Record<string, unknown>,
  reached: (state: Awaited<ReturnType<typeof paymentState>>) => boolean,
) =>
  sendWithKeyAndKill(world.sessions.accountant, `/api/v1/cases/${caseId}/disbursements`, body, async () =>
    reached(await paymentState(caseId)),
  );

/** The key's record as stored (the service keeps it under a hash of the caller and the key). */
const keyRecord = (key: string) => IdempotencyRecord.findOne({ key }).lean();

/** Waits until the payment's keys are older than `PAYMENT_FINISH_AFTER_MS` of the finishing rounds below (1 s). */
const OLDER_THAN_MS = 1_000;

describe('disbursements: a single payment or reversal cut off by a crash', function () {
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
    expect(
      rounds.reduce((sum, r) => sum + r.paid, 0),
      'one round finished it',
    ).to.equal(1);
    expect(rounds.reduce((sum, r) => sum + r.discarded + r.answered, 0)).to.equal(0);

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

  /** A paid case, its payment, a second accountant to reverse it, and what the fund held before the payment. */
  async function paidCase() {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);
    const payment = await payOk(world.sessions.accountant, view.id, paymentBody(fund.id));
    return { view, payment, fundBefore, checker: await secondAccountant(world) };
  }
  const reversalOf = (paymentId: string) => Disbursement.findOne({ reverses: paymentId }).lean();
  const reversalTook = async (caseId: string, paymentId: string) => {
    const reversal = await reversalOf(paymentId);
    const record = await Case.findById(caseId).lean();
    return Boolean(reversal && record!.history.some((h) => String(h.entryId) === String(reversal._id)));
  };

  it('when the service is killed after the case took a reversal and before its fund moved back, then three instances finishing it at once move the fund back, write its ledger, totals and audit once', async () => {
    const { view, payment, fundBefore, checker } = await paidCase();
    await sendWithKeyAndKill(
      checker,
      `/api/v1/disbursements/${payment.id}/reverse`,
      { reason: 'Chi nhầm tài khoản' },
      () => reversalTook(view.id, payment.id),
    );
    const reversal = (await reversalOf(payment.id))!;
    expect(reversal.status).to.equal('pending');
    expect((await fundTotals(fund.id)).disbursed, 'the fund did not move back yet').to.equal(
      fundBefore.disbursed + 25_000_000,
    );

    await sleep(OLDER_THAN_MS);
    await Promise.all([1, 2, 3].map(() => finishInterruptedPayments(OLDER_THAN_MS, logger)));

    expect((await Disbursement.findById(reversal._id).lean())!.status).to.equal('reversal');
    expect((await Disbursement.findById(payment.id).lean())!.status).to.equal('reversed');
    expect(await fundTotals(fund.id)).to.deep.equal(fundBefore);
    const ledger = await FundEntry.find({ disbursementId: reversal._id }).lean();
    expect(ledger.map((e) => [e.kind, e.amount])).to.deep.equal([['reversal', -25_000_000]]);
    expect(await AuditEntry.countDocuments({ action: 'disbursement.reverse', entityId: payment.id })).to.equal(1);
    expect((await Case.findById(view.id).lean())!.disbursedAmount).to.equal(0);
    expect(await IdempotencyRecord.countDocuments({ entryId: reversal._id })).to.equal(0);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
  });

  it('when the service is killed after a reversal flipped its payment and before the case took it, then the round gives the payment back its status and removes the reversal, and the payment can be reversed again', async () => {
    const { view, payment, fundBefore, checker } = await paidCase();
    await sendWithKeyAndKill(
      checker,
      `/api/v1/disbursements/${payment.id}/reverse`,
      { reason: 'Chi nhầm tài khoản' },
      async () =>
        (await Disbursement.findById(payment.id).lean())!.status === 'reversed' &&
        !(await reversalTook(view.id, payment.id)),
    );
    expect((await reversalOf(payment.id))!.status).to.equal('pending');

    await sleep(OLDER_THAN_MS);
    expect(await finishInterruptedPayments(OLDER_THAN_MS, logger)).to.deep.include({ discarded: 1 });

    expect(await reversalOf(payment.id)).to.equal(null);
    expect((await Disbursement.findById(payment.id).lean())!.status).to.equal('paid');
    expect((await Case.findById(view.id).lean())!.disbursedAmount).to.equal(25_000_000);
    expect((await fundTotals(fund.id)).disbursed).to.equal(fundBefore.disbursed + 25_000_000);
    await expectReconciled(world);

    const again = await checker.post(`/api/v1/disbursements/${payment.id}/reverse`, { reason: 'Chi nhầm tài khoản' });
    expect(again.status, JSON.stringify(again.body)).to.be.oneOf([200, 201]);
    expect(await fundTotals(fund.id)).to.deep.equal(fundBefore);
    await expectReconciled(world);
  });

  /** A payment of `body` with a new key to a service that stalls it where `reached` holds, while three rounds run. */
  async function payStalled(
    caseId: string,
    body: Record<string, unknown>,
    reached: (state: Awaited<ReturnType<typeof paymentState>>) => boolean,
  ): Promise<{ key: string; status: number; rounds: Awaited<ReturnType<typeof finishInterruptedPayments>>[] }> {
    const key = randomUUID();
    let rounds: Awaited<ReturnType<typeof finishInterruptedPayments>>[] = [];
    const answer = await sendAndStall(
      world.sessions.accountant,
      `/api/v1/cases/${caseId}/disbursements`,
      body,
      async () => reached(await paymentState(caseId)),
      async () => {
        await sleep(OLDER_THAN_MS);
        rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedPayments(OLDER_THAN_MS, logger)));
      },
      { 'idempotency-key': key },
    );
    return { key, status: answer.status, rounds };
  }

  it('when a payment stalls after its case took it and rounds settle it meanwhile, then the request goes on and the fund moves once', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);
    const { status, rounds } = await payStalled(view.id, paymentBody(fund.id), (s) => s.took);
    expect(status, 'the request answered').to.equal(201);
    expect(
      rounds.reduce((sum, r) => sum + r.paid, 0),
      'settled by a round',
    ).to.equal(1);
    const [entry] = (await paymentState(view.id)).entries;
    expect(entry!.status).to.equal('paid');
    expect(await fundTotals(fund.id), 'moved once').to.deep.equal({
      ...fundBefore,
      disbursed: fundBefore.disbursed + 25_000_000,
    });
    expect(await FundEntry.countDocuments({ disbursementId: entry!._id })).to.equal(1);
    expect(await AuditEntry.countDocuments({ action: 'disbursement.create', entityId: String(entry!._id) })).to.equal(
      1,
    );
    expect((await Case.findById(view.id).lean())!.disbursedAmount).to.equal(25_000_000);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    await expectReconciled(world);
    // The payment's mark stays on the fund while young, and goes once old enough.
    const mark = `pay:${String(entry!._id)}`;
    expect((await Fund.findById(fund.id).lean())!.paidRuns ?? []).to.include(mark);
    expect(await dropEndedPaymentMarks(0)).to.be.at.least(1);
    expect((await Fund.findById(fund.id).lean())!.paidRuns ?? []).to.not.include(mark);
  });

  /** The payment of `entryId` counted once in the report totals and audited once, its fund moved once. */
  async function expectPaidOnce(entryId: unknown, fundBefore: Awaited<ReturnType<typeof fundTotals>>): Promise<void> {
    expect(await fundTotals(fund.id), 'moved once').to.deep.equal({
      ...fundBefore,
      disbursed: fundBefore.disbursed + 25_000_000,
    });
    expect(await AuditEntry.countDocuments({ action: 'disbursement.create', entityId: String(entryId) })).to.equal(1);
    expect((await checkReportTotals(world.province.id)).differences, 'counted once').to.deep.equal([]);
    expect(await ReportRun.findById(`pay:${String(entryId)}`).lean()).to.deep.include({ state: 'applied' });
    await expectReconciled(world);
  }

  it('when the service is killed after the payment was settled and before its report totals and audit entry, then three rounds at once count and audit it once, and the key answers the payment', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);
    const body = paymentBody(fund.id);
    const key = await payAndKill(world, view.id, body, (s) => s.entry?.status === 'paid');
    const entryId = (await paymentState(view.id)).entry!._id;
    expect((await checkReportTotals(world.province.id)).differences, 'the totals miss the payment').to.not.deep.equal(
      [],
    );
    expect(await AuditEntry.countDocuments({ action: 'disbursement.create', entityId: String(entryId) })).to.equal(0);

    await sleep(OLDER_THAN_MS);
    const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedPayments(OLDER_THAN_MS, logger)));
    expect(rounds.reduce((sum, r) => sum + r.answered, 0)).to.equal(1);
    expect(rounds.reduce((sum, r) => sum + r.paid + r.discarded, 0)).to.equal(0);
    await expectPaidOnce(entryId, fundBefore);

    const replay = await pay(world.sessions.accountant, view.id, body, key);
    expect(replay.status, JSON.stringify(replay.body)).to.equal(201);
    expect(replay.body.id).to.equal(String(entryId));
    // A later round finds nothing left, and counts nothing again.
    expect(await finishInterruptedPayments(OLDER_THAN_MS, logger)).to.deep.equal({
      paid: 0,
      discarded: 0,
      answered: 0,
    });
    await expectPaidOnce(entryId, fundBefore);
  });

  it('when a payment stalls after it was settled and rounds count and audit it meanwhile, then the request goes on and nothing is counted or audited twice', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);
    const { status, rounds } = await payStalled(view.id, paymentBody(fund.id), (s) => s.entry?.status === 'paid');
    expect(status, 'the request answered').to.equal(201);
    expect(
      rounds.reduce((sum, r) => sum + r.answered, 0),
      'counted by a round',
    ).to.equal(1);
    await expectPaidOnce((await paymentState(view.id)).entry!._id, fundBefore);
  });

  it('when a payment stalls before its case took it and rounds remove its entry meanwhile, then the request is refused and nothing is paid; the same retry then pays once', async () => {
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const fundBefore = await fundTotals(fund.id);
    const body = paymentBody(fund.id);
    const { key, status, rounds } = await payStalled(view.id, body, (s) => s.entries.length === 1 && !s.took);
    expect(status, 'refused: the round removed its entry').to.equal(409);
    expect(rounds.reduce((sum, r) => sum + r.discarded, 0)).to.equal(1);
    const stored = (await Case.findById(view.id).lean())!;
    expect(stored.disbursedAmount, 'the case took nothing').to.equal(0);
    expect(stored.history.filter((h) => h.action === 'disburse')).to.deep.equal([]);
    expect((await paymentState(view.id)).entries).to.deep.equal([]);
    expect(await fundTotals(fund.id)).to.deep.equal(fundBefore);
    await expectReconciled(world);

    const retry = await pay(world.sessions.accountant, view.id, body, key);
    expect(retry.status, JSON.stringify(retry.body)).to.equal(201);
    expect(await fundTotals(fund.id)).to.deep.equal({ ...fundBefore, disbursed: fundBefore.disbursed + 25_000_000 });
    expect((await Case.findById(view.id).lean())!.disbursedAmount).to.equal(25_000_000);
    await expectReconciled(world);
  });
});
