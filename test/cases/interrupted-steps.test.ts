/**
 * A single approval or revocation cut off between its writes (kill -9 of the service) is finished by the service
 * afterwards (cases/interrupted-steps.ts): an approval its case never recorded gives back what it committed of the
 * funds and its member's ledger entry, once; one its case recorded gets its ledger entries, campaign totals, audit
 * entry and decision, once; a revocation its case recorded releases the funds, claim and member's ledger entry and
 * gets its campaign totals, audit entry and the decision's revocation, once. Every other single step runs under a run
 * too: one its case recorded gets its report totals and audit entry once; one its case never recorded is fenced.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/index.js';
import { Campaign } from '../../src/campaigns/campaigns.model.js';
import { BenefitClaim, Case, MemberBenefits } from '../../src/cases/cases.model.js';
import { finishInterruptedSteps } from '../../src/cases/index.js';
import { dropEndedStepMarks, StepRun } from '../../src/cases/step-runs.js';
import { createLogger } from '../../src/core/logger.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { Fund, FundEntry } from '../../src/funds/funds.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { ReportRun } from '../../src/reports/reports.model.js';
import {
  act,
  actOk,
  bodyFor,
  caseAt,
  caseWorld,
  newCase,
  uploadStage,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';
import {
  approveBody,
  createFund,
  expectReconciled,
  fundTotals,
  verifiedCase,
  type FundJson,
} from '../funds/fixtures.js';
import { killServiceProcesses, sendAndKill, sendAndStall } from '../jobs/service-process.js';

/** Waits until the runs are older than the `olderThanMs` of the rounds below. */
const OLDER_THAN_MS = 1_000;

/** The member's ledger entries of a case. */
async function benefitEntries(caseId: string): Promise<unknown[]> {
  const record = (await Case.findById(caseId).lean())!;
  const ledgers = await MemberBenefits.find({ memberId: record.memberId }).lean();
  return ledgers.flatMap((l) => l.entries.filter((e) => String(e.caseId) === caseId));
}

/** The approval (or `action`) of `view` sent to the service and cut off once `reached` holds. */
const approveAndKill = (
  world: CaseWorld,
  view: CaseView,
  body: Record<string, unknown>,
  reached: () => Promise<boolean>,
  action = 'approve',
) => sendAndKill(world.sessions.approver, `/api/v1/cases/${view.id}/${action}`, body, reached);

/** The approval (or `action`) of `view` stalled 4 s before and after its case's update, `meanwhile` run meanwhile. */
async function approveStalled(
  world: CaseWorld,
  view: CaseView,
  body: Record<string, unknown>,
  reached: () => Promise<boolean>,
  meanwhile: () => Promise<void>,
  action = 'approve',
): Promise<number> {
  const path = `/api/v1/cases/${view.id}/${action}`;
  return (await sendAndStall(world.sessions.approver, path, body, reached, meanwhile)).status;
}

describe('cases: a single approval or revocation cut off by a crash', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  let fund: FundJson;
  const logger = createLogger('silent');

  /** The finished runs' marks are still on the fund (and campaign) after the rounds; they go once they are old enough. */
  async function expectMarksKeptThenDropped(campaignId?: string | null): Promise<void> {
    expect((await Fund.findById(fund.id).lean())!.approveRuns ?? [], 'marks kept for a stalled request').to.not.be
      .empty;
    expect(await finishInterruptedSteps(OLDER_THAN_MS, logger, 60_000)).to.deep.equal({ followed: 0, undone: 0 });
    expect((await Fund.findById(fund.id).lean())!.approveRuns ?? [], 'kept while young').to.not.be.empty;
    expect(await dropEndedStepMarks(0), 'marks dropped').to.be.above(0);
    expect((await Fund.findById(fund.id).lean())!.approveRuns ?? [], 'no mark left').to.deep.equal([]);
    if (campaignId)
      expect((await Campaign.findById(campaignId).lean())!.approveRuns ?? [], 'no mark left').to.deep.equal([]);
  }

  type Totals = Awaited<ReturnType<typeof fundTotals>>;
  type CampaignCounts = { approvedCount: number; approvedAmount: number };

  /** What follows an approval of 1,000,000 đồng, each written once: commitment, entry, campaign, audit, decision. */
  async function expectApprovedOnce(view: CaseView, before: Totals, campaignBefore: CampaignCounts): Promise<void> {
    expect(await fundTotals(fund.id)).to.deep.equal({
      ...before,
      committed: before.committed + 1_000_000,
      available: before.available - 1_000_000,
    });
    const entries = await FundEntry.find({ caseId: view.id }).lean();
    expect(entries.map((e) => [e.kind, e.amount])).to.deep.equal([['commitment', 1_000_000]]);
    const campaign = (await Campaign.findById(view.campaignId).lean())!;
    expect([campaign.approvedCount, campaign.approvedAmount], 'the campaign counted once').to.deep.equal([
      campaignBefore.approvedCount + 1,
      campaignBefore.approvedAmount + 1_000_000,
    ]);
    const audits = await AuditEntry.find({ action: 'case.approve', entityId: view.id }).lean();
    expect(audits).to.have.length(1);
    expect(audits[0]!.actorId).to.equal(world.sessions.approver.user.id);
    const decisions = await Decision.find({ caseIds: view.id }).lean();
    expect(decisions).to.have.length(1);
    expect(String((await Case.findById(view.id).lean())!.decisionId)).to.equal(String(decisions[0]!._id));
    expect(await benefitEntries(view.id)).to.have.length(1);
    expect(await StepRun.countDocuments({ caseId: view.id })).to.equal(0);
    await expectCountedOnce(view, 'approve');
    await expectReconciled(world);
  }

  /** What follows a revocation of 1,000,000 đồng, each written once: release, entry, campaign, audit. */
  async function expectRevokedOnce(view: CaseView, before: Totals, campaignBefore: CampaignCounts): Promise<void> {
    expect(await fundTotals(fund.id), 'released once').to.deep.equal({
      ...before,
      committed: before.committed - 1_000_000,
      available: before.available + 1_000_000,
    });
    const releases = await FundEntry.find({ caseId: view.id, kind: 'release' }).lean();
    expect(releases.map((e) => e.amount)).to.deep.equal([-1_000_000]);
    expect(await benefitEntries(view.id)).to.deep.equal([]);
    const campaign = (await Campaign.findById(view.campaignId).lean())!;
    expect([campaign.approvedCount, campaign.approvedAmount], 'the campaign counted back once').to.deep.equal([
      campaignBefore.approvedCount - 1,
      campaignBefore.approvedAmount - 1_000_000,
    ]);
    const audits = await AuditEntry.find({ action: 'case.revoke', entityId: view.id }).lean();
    expect(audits).to.have.length(1);
    expect(audits[0]!.actorId).to.equal(world.sessions.approver.user.id);
    expect(await StepRun.countDocuments({ caseId: view.id })).to.equal(0);
    await expectCountedOnce(view, 'revoke');
    await expectReconciled(world);
  }

  /** The report totals hold the step once (a rebuild from the cases would make the same), counted under its run. */
  async function expectCountedOnce(view: CaseView, action: string): Promise<void> {
    expect(
      (await checkReportTotals(world.province.id)).differences,
      'the report totals count the step once',
    ).to.deep.equal([]);
    const run = (await Case.findById(view.id).lean())!.history.find((h) => h.action === action)!.run;
    expect(await ReportRun.findById(`step:${run}`).lean(), 'counted under its run').to.deep.include({
      state: 'applied',
    });
  }

  /** A case of the campaign approved for 1,000,000 đồng from the fund. */
  async function approvedCase(): Promise<CaseView> {
    const verified = await verifiedCase(world);
    return actOk(
      world.sessions.approver,
      verified.id,
      'approve',
      approveBody(verified, [{ fundId: fund.id, amount: 1_000_000 }]),
    );
  }

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
  });
  afterEach(killServiceProcesses);

  it('when the service is killed after the fund commitment and before the case recorded the approval, then three rounds at once give the commitment and the member ledger entry back once, and the approval can be made again', async () => {
    const view = await verifiedCase(world);
    const before = await fundTotals(fund.id);
    const body = approveBody(view, [{ fundId: fund.id, amount: 1_000_000 }]);
    // Killed in the pause after every reservation was taken: the fund's commitment, then the member's ledger entry.
    await approveAndKill(
      world,
      view,
      body,
      async () =>
        (await fundTotals(fund.id)).committed > before.committed && (await benefitEntries(view.id)).length === 1,
    );

    expect(await fundTotals(fund.id), 'committed, not yet recorded').to.deep.include({
      committed: before.committed + 1_000_000,
    });
    expect((await Case.findById(view.id).lean())!.status).to.equal('verified');
    expect(await benefitEntries(view.id)).to.have.length(1);
    expect(await StepRun.countDocuments({ caseId: view.id })).to.equal(1);

    await sleep(OLDER_THAN_MS);
    const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
    expect(await fundTotals(fund.id), 'given back once').to.deep.equal(before);
    expect(await FundEntry.countDocuments({ caseId: view.id }), 'no ledger entry').to.equal(0);
    expect(await benefitEntries(view.id)).to.deep.equal([]);
    expect(await StepRun.countDocuments({ caseId: view.id })).to.equal(0);
    await expectMarksKeptThenDropped();
    await expectReconciled(world);
    expect(rounds.reduce((sum, r) => sum + r.undone, 0)).to.equal(1);
    expect(rounds.reduce((sum, r) => sum + r.followed, 0)).to.equal(0);

    // The fence gave the case a new revision: the approver reads it again and approves.
    const fresh = (await Case.findById(view.id).lean())!;
    const approved = await actOk(world.sessions.approver, view.id, 'approve', { ...body, revision: fresh.revision });
    expect(approved.status).to.equal('approved');
    expect(await fundTotals(fund.id)).to.deep.include({ committed: before.committed + 1_000_000 });
    expect(await FundEntry.countDocuments({ caseId: view.id, kind: 'commitment' })).to.equal(1);
    expect(await benefitEntries(view.id)).to.have.length(1);
    await expectReconciled(world);
  });

  it('when the service is killed after the case recorded the approval and before what follows it, then three rounds at once write its ledger entry, campaign totals, audit entry and decision once', async () => {
    const view = await verifiedCase(world);
    expect(view.campaignId, 'a Tết case of the campaign').to.not.equal(null);
    const before = await fundTotals(fund.id);
    const campaignBefore = (await Campaign.findById(view.campaignId).lean())!;
    const body = approveBody(view, [{ fundId: fund.id, amount: 1_000_000 }]);
    await approveAndKill(world, view, body, async () => (await Case.findById(view.id).lean())!.status === 'approved');

    expect(await FundEntry.countDocuments({ caseId: view.id }), 'no ledger entry yet').to.equal(0);
    expect(await AuditEntry.countDocuments({ action: 'case.approve', entityId: view.id })).to.equal(0);
    expect(await Decision.countDocuments({ caseIds: view.id })).to.equal(0);
    expect((await checkReportTotals(world.province.id)).differences, 'the totals miss the approval').to.not.deep.equal(
      [],
    );

    await sleep(OLDER_THAN_MS);
    const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
    await expectApprovedOnce(view, before, campaignBefore);
    await expectMarksKeptThenDropped(view.campaignId);
    expect(rounds.reduce((sum, r) => sum + r.followed, 0)).to.equal(1);
    expect(rounds.reduce((sum, r) => sum + r.undone, 0)).to.equal(0);

    // Nothing is left for a later round.
    const later = await finishInterruptedSteps(OLDER_THAN_MS, logger);
    expect(later).to.deep.equal({ followed: 0, undone: 0 });
    const stale = await act(world.sessions.approver, view.id, 'approve', body);
    expect(stale.status).to.equal(409);
  });
  it('when the service is killed after the case recorded its revocation and before what follows it, then three rounds at once release the fund, claim and member ledger entry, and write the campaign totals, audit entry and the decision revocation once', async () => {
    const approved = await approvedCase();
    const claimKey = (await Case.findById(approved.id).lean())!.claimKey;
    expect(claimKey, 'the case holds its claim').to.be.a('string');
    const before = await fundTotals(fund.id);
    const campaignBefore = (await Campaign.findById(approved.campaignId).lean())!;
    const body = { revision: approved.revision, reason: 'Đối tượng đã nhận hỗ trợ nơi khác' };
    await approveAndKill(
      world,
      approved,
      body,
      async () => (await Case.findById(approved.id).lean())!.status === 'revoked',
      'revoke',
    );

    expect(await fundTotals(fund.id), 'not released yet').to.deep.equal(before);
    expect(await FundEntry.countDocuments({ caseId: approved.id, kind: 'release' })).to.equal(0);
    expect(await BenefitClaim.countDocuments({ _id: claimKey })).to.equal(1);

    await sleep(OLDER_THAN_MS);
    const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));

    await expectRevokedOnce(approved, before, campaignBefore);
    expect(await BenefitClaim.countDocuments({ _id: claimKey }), 'the claim is released').to.equal(0);
    const decision = (await Decision.findOne({ caseIds: approved.id }).lean())!;
    expect(decision.revocations.map((r) => String(r.caseId))).to.deep.equal([approved.id]);
    await expectMarksKeptThenDropped(approved.campaignId);
    expect(rounds.reduce((sum, r) => sum + r.followed, 0)).to.equal(1);
    expect(rounds.reduce((sum, r) => sum + r.undone, 0)).to.equal(0);
  });
  it('when an approval stalls after its case recorded it and rounds finish it meanwhile, then the request goes on and nothing is written twice', async () => {
    const view = await verifiedCase(world);
    const before = await fundTotals(fund.id);
    const campaignBefore = (await Campaign.findById(view.campaignId).lean())!;
    const body = approveBody(view, [{ fundId: fund.id, amount: 1_000_000 }]);
    let followed = 0;
    const status = await approveStalled(
      world,
      view,
      body,
      async () => (await Case.findById(view.id).lean())!.status === 'approved',
      async () => {
        await sleep(OLDER_THAN_MS);
        const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
        followed = rounds.reduce((sum, r) => sum + r.followed, 0);
        expect(await StepRun.countDocuments({ caseId: view.id }), 'finished by a round').to.equal(0);
      },
    );
    expect(status, 'the request answered').to.equal(200);
    expect(followed).to.equal(1);
    await expectApprovedOnce(view, before, campaignBefore);
    await expectMarksKeptThenDropped(view.campaignId);
  });

  it('when an approval stalls before its case recorded it and rounds give its commitment back meanwhile, then the request is refused and gives nothing back a second time', async () => {
    const view = await verifiedCase(world);
    const before = await fundTotals(fund.id);
    const body = approveBody(view, [{ fundId: fund.id, amount: 1_000_000 }]);
    let undone = 0;
    const status = await approveStalled(
      world,
      view,
      body,
      async () =>
        (await fundTotals(fund.id)).committed > before.committed && (await benefitEntries(view.id)).length === 1,
      async () => {
        await sleep(OLDER_THAN_MS);
        const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
        undone = rounds.reduce((sum, r) => sum + r.undone, 0);
        expect(await fundTotals(fund.id), 'given back by a round').to.deep.equal(before);
      },
    );
    expect(status, 'the fenced update is refused').to.equal(409);
    expect(undone).to.equal(1);
    expect(await fundTotals(fund.id), 'given back once').to.deep.equal(before);
    expect((await Case.findById(view.id).lean())!.status).to.equal('verified');
    expect(await FundEntry.countDocuments({ caseId: view.id })).to.equal(0);
    expect(await benefitEntries(view.id)).to.deep.equal([]);
    await expectReconciled(world);
    await expectMarksKeptThenDropped();
  });
  it('when an approval stalls before it took anything and rounds give its run up meanwhile, then the request takes nothing when it goes on and is refused, and the approval can be made again', async () => {
    const view = await verifiedCase(world);
    const before = await fundTotals(fund.id);
    const body = approveBody(view, [{ fundId: fund.id, amount: 1_000_000 }]);
    let run = '';
    let undone = 0;
    const status = await approveStalled(
      world,
      view,
      body,
      async () => {
        run = (await StepRun.findOne({ caseId: view.id }).lean())?._id ?? '';
        return run !== '' && (await fundTotals(fund.id)).committed === before.committed;
      },
      async () => {
        await sleep(OLDER_THAN_MS);
        const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
        undone = rounds.reduce((sum, r) => sum + r.undone, 0);
        expect(await StepRun.countDocuments({ caseId: view.id }), 'given up by a round').to.equal(0);
      },
    );
    expect(status, 'refused when it goes on').to.equal(409);
    expect(undone).to.equal(1);
    expect(await fundTotals(fund.id), 'nothing left committed').to.deep.equal(before);
    const marks = (await Fund.findById(fund.id).lean())!.approveRuns ?? [];
    expect(marks, 'the round left the run its mark of giving back').to.include(`${run}:b`);
    expect(marks, 'the request never took the commitment').to.not.include(`${run}:c`);
    expect(await benefitEntries(view.id)).to.deep.equal([]);
    expect((await Case.findById(view.id).lean())!.status).to.equal('verified');
    await expectReconciled(world);
    await expectMarksKeptThenDropped();

    const fresh = (await Case.findById(view.id).lean())!;
    const approved = await actOk(world.sessions.approver, view.id, 'approve', { ...body, revision: fresh.revision });
    expect(approved.status).to.equal('approved');
    expect(await fundTotals(fund.id)).to.deep.include({ committed: before.committed + 1_000_000 });
    await expectReconciled(world);
  });
  it('when a revocation stalls after its case recorded it and rounds finish it meanwhile, then the request goes on and the fund is released once', async () => {
    const approved = await approvedCase();
    const before = await fundTotals(fund.id);
    const campaignBefore = (await Campaign.findById(approved.campaignId).lean())!;
    const status = await approveStalled(
      world,
      approved,
      { revision: approved.revision, reason: 'Đối tượng đã nhận hỗ trợ nơi khác' },
      async () => (await Case.findById(approved.id).lean())!.status === 'revoked',
      async () => {
        await sleep(OLDER_THAN_MS);
        await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
        expect(await StepRun.countDocuments({ caseId: approved.id }), 'finished by a round').to.equal(0);
      },
      'revoke',
    );
    expect(status, 'the request answered').to.equal(200);
    await expectRevokedOnce(approved, before, campaignBefore);
    await expectMarksKeptThenDropped(approved.campaignId);
  });
});

describe('cases: the other single steps cut off by a crash', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  const logger = createLogger('silent');

  before(async () => {
    world = await caseWorld();
  });
  afterEach(killServiceProcesses);

  /** The step's audit entries, report totals and run: each once, counted under the run, nothing left to a round. */
  async function expectFollowedOnce(view: CaseView, action: string, actorId: string): Promise<void> {
    const audits = await AuditEntry.find({ action: `case.${action}`, entityId: view.id }).lean();
    expect(audits, 'audited once').to.have.length(1);
    expect(audits[0]!.actorId).to.equal(actorId);
    expect((await checkReportTotals(world.province.id)).differences, 'counted once').to.deep.equal([]);
    const run = (await Case.findById(view.id).lean())!.history.find((h) => h.action === action)!.run;
    expect(run, 'the history entry names its run').to.be.a('string');
    expect(await ReportRun.findById(`step:${run}`).lean(), 'counted under its run').to.deep.include({
      state: 'applied',
    });
    expect(await StepRun.countDocuments({ caseId: view.id }), 'no run left').to.equal(0);
  }

  it('when the service is killed after the case recorded its verification and before what follows it, then three rounds at once write its report totals and audit entry once', async () => {
    const submitted = await caseAt(world, 'submitted');
    const ready = await uploadStage(world.sessions.verifier, submitted, 'verify');
    await sendAndKill(
      world.sessions.verifier,
      `/api/v1/cases/${ready.id}/verify`,
      bodyFor('verify', ready),
      async () => (await Case.findById(ready.id).lean())!.status === 'verified',
    );
    expect(await AuditEntry.countDocuments({ action: 'case.verify', entityId: ready.id }), 'not audited').to.equal(0);
    expect((await checkReportTotals(world.province.id)).differences, 'the totals miss it').to.not.deep.equal([]);
    expect(await StepRun.countDocuments({ caseId: ready.id }), 'its run is left').to.equal(1);

    await sleep(OLDER_THAN_MS);
    const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
    expect(rounds.reduce((sum, r) => sum + r.followed, 0)).to.equal(1);
    await expectFollowedOnce(ready, 'verify', world.sessions.verifier.user.id);
    expect(await finishInterruptedSteps(OLDER_THAN_MS, logger)).to.deep.equal({ followed: 0, undone: 0 });
  });

  it('when the service is killed after a submission took its duplicate claim and before its case recorded it, then a round fences the case and the officer submits it again under the same claim', async () => {
    const { view } = await newCase(world);
    const ready = await uploadStage(world.sessions.officer, view, 'submit');
    let claimKey = '';
    await sendAndKill(
      world.sessions.officer,
      `/api/v1/cases/${ready.id}/submit`,
      bodyFor('submit', ready),
      async () => {
        claimKey = (await BenefitClaim.findOne({ caseId: ready.id }).lean())?._id ?? '';
        return claimKey !== '';
      },
    );
    const left = (await Case.findById(ready.id).lean())!;
    expect(left.status, 'the case never recorded it').to.equal('draft');

    await sleep(OLDER_THAN_MS);
    const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
    expect(rounds.reduce((sum, r) => sum + r.undone, 0)).to.equal(1);
    const fenced = (await Case.findById(ready.id).lean())!;
    expect(fenced.revision, 'fenced: a new revision').to.equal(left.revision + 1);
    expect(await StepRun.countDocuments({ caseId: ready.id })).to.equal(0);
    expect((await act(world.sessions.officer, ready.id, 'submit', bodyFor('submit', ready))).status).to.equal(409);

    const submitted = await actOk(world.sessions.officer, ready.id, 'submit', { revision: fenced.revision });
    expect(submitted.status).to.equal('submitted');
    expect(await BenefitClaim.find({ caseId: ready.id }).lean(), 'one claim, its own').to.have.length(1);
    expect((await Case.findById(ready.id).lean())!.claimKey).to.equal(claimKey);
    await expectFollowedOnce(submitted, 'submit', world.sessions.officer.user.id);
  });

  it('when a rejection stalls after its case recorded it and rounds finish it meanwhile, then the request goes on and its claim release, report totals and audit entry are written once', async () => {
    const submitted = await caseAt(world, 'submitted');
    const claimKey = (await Case.findById(submitted.id).lean())!.claimKey;
    expect(claimKey, 'the case holds its claim').to.be.a('string');
    const { status } = await sendAndStall(
      world.sessions.verifier,
      `/api/v1/cases/${submitted.id}/reject`,
      bodyFor('reject', submitted),
      async () => (await Case.findById(submitted.id).lean())!.status === 'rejected',
      async () => {
        await sleep(OLDER_THAN_MS);
        const rounds = await Promise.all([1, 2, 3].map(() => finishInterruptedSteps(OLDER_THAN_MS, logger)));
        expect(rounds.reduce((sum, r) => sum + r.followed, 0)).to.equal(1);
        expect(await BenefitClaim.countDocuments({ _id: claimKey }), 'released by a round').to.equal(0);
      },
    );
    expect(status, 'the request answered').to.equal(200);
    expect(await BenefitClaim.countDocuments({ _id: claimKey })).to.equal(0);
    await expectFollowedOnce(submitted, 'reject', world.sessions.verifier.user.id);
  });
});
