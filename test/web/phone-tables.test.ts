/// <reference lib="dom" />
/**
 * The two wide tables officers met on a phone (issue 18): a list's cases (Danh sách → a list) and the report's
 * summary (Báo cáo). At 375×812 nothing in them scrolls sideways and the figures that matter (each case's status,
 * the summary's last column) are inside the window; at 1366×768 they are still tables.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../support/factory.js';
import { caseAt, caseWorld, fundAllocations, type CaseWorld } from '../cases/case-fixtures.js';
import { csvOf, listRow, payInFull, tetFields, uploadList, type ImportView } from '../batches/batch-fixtures.js';
import { arrange } from '../support/api.js';
import {
  DESKTOP,
  expectAccessible,
  expectNoProblems,
  openPage,
  PHONE,
  screenshots,
  signIn,
} from './support/browser.js';
import { settled } from './support/settle.js';

const LONG_NAME = 'Nguyễn Thị Phương Thảo Hoàng Lan Chi';
/** The card of the list's cases, and each case's status in it (a tag, in a row or in a card). */
const CASES = '.ant-card:has-text("Hồ sơ trong danh sách")';
const CASE_STATUS = `${CASES} .ant-tag`;
/** Every figure of the report's summary, in a table cell or a card. */
const SUMMARY_FIGURES = 'section[aria-labelledby="report-summary"] :is(td, dd)';

/** Every box of the page that scrolls sideways (its content wider than itself), named by its classes. */
async function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *')].flatMap((element) => {
      const overflow = getComputedStyle(element).overflowX;
      if (overflow !== 'auto' && overflow !== 'scroll') return [];
      return element.scrollWidth > element.clientWidth + 1
        ? [`${element.className || element.tagName}: ${element.scrollWidth} px in ${element.clientWidth} px`]
        : [];
    }),
  );
}

/** The elements matching `selector` whose right edge is beyond the window, with their text. */
async function beyondWindow(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements.flatMap((element) => {
      const right = element.getBoundingClientRect().right;
      return right > window.innerWidth ? [`"${element.textContent}" ends at ${Math.round(right)} px`] : [];
    }),
  );
}

async function expectPhoneReadable(page: Page, what: string, statusSelector: string, count: number): Promise<void> {
  expect(await sidewaysScrollers(page), `${what}: boxes scrolling sideways`).to.deep.equal([]);
  const width = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(width.scroll, `${what}: page wider than the phone`).to.be.at.most(width.inner);
  expect(await page.locator(statusSelector).count(), `${what}: ${statusSelector} shown`).to.be.at.least(count);
  expect(await beyondWindow(page, statusSelector), `${what}: cut at the edge`).to.deep.equal([]);
}

describe('web: the list’s cases and the report’s summary on a phone', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  let batchId: string;

  before(async () => {
    world = await caseWorld();
    const s = world.sessions;
    // Three cases and a row refused (over the Tết gift's cap).
    const rows = [listRow({ fullName: LONG_NAME }), listRow(), listRow(), listRow({ amount: '12.500.000' })];
    const imported = await arrange<ImportView>(
      uploadList(s.officer, csvOf(rows), 'Danh sách quà Tết - CĐCS May Vũng Áng.csv', tetFields(world)),
    );
    batchId = imported.batch.id;
    // The report of the quarter then has a paid case and cases open at its end, in two programs.
    const paid = await caseAt(world, 'approved', 'tet_gift');
    await payInFull(
      s.accountant,
      paid.id,
      paid.approvedAmount!,
      fundAllocations(paid, paid.approvedAmount!)[0]!.fundId,
    );
    await caseAt(world, 'verified', 'union_house');
  });

  async function listPage(page: Page): Promise<void> {
    await page.goto(`/batches/${batchId}`);
    await page.getByText(LONG_NAME).first().waitFor();
    await settled(page);
  }

  async function reportPage(page: Page): Promise<void> {
    await page.goto('/reports?groupBy=program,org');
    await page.getByText('Tổng cộng', { exact: true }).first().waitFor();
    await settled(page);
  }

  it('when an officer opens a list on a phone, then every case with its status fits the width, also while cases are being left out', async () => {
    const { page, context, problems } = await openPage(PHONE);
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await listPage(page);
      await expectPhoneReadable(page, 'list', CASE_STATUS, 3);
      // Leaving a case out of the submission: its box and its reason are in reach on the phone too.
      await page.getByRole('button', { name: 'Gửi lên cấp trên' }).click();
      const box = page.getByRole('checkbox', { name: /^Loại hồ sơ .+ khỏi lần này$/ }).first();
      const code = (await box.getAttribute('aria-label'))!.replace(/^Loại hồ sơ (.+) khỏi lần này$/, '$1');
      await box.check();
      await page.getByLabel(`Lý do loại hồ sơ ${code}`).fill('Đã nhận hỗ trợ ở đơn vị khác');
      await expectPhoneReadable(page, 'list, leaving a case out', CASE_STATUS, 3);
      await expectPhoneReadable(page, 'list, leaving a case out', `${CASES} input[aria-label^="Lý do loại hồ sơ"]`, 1);
      await expectAccessible(page, 'list on a phone');
      await screenshots(page, 'phone-danh-sach-loai-ra');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the accountant opens Báo cáo grouped by program and union on a phone, then the summary fits the width with every figure', async () => {
    const { page, context, problems } = await openPage(PHONE);
    try {
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      await reportPage(page);
      // Every figure of the summary, the cases open at the period's end last, is in the window.
      await expectPhoneReadable(page, 'report', SUMMARY_FIGURES, 2);
      await expectAccessible(page, 'report on a phone');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when both pages are opened at 1366×768, then they are still tables and are photographed at both sizes', async () => {
    const { page, context, problems } = await openPage(DESKTOP);
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await listPage(page);
      expect(await page.locator(`${CASES} .ant-table-row`).count()).to.equal(3);
      expect(await beyondWindow(page, CASE_STATUS)).to.deep.equal([]);
      await screenshots(page, 'phone-danh-sach');
      await context.clearCookies();
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      await reportPage(page);
      expect(await page.locator('.ant-table-row').count()).to.be.at.least(2);
      await screenshots(page, 'phone-bao-cao');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
