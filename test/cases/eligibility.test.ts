/**
 * The rules a case must meet (SPEC §4–5), each with the one input that fails it: membership months,
 * campaigns, caps (also a province's lower cap), documents per stage, amounts at verification and approval,
 * and approval without verification where the province turned it off.
 */
import { expect } from 'chai';
import { arrange, expectProblem } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { BenefitClaim, Case } from '../../src/cases/cases.model.js';
import {
  act,
  actOk,
  bodyFor,
  caseAt,
  caseBody,
  caseWorld,
  createCampaign,
  createMember,
  driveTo,
  expectUnchanged,
  fundAllocations,
  monthsBefore,
  newCase,
  readCase,
  setProvinceRules,
  shiftDay,
  stateOf,
  storedCase,
  upload,
  uploadAll,
  uploadStage,
  vnToday,
  type CaseView,
  type CaseWorld,
  type Kind,
} from './case-fixtures.js';

const SUBMIT_DOCUMENTS = ['application_form', 'commune_confirmation', 'land_certificate', 'house_photo'];

describe('cases: eligibility and amount rules', function () {
  this.timeout(30_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
  });

  /** A union-house draft for a member who joined on `joinedUnionAt`, with every submit document uploaded. */
  async function houseDraft(joinedUnionAt = '2015-03-01', body: Record<string, unknown> = {}): Promise<CaseView> {
    const { view } = await newCase(world, 'union_house', { member: { joinedUnionAt }, body });
    return uploadStage(world.sessions.officer, view, 'submit');
  }

  describe('membership months (union_house needs 12)', () => {
    it('when the member joined the union 6 months ago, then submit answers 422 NOT_ELIGIBLE and the case stays a draft without a claim', async () => {
      const view = await houseDraft(monthsBefore(vnToday(), 6));
      const before = await stateOf(view.id);

      const res = await act(world.sessions.officer, view.id, 'submit', bodyFor('submit', view));

      expectProblem(res, 422, 'NOT_ELIGIBLE');
      expect(res.body).to.include({ membershipMonths: 6, minMembershipMonths: 12 });
      await expectUnchanged(view.id, before);
      expect(await BenefitClaim.countDocuments({ caseId: view.id })).to.equal(0);
    });

    it('when the member joined 11 months ago, then 422; when exactly 12 months ago (Vietnam day), then submitted', async () => {
      const [short, enough] = await Promise.all([
        houseDraft(monthsBefore(vnToday(), 11)),
        houseDraft(monthsBefore(vnToday(), 12)),
      ]);

      expectProblem(
        await act(world.sessions.officer, short.id, 'submit', bodyFor('submit', short)),
        422,
        'NOT_ELIGIBLE',
      );
      const submitted = await actOk(world.sessions.officer, enough.id, 'submit', bodyFor('submit', enough));

      expect(submitted.status).to.equal('submitted');
      expect((await storedCase(short.id)).status).to.equal('draft');
    });

    it('when a Tết gift is asked for a member who joined yesterday, then it is submitted (no minimum outside union_house)', async () => {
      // Yesterday rather than today: the members module compares joining dates with the UTC day.
      const view = await caseAt(world, 'submitted', 'tet_gift', { member: { joinedUnionAt: shiftDay(vnToday(), -1) } });
      expect(view.status).to.equal('submitted');
    });
  });

  describe('campaigns', () => {
    for (const kind of ['tet_gift', 'disaster_relief'] as const) {
      it(`when a ${kind} case is created without a campaign (absent or null), then 400 on campaignId and nothing is stored`, async () => {
        const member = await createMember(world.sessions.officer, world.grassroots.id);
        const { campaignId: _dropped, ...withoutCampaign } = caseBody(world, kind, member.id);

        expectValidation(await world.sessions.officer.post('/api/v1/cases', withoutCampaign), 'campaignId');
        expectValidation(
          await world.sessions.officer.post('/api/v1/cases', { ...withoutCampaign, campaignId: null }),
          'campaignId',
        );

        expect(await Case.countDocuments({ memberId: member.id })).to.equal(0);
      });
    }

    it('when the campaign belongs to another province, then 400 on campaignId and nothing is stored', async () => {
      const elsewhere = await createCampaign(foreign.sessions.approver, 'tet_gift');
      const member = await createMember(world.sessions.officer, world.grassroots.id);

      const res = await world.sessions.officer.post(
        '/api/v1/cases',
        caseBody(world, 'tet_gift', member.id, { campaignId: elsewhere.id }),
      );

      expectValidation(res, 'campaignId');
      expect(await Case.countDocuments({ memberId: member.id })).to.equal(0);
    });

    it('when the campaign is of another program, then 400 on campaignId and nothing is stored', async () => {
      const member = await createMember(world.sessions.officer, world.grassroots.id);

      const res = await world.sessions.officer.post(
        '/api/v1/cases',
        caseBody(world, 'tet_gift', member.id, { campaignId: world.campaigns.relief.id }),
      );

      expectValidation(res, 'campaignId');
      expect(await Case.countDocuments({ memberId: member.id })).to.equal(0);
    });

    it('when the campaign closed yesterday or opens tomorrow, then the draft is kept but submit answers 422 NOT_ELIGIBLE', async () => {
      const today = vnToday();
      const approver = world.sessions.approver;
      const [closed, future] = await Promise.all([
        createCampaign(approver, 'tet_gift', { opensAt: shiftDay(today, -20), closesAt: shiftDay(today, -1) }),
        createCampaign(approver, 'tet_gift', { opensAt: shiftDay(today, 1), closesAt: shiftDay(today, 20) }),
      ]);
      for (const campaign of [closed, future]) {
        const { view } = await newCase(world, 'tet_gift', { body: { campaignId: campaign.id } });
        const before = await stateOf(view.id);

        const res = await act(world.sessions.officer, view.id, 'submit', bodyFor('submit', view));

        expectProblem(res, 422, 'NOT_ELIGIBLE');
        await expectUnchanged(view.id, before);
      }
    });

    it('when the campaign closes today or opens today, then submit succeeds (days are inclusive, in Vietnam time)', async () => {
      const today = vnToday();
      const approver = world.sessions.approver;
      const campaigns = await Promise.all([
        createCampaign(approver, 'tet_gift', { opensAt: shiftDay(today, -20), closesAt: today }),
        createCampaign(approver, 'tet_gift', { opensAt: today, closesAt: shiftDay(today, 20) }),
      ]);
      for (const campaign of campaigns) {
        const view = await caseAt(world, 'submitted', 'tet_gift', { body: { campaignId: campaign.id } });
        expect(view.campaignId).to.equal(campaign.id);
      }
    });
  });

  describe('caps', () => {
    const over: [Kind, Record<string, unknown>, number][] = [
      ['union_house', { subtype: 'new_build', requestedAmount: 50_000_001 }, 50_000_000],
      ['union_house', { subtype: 'repair', requestedAmount: 25_000_001 }, 25_000_000],
      ['tet_gift', { requestedAmount: 1_000_001 }, 1_000_000],
      ['disaster_relief', { subtype: 'property_loss', requestedAmount: 1_000_001 }, 1_000_000],
    ];
    for (const [kind, body, cap] of over) {
      it(`when a ${kind} ${String(body.subtype ?? '')} case asks ${String(body.requestedAmount)}, then 422 AMOUNT_EXCEEDS_CAP with cap ${cap} and nothing is stored`, async () => {
        const member = await createMember(world.sessions.officer, world.grassroots.id);

        const res = await world.sessions.officer.post('/api/v1/cases', caseBody(world, kind, member.id, body));

        expectProblem(res, 422, 'AMOUNT_EXCEEDS_CAP');
        expect(res.body.cap).to.equal(cap);
        expect(await Case.countDocuments({ memberId: member.id })).to.equal(0);
        await arrange(
          world.sessions.officer.post(
            '/api/v1/cases',
            caseBody(world, kind, member.id, { ...body, requestedAmount: cap }),
          ),
        );
      });
    }

    it('when an edit raises the amount above the cap, then PATCH answers 422 AMOUNT_EXCEEDS_CAP and nothing changes', async () => {
      const view = await caseAt(world, 'draft', 'tet_gift');
      const before = await stateOf(view.id);

      const res = await world.sessions.officer.patch(`/api/v1/cases/${view.id}`, {
        revision: view.revision,
        requestedAmount: 1_500_000,
      });

      expectProblem(res, 422, 'AMOUNT_EXCEEDS_CAP');
      await expectUnchanged(view.id, before);
    });

    describe('a province lowers the repair cap after the draft was made', () => {
      after(async () => {
        await world.sessions.approver.delete('/api/v1/programs/union_house/rules').expect(204);
      });

      it('when the approver lowers union_house.repair to 20,000,000, then submitting a 25,000,000 draft answers 422 AMOUNT_EXCEEDS_CAP; without the override it passes', async () => {
        const view = await houseDraft(undefined, { subtype: 'repair', requestedAmount: 25_000_000 });
        const override = await setProvinceRules(world.sessions.approver, 'union_house', {
          maxAmount: { repair: 20_000_000 },
        });
        expect(override.rules.maxAmount).to.include({ repair: 20_000_000, new_build: 50_000_000 });
        const before = await stateOf(view.id);

        const res = await act(world.sessions.officer, view.id, 'submit', bodyFor('submit', view));

        expectProblem(res, 422, 'AMOUNT_EXCEEDS_CAP');
        expect(res.body.cap).to.equal(20_000_000);
        await expectUnchanged(view.id, before);
        const elsewhere = await arrange<{ rules: { maxAmount: Record<string, number> } }>(
          foreign.sessions.approver.get('/api/v1/programs/union_house/rules'),
          200,
        );
        expect(elsewhere.rules.maxAmount.repair, 'other provinces keep the national cap').to.equal(25_000_000);

        await world.sessions.approver.delete('/api/v1/programs/union_house/rules').expect(204);
        expect((await actOk(world.sessions.officer, view.id, 'submit', bodyFor('submit', view))).status).to.equal(
          'submitted',
        );
      });
    });
  });

  describe('documents per stage', () => {
    it('when one of the four submit documents is missing, then 422 MISSING_DOCUMENTS names exactly that one', async () => {
      const { view } = await newCase(world, 'union_house');
      await uploadAll(world.sessions.officer, view.id, SUBMIT_DOCUMENTS.slice(0, 3));
      const ready = await readCase(world.sessions.officer, view.id);
      const before = await stateOf(view.id);

      const res = await act(world.sessions.officer, view.id, 'submit', bodyFor('submit', ready));

      expectProblem(res, 422, 'MISSING_DOCUMENTS');
      expect(res.body.missing).to.deep.equal(['house_photo']);
      await expectUnchanged(view.id, before);
    });

    it('when no document is uploaded, then submit names all four', async () => {
      const { view } = await newCase(world, 'union_house');
      const res = await act(world.sessions.officer, view.id, 'submit', bodyFor('submit', view));
      expectProblem(res, 422, 'MISSING_DOCUMENTS');
      expect(res.body.missing).to.have.members(SUBMIT_DOCUMENTS);
    });

    it('when the verifier verifies without the site-survey minutes, then 422 MISSING_DOCUMENTS ["site_survey_minutes"]; after uploading them, verified', async () => {
      const view = await driveTo(world, (await newCase(world, 'union_house')).view, 'submitted');
      const before = await stateOf(view.id);

      const res = await act(world.sessions.verifier, view.id, 'verify', bodyFor('verify', view));

      expectProblem(res, 422, 'MISSING_DOCUMENTS');
      expect(res.body.missing).to.deep.equal(['site_survey_minutes']);
      await expectUnchanged(view.id, before);
      await upload(world.sessions.verifier, view.id, 'site_survey_minutes');
      const now = await readCase(world.sessions.verifier, view.id);
      expect((await actOk(world.sessions.verifier, view.id, 'verify', bodyFor('verify', now))).status).to.equal(
        'verified',
      );
    });

    it('when a fully paid union-house case is closed without the handover minutes, then 422 MISSING_DOCUMENTS ["handover_minutes"]; after the union uploads them, closed', async () => {
      const view = await caseAt(world, 'disbursed', 'union_house');
      const before = await stateOf(view.id);

      const res = await act(world.sessions.accountant, view.id, 'close', bodyFor('close', view));

      expectProblem(res, 422, 'MISSING_DOCUMENTS');
      expect(res.body.missing).to.deep.equal(['handover_minutes']);
      await expectUnchanged(view.id, before);
      await upload(world.sessions.officer, view.id, 'handover_minutes');
      const now = await readCase(world.sessions.accountant, view.id);
      expect((await actOk(world.sessions.accountant, view.id, 'close', bodyFor('close', now))).status).to.equal(
        'closed',
      );
    });
  });

  describe('amounts at verification and approval', () => {
    it('when the verifier recommends more than the cap, then 422 AMOUNT_EXCEEDS_CAP and nothing changes', async () => {
      const view = await caseAt(world, 'submitted', 'tet_gift');
      const before = await stateOf(view.id);

      const res = await act(world.sessions.verifier, view.id, 'verify', {
        revision: view.revision,
        recommendedAmount: 1_000_001,
      });

      expectProblem(res, 422, 'AMOUNT_EXCEEDS_CAP');
      expect(res.body.cap).to.equal(1_000_000);
      await expectUnchanged(view.id, before);
    });

    it('when the approver approves more than the cap (even with a reason), then 422 AMOUNT_EXCEEDS_CAP and nothing changes', async () => {
      const view = await caseAt(world, 'verified', 'tet_gift');
      const before = await stateOf(view.id);

      const res = await act(world.sessions.approver, view.id, 'approve', {
        revision: view.revision,
        approvedAmount: 1_000_001,
        amountReason: 'Hoàn cảnh đặc biệt khó khăn',
        fundAllocations: fundAllocations(view, 1_000_001),
      });

      expectProblem(res, 422, 'AMOUNT_EXCEEDS_CAP');
      await expectUnchanged(view.id, before);
    });

    it('when the approver approves more than recommended without amountReason, then 400 on amountReason; with it, 200 and the reason is in the history', async () => {
      const submitted = await caseAt(world, 'submitted', 'tet_gift');
      const verified = await actOk(world.sessions.verifier, submitted.id, 'verify', {
        revision: submitted.revision,
        recommendedAmount: 800_000,
      });
      const before = await stateOf(verified.id);

      const allocations = fundAllocations(verified, 900_000);
      expectValidation(
        await act(world.sessions.approver, verified.id, 'approve', {
          revision: verified.revision,
          approvedAmount: 900_000,
          fundAllocations: allocations,
        }),
        'amountReason',
      );
      await expectUnchanged(verified.id, before);

      const approved = await actOk(world.sessions.approver, verified.id, 'approve', {
        revision: verified.revision,
        approvedAmount: 900_000,
        amountReason: 'Gia đình có người ốm nặng',
        fundAllocations: allocations,
      });
      expect(approved).to.include({ status: 'approved', approvedAmount: 900_000, recommendedAmount: 800_000 });
      const stored = await storedCase(verified.id);
      expect(stored.approvedAmount).to.equal(900_000);
      expect(stored.history.at(-1)!.note).to.include('Gia đình có người ốm nặng');
    });

    it('when the approver approves at or below the recommendation, then no reason is needed', async () => {
      const view = await caseAt(world, 'verified', 'tet_gift');
      const approvedAmount = view.recommendedAmount! - 100_000;
      const approved = await actOk(world.sessions.approver, view.id, 'approve', {
        revision: view.revision,
        approvedAmount,
        fundAllocations: fundAllocations(view, approvedAmount),
      });
      expect(approved.approvedAmount).to.equal(view.recommendedAmount! - 100_000);
    });
  });

  describe('approval without verification (disaster relief, where the province turns it off)', () => {
    after(async () => {
      await world.sessions.approver.delete('/api/v1/programs/disaster_relief/rules').expect(204);
    });

    it('when verification is required (the default), then the approver is not offered approve on a submitted case and approving answers 409 INVALID_TRANSITION', async () => {
      const view = await caseAt(world, 'submitted', 'disaster_relief');
      const seen = await readCase(world.sessions.approver, view.id);
      expect(seen.allowedActions).to.not.include('approve');
      const before = await stateOf(view.id);

      expectProblem(
        await act(world.sessions.approver, view.id, 'approve', bodyFor('approve', seen)),
        409,
        'INVALID_TRANSITION',
      );

      await expectUnchanged(view.id, before);
    });

    it('when the province sets requiresVerification false for disaster_relief, then a submitted relief case is approved directly, and Tết gifts still need verification', async () => {
      const [relief, tet] = await Promise.all([
        caseAt(world, 'submitted', 'disaster_relief'),
        caseAt(world, 'submitted', 'tet_gift'),
      ]);
      const rules = await setProvinceRules(world.sessions.approver, 'disaster_relief', { requiresVerification: false });
      expect(rules.rules.requiresVerification).to.equal(false);

      const seen = await readCase(world.sessions.approver, relief.id);
      expect(seen.allowedActions).to.have.members(['approve', 'return', 'reject']);
      const approved = await actOk(world.sessions.approver, relief.id, 'approve', bodyFor('approve', seen));

      expect(approved).to.include({ status: 'approved', approvedAmount: relief.requestedAmount });
      const stored = await storedCase(relief.id);
      expect(stored.history.at(-1)).to.include({ action: 'approve', from: 'submitted', to: 'approved' });
      expect(stored.verifiedBy).to.equal(null);
      expectProblem(
        await act(world.sessions.approver, tet.id, 'approve', bodyFor('approve', tet)),
        409,
        'INVALID_TRANSITION',
      );
    });
  });
});
