/**
 * How approval and decisions meet: the approve body's signer and date (checked before anything changes),
 * the repair route, and batch decisions with their list (the batches feature calls issueBatchDecision).
 */
import { expect } from 'chai';
import { performAction } from '../../src/cases/transitions.service.js';
import { vnDay } from '../../src/core/shared/dates.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import type { Actor, Principal } from '../../src/core/scope.js';
import { issueBatchDecision, revokeDecisionOfCase } from '../../src/decisions/index.js';
import { api, arrange, expectProblem } from '../support/api.js';
import { expectForbidden, expectValidation } from '../support/problems.js';
import {
  act,
  bodyFor,
  caseAt,
  caseWorld,
  expectUnchanged,
  shiftDay,
  stateOf,
  type CaseWorld,
} from '../cases/case-fixtures.js';
import { approvedCase, decisionOf, downloadPdf, flat, pdfText, type DecisionView } from './decision-fixtures.js';

describe('decisions: approval and batches', () => {
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when the approve body has a bad signer or date, then 400 names the field and the case, funds and numbers stay as they were', async () => {
    const verified = await caseAt(world, 'verified');
    const before = await stateOf(verified.id);
    const decisions = await Decision.countDocuments({ issuerOrgId: world.province.id });
    for (const [extra, path] of [
      [{ decisionDate: shiftDay(vnDay(), 1) }, 'decisionDate'],
      [{ decisionDate: '2026-02-30' }, 'decisionDate'],
      [{ decisionDate: '09/08/2026' }, 'decisionDate'],
      [{ signerName: 'A' }, 'signerName'],
      [{ signerTitle: '' }, 'signerTitle'],
    ] as const) {
      expectValidation(
        await act(world.sessions.approver, verified.id, 'approve', { ...bodyFor('approve', verified), ...extra }),
        path,
      );
    }
    await expectUnchanged(verified.id, before);
    expect(await Decision.countDocuments({ issuerOrgId: world.province.id })).to.equal(decisions);
  });

  it('when the API description is read, then the approve body documents the signer and date defaults', async () => {
    const doc = (await api().get('/api/v1/openapi.json')).body;
    const schema = doc.paths['/api/v1/cases/{id}/approve'].post.requestBody.content['application/json'].schema;
    expect(schema.properties.signerName.description).to.contain('mặc định');
    expect(schema.properties.signerTitle.description).to.contain('CHỦ TỊCH');
    expect(schema.properties.decisionDate.description).to.contain('giờ Việt Nam');
    expect(doc.paths['/api/v1/decisions/verify/{token}'].get.security).to.deep.equal([]);
    expect(doc.paths['/api/v1/decisions/{id}/verify'].get.security).to.deep.equal([{}, { bearerAuth: [] }]);
    expect(doc.paths['/api/v1/cases/{id}/decision'].post.description).to.contain('decisionId');
  });

  it('when the approval response comes back, then it already names its decision', async () => {
    const approved = (await approvedCase(world)) as unknown as { decisionId: string };
    expect(approved.decisionId).to.be.a('string');
    expect((await Decision.findById(approved.decisionId).lean())?.caseIds.map(String)).to.deep.equal([
      (approved as unknown as { id: string }).id,
    ]);
  });

  it("when someone other than an approver asks for a case's decision to be issued, then 403; for a case not approved, 409", async () => {
    const approved = await approvedCase(world);
    expectForbidden(await world.sessions.accountant.post(`/api/v1/cases/${approved.id}/decision`, {}));
    expectForbidden(await world.sessions.officer.post(`/api/v1/cases/${approved.id}/decision`, {}));
    const verified = await caseAt(world, 'verified');
    expectProblem(
      await world.sessions.approver.post(`/api/v1/cases/${verified.id}/decision`, {}),
      409,
      'INVALID_TRANSITION',
    );
  });

  describe('when several approved cases are put in one batch decision', () => {
    let decision: DecisionView;
    let caseIds: string[];
    const names = ['Phạm Thị Ỹ', 'Trần Văn Ổn', 'Đặng Văn Kỷ'];
    const actor = (): Actor => ({
      userId: world.sessions.approver.user.id,
      name: 'Người phê duyệt',
      requestId: 'test',
    });

    before(async () => {
      const verified = await Promise.all(
        names.map((fullName) => caseAt(world, 'verified', 'tet_gift', { member: { fullName } })),
      );
      caseIds = verified.map((c) => c.id);
      // As the batch actions will: approve each case without its own decision, then one decision for all.
      const approver = world.sessions.approver.user;
      const principal: Principal = {
        userId: approver.id,
        username: approver.username,
        fullName: 'Người phê duyệt',
        orgId: world.province.id,
        orgPath: world.province.orgPath,
        roles: ['approver'],
      };
      for (const view of verified)
        await performAction(principal, actor(), view.id, 'approve', bodyFor('approve', view), { decision: 'batch' });
      expect(await Decision.countDocuments({ caseIds: { $in: caseIds } }), 'no decision per case').to.equal(0);
      const issued = await issueBatchDecision(actor(), caseIds, { signerTitle: 'Phó Chủ tịch' });
      decision = await arrange<DecisionView>(
        world.sessions.approver.get(`/api/v1/decisions/${String(issued._id)}`),
        200,
      );
    });

    it('then one decision lists every case with its total, each case names it, and its PDF carries the list', async () => {
      expect(decision).to.include({ kind: 'batch', signerTitle: 'PHÓ CHỦ TỊCH', totalAmount: 3_000_000 });
      expect(decision.caseIds).to.have.members(caseIds);
      expect(decision.lines.map((l) => l.memberName)).to.have.members(names);
      for (const id of caseIds)
        expect(
          (await arrange<{ decisionId: string }>(world.sessions.approver.get(`/api/v1/cases/${id}`), 200)).decisionId,
        ).to.equal(decision.id);
      const text = flat(pdfText((await downloadPdf(world.sessions.approver, decision.id)).bytes));
      expect(text).to.contain('cho 3 đoàn viên').and.to.contain('3.000.000 đồng (Bằng chữ: Ba triệu đồng)');
      expect(text).to.contain('DANH SÁCH ĐOÀN VIÊN ĐƯỢC HỖ TRỢ').and.to.contain('Tổng cộng: 3 người');
      for (const name of names) expect(text).to.contain(name);
    });

    it('then a case already in it cannot be put in another decision', async () => {
      try {
        await issueBatchDecision(actor(), [caseIds[0]!]);
        expect.fail('a decided case was accepted again');
      } catch (error) {
        expect((error as { code?: string }).code).to.equal('VALIDATION_FAILED');
      }
    });

    it('then revoking one case marks its line; the decision is revoked only when every case is', async () => {
      await revokeDecisionOfCase(actor(), caseIds[0]!, 'Đã nhận hỗ trợ ở nơi khác');
      expect(
        (await arrange<DecisionView>(world.sessions.approver.get(`/api/v1/decisions/${decision.id}`), 200)).status,
      ).to.equal('issued');
      await Promise.all(caseIds.slice(1).map((id) => revokeDecisionOfCase(actor(), id, 'Rút khỏi danh sách')));
      const after = await arrange<DecisionView>(world.sessions.approver.get(`/api/v1/decisions/${decision.id}`), 200);
      expect(after.status).to.equal('revoked');
      expect(after.revocations).to.have.length(3);
    });
  });

  it("when a disaster-relief case is approved, then its decision uses that program's wording and names the damage level", async () => {
    const approved = await approvedCase(world, 'disaster_relief', {}, { member: { fullName: 'Võ Thị Ứng' } });
    const decision = await decisionOf(world.sessions.verifier, approved);
    const text = flat(pdfText((await downloadPdf(world.sessions.verifier, decision.id)).bytes));
    expect(text)
      .to.contain('Về việc hỗ trợ đoàn viên bị thiệt hại do thiên tai, hỏa hoạn')
      .and.to.contain('mức thiệt hại: nhà bị hư hỏng');
    expect(text).to.contain('3.000.000 đồng (Bằng chữ: Ba triệu đồng)');
  });
});
