/// <reference lib="dom" />
/**
 * A Tết list from import to the quarter report in the browser (issue 9 "Done when"): the officer imports
 * and sends it up, the verifier verifies and the approver approves it on the list's page, and the accountant
 * pays the whole list at once in Chi trả: one request, paid by the server as a job whose progress the page
 * follows (also after a reload), one payment per case however often the send is clicked.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { arrange, type Session } from '../support/api.js';
import { PASSWORD, unique } from '../support/factory.js';
import { batchAction, importTet, listRow, payInFull, xlsxOf } from '../batches/batch-fixtures.js';
import { caseWorld, vnToday, type CaseWorld } from '../cases/case-fixtures.js';
import { Batch } from '../../src/batches/batches.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { Fund } from '../../src/funds/funds.model.js';
import { formatVndWithUnit } from '../../src/core/shared/money.js';
import { choose } from './cases-fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn, slowJobs, webEnv } from './support/browser.js';
import { moneyText, settled } from './support/settle.js';

const GIFT = 1_000_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Totals {
  total: { disbursed: { count: number; amount: number } };
}

/** Runs one user's part in a browser context of their own and checks the page stayed clean. */
async function signedIn(
  session: Session,
  part: (page: Page) => Promise<void>,
  tolerated: RegExp | null = null,
): Promise<void> {
  const { page, context, problems } = await openPage();
  try {
    await signIn(page, session.user.username, PASSWORD);
    await part(page);
    expectNoProblems(problems.filter((p) => !tolerated?.test(p)));
  } finally {
    await context.close();
  }
}

/** The payments the page asks for: per case (the browser must not loop over them any more) and per list, with their keys. */
function paymentRequests(page: Page): { perCase: string[]; perList: string[] } {
  const seen = { perCase: [] as string[], perList: [] as string[] };
  page.on('request', (request) => {
    if (request.method() !== 'POST') return;
    if (/\/api\/v1\/cases\/[0-9a-f]{24}\/disbursements$/.test(request.url())) seen.perCase.push(request.url());
    if (/\/api\/v1\/batches\/[0-9a-f]{24}\/pay$/.test(request.url()))
      seen.perList.push(request.headers()['idempotency-key'] ?? '');
  });
  return seen;
}

/** One batch action on the list's page, as the batch tests drive it, waiting for its per-case answer. */
async function actOnList(page: Page, action: string, count: number): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).click();
  await page.getByRole('button', { name: `${action} ${count} hồ sơ` }).click();
  await page.getByText(`${count} hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 0 hồ sơ đã loại ra.`).waitFor();
}

/** Opens the bulk form of the list chosen in Chi trả and waits for its preview. */
async function openBulkForm(page: Page, fileName: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Chi trả cả danh sách' }).click();
  const form = page.getByRole('dialog', { name: `Chi trả cả danh sách – ${fileName}` });
  await form.getByRole('status').first().waitFor();
  return form;
}

function resultRow(form: Locator, code: string): Locator {
  return form.getByRole('region', { name: 'Kết quả chi trả danh sách' }).getByRole('row').filter({ hasText: code });
}

async function paymentsOf(caseIds: readonly string[]): Promise<number[]> {
  return Promise.all(caseIds.map((caseId) => Disbursement.countDocuments({ caseId, kind: 'payment' })));
}

describe('web: a Tết list from import to payment and the quarter report, in the browser', function () {
  this.timeout(240_000);
  let world: CaseWorld;
  const today = vnToday();
  const quarter = `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;

  before(async () => {
    [world] = await Promise.all([caseWorld(), webEnv()]);
  });

  it('when officer, verifier, approver and accountant each do their part and the accountant double-clicks the list payment, then every case is paid once and the quarter report holds the sum', async () => {
    const { officer, verifier, approver, accountant } = world.sessions;
    const fund = await arrange<{ id: string; code: string }>(
      accountant.post('/api/v1/funds', {
        code: unique('QUATET'),
        name: 'Quỹ Tết Sum vầy',
        kind: 'social_fund',
        year: Number(today.slice(0, 4)),
        allocated: 100_000_000,
      }),
    );
    const fileName = `Quà Tết ${unique('CĐCS')}.xlsx`;
    const bytes = await xlsxOf(
      ['Nguyễn Thị Hường', 'Đặng Văn Kỷ', 'Lê Thị Ẩn'].map((fullName) => listRow({ fullName })),
    );
    const report = () =>
      arrange<Totals>(accountant.get(`/api/v1/reports/summary?period=${quarter}&groupBy=program`), 200);
    const reportBefore = await report();

    // 1. The officer imports the list through Danh sách and sends the drafts up from the list's page.
    await signedIn(officer, async (page) => {
      await page.getByRole('menuitem', { name: 'Danh sách' }).click();
      await choose(page, 'Chương trình', 'Quà Tết');
      await choose(page, 'Đợt hỗ trợ', 'Tết Bính Ngọ');
      await page.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: XLSX_TYPE, buffer: bytes });
      await page.getByRole('button', { name: 'Nhập danh sách' }).click();
      await page.getByText('Đã tạo 3 hồ sơ nháp từ 3 dòng.').waitFor();
      await page.getByRole('link', { name: fileName }).first().click();
      await actOnList(page, 'Gửi lên cấp trên', 3);
    });
    const batch = await Batch.findOne({ fileName }).lean();
    const batchPath = `/batches/${String(batch!._id)}`;
    const caseIds = batch!.caseIds.map(String);

    // 2. The verifier verifies it on its page; 3. the approver approves it from the fund.
    await signedIn(verifier, async (page) => {
      await page.goto(batchPath);
      await actOnList(page, 'Thẩm định', 3);
    });
    await signedIn(approver, async (page) => {
      await page.goto(batchPath);
      await page.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
      await choose(page, 'Nguồn kinh phí', fund.code);
      await page.getByLabel('Người ký quyết định').fill('Nguyễn Văn Danh');
      await page.getByLabel('Chức vụ người ký').fill('CHỦ TỊCH');
      await page.getByRole('button', { name: 'Phê duyệt 3 hồ sơ' }).click();
      await page.getByText('3 hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 0 hồ sơ đã loại ra.').waitFor();
    });
    const approved = await Case.find({ batchId: batch!._id }).lean();
    expect(approved.map((c) => [c.status, c.approvedAmount])).to.deep.equal([
      ['approved', GIFT],
      ['approved', GIFT],
      ['approved', GIFT],
    ]);
    const fundBefore = await Fund.findById(fund.id).lean();

    // 4. The accountant picks the list in Chi trả and pays all of it with an impatient double click.
    await signedIn(accountant, async (page) => {
      const sent = paymentRequests(page);
      await page.getByRole('menuitem', { name: 'Chi trả' }).click();
      await choose(page, 'Lọc theo danh sách', fileName);
      const waiting = page.locator('.ant-card').filter({ hasText: 'Hồ sơ chờ chi trả' });
      await waiting.getByText('3 hồ sơ', { exact: true }).waitFor();
      for (const c of approved) await waiting.getByRole('link', { name: c.code }).waitFor();
      await checkPage(page, 'chi-tra-loc-danh-sach');

      const form = await openBulkForm(page, fileName);
      await form.getByText(`Sẽ chi 3 hồ sơ, tổng ${moneyText(3 * GIFT)}.`).waitFor();
      await form.getByText('Mọi khoản chi của danh sách đều mang số phiếu này.').waitFor();
      const preview = form.getByRole('region', { name: 'Các khoản sẽ chi' });
      for (const c of approved) {
        expect(await preview.getByRole('row').filter({ hasText: c.code }).innerText())
          .to.contain(moneyText(GIFT))
          .and.contain(fund.code)
          .and.contain('Sẽ chi');
      }
      // Vietnam's today when the form opened: the day the test began, or the next if midnight (UTC+7) came between.
      const shownDays = [today, vnToday()].map((day) => day.split('-').reverse().join('/'));
      expect(shownDays).to.include(await form.getByLabel('Ngày chi').inputValue());
      await form.getByLabel('Số phiếu chi / chứng từ').fill('PC-TET-01');
      await checkPage(page, 'chi-tra-danh-sach');

      await form.getByRole('button', { name: 'Chi trả 3 hồ sơ' }).dblclick();
      // The job's result, as long as the server takes (a loaded CI machine took over 15 s once).
      await form
        .getByText(`Đã chi 3 hồ sơ, tổng ${moneyText(3 * GIFT)}; 0 hồ sơ không chi được.`)
        .waitFor({ timeout: 60_000 });
      expect(
        await form.getByRole('progressbar', { name: 'Tiến độ: 3/3 hồ sơ' }).getAttribute('aria-valuenow'),
      ).to.equal('100');
      for (const c of approved)
        expect(await resultRow(form, c.code).innerText())
          .to.contain('Đã chi')
          .and.contain('phiếu PC-TET-01');
      // The double click's text selection off the page, so the screenshot shows the result as it rests.
      await page.mouse.move(0, 0);
      await page.evaluate(() => window.getSelection()?.removeAllRanges());
      await checkPage(page, 'chi-tra-danh-sach-ket-qua');
      expect(sent.perCase, 'the browser sends no payment of its own').to.deep.equal([]);
      expect(sent.perList.length).to.be.within(1, 2);
      expect(new Set(sent.perList).size, 'the double click carries one key').to.equal(1);
      await form.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();
      await waiting.getByText('Danh sách này không còn hồ sơ nào chờ chi trả.').waitFor();

      // The quarter in Báo cáo: the page's total and the downloaded XLSX both hold the list's payments.
      const reportAfter = await report();
      expect(reportAfter.total.disbursed.amount - reportBefore.total.disbursed.amount).to.equal(3 * GIFT);
      await page.getByRole('menuitem', { name: 'Báo cáo' }).click();
      await page.waitForURL(/\/reports/);
      await page.goto(`/reports?period=${quarter}&groupBy=program`);
      const totalRow = page.getByRole('region', { name: /^Tổng hợp/ }).locator('tr.report-total');
      await totalRow.filter({ hasText: moneyText(reportAfter.total.disbursed.amount) }).waitFor();
      expect((await totalRow.locator('td').nth(5).innerText()).trim()).to.equal(
        moneyText(reportAfter.total.disbursed.amount),
      );
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Tải bảng tổng hợp XLSX' }).click(),
      ]);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(readFileSync(await file.path()) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      // The total row sums the rows by formula, with the figure cached so it shows without recalculating.
      expect(sheet.getRow(sheet.rowCount).getCell(6).value).to.deep.include({
        result: reportAfter.total.disbursed.amount,
      });
    });

    expect(await paymentsOf(caseIds)).to.deep.equal([1, 1, 1]);
    const paid = await Case.find({ batchId: batch!._id }).lean();
    for (const c of paid) expect(c).to.include({ status: 'disbursed', disbursedAmount: c.approvedAmount });
    const fundAfter = await Fund.findById(fund.id).lean();
    expect(fundAfter!.disbursed - fundBefore!.disbursed).to.equal(3 * GIFT);
  });

  it('when one case was paid before the form opened and another meanwhile, and the page is reloaded in the middle of the payment, then the progress comes back and nothing is paid twice', async () => {
    const { officer, verifier, approver, accountant } = world.sessions;
    const fundId = (
      await arrange<{ id: string }>(
        accountant.post('/api/v1/funds', {
          code: unique('QUATET'),
          name: 'Quỹ Tết (tải lại)',
          kind: 'social_fund',
          year: Number(today.slice(0, 4)),
          allocated: 10_000_000,
        }),
      )
    ).id;
    const imported = await importTet(
      world,
      ['Phan Thị Ánh', 'Vũ Văn Bảo', 'Trịnh Thị Cúc', 'Lý Văn Đức'].map((fullName) => listRow({ fullName })),
    );
    await batchAction(officer, imported.batch.id, 'submit');
    await batchAction(verifier, imported.batch.id, 'verify');
    await batchAction(approver, imported.batch.id, 'approve', { fundId });
    const [early, meanwhile, third, plain] = await Case.find({ batchId: imported.batch.id }).sort({ code: 1 }).lean();
    const ids = [early, meanwhile, third, plain].map((c) => String(c!._id));
    await payInFull(accountant, ids[0]!, GIFT, fundId);

    await signedIn(accountant, async (page) => {
      const sent = paymentRequests(page);
      await page.goto(`/payments?batchId=${imported.batch.id}`);
      let form = await openBulkForm(page, 'danh-sach.csv');
      await form.getByText(`Sẽ chi 3 hồ sơ, tổng ${moneyText(3 * GIFT)}.`).waitFor();
      const skipped = form.getByRole('row').filter({ hasText: early!.code });
      expect(await skipped.innerText())
        .to.contain('Bỏ qua')
        // The server's plan, in the words the payment's own result uses.
        .and.contain(`Hồ sơ đã được chi đủ ${formatVndWithUnit(GIFT)}.`);
      await form.getByLabel('Số phiếu chi / chứng từ').fill('PC-TET-02');
      await settled(page);

      // Another accountant's payment lands between the preview and the send; the server's job is slowed so
      // that the page can be reloaded while it runs.
      await payInFull(accountant, ids[1]!, GIFT, fundId);
      slowJobs(3000);
      try {
        await form.getByRole('button', { name: 'Chi trả 3 hồ sơ' }).click();
        await page.waitForURL(/payJob=[0-9a-f]{24}/);
        await form.getByRole('progressbar', { name: /^Tiến độ: [0-3]\/4 hồ sơ$/ }).waitFor();
        await page.reload();
        form = page.getByRole('dialog', { name: 'Chi trả cả danh sách – danh-sach.csv' });
        // Still half-way after the reload: the same job, followed from the address.
        await form.getByRole('progressbar', { name: /^Tiến độ: [0-3]\/4 hồ sơ$/ }).waitFor();
        expect(
          await form.getByRole('button', { name: 'Chi trả 3 hồ sơ' }).count(),
          'the reloaded page does not offer to pay again',
        ).to.equal(0);
        // The preview read after the reload would call the cases this job has paid "skipped, paid already": until
        // the job ends, the page says when the outcomes come instead of showing it.
        await form.getByText('Kết quả của từng hồ sơ hiện ở đây khi công việc xong.').waitFor();
        expect(await form.getByRole('table').count(), 'no preview table while the job runs').to.equal(0);
        await checkPage(page, 'chi-tra-danh-sach-dang-chi');
      } finally {
        slowJobs(0);
      }
      await form
        .getByText(`Đã chi 2 hồ sơ, tổng ${moneyText(2 * GIFT)}; 2 hồ sơ không chi được.`)
        .waitFor({ timeout: 60_000 });
      expect(
        await form.getByRole('progressbar', { name: 'Tiến độ: 4/4 hồ sơ' }).getAttribute('aria-valuenow'),
      ).to.equal('100');
      // Paid by someone else before the job reached it: the reloaded preview and the job both say so.
      expect(await resultRow(form, meanwhile!.code).innerText())
        .to.contain('Hồ sơ đã được chi đủ')
        .and.not.contain('Đã chi\t');
      expect(await resultRow(form, third!.code).innerText())
        .to.contain('Đã chi')
        .and.contain('phiếu PC-TET-02');
      expect(await resultRow(form, plain!.code).innerText()).to.contain('Đã chi');
      await checkPage(page, 'chi-tra-danh-sach-sau-tai-lai');
      // Opened again once the job is over: the plan now skips every case (all paid), and a case the job paid
      // shows its tranche, amount and fund from the payment itself, not a dash.
      await page.reload();
      form = page.getByRole('dialog', { name: 'Chi trả cả danh sách – danh-sach.csv' });
      await form.getByText(`Đã chi 2 hồ sơ, tổng ${moneyText(2 * GIFT)}; 2 hồ sơ không chi được.`).waitFor();
      for (const c of [third!, plain!]) {
        const cells = await resultRow(form, c.code).getByRole('cell').allInnerTexts();
        const shown = cells.slice(2, 5).map((t) => t.trim());
        expect(shown[0], `${c.code}: tranche`).to.match(/^Đợt 1/);
        expect(shown[1], `${c.code}: amount`).to.equal(moneyText(GIFT));
        expect(shown[2], `${c.code}: fund`).to.not.equal('—');
      }
      await checkPage(page, 'chi-tra-danh-sach-mo-lai');
      expect(sent.perCase).to.deep.equal([]);
      expect(sent.perList).to.have.length(1);
    });

    expect(await paymentsOf(ids)).to.deep.equal([1, 1, 1, 1]);
    const stored = await Case.find({ _id: { $in: ids } }).lean();
    expect(stored.map((c) => [c.status, c.disbursedAmount])).to.deep.equal(ids.map(() => ['disbursed', GIFT]));
    expect((await Fund.findById(fundId).lean())!.disbursed).to.equal(4 * GIFT);
  });
});
