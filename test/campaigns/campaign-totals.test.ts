import { expect } from 'chai';
import { Campaign } from '../../src/campaigns/campaigns.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { arrange } from '../support/api.js';
import { memberBody, type ProvinceTree } from '../support/factory.js';
import { allocationsFor, provinceFund } from '../support/funds.js';
import { campaignBody, campaignsProvince, type CampaignJson } from './fixtures.js';

interface CaseJson {
  id: string;
  code: string;
  status: string;
  revision: number;
  campaignId: string;
}

describe('campaigns: approved totals against the budget', () => {
  let tree: ProvinceTree;

  before(async () => {
    tree = await campaignsProvince();
    await provinceFund(tree);
  });

  /** A Tết gift case of the campaign, submitted by the union and verified by the upper union. */
  async function verifiedGift(campaignId: string, amount: number): Promise<CaseJson> {
    const { officer, verifier } = tree.sessions;
    const member = await arrange<{ id: string }>(officer.post('/api/v1/members', memberBody(tree.grassroots.id)));
    const draft = await arrange<CaseJson>(
      officer.post('/api/v1/cases', {
        programCode: 'tet_gift',
        campaignId,
        memberId: member.id,
        requestedAmount: amount,
        situation: 'Công nhân khó khăn, con nhỏ',
      }),
    );
    expect(draft.campaignId).to.equal(campaignId);
    const submitted = await arrange<CaseJson>(
      officer.post(`/api/v1/cases/${draft.id}/submit`, { revision: draft.revision }),
      200,
    );
    return arrange<CaseJson>(
      verifier.post(`/api/v1/cases/${draft.id}/verify`, { revision: submitted.revision, recommendedAmount: amount }),
      200,
    );
  }

  async function approve(verified: CaseJson, approvedAmount: number): Promise<CaseJson> {
    return arrange<CaseJson>(
      tree.sessions.approver.post(`/api/v1/cases/${verified.id}/approve`, {
        revision: verified.revision,
        approvedAmount,
        fundAllocations: allocationsFor(tree.province.id, approvedAmount),
      }),
      200,
    );
  }

  async function totals(campaignId: string) {
    const read = await arrange<CampaignJson>(tree.sessions.officer.get(`/api/v1/campaigns/${campaignId}`), 200);
    const stored = await Campaign.findById(campaignId).lean();
    expect(read).to.deep.include({ approvedAmount: stored?.approvedAmount, approvedCount: stored?.approvedCount });
    expect(read.remainingBudget).to.equal(read.budget - read.approvedAmount);
    return read;
  }

  it('when a Tết gift of the campaign is approved, then the campaign counts it, and when it is revoked, then the count goes back', async () => {
    const campaign = await arrange<CampaignJson>(
      tree.sessions.approver.post('/api/v1/campaigns', campaignBody({ budget: 100_000_000 })),
    );
    const verified = await verifiedGift(campaign.id, 500_000);

    const approved = await approve(verified, 500_000);
    expect(approved.status).to.equal('approved');
    expect(await totals(campaign.id)).to.deep.include({
      approvedAmount: 500_000,
      approvedCount: 1,
      remainingBudget: 99_500_000,
    });

    await arrange(
      tree.sessions.approver.post(`/api/v1/cases/${approved.id}/revoke`, {
        revision: approved.revision,
        reason: 'Đoàn viên đã nhận hỗ trợ từ nguồn khác',
      }),
      200,
    );
    expect((await Case.findById(approved.id).lean())?.status).to.equal('revoked');
    expect(await totals(campaign.id)).to.deep.include({
      approvedAmount: 0,
      approvedCount: 0,
      remainingBudget: 100_000_000,
    });
  });

  it('when several gifts are approved at once, then every approval is counted exactly once, and a revocation takes back only its own amount', async () => {
    const campaign = await arrange<CampaignJson>(
      tree.sessions.approver.post('/api/v1/campaigns', campaignBody({ budget: 2_000_000 })),
    );
    const amounts = [500_000, 400_000, 300_000, 1_000_000];
    const verified = await Promise.all(amounts.map((amount) => verifiedGift(campaign.id, amount)));
    const approved = await Promise.all(verified.map((c, i) => approve(c, amounts[i]!)));

    const sum = amounts.reduce((a, b) => a + b, 0);
    expect(await totals(campaign.id)).to.deep.include({
      approvedAmount: sum,
      approvedCount: 4,
      remainingBudget: 2_000_000 - sum,
    });

    const revoked = approved[1]!;
    await arrange(
      tree.sessions.approver.post(`/api/v1/cases/${revoked.id}/revoke`, {
        revision: revoked.revision,
        reason: 'Phê duyệt nhầm đối tượng',
      }),
      200,
    );
    expect(await totals(campaign.id)).to.deep.include({
      approvedAmount: sum - 400_000,
      approvedCount: 3,
      remainingBudget: 2_000_000 - sum + 400_000,
    });

    // The totals agree with the cases themselves.
    const cases = await Case.find({ campaignId: campaign.id, status: 'approved' }).lean();
    expect(cases.reduce((total, c) => total + (c.approvedAmount ?? 0), 0)).to.equal(sum - 400_000);
  });

  it('when a gift of the campaign is rejected or still waits, then the totals do not move', async () => {
    const campaign = await arrange<CampaignJson>(tree.sessions.approver.post('/api/v1/campaigns', campaignBody()));
    const [waiting, refused] = await Promise.all([
      verifiedGift(campaign.id, 600_000),
      verifiedGift(campaign.id, 700_000),
    ]);
    await arrange(
      tree.sessions.approver.post(`/api/v1/cases/${refused.id}/reject`, {
        revision: refused.revision,
        reason: 'Không đủ điều kiện hỗ trợ',
      }),
      200,
    );
    expect(waiting.status).to.equal('verified');
    expect(await totals(campaign.id)).to.deep.include({
      approvedAmount: 0,
      approvedCount: 0,
      remainingBudget: 500_000_000,
    });
  });
});
