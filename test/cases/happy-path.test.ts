import { expect } from 'chai';
import { arrange, expectProblem } from '../support/api.js';
import { createProvinceTree, memberBody, type ProvinceTree } from '../support/factory.js';
import { allocationsFor, provinceFund } from '../support/funds.js';
import { Case } from '../../src/cases/cases.model.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082',
  'hex',
);

describe('cases: the union-house path', () => {
  let tree: ProvinceTree;
  before(async () => {
    tree = await createProvinceTree();
    await provinceFund(tree);
  });

  it('when an officer prepares, submits, a verifier verifies and an approver approves, then the case is approved with its history', async () => {
    const { officer, verifier, approver } = tree.sessions;
    const member = await arrange<{ id: string }>(officer.post('/api/v1/members', memberBody(tree.grassroots.id)));
    const created = await arrange<{
      id: string;
      code: string;
      revision: number;
      status: string;
      allowedActions: string[];
    }>(
      officer.post('/api/v1/cases', {
        programCode: 'union_house',
        subtype: 'new_build',
        memberId: member.id,
        requestedAmount: 50_000_000,
        situation: 'Nhà tạm, dột nát',
        details: { landStatus: 'owned', estimatedCost: 180_000_000 },
      }),
    );
    expect(created.code).to.match(/^MAC-\d{4}-\d{6}$/);
    expect(created.status).to.equal('draft');
    expect(created.allowedActions).to.have.members(['submit', 'withdraw']);

    const missing = await officer.post(`/api/v1/cases/${created.id}/submit`, { revision: created.revision });
    expectProblem(missing, 422, 'MISSING_DOCUMENTS');

    for (const type of ['application_form', 'commune_confirmation', 'land_certificate', 'house_photo']) {
      await arrange(
        officer.upload(`/api/v1/cases/${created.id}/documents`).field('type', type).attach('file', PNG, 'ảnh.png'),
      );
    }
    const draft = await arrange<{ revision: number }>(officer.get(`/api/v1/cases/${created.id}`), 200);
    const submitted = await arrange<{ revision: number; status: string }>(
      officer.post(`/api/v1/cases/${created.id}/submit`, { revision: draft.revision }),
      200,
    );
    expect(submitted.status).to.equal('submitted');

    await arrange(
      verifier
        .upload(`/api/v1/cases/${created.id}/documents`)
        .field('type', 'site_survey_minutes')
        .attach('file', PNG, 'bb.png'),
    );
    const current = await arrange<{ revision: number }>(verifier.get(`/api/v1/cases/${created.id}`), 200);
    const verified = await arrange<{ revision: number; status: string }>(
      verifier.post(`/api/v1/cases/${created.id}/verify`, {
        revision: current.revision,
        recommendedAmount: 45_000_000,
        note: 'Đã khảo sát',
      }),
      200,
    );
    expect(verified.status).to.equal('verified');

    const tooMuch = await approver.post(`/api/v1/cases/${created.id}/approve`, {
      revision: verified.revision,
      approvedAmount: 50_000_000,
      fundAllocations: allocationsFor(tree.province.id, 50_000_000),
    });
    expectProblem(tooMuch, 400, 'VALIDATION_FAILED');
    expect(tooMuch.body.errors.map((e: { path: string }) => e.path)).to.include('amountReason');
    const approved = await arrange<{ status: string; approvedAmount: number }>(
      approver.post(`/api/v1/cases/${created.id}/approve`, {
        revision: verified.revision,
        approvedAmount: 45_000_000,
        fundAllocations: allocationsFor(tree.province.id, 45_000_000),
      }),
      200,
    );
    expect(approved.status).to.equal('approved');

    const stored = await Case.findById(created.id).lean();
    expect(stored?.status).to.equal('approved');
    expect(stored?.approvedAmount).to.equal(45_000_000);
    expect(stored?.history.map((h) => h.action)).to.include.ordered.members(['create']);
    expect(
      stored?.history.filter((h) => ['submit', 'verify', 'approve'].includes(h.action)).map((h) => h.to),
    ).to.deep.equal(['submitted', 'verified', 'approved']);
    expect(stored?.memberSnapshot?.citizenId).to.have.length(12);
  });
});
