/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { api, arrange } from '../support/api.js';
import { PASSWORD } from '../support/factory.js';
import { caseAt, caseWorld, REASON, type CaseWorld } from '../cases/case-fixtures.js';
import { approvedCase, decisionOf, type DecisionView } from '../decisions/decision-fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';

describe('web: decisions (Quyết định)', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let issued: DecisionView;
  let revoked: DecisionView;

  before(async () => {
    world = await caseWorld();
    const [approved, revokedCase] = await Promise.all([
      approvedCase(world, 'tet_gift'),
      caseAt(world, 'revoked', 'tet_gift'),
    ]);
    [issued, revoked] = await Promise.all([
      decisionOf(world.sessions.approver, approved),
      decisionOf(world.sessions.approver, revokedCase),
    ]);
  });

  it('when the approver opens the decisions, then each shows its number, amount and signer, its PDF opens, and its verify link is copied and shown as a QR code', async () => {
    const { page, context, problems } = await openPage();
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: (await webEnv()).baseUrl });
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.getByRole('menuitem', { name: 'Quyết định' }).click();
      const row = page.getByRole('row').filter({ hasText: issued.number });
      await row.waitFor();
      const text = await row.innerText();
      expect(text).to.contain('1.000.000 đ').and.contain(issued.signerName).and.contain('Còn hiệu lực');
      await checkPage(page, 'quyet-dinh');

      const [popup, pdf] = await Promise.all([
        context.waitForEvent('page'),
        page.waitForResponse((res) => res.url().endsWith(`/api/v1/decisions/${issued.id}/pdf`)),
        row.getByRole('button', { name: `Mở PDF quyết định ${issued.number}` }).click(),
      ]);
      expect(pdf.status()).to.equal(200);
      expect(pdf.headers()['content-type']).to.equal('application/pdf');
      // The bytes the page fetched with its token are the stored PDF; the new tab shows them as an object URL.
      expect(pdf.headers()['content-length']).to.equal(String(issued.pdf!.size));
      await popup.waitForURL(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
      await popup.close();

      await row.getByRole('button', { name: `Xác thực quyết định ${issued.number}` }).click();
      const dialog = page.getByRole('dialog', { name: `Xác thực Quyết định số ${issued.number}` });
      await dialog.getByLabel('Liên kết xác thực').waitFor();
      expect(await dialog.getByLabel('Liên kết xác thực').inputValue()).to.equal(issued.verifyUrl);
      await dialog.getByRole('button', { name: 'Sao chép liên kết' }).click();
      await page.getByText('Đã sao chép liên kết xác thực.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(issued.verifyUrl);
      await dialog.locator('canvas').waitFor();
      await checkPage(page, 'quyet-dinh-xac-thuc');

      // The copied link is the public check: no sign-in, the same decision.
      const verified = await api().get(new URL(issued.verifyUrl).pathname).set('Accept', 'application/json');
      expect(verified.status).to.equal(200);
      expect(verified.body).to.include({ number: issued.number, status: 'issued', sha256: issued.pdf!.sha256 });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the only case of a decision is revoked, then the list marks the decision revoked in red with the reason, and the validity filter finds it', async () => {
    const stored = await arrange<DecisionView>(world.sessions.approver.get(`/api/v1/decisions/${revoked.id}`), 200);
    expect(stored).to.include({ status: 'revoked', revokeReason: REASON });
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.goto('/decisions');
      await page.getByRole('row').filter({ hasText: issued.number }).waitFor();
      await page.getByLabel('Hiệu lực').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: 'Đã thu hồi' })
        .click();
      await page.waitForURL(/status=revoked/);
      const row = page.getByRole('row').filter({ hasText: revoked.number });
      await row.waitFor();
      await page.getByRole('row').filter({ hasText: issued.number }).waitFor({ state: 'detached' });
      const tag = row.locator('.ant-tag', { hasText: 'Đã thu hồi' });
      // The readable red of lib/tag-colors.ts (#a8071a), not Ant Design's preset red.
      expect(await tag.evaluate((el) => getComputedStyle(el).color)).to.equal('rgb(168, 7, 26)');
      expect(await row.innerText()).to.contain(`Lý do: ${REASON}`);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        row.getByRole('button', { name: `Tải PDF quyết định ${revoked.number}` }).click(),
      ]);
      expect(download.suggestedFilename()).to.match(/\.pdf$/);
      expect((await readFile(await download.path())).subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
