import { expect } from 'chai';
import { Campaign } from '../../src/campaigns/campaigns.model.js';
import { arrange, expectProblem, type Session } from '../support/api.js';
import { unique, type ProvinceTree } from '../support/factory.js';
import {
  expectForbidden,
  expectNoPrivateFields,
  expectNotFound,
  expectValidation,
  unknownId,
} from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { campaignBody, campaignsProvince, day, type CampaignJson } from './fixtures.js';

describe('campaigns', () => {
  let tree: ProvinceTree;
  let other: ProvinceTree;
  let open: CampaignJson;
  let past: CampaignJson;

  before(async () => {
    [tree, other] = await Promise.all([campaignsProvince(), foreignProvince()]);
    [open, past] = await Promise.all([
      arrange<CampaignJson>(tree.sessions.approver.post('/api/v1/campaigns', campaignBody())),
      arrange<CampaignJson>(
        tree.sessions.approver.post(
          '/api/v1/campaigns',
          campaignBody({ name: 'Tết Ất Tỵ 2025', opensAt: day(-400), closesAt: day(-330) }),
        ),
      ),
    ]);
  });

  describe('creating', () => {
    it('when the approver creates a Tết campaign, then 201 for the province with open, its budget all remaining, and the stored campaign', async () => {
      const body = campaignBody({ code: unique('tet-thuong-') });
      const res = await tree.sessions.approver.post('/api/v1/campaigns', body);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({
        code: body.code.toUpperCase(),
        programCode: 'tet_gift',
        name: body.name,
        opensAt: body.opensAt,
        closesAt: body.closesAt,
        budget: 500_000_000,
        approvedAmount: 0,
        approvedCount: 0,
        remainingBudget: 500_000_000,
        open: true,
        orgId: tree.province.id,
        orgPath: tree.province.orgPath,
      });
      expectNoPrivateFields(res.body);
      const stored = await Campaign.findById(res.body.id).lean();
      expect(stored).to.deep.include({
        code: body.code.toUpperCase(),
        budget: 500_000_000,
        approvedAmount: 0,
        approvedCount: 0,
      });
      expect(String(stored?.orgId)).to.equal(tree.province.id);
      expect(stored?.createdBy).to.deep.include({ id: tree.sessions.approver.user.id });
      expect(past.open).to.equal(false);
    });

    it('when the campaign closes before it opens, then 400 on closesAt; a one-day campaign is fine', async () => {
      const body = campaignBody({ opensAt: day(10), closesAt: day(9) });
      expectValidation(await tree.sessions.approver.post('/api/v1/campaigns', body), 'closesAt');
      expect(await Campaign.exists({ code: body.code })).to.equal(null);
      await arrange(
        tree.sessions.approver.post('/api/v1/campaigns', campaignBody({ opensAt: day(10), closesAt: day(10) })),
      );
    });

    it('when the code is taken, in any province, then 409', async () => {
      expectProblem(
        await tree.sessions.approver.post('/api/v1/campaigns', campaignBody({ code: open.code })),
        409,
        'CONFLICT',
      );
      expectProblem(
        await other.sessions.approver.post('/api/v1/campaigns', campaignBody({ code: open.code.toLowerCase() })),
        409,
        'CONFLICT',
      );
      expect(await Campaign.countDocuments({ code: open.code })).to.equal(1);
    });

    it('when the program does not exist, then 400 on programCode', async () => {
      const body = campaignBody({ programCode: 'no_such_program' });
      expectValidation(await tree.sessions.approver.post('/api/v1/campaigns', body), 'programCode');
      expect(await Campaign.exists({ code: body.code })).to.equal(null);
    });

    it('when the body is malformed, then 400 naming every bad field at once', async () => {
      const res = await tree.sessions.approver.post(
        '/api/v1/campaigns',
        campaignBody({
          opensAt: '2026-02-30',
          closesAt: '10/02/2026',
          budget: -1,
          approvedAmount: 0,
          name: '',
        }),
      );
      expectValidation(res, 'opensAt', 'closesAt', 'budget', 'approvedAmount', 'name');
    });

    it('when a verifier, an officer, an accountant or an administrator creates a campaign, then 403', async () => {
      const { verifier, officer, accountant, admin } = tree.sessions;
      for (const session of [verifier, officer, accountant, admin]) {
        const body = campaignBody();
        expectForbidden(await session.post('/api/v1/campaigns', body));
        expect(await Campaign.exists({ code: body.code })).to.equal(null);
      }
    });

    it('when the approver names another province or a union below, then 404 and 400 on orgId', async () => {
      expectNotFound(
        await tree.sessions.approver.post('/api/v1/campaigns', campaignBody({ orgId: other.province.id })),
      );
      expectValidation(
        await tree.sessions.approver.post('/api/v1/campaigns', campaignBody({ orgId: tree.upper.id })),
        'orgId',
      );
    });
  });

  describe('reading', () => {
    async function listed(session: Session, query = ''): Promise<string[]> {
      const page = await arrange<{ items: CampaignJson[]; total: number }>(
        session.get(`/api/v1/campaigns?limit=100${query}`),
        200,
      );
      expect(page.total).to.be.at.least(page.items.length);
      return page.items.map((c) => c.id);
    }

    it("when users of the province at any level list and read campaigns, then they see the province's campaign above them", async () => {
      const { officer, siblingOfficer, verifier, approver, accountant, upperAdmin } = tree.sessions;
      for (const session of [officer, siblingOfficer, verifier, approver, accountant, upperAdmin]) {
        expect(await listed(session)).to.include.members([open.id, past.id]);
        const one = await arrange<CampaignJson>(session.get(`/api/v1/campaigns/${open.id}`), 200);
        expect(one).to.deep.include({
          id: open.id,
          code: open.code,
          budget: open.budget,
          remainingBudget: open.remainingBudget,
          open: true,
        });
        expectNoPrivateFields(one);
      }
    });

    it('when users of another province list and read, then the campaign is absent and answers 404', async () => {
      for (const session of [
        other.sessions.officer,
        other.sessions.verifier,
        other.sessions.approver,
        other.sessions.admin,
      ]) {
        expect(await listed(session)).to.not.include.members([open.id]);
        expect(await listed(session)).to.not.include(past.id);
        expectNotFound(await session.get(`/api/v1/campaigns/${open.id}`));
      }
      expectNotFound(await tree.sessions.officer.get(`/api/v1/campaigns/${unknownId()}`));
    });

    it('when open=true is asked, then only campaigns open today come back', async () => {
      const openOnly = await listed(tree.sessions.officer, '&open=true');
      expect(openOnly).to.include(open.id).and.not.include(past.id);
      const stored = await Campaign.find({ _id: { $in: openOnly } }).lean();
      const today = day(0);
      for (const campaign of stored) {
        expect(campaign.opensAt <= today && campaign.closesAt >= today, campaign.code).to.equal(true);
      }
    });

    it('when filtered by program or searched by name, then only matching campaigns come back', async () => {
      expect(await listed(tree.sessions.officer, '&programCode=disaster_relief')).to.not.include(open.id);
      expect(await listed(tree.sessions.officer, '&programCode=tet_gift')).to.include(open.id);
      expect(await listed(tree.sessions.officer, `&q=${encodeURIComponent('tet at ty')}`))
        .to.include(past.id)
        .and.not.include(open.id);
    });
  });

  describe('changing', () => {
    it('when the approver changes the budget and the closing day, then both are stored and remainingBudget follows', async () => {
      const campaign = await arrange<CampaignJson>(tree.sessions.approver.post('/api/v1/campaigns', campaignBody()));
      const res = await tree.sessions.approver.patch(`/api/v1/campaigns/${campaign.id}`, {
        budget: 750_000_000,
        closesAt: day(60),
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.include({
        budget: 750_000_000,
        closesAt: day(60),
        remainingBudget: 750_000_000,
        code: campaign.code,
      });
      const stored = await Campaign.findById(campaign.id).lean();
      expect(stored).to.deep.include({ budget: 750_000_000, closesAt: day(60), opensAt: campaign.opensAt });
    });

    it('when a change would close the campaign before it opens, then 400 and nothing changes', async () => {
      expectValidation(
        await tree.sessions.approver.patch(`/api/v1/campaigns/${open.id}`, { closesAt: day(-31) }),
        'closesAt',
      );
      expect((await Campaign.findById(open.id).lean())?.closesAt).to.equal(open.closesAt);
    });

    it('when the change touches the code, the program, the province or the approved totals, then 400', async () => {
      const res = await tree.sessions.approver.patch(`/api/v1/campaigns/${open.id}`, {
        code: 'KHAC',
        programCode: 'disaster_relief',
        orgId: other.province.id,
        approvedAmount: 1,
        approvedCount: 1,
      });
      expectValidation(res, 'code', 'programCode', 'orgId', 'approvedAmount', 'approvedCount');
      expect(await Campaign.findById(open.id).lean()).to.deep.include({
        code: open.code,
        programCode: 'tet_gift',
        approvedAmount: 0,
      });
    });

    it('when the approver of another province patches it, then 404; a verifier or officer of this one, then 403', async () => {
      expectNotFound(await other.sessions.approver.patch(`/api/v1/campaigns/${open.id}`, { budget: 1 }));
      for (const session of [tree.sessions.verifier, tree.sessions.officer]) {
        expectForbidden(await session.patch(`/api/v1/campaigns/${open.id}`, { budget: 1 }));
      }
      expect((await Campaign.findById(open.id).lean())?.budget).to.equal(500_000_000);
    });
  });
});
