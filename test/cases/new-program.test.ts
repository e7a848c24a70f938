/**
 * Programs are data (SPEC §1, §4): a program the root administrator adds through the API runs the whole
 * workflow unchanged, with its own case-code prefix, documents, cap and frequency, and stops taking cases
 * when it is made inactive.
 */
import { expect } from 'chai';
import { arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { unique } from '../support/factory.js';
import { BenefitClaim, Case } from '../../src/cases/cases.model.js';
import {
  act,
  actOk,
  bodyFor,
  caseWorld,
  createMember,
  expectUnchanged,
  readCase,
  stateOf,
  storedCase,
  upload,
  vnToday,
  type CaseView,
  type CaseWorld,
} from './case-fixtures.js';

describe('cases: a program added through the API', function () {
  this.timeout(30_000);
  let world: CaseWorld;
  let root: Session;
  const code = unique('emergency_hardship_').toLowerCase();

  before(async () => {
    [world, root] = await Promise.all([caseWorld(), loginAdmin()]);
    await arrange(
      root.post('/api/v1/programs', {
        code,
        name: 'Trợ cấp khó khăn đột xuất',
        codePrefix: 'KK',
        rules: {
          maxAmount: { sudden_hardship: 5_000_000 },
          minMembershipMonths: 0,
          frequency: 'once_per_member',
          requiredDocuments: { submit: ['application_form'] },
          requiresVerification: true,
          requiresCampaign: false,
          tranches: [{ label: 'Một lần', percent: 100 }],
        },
      }),
    );
  });

  async function draft(body: Record<string, unknown> = {}): Promise<CaseView> {
    const member = await createMember(world.sessions.officer, world.grassroots.id);
    return arrange<CaseView>(
      world.sessions.officer.post('/api/v1/cases', {
        programCode: code,
        memberId: member.id,
        requestedAmount: 4_000_000,
        situation: 'Chồng tai nạn lao động',
        ...body,
      }),
    );
  }

  it('when a case of the new program goes draft → submitted → verified → approved, then each step succeeds and its code starts with KK-', async () => {
    const s = world.sessions;
    const created = await draft();
    expect(created.code).to.match(new RegExp(`^KK-${vnToday().slice(0, 4)}-\\d{6}$`));
    expect(created).to.include({ programCode: code, subtype: 'sudden_hardship', status: 'draft' });
    expect(created.allowedActions).to.have.members(['submit', 'withdraw']);

    const missing = await act(s.officer, created.id, 'submit', bodyFor('submit', created));
    expectProblem(missing, 422, 'MISSING_DOCUMENTS');
    expect(missing.body.missing).to.deep.equal(['application_form']);

    await upload(s.officer, created.id, 'application_form');
    const submitted = await actOk(
      s.officer,
      created.id,
      'submit',
      bodyFor('submit', await readCase(s.officer, created.id)),
    );
    expect(submitted.status).to.equal('submitted');
    expect((await readCase(s.verifier, created.id)).allowedActions).to.have.members(['verify', 'return', 'reject']);
    const verified = await actOk(s.verifier, created.id, 'verify', {
      revision: submitted.revision,
      recommendedAmount: 4_000_000,
    });
    expect(verified.status).to.equal('verified');
    const approved = await actOk(s.approver, created.id, 'approve', bodyFor('approve', verified));
    expect(approved).to.include({ status: 'approved', approvedAmount: 4_000_000 });

    const stored = await storedCase(created.id);
    expect(stored.code.startsWith('KK-')).to.equal(true);
    expect(stored.history.filter((h) => h.action !== 'document_add').map((h) => h.to)).to.deep.equal([
      'draft',
      'submitted',
      'verified',
      'approved',
    ]);
    expect(await BenefitClaim.countDocuments({ caseId: created.id, programCode: code })).to.equal(1);
  });

  it("when a case asks more than the new program's cap or names a subtype it does not have, then 422 AMOUNT_EXCEEDS_CAP and 400 on subtype", async () => {
    const member = await createMember(world.sessions.officer, world.grassroots.id);
    const over = await world.sessions.officer.post('/api/v1/cases', {
      programCode: code,
      memberId: member.id,
      requestedAmount: 5_000_001,
    });
    expectProblem(over, 422, 'AMOUNT_EXCEEDS_CAP');
    expect(over.body.cap).to.equal(5_000_000);
    const wrong = await world.sessions.officer.post('/api/v1/cases', {
      programCode: code,
      subtype: 'new_build',
      memberId: member.id,
      requestedAmount: 1_000_000,
    });
    expectProblem(wrong, 400, 'VALIDATION_FAILED');
    expect(await Case.countDocuments({ memberId: member.id })).to.equal(0);
  });

  it('when the new program is made inactive, then creating and submitting its cases answer 422 NOT_ELIGIBLE', async () => {
    const pending = await draft();
    await upload(world.sessions.officer, pending.id, 'application_form');
    const ready = await readCase(world.sessions.officer, pending.id);
    await arrange(root.patch(`/api/v1/programs/${code}`, { active: false }), 200);
    try {
      const member = await createMember(world.sessions.officer, world.grassroots.id);
      const created = await world.sessions.officer.post('/api/v1/cases', {
        programCode: code,
        memberId: member.id,
        requestedAmount: 1_000_000,
      });
      expectProblem(created, 422, 'NOT_ELIGIBLE');
      expect(await Case.countDocuments({ memberId: member.id })).to.equal(0);

      const before = await stateOf(pending.id);
      expectProblem(
        await act(world.sessions.officer, pending.id, 'submit', bodyFor('submit', ready)),
        422,
        'NOT_ELIGIBLE',
      );
      await expectUnchanged(pending.id, before);
    } finally {
      await arrange(root.patch(`/api/v1/programs/${code}`, { active: true }), 200);
    }
    expect((await actOk(world.sessions.officer, pending.id, 'submit', bodyFor('submit', ready))).status).to.equal(
      'submitted',
    );
  });
});
