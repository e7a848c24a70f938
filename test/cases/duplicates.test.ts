/**
 * Duplicate beneficiaries (SPEC §5): at submit, a member with another open or paid case that the program's
 * frequency forbids answers 409 DUPLICATE_BENEFICIARY naming that case, across the whole system and under
 * concurrent submissions. Cases that end without benefit give the claim back.
 */
import { expect } from 'chai';
import { arrange, expectProblem } from '../support/api.js';
import { BenefitClaim, Case } from '../../src/cases/cases.model.js';
import type { CaseStatus } from '../../src/cases/workflow.js';
import {
  act,
  actOk,
  bodyFor,
  caseBody,
  caseWorld,
  createCampaign,
  createMember,
  driveTo,
  expectUnchanged,
  newCase,
  readCase,
  stateOf,
  storedCase,
  uploadStage,
  type CaseView,
  type CaseWorld,
  type Kind,
  type Member,
} from './case-fixtures.js';

describe('cases: duplicate beneficiaries', function () {
  this.timeout(40_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  /** Another draft for the same member, with the documents its submission needs. */
  async function anotherDraft(
    member: Member,
    kind: Kind,
    body: Record<string, unknown> = {},
    officer = world.sessions.officer,
  ): Promise<CaseView> {
    const view = await arrange<CaseView>(officer.post('/api/v1/cases', caseBody(world, kind, member.id, body)));
    return uploadStage(officer, view, 'submit');
  }

  async function expectDuplicateOf(second: CaseView, first: CaseView, officer = world.sessions.officer): Promise<void> {
    const before = await stateOf(second.id);
    const res = await act(officer, second.id, 'submit', bodyFor('submit', second));
    expectProblem(res, 409, 'DUPLICATE_BENEFICIARY');
    expect(res.body.duplicateCaseCode).to.equal(first.code);
    expect(res.body.detail).to.include(first.code);
    await expectUnchanged(second.id, before, 'a refused duplicate');
  }

  async function claimsOf(member: Member, programCode: string) {
    return BenefitClaim.find({ memberId: member.id, programCode }).lean();
  }

  describe('union_house: once per member', () => {
    it('when a second case for the same member is submitted by the same union, then 409 DUPLICATE_BENEFICIARY naming the first case, and one claim remains', async () => {
      const { member, view } = await newCase(world, 'union_house');
      const first = await driveTo(world, view, 'submitted');
      const second = await anotherDraft(member, 'union_house', { subtype: 'repair', requestedAmount: 20_000_000 });

      await expectDuplicateOf(second, first);

      const claims = await claimsOf(member, 'union_house');
      expect(claims).to.have.length(1);
      expect(String(claims[0]!.caseId)).to.equal(first.id);
    });

    it("when the member has moved to the sibling union and that union submits a new case, then 409 naming the first union's case", async () => {
      const { member, view } = await newCase(world, 'union_house');
      const first = await driveTo(world, view, 'submitted');
      await arrange(world.sessions.verifier.patch(`/api/v1/members/${member.id}`, { orgId: world.sibling.id }), 200);

      const second = await anotherDraft(member, 'union_house', {}, world.sessions.siblingOfficer);
      expect(second.orgId).to.equal(world.sibling.id);

      await expectDuplicateOf(second, first, world.sessions.siblingOfficer);
    });

    it('when the first grant was paid and the case closed, then a new case is still refused (a member receives a union house once)', async () => {
      const { member, view } = await newCase(world, 'union_house');
      const first = await driveTo(world, view, 'closed');
      const second = await anotherDraft(member, 'union_house');

      await expectDuplicateOf(second, first);
    });
  });

  describe('tet_gift: once per member and campaign', () => {
    it('when the same member is submitted twice in one campaign, then the second is refused; in another campaign of the province, it is accepted', async () => {
      const { member, view } = await newCase(world, 'tet_gift');
      const first = await driveTo(world, view, 'submitted');
      const sameCampaign = await anotherDraft(member, 'tet_gift');
      await expectDuplicateOf(sameCampaign, first);

      const nextYear = await createCampaign(world.sessions.approver, 'tet_gift');
      const other = await anotherDraft(member, 'tet_gift', { campaignId: nextYear.id });
      const submitted = await actOk(world.sessions.officer, other.id, 'submit', bodyFor('submit', other));

      expect(submitted.status).to.equal('submitted');
      expect(await claimsOf(member, 'tet_gift')).to.have.length(2);
    });

    it('when the member already has a Tết gift, then a disaster-relief case in an open relief campaign is not a duplicate', async () => {
      const { member, view } = await newCase(world, 'tet_gift');
      await driveTo(world, view, 'submitted');
      const relief = await anotherDraft(member, 'disaster_relief');
      expect((await actOk(world.sessions.officer, relief.id, 'submit', bodyFor('submit', relief))).status).to.equal(
        'submitted',
      );
    });
  });

  describe('claims given back', () => {
    const endings: [string, CaseStatus, CaseStatus][] = [
      ['rejected by the verifier', 'submitted', 'rejected'],
      ['withdrawn by the union after submission', 'submitted', 'cancelled'],
      ['withdrawn after being returned', 'returned', 'cancelled'],
      ['revoked by the approver before any payment', 'approved', 'revoked'],
    ];
    for (const [how, _through, end] of endings) {
      it(`when the first union-house case is ${how}, then a new case for the member is submitted and holds the claim`, async () => {
        const { member, view } = await newCase(world, 'union_house');
        const first = await driveTo(world, view, end);
        expect(await BenefitClaim.countDocuments({ caseId: first.id }), 'the ended case holds no claim').to.equal(0);
        expect((await storedCase(first.id)).status).to.equal(end);

        const second = await anotherDraft(member, 'union_house');
        const submitted = await actOk(world.sessions.officer, second.id, 'submit', bodyFor('submit', second));

        expect(submitted.status).to.equal('submitted');
        const claims = await claimsOf(member, 'union_house');
        expect(claims).to.have.length(1);
        expect(String(claims[0]!.caseId)).to.equal(second.id);
      });
    }

    it('when a case is returned, then it keeps its claim (others are refused), and resubmitting it keeps the same claim', async () => {
      const { member, view } = await newCase(world, 'union_house');
      const returned = await driveTo(world, view, 'returned');
      const [claim] = await claimsOf(member, 'union_house');
      expect(String(claim?.caseId)).to.equal(returned.id);

      const rival = await anotherDraft(member, 'union_house');
      await expectDuplicateOf(rival, returned);

      const resubmitted = await actOk(world.sessions.officer, returned.id, 'submit', bodyFor('submit', returned));
      expect(resubmitted.status).to.equal('submitted');
      const after = await claimsOf(member, 'union_house');
      expect(after).to.have.length(1);
      expect(String(after[0]!.caseId)).to.equal(returned.id);
      expect(after[0]!.createdAt?.getTime()).to.equal(claim!.createdAt?.getTime());
      expect((await storedCase(returned.id)).history.filter((h) => h.action === 'submit')).to.have.length(2);
    });
  });

  describe('races', () => {
    async function draftsFor(kind: Kind, count: number): Promise<{ member: Member; drafts: CaseView[] }> {
      const member = await createMember(world.sessions.officer, world.grassroots.id);
      const drafts = await Promise.all(Array.from({ length: count }, () => anotherDraft(member, kind)));
      return { member, drafts };
    }

    async function submitAllAtOnce(kind: Kind, count: number): Promise<void> {
      const { member, drafts } = await draftsFor(kind, count);

      const results = await Promise.all(
        drafts.map((d) => act(world.sessions.officer, d.id, 'submit', bodyFor('submit', d))),
      );

      const won = results.filter((r) => r.status === 200);
      expect(won, JSON.stringify(results.map((r) => [r.status, r.body.code]))).to.have.length(1);
      const winner = drafts[results.indexOf(won[0]!)]!;
      for (const lost of results.filter((r) => r.status !== 200)) {
        expectProblem(lost, 409, 'DUPLICATE_BENEFICIARY');
        expect(lost.body.duplicateCaseCode).to.equal(winner.code);
      }
      const claims = await claimsOf(member, kind);
      expect(claims).to.have.length(1);
      expect(String(claims[0]!.caseId)).to.equal(winner.id);
      expect(await Case.countDocuments({ memberId: member.id, status: 'submitted' })).to.equal(1);
      expect(await Case.countDocuments({ memberId: member.id, status: 'draft' })).to.equal(count - 1);
    }

    it('when 5 different union-house drafts of one member are submitted at the same moment, then exactly one is submitted, the others 409 DUPLICATE_BENEFICIARY naming it, and one claim is stored', async () => {
      await submitAllAtOnce('union_house', 5);
    });

    it('when 10 Tết-gift drafts of one member in one campaign are submitted at the same moment, then exactly one is submitted', async () => {
      await submitAllAtOnce('tet_gift', 10);
    });

    it("when the same draft is submitted several times at once (double click), then one succeeds, the rest 409, and the member's claim survives", async () => {
      const rounds = await Promise.all(Array.from({ length: 6 }, () => newCase(world, 'tet_gift')));

      await Promise.all(
        rounds.map(async ({ view }) => {
          const results = await Promise.all(
            [1, 2, 3].map(() => act(world.sessions.officer, view.id, 'submit', bodyFor('submit', view))),
          );
          const statuses = results.map((r) => r.status);
          expect(
            statuses.filter((s) => s === 200),
            JSON.stringify(results.map((r) => r.body.code)),
          ).to.have.length(1);
          for (const r of results.filter((x) => x.status !== 200))
            expect(['STALE_REVISION', 'INVALID_TRANSITION']).to.include(r.body.code);
        }),
      );

      for (const { member, view } of rounds) {
        const claims = await claimsOf(member, 'tet_gift');
        expect(claims, `claim of ${view.code}`).to.have.length(1);
        expect(String(claims[0]!.caseId)).to.equal(view.id);
        const rival = await anotherDraft(member, 'tet_gift');
        await expectDuplicateOf(rival, view);
      }
      expect((await readCase(world.sessions.officer, rounds[0]!.view.id)).status).to.equal('submitted');
    });
  });
});
