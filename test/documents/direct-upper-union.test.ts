/**
 * SPEC §2, §9: a verifier adds papers (the site-survey minutes) only to the cases of the grassroots unions whose
 * direct upper union is theirs, as for verifying them; it follows a move of the union at once.
 */
import { expect } from 'chai';
import { arrange, loginAdmin, type Session } from '../support/api.js';
import { createProvinceTree, userSession, type ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound } from '../support/problems.js';
import { caseNow, expectNoTempFiles, FILES, storedCase, unionHouseSubmitted, upload } from './fixtures.js';

describe('documents: a verifier uploads as the direct upper union', function () {
  this.timeout(60_000);
  let tree: ProvinceTree;
  let provinceVerifier: Session;
  let verifierApprover: Session;

  before(async () => {
    tree = await createProvinceTree();
    const root = await loginAdmin();
    [provinceVerifier, verifierApprover] = await Promise.all([
      userSession(root, tree.province.id, ['verifier']),
      userSession(root, tree.province.id, ['verifier', 'approver']),
    ]);
  });

  afterEach(expectNoTempFiles);

  it("when a case of a union under an upper union is submitted, then a province verifier may not add minutes (403), the upper union's verifier may (201)", async () => {
    const submitted = await unionHouseSubmitted(tree);
    expectForbidden(await upload(provinceVerifier, submitted.id, 'site_survey_minutes', FILES.pdf.bytes, 'bb.pdf'));
    expectForbidden(await upload(verifierApprover, submitted.id, 'site_survey_minutes', FILES.pdf.bytes, 'bb.pdf'));
    await arrange(upload(tree.sessions.verifier, submitted.id, 'site_survey_minutes', FILES.pdf.bytes, 'bb.pdf'));
    expect((await storedCase(submitted.id)).documents.filter((d) => d.type === 'site_survey_minutes')).to.have.length(
      1,
    );
  });

  it('when the case is verified, then a province officer holding verifier and approver adds papers as the approver (201)', async () => {
    const submitted = await unionHouseSubmitted(tree);
    await arrange(upload(tree.sessions.verifier, submitted.id, 'site_survey_minutes', FILES.pdf.bytes, 'bb.pdf'));
    const { revision } = await caseNow(tree.sessions.verifier, submitted.id);
    await arrange(
      tree.sessions.verifier.post(`/api/v1/cases/${submitted.id}/verify`, {
        revision,
        recommendedAmount: 45_000_000,
        note: 'Đã khảo sát',
      }),
      200,
    );
    await arrange(upload(verifierApprover, submitted.id, 'other', FILES.pdf.bytes, 'to-trinh.pdf'));
    expectForbidden(await upload(provinceVerifier, submitted.id, 'other', FILES.pdf.bytes, 'to-trinh.pdf'));
  });

  it('when the union moves directly under the province, then the province verifier adds the minutes and the former upper union no longer sees the case', async () => {
    const submitted = await unionHouseSubmitted(tree);
    await arrange(
      tree.sessions.admin.post(`/api/v1/orgs/${tree.grassroots.id}/move`, {
        parentId: tree.province.id,
        effectiveDate: '2025-07-01',
        reason: 'Giải thể công đoàn cấp trên, chuyển về tỉnh',
      }),
      200,
    );
    expectNotFound(
      await upload(tree.sessions.verifier, submitted.id, 'site_survey_minutes', FILES.pdf.bytes, 'bb.pdf'),
    );
    await arrange(upload(provinceVerifier, submitted.id, 'site_survey_minutes', FILES.pdf.bytes, 'bb.pdf'));
  });
});
