/// <reference lib="dom" />
/**
 * The whole union-house path in the browser, across four users (issue 9 "Tests"): nothing is arranged
 * through the API but the funds the province already holds; every step is a user's click, and every step's
 * stored result is checked.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { arrange } from '../support/api.js';
import { PASSWORD, unique, uniqueCitizenId } from '../support/factory.js';
import { caseWorld, readCase, vnToday, type CaseWorld } from '../cases/case-fixtures.js';
import { choose, uploadFile } from './cases-fixtures.js';
import { expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';

const SUBMIT_PAPERS: [label: string, file: 'pdf' | 'png'][] = [
  ['Đơn đề nghị hỗ trợ', 'pdf'],
  ['Xác nhận của UBND cấp xã', 'pdf'],
  ['Giấy tờ về quyền sử dụng đất', 'pdf'],
  ['Ảnh hiện trạng nhà ở', 'png'],
];

async function fillDate(form: Locator, fieldLabel: string, day: string): Promise<void> {
  const input = form.getByLabel(fieldLabel, { exact: true });
  await input.fill(day);
  await input.press('Tab');
}

/** Signs in as one user in a browser context of their own, runs their part, and checks the page stayed clean. */
async function as(username: string, part: (page: Page) => Promise<void>): Promise<void> {
  const { page, context, problems } = await openPage();
  try {
    await signIn(page, username, PASSWORD);
    await part(page);
    expectNoProblems(problems);
  } finally {
    await context.close();
  }
}

describe('web: a union house from application to payment and the quarter report, in the browser', function () {
  this.timeout(240_000);
  let world: CaseWorld;

  before(async () => {
    [world] = await Promise.all([caseWorld(), webEnv()]);
  });

  it('when officer, verifier, approver and accountant each do their part, then the case is paid once and the quarter XLSX holds the payment', async () => {
    const { officer, verifier, approver, accountant } = world.sessions;
    const name = `Trần Thị Mái ${unique('')
      .replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)
      .toLowerCase()}`;
    const citizenId = uniqueCitizenId();
    const [fundA, fundB] = await Promise.all([
      arrange<{ id: string; code: string }>(
        accountant.post('/api/v1/funds', {
          code: unique('QXH'),
          name: 'Quỹ Xã hội 2026',
          kind: 'union_finance',
          year: 2026,
          allocated: 30_000_000,
        }),
      ),
      arrange<{ id: string; code: string }>(
        accountant.post('/api/v1/funds', {
          code: unique('TT'),
          name: 'Tài trợ Mái ấm 2026',
          kind: 'sponsor',
          sponsorName: 'Ngân hàng A',
          year: 2026,
          allocated: 100_000_000,
        }),
      ),
    ]);
    let caseId = '';

    // 1. The grassroots officer adds the member, creates the case, uploads the four papers and submits.
    await as(officer.user.username, async (page) => {
      await page.getByRole('menuitem', { name: 'Đoàn viên' }).click();
      await page.getByRole('button', { name: 'Thêm đoàn viên' }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel('Họ và tên').fill(name);
      await fillDate(form, 'Ngày sinh', '12/04/1985');
      await form.getByRole('radio', { name: 'Nữ' }).check();
      await form.getByLabel('Số CCCD').fill(citizenId);
      await fillDate(form, 'Ngày vào công đoàn', '01/03/2015');
      await form.getByLabel('Mã ngân hàng (BIN)').fill('970415');
      await form.getByLabel('Mã ngân hàng (BIN)').press('Escape');
      await form.getByLabel('Số tài khoản').fill('0011002233');
      await form.getByLabel('Tên chủ tài khoản').fill(name);
      await form.getByRole('button', { name: 'Thêm đoàn viên' }).click();
      await page.getByText(`Đã thêm đoàn viên ${name}.`).waitFor();

      await page.getByRole('menuitem', { name: 'Hồ sơ' }).click();
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
      await page.getByRole('heading', { name: 'Tạo hồ sơ' }).waitFor();
      await choose(page, 'Chương trình', 'Mái ấm Công đoàn');
      await choose(page, 'Loại hỗ trợ', 'Xây mới — tối đa 50.000.000 đ');
      await choose(page, 'Đoàn viên', name, citizenId);
      await page.getByLabel('Số tiền đề nghị').fill('50000000');
      await page.getByLabel('Hoàn cảnh khó khăn').fill('Nhà tạm dột nát, chồng mất sức lao động');
      await choose(page, 'Tình trạng đất ở', 'Đất thuộc quyền sử dụng của gia đình');
      await choose(page, 'Hiện trạng nhà ở', 'Nhà tạm');
      await page.getByLabel('Dự toán xây dựng, sửa chữa').fill('150000000');
      await page.getByLabel('Vốn đối ứng của gia đình').fill('100000000');
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
      await page.waitForURL(/\/cases\/[0-9a-f]{24}$/);
      caseId = page.url().split('/').at(-1)!;
      for (const [label, file] of SUBMIT_PAPERS) await uploadFile(page, label, `${label}.${file}`, file);
      await page.getByRole('button', { name: 'Gửi hồ sơ' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Gửi hồ sơ' }).click();
      await page.getByRole('heading', { name: /Đã gửi/ }).waitFor();
    });
    const submitted = await readCase(officer, caseId);
    expect(submitted).to.include({ status: 'submitted', memberId: submitted.memberId, requestedAmount: 50_000_000 });
    expect(submitted.documents).to.have.length(4);

    // 2. The verifier finds it waiting, uploads the survey minutes and verifies.
    await as(verifier.user.username, async (page) => {
      await page.getByRole('link', { name: submitted.code }).click();
      await uploadFile(page, 'Biên bản khảo sát thực tế', 'bien-ban-khao-sat.pdf');
      await page.getByRole('button', { name: 'Thẩm định' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Số tiền đề xuất hỗ trợ').fill('50000000');
      await dialog.getByLabel('Ghi chú').fill('Đúng hoàn cảnh, đề nghị hỗ trợ xây mới');
      await dialog.getByRole('button', { name: 'Xác nhận thẩm định' }).click();
      await page.getByRole('heading', { name: /Đã thẩm định/ }).waitFor();
    });
    expect(await readCase(verifier, caseId)).to.include({ status: 'verified', recommendedAmount: 50_000_000 });

    // 3. The approver approves from two funds and opens the decision's PDF.
    await as(approver.user.username, async (page) => {
      await page.getByRole('link', { name: submitted.code }).click();
      await page.getByRole('button', { name: 'Phê duyệt' }).click();
      const dialog = page.getByRole('dialog');
      await choose(dialog, 'Nguồn 1', `${fundA.code} — Quỹ Xã hội 2026 (còn 30.000.000 đ)`);
      await dialog.getByLabel('Số tiền nguồn 1').fill('30000000');
      await dialog.getByRole('button', { name: 'Thêm nguồn' }).click();
      await choose(dialog, 'Nguồn 2', `${fundB.code} — Tài trợ Mái ấm 2026 (còn 100.000.000 đ)`);
      await dialog.getByLabel('Số tiền nguồn 2').fill('20000000');
      await dialog.getByLabel('Người ký quyết định').fill('Nguyễn Văn Danh');
      await dialog.getByRole('button', { name: 'Phê duyệt' }).click();
      await page.getByRole('heading', { name: /Đã phê duyệt/ }).waitFor();
      const [tab] = await Promise.all([
        page.context().waitForEvent('page'),
        page.getByRole('button', { name: 'Mở PDF' }).click(),
      ]);
      await tab.waitForURL(/^blob:/);
    });
    const approved = (await readCase(approver, caseId)) as Awaited<ReturnType<typeof readCase>> & {
      fundAllocations: { fundId: string; amount: number }[];
      decisionId: string;
    };
    expect(approved).to.include({ status: 'approved', approvedAmount: 50_000_000 });
    expect(approved.fundAllocations.map((a) => [a.fundId, a.amount])).to.deep.equal([
      [fundA.id, 30_000_000],
      [fundB.id, 20_000_000],
    ]);
    expect(approved.decisionId).to.be.a('string');

    // 4. The accountant pays the first tranche with an impatient double click, then downloads the quarter.
    await as(accountant.user.username, async (page) => {
      await page.getByRole('link', { name: submitted.code }).click();
      await page.getByRole('heading', { name: /Đã phê duyệt/ }).waitFor();
      await page.getByRole('link', { name: 'Ghi nhận chi trả' }).click();
      const form = page.getByRole('dialog', { name: `Ghi nhận chi trả – ${submitted.code}` });
      await form.getByLabel('Số phiếu chi / chứng từ').fill('PC-HANHTRINH-1');
      await form.getByRole('button', { name: 'Ghi nhận khoản chi' }).dblclick();
      await form.waitFor({ state: 'hidden' });

      const [year, month] = vnToday().split('-').map(Number) as [number, number];
      const quarter = `${year}-Q${Math.ceil(month / 3)}`;
      await page.getByRole('menuitem', { name: 'Báo cáo' }).click();
      await page.waitForURL(/\/reports/);
      await page.goto(`/reports?period=${quarter}`);
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Tải bảng tổng hợp XLSX' }).click(),
      ]);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(readFileSync(await file.path()) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const total = sheet.getRow(sheet.rowCount);
      expect(total.getCell(1).value).to.equal('Tổng cộng');
      // Totals are SUM formulas with their cached result, or plain numbers where a sum would be wrong.
      const numbers = (total.values as unknown[])
        .map((v) => (v && typeof v === 'object' && 'result' in v ? v.result : v))
        .filter((v): v is number => typeof v === 'number');
      expect(numbers, 'the approved and the paid amount of the quarter').to.include.members([50_000_000, 25_000_000]);
    });
    expect(await Disbursement.countDocuments({ caseId })).to.equal(1);
    expect(await readCase(accountant, caseId)).to.include({
      status: 'partially_disbursed',
      disbursedAmount: 25_000_000,
    });
  });
});
