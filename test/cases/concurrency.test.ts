/**
 * Two people acting on one case at once must not both succeed (SPEC §5): of racing requests with the same
 * revision exactly one wins, the history and the audit log record one step, and the campaign's approved
 * totals move exactly once.
 */
import { expect } from 'chai';
import type request from 'supertest';
import { loginAdmin, type Session } from '../support/api.js';
import { userSession } from '../support/factory.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { BenefitClaim } from '../../src/cases/cases.model.js';
import { Campaign as CampaignModel } from '../../src/campaigns/campaigns.model.js';
import type { CaseAction } from '../../src/cases/workflow.js';
import {
  act,
  bodyFor,
  caseAt,
  caseWorld,
  createCampaign,
  storedCase,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';

const LOSING_CODES = ['STALE_REVISION', 'INVALID_TRANSITION'];

/** Exactly one 200; every other answer a 409 of a lost race. Returns the index of the winner. */
function oneWinner(results: request.Response[]): number {
  const summary = JSON.stringify(results.map((r) => [r.status, r.body.code]));
  expect(
    results.filter((r) => r.status === 200),
    summary,
  ).to.have.length(1);
  for (const r of results.filter((x) => x.status !== 200)) {
    expect(r.status, summary).to.equal(409);
    expect(LOSING_CODES, summary).to.include(r.body.code);
  }
  return results.findIndex((r) => r.status === 200);
}

async function countOf(caseId: string, action: CaseAction) {
  const [stored, audit] = await Promise.all([
    storedCase(caseId),
    AuditEntry.countDocuments({ entityId: caseId, action: `case.${action}` }),
  ]);
  return { history: stored.history.filter((h) => h.action === action).length, audit, stored };
}

describe('cases: concurrent actions on one case', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let verifiers: Session[];
  let approvers: Session[];

  before(async () => {
    world = await caseWorld();
    const root = await loginAdmin();
    const [verifier2, approver2] = await Promise.all([
      userSession(root, world.upper.id, ['verifier']),
      userSession(root, world.province.id, ['approver']),
    ]);
    verifiers = [world.sessions.verifier, verifier2];
    approvers = [world.sessions.approver, approver2];
  });

  it('when two verifiers of the upper union verify the same cases at once with the same revision, then exactly one wins each, with one verify in history and audit', async () => {
    const cases = await Promise.all(Array.from({ length: 4 }, () => caseAt(world, 'submitted')));

    await Promise.all(
      cases.map(async (view) => {
        const results = await Promise.all(
          verifiers.map((v, i) =>
            act(v, view.id, 'verify', { revision: view.revision, recommendedAmount: 900_000 - i * 100_000 }),
          ),
        );
        const winner = oneWinner(results);

        const { history, audit, stored } = await countOf(view.id, 'verify');
        expect(history).to.equal(1);
        expect(audit).to.equal(1);
        expect(stored.status).to.equal('verified');
        expect(stored.revision).to.equal(view.revision + 1);
        expect(stored.verifiedBy?.id).to.equal(verifiers[winner]!.user.id);
        expect(stored.recommendedAmount).to.equal(900_000 - winner * 100_000);
      }),
    );
  });

  it("when two approvers approve the same cases at once, then exactly one wins each and the campaign's approved totals rise once per case", async () => {
    const campaign = await createCampaign(world.sessions.approver, 'tet_gift');
    const cases = await Promise.all(
      Array.from({ length: 4 }, () => caseAt(world, 'verified', 'tet_gift', { body: { campaignId: campaign.id } })),
    );

    await Promise.all(
      cases.map(async (view) => {
        const results = await Promise.all(approvers.map((a) => act(a, view.id, 'approve', bodyFor('approve', view))));
        const winner = oneWinner(results);

        const { history, audit, stored } = await countOf(view.id, 'approve');
        expect(history).to.equal(1);
        expect(audit).to.equal(1);
        expect(stored.status).to.equal('approved');
        expect(stored.approvedBy?.id).to.equal(approvers[winner]!.user.id);
      }),
    );

    const totals = await CampaignModel.findById(campaign.id).lean();
    expect(totals?.approvedAmount).to.equal(cases.reduce((sum, c) => sum + c.recommendedAmount!, 0));
    expect(totals?.approvedCount).to.equal(cases.length);
  });

  it("when two approvers revoke the same approval at once, then one wins and the campaign's totals fall once", async () => {
    const campaign = await createCampaign(world.sessions.approver, 'tet_gift');
    const view = await caseAt(world, 'approved', 'tet_gift', { body: { campaignId: campaign.id } });
    const before = await CampaignModel.findById(campaign.id).lean();
    expect(before?.approvedAmount).to.equal(view.approvedAmount);

    oneWinner(await Promise.all(approvers.map((a) => act(a, view.id, 'revoke', bodyFor('revoke', view)))));

    const after = await CampaignModel.findById(campaign.id).lean();
    expect(after?.approvedAmount).to.equal(0);
    expect(after?.approvedCount).to.equal(0);
    expect((await countOf(view.id, 'revoke')).history).to.equal(1);
  });

  it('when the union withdraws while the verifier verifies, then exactly one of them happens and the claim follows the outcome', async () => {
    const cases = await Promise.all(Array.from({ length: 4 }, () => caseAt(world, 'submitted')));

    await Promise.all(
      cases.map(async (view) => {
        const results = await Promise.all([
          act(world.sessions.officer, view.id, 'withdraw', bodyFor('withdraw', view)),
          act(world.sessions.verifier, view.id, 'verify', bodyFor('verify', view)),
        ]);
        const winner = oneWinner(results);

        const stored = await storedCase(view.id);
        expect(stored.status).to.equal(winner === 0 ? 'cancelled' : 'verified');
        expect(stored.history.filter((h) => ['withdraw', 'verify'].includes(h.action))).to.have.length(1);
        expect(await BenefitClaim.countDocuments({ caseId: view.id })).to.equal(winner === 0 ? 0 : 1);
      }),
    );
  });

  it('when the same verifier sends the same verification twice at once, then it is recorded once', async () => {
    const view: CaseView = await caseAt(world, 'submitted');
    oneWinner(
      await Promise.all([1, 2, 3].map(() => act(world.sessions.verifier, view.id, 'verify', bodyFor('verify', view)))),
    );
    expect((await countOf(view.id, 'verify')).history).to.equal(1);
  });
});
