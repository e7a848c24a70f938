/// <reference lib="dom" />
/**
 * Việc cần làm of a province verifier (SPEC §2, §12): the submitted cases of the unions the province is direct
 * upper union of, not every submitted case of its subtree (those under the economic-zone union wait there).
 */
import { expect } from 'chai';
import { loginAdmin } from '../support/api.js';
import { createOrg, PASSWORD, userSession } from '../support/factory.js';
import { caseAt, caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';

describe('web: Việc cần làm of a province verifier', function () {
  this.timeout(120_000);
  let world: CaseWorld;

  before(async () => {
    [world] = await Promise.all([caseWorld(), webEnv()]);
  });

  it("when a union directly under the province and one under the upper union each submit a case, then the province verifier's queue holds only the first", async () => {
    const root = await loginAdmin();
    const direct = await createOrg(root, world.province.id, 'grassroots', 'Công đoàn cơ sở Bệnh viện tỉnh');
    const [officer, verifier] = await Promise.all([
      userSession(root, direct.id, ['grassroots_officer']),
      userSession(root, world.province.id, ['verifier']),
    ]);
    const directWorld = { ...world, grassroots: direct, sessions: { ...world.sessions, officer, verifier } };
    const own = await caseAt(directWorld, 'submitted', 'tet_gift', { officer, orgId: direct.id });
    const ofUpper = await caseAt(world, 'submitted');

    const { page, context, problems } = await openPage();
    try {
      await signIn(page, verifier.user.username, PASSWORD);
      const card = page.locator('.ant-card').filter({ hasText: 'Hồ sơ chờ thẩm định' });
      await card.getByText(own.code).waitFor();
      expect(await card.getByText(ofUpper.code).count()).to.equal(0);
      expect((await card.locator('.ant-badge').innerText()).trim()).to.equal('1');
      await checkPage(page, 'viec-can-lam-tham-dinh-tinh');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
