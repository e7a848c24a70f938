/// <reference lib="dom" />
/**
 * Nguồn kinh phí in the browser (issue 9 item 8): the funds with the totals the API keeps, a fund created
 * and adjusted through the page with the API's field errors beside the fields, and a fund's statement
 * with the payments drawn on it and the balances after each movement.
 */
import { expect } from 'chai';
import { arrange } from '../support/api.js';
import { PASSWORD, unique } from '../support/factory.js';
import { Fund, FundEntry } from '../../src/funds/funds.model.js';
import { caseWorld, shiftDay, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  paymentBody,
  payOk,
  today,
  type DisbursementJson,
  type FundJson,
} from '../funds/fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';
import { moneyText, settled } from './support/settle.js';

describe('web: funds (Nguồn kinh phí)', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let fund: FundJson;
  let caseCode: string;
  let payment: DisbursementJson;

  before(async () => {
    [world] = await Promise.all([caseWorld(), webEnv()]);
    fund = await createFund(world.sessions.accountant, {
      allocated: 300_000_000,
      name: 'Quỹ Xã hội năm 2026 (trang web)',
    });
    const view = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    caseCode = view.code;
    payment = await payOk(
      world.sessions.accountant,
      view.id,
      paymentBody(fund.id, { amount: 25_000_000, trancheNo: 1 }),
    );
  });

  it('when an accountant opens Nguồn kinh phí, then each fund shows the allocated, committed, paid and available amounts the API answers', async () => {
    const stored = await arrange<FundJson>(world.sessions.accountant.get(`/api/v1/funds/${fund.id}`), 200);
    expect(stored).to.deep.include({
      allocated: 300_000_000,
      committed: 50_000_000,
      disbursed: 25_000_000,
      available: 250_000_000,
    });
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      await page.getByRole('navigation', { name: 'Các mục' }).getByRole('menuitem', { name: 'Nguồn kinh phí' }).click();
      const row = page.getByRole('row').filter({ hasText: fund.code });
      await row.waitFor();
      const cells = (await row.getByRole('cell').allInnerTexts()).map((text) => text.trim());
      for (const amount of [
        stored.allocated,
        stored.committed,
        stored.disbursed,
        stored.available,
        stored.allocated - stored.disbursed,
      ]) {
        expect(cells, `the row shows ${moneyText(amount)}`).to.include(moneyText(amount));
      }
      await settled(page);
      await checkPage(page, 'nguon-kinh-phi');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an approver creates a fund with a code the province already has, then the error shows beside the code; corrected, the fund is stored and its adjustments follow', async () => {
    const code = unique('TT-');
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.goto('/funds');
      await page.getByRole('button', { name: 'Tạo nguồn' }).click();
      const create = page.getByRole('dialog', { name: 'Tạo nguồn kinh phí' });
      await create.getByLabel('Mã nguồn').fill(fund.code);
      await create.getByLabel('Tên nguồn').fill('Tài trợ Tết của doanh nghiệp');
      await create.getByLabel('Số phân bổ ban đầu').fill('100000000');
      await create.getByRole('button', { name: 'Tạo nguồn' }).click();
      await create
        .locator('.ant-form-item')
        .filter({ hasText: 'Mã nguồn' })
        .getByText('Mã nguồn đã tồn tại trong tỉnh')
        .waitFor();

      await create.getByLabel('Mã nguồn').fill(code);
      await create.getByRole('button', { name: 'Tạo nguồn' }).click();
      await create.waitFor({ state: 'hidden' });
      const created = await Fund.findOne({ orgId: world.province.id, code }).lean();
      expect(created).to.deep.include({
        allocated: 100_000_000,
        committed: 0,
        available: 100_000_000,
        kind: 'social_fund',
      });

      await page.getByRole('button', { name: `Điều chỉnh ${code}` }).click();
      const adjust = page.getByRole('dialog', { name: `Điều chỉnh phân bổ: ${code}` });
      await adjust.getByLabel('Giảm phân bổ').check();
      await adjust.getByLabel('Số tiền điều chỉnh').fill('30000000');
      await adjust.getByLabel('Lý do').fill('Cắt giảm theo dự toán điều chỉnh quý III');
      await adjust.getByRole('button', { name: 'Ghi điều chỉnh' }).click();
      await adjust.waitFor({ state: 'hidden' });
      await page.getByRole('row').filter({ hasText: code }).getByText(moneyText(70_000_000)).first().waitFor();

      expect(await Fund.findById(created!._id).lean()).to.deep.include({
        allocated: 70_000_000,
        available: 70_000_000,
      });
      const entry = await FundEntry.findOne({ fundId: created!._id, kind: 'adjustment' }).lean();
      expect(entry).to.deep.include({ amount: -30_000_000, note: 'Cắt giảm theo dự toán điều chỉnh quý III' });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the fund statement is opened, then it lists the payment with its case and the balances after it, and a later period lists nothing', async () => {
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.goto('/funds');
      await page.getByRole('link', { name: fund.code, exact: true }).click();
      await page.getByRole('heading', { name: `Sổ chi tiết nguồn ${fund.code}` }).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'Chi trả' }).filter({ hasText: payment.voucherNo });
      await row.getByRole('link', { name: caseCode }).waitFor();
      const cells = (await row.getByRole('cell').allInnerTexts()).map((text) => text.trim());
      expect(cells).to.include(moneyText(25_000_000));
      expect(cells, 'Tồn quỹ after the payment').to.include(moneyText(275_000_000));
      expect(cells, 'còn có thể cam kết after the payment').to.include(moneyText(250_000_000));
      await settled(page);
      await checkPage(page, 'so-chi-tiet-nguon');

      const tomorrow = shiftDay(today(), 1);
      const [y, m, d] = tomorrow.split('-');
      await page.getByLabel('Từ ngày').fill(`${d}/${m}/${y}`);
      await page.getByLabel('Từ ngày').press('Enter');
      await page.waitForURL(new RegExp(`from=${tomorrow}`));
      await page.getByText('Không có phát sinh nào trong kỳ.').waitFor();
      const closing = page.getByRole('row').filter({ hasText: 'Cuối kỳ' });
      expect((await closing.getByRole('cell').allInnerTexts()).map((t) => t.trim())).to.include(moneyText(275_000_000));
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
