/// <reference lib="dom" />
/**
 * The public pages in Chromium (SPEC §15, issues 19 and 15.3): the province's published totals and the decision
 * lookup at phone width without sideways scrolling, with no script at all (no signed-in bundle), no CSP or
 * console error, accessible, and printable (the forms are left off the paper).
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { approvedCase, decisionOf, type DecisionView } from '../decisions/decision-fixtures.js';
import { caseWorld, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import { paymentBody, payOk, today } from '../funds/fixtures.js';
import { checkPage, expectNoProblems, openPage, PHONE } from './support/browser.js';

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, 'no horizontal overflow').to.be.at.most(clientWidth);
}

async function expectNoScript(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.scripts.length)).to.equal(0);
}

describe('web: the public pages', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  let decision: DecisionView;

  before(async () => {
    world = await caseWorld();
    const tet: CaseView[] = await Promise.all(Array.from({ length: 5 }, () => approvedCase(world, 'tet_gift')));
    const fundId = (view: CaseView) =>
      (view as unknown as { fundAllocations: { fundId: string }[] }).fundAllocations[0]!.fundId;
    for (const view of tet)
      await payOk(world.sessions.accountant, view.id, paymentBody(fundId(view), { amount: view.approvedAmount }));
    decision = await decisionOf(world.sessions.approver, tet[0]!);
  });

  it('when a member opens /cong-khai/<province> on a phone, then the totals, the chart and the decisions fit the width, the period can be changed, and printing leaves the form out', async () => {
    const { page, context, problems } = await openPage(PHONE);
    try {
      await page.goto(`/cong-khai/${world.province.code}`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).to.contain(world.province.name);
      expect(await page.locator('svg.chart rect').count()).to.be.above(0);
      expect(await page.getByText('Tổng cộng', { exact: true }).isVisible()).to.equal(true);
      expect(await page.getByText(decision.number, { exact: true }).first().isVisible()).to.equal(true);
      expect(await page.getByRole('cell', { name: /Tết/ }).first().isVisible()).to.equal(true);
      await expectNoSidewaysScroll(page);
      await expectNoScript(page);
      await checkPage(page, 'public-summary');

      await page.getByLabel('Kỳ').selectOption(`${today().slice(0, 4)}`);
      await page.getByRole('button', { name: 'Xem' }).click();
      await page.waitForURL(/period=\d{4}$/);
      expect(await page.getByRole('heading', { level: 2 }).first().innerText()).to.contain(
        `Năm ${today().slice(0, 4)}`,
      );
      await expectNoSidewaysScroll(page);

      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('form').isVisible()).to.equal(false);
      expect(await page.getByText('Tổng cộng', { exact: true }).isVisible()).to.equal(true);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("when someone types a decision's number and issuer into /xac-minh on a phone, then the decision is confirmed with its date, total and SHA-256", async () => {
    const { page, context, problems } = await openPage(PHONE);
    try {
      await page.goto('/xac-minh');
      await page.getByLabel('Số quyết định').fill(decision.number);
      await page.getByLabel('Mã đơn vị ban hành').fill(world.province.code);
      await page.getByLabel('Năm ban hành (nếu cần)').fill(String(decision.year));
      await page.getByRole('button', { name: 'Tra cứu' }).click();
      expect(await page.getByRole('heading', { name: `Quyết định số ${decision.number}` }).isVisible()).to.equal(true);
      expect(await page.getByText('Còn hiệu lực').isVisible()).to.equal(true);
      expect(await page.getByText(decision.pdf!.sha256).isVisible()).to.equal(true);
      await expectNoSidewaysScroll(page);
      await expectNoScript(page);
      await checkPage(page, 'public-lookup');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a phone opens the link of the QR code, then it shows the Vietnamese verification page within the width', async () => {
    const { page, context, problems } = await openPage(PHONE);
    try {
      await page.goto(new URL(decision.verifyUrl).pathname);
      expect(await page.getByRole('heading', { name: `Quyết định số ${decision.number}` }).isVisible()).to.equal(true);
      expect(await page.getByText('Còn hiệu lực').isVisible()).to.equal(true);
      await expectNoSidewaysScroll(page);
      await expectNoScript(page);
      await checkPage(page, 'public-verify');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
