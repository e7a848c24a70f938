/**
 * SPEC §13 merge: a province merges into another (Long An into Tây Ninh). Its unions, cases and users' data
 * follow; its funds and campaigns pass over as "… (cũ)" with their codes and stay spendable.
 */
import { expect } from 'chai';
import { Campaign } from '../../src/campaigns/campaigns.model.js';
import { Fund } from '../../src/funds/funds.model.js';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { caseWorld, storedCase, type CaseWorld } from '../cases/case-fixtures.js';
import { approvedFrom, createFund, expectReconciled, payOk, paymentBody, type FundJson } from '../funds/fixtures.js';
import { EFFECTIVE, expectOrgPathsClean, statuses, type OperationView } from './reorganisation-fixtures.js';

describe('orgs: reorganisation — merge of provinces', function () {
  this.timeout(90_000);
  let target: CaseWorld;
  let source: CaseWorld;
  let root: Session;
  let fund: FundJson;

  before(async () => {
    [target, source, root] = await Promise.all([caseWorld(), caseWorld(), loginAdmin()]);
    fund = await createFund(source.sessions.accountant, { allocated: 500_000_000 });
  });

  it('when a province merges into another, then its unions and cases are under the target, its funds and campaigns pass as "(cũ)" and stay spendable, and its own users can no longer act', async () => {
    const approved = await approvedFrom(source, [{ fundId: fund.id, amount: 50_000_000 }]);
    const body = { sourceIds: [source.province.id], effectiveDate: EFFECTIVE, reason: 'Nghị quyết sáp nhập tỉnh' };
    expectProblem(await target.sessions.admin.post(`/api/v1/orgs/${target.province.id}/merge`, body), 403, 'FORBIDDEN');
    expectProblem(
      await root.post(`/api/v1/orgs/${target.province.id}/merge`, { ...body, sourceIds: [target.province.id] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await statuses([target.sessions.admin], `/api/v1/cases/${approved.id}`)).to.deep.equal([404]);

    const op = await arrange<OperationView>(root.post(`/api/v1/orgs/${target.province.id}/merge`, body), 200);
    expect(op).to.deep.include({ kind: 'merge', status: 'succeeded' });

    const merged = (await OrgModel.findById(source.province.id).lean())!;
    expect(merged).to.deep.include({ status: 'dissolved', active: false });
    expect(String(merged.mergedInto)).to.equal(target.province.id);
    expect(merged.history.map((h) => [h.event, h.to?.id])).to.deep.equal([
      ['created', String(merged._id)],
      ['merged', target.province.id],
    ]);
    const into = (await OrgModel.findById(target.province.id).lean())!;
    expect(into.history.filter((h) => h.event !== 'created').map((h) => [h.event, h.from?.id, h.to?.id])).to.deep.equal(
      [['merged', source.province.id, target.province.id]],
    );
    const upper = (await OrgModel.findById(source.upper.id).lean())!;
    expect(upper.orgPath.map(String)).to.deep.equal([target.province.orgPath[0], target.province.id, source.upper.id]);
    expect((await storedCase(approved.id)).orgPath.map(String)).to.deep.equal([
      target.province.orgPath[0],
      target.province.id,
      source.upper.id,
      source.grassroots.id,
    ]);

    const storedFund = (await Fund.findById(fund.id).lean())!;
    expect(storedFund).to.deep.include({ code: fund.code, name: `${fund.name} (cũ)` });
    expect(String(storedFund.orgId)).to.equal(target.province.id);
    const campaign = (await Campaign.findById(source.campaigns.tet.id).lean())!;
    expect(campaign.name).to.equal('Tết Bính Ngọ (cũ)');
    expect(campaign.code).to.equal(source.campaigns.tet.code);
    expect(String(campaign.orgId)).to.equal(target.province.id);

    // The target's officers take over: they see the case and pay it from the old fund.
    expect(
      await statuses([target.sessions.admin, target.sessions.accountant], `/api/v1/cases/${approved.id}`),
    ).to.deep.equal([200, 200]);
    await payOk(target.sessions.accountant, approved.id, paymentBody(fund.id));
    expect((await storedCase(approved.id)).disbursedAmount).to.equal(25_000_000);
    // The merged province's own users can no longer act.
    expectProblem(await source.sessions.accountant.get('/api/v1/funds'), 401, 'UNAUTHENTICATED');
    await expectOrgPathsClean(target.province.id);
    await expectReconciled(target);
  });
});
