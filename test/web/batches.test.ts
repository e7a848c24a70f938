/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { arrange } from '../support/api.js';
import { PASSWORD } from '../support/factory.js';
import { provinceFund } from '../support/funds.js';
import {
  batchAction,
  csvOf,
  importTet,
  listRow,
  VN_HEADER,
  xlsxOf,
  type ImportView,
} from '../batches/batch-fixtures.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { Batch } from '../../src/batches/batches.model.js';
import { Case } from '../../src/cases/cases.model.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { Fund } from '../../src/funds/funds.model.js';
import { money } from '../../src/web/lib/format.js';
import { checkPage, expectNoProblems, openPage, signIn, slowJobs } from './support/browser.js';

interface BatchDetailView {
  rejectedRows: { row: number; reasons: string[] }[];
  cases: { id: string; code: string; memberName: string; status: string }[];
}

/** The pointer off the page and its colour transitions over, so the check sees links as they rest. */
async function atRest(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
}

/** The batch actions the page sends, as `action` names, from now on. */
function sentActions(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    const action = /\/api\/v1\/batches\/[0-9a-f]{24}\/([a-z]+)$/.exec(request.url())?.[1];
    if (request.method() === 'POST' && action) sent.push(action);
  });
  return sent;
}

/** Picks an option of an Ant Design select by the label of its field. */
async function choose(page: Page, fieldLabel: string, option: string | RegExp): Promise<void> {
  await page.getByLabel(fieldLabel, { exact: true }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'detached' });
}

describe('web: lists (Danh sách)', function () {
  this.timeout(120_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when an officer downloads the template and uploads an XLSX Tết list with one bad row, then the page names the row and its reason, links the created cases, refuses the same file again, and sends the drafts up together', async () => {
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.goto('/batches');
      await choose(page, 'Chương trình', 'Quà Tết');
      await choose(page, 'Đợt hỗ trợ', 'Tết Bính Ngọ');

      const [template] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Tải mẫu XLSX' }).click(),
      ]);
      expect(template.suggestedFilename()).to.equal('mau-danh-sach-tet_gift.xlsx');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await template.path());
      expect((workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).to.deep.equal(VN_HEADER);

      const names = ['Nguyễn Thị Hường', 'Đặng Văn Kỷ', 'Lê Thị Ẩn', 'Trần Văn Ổn'];
      const rows = names.map((fullName) => listRow({ fullName }));
      rows[1] = listRow({ fullName: names[1], citizenId: '04208500' });
      const bytes = await xlsxOf(rows);
      const file = {
        name: 'Danh sách Tết.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: bytes,
      };
      await page.locator('input[type=file]').setInputFiles(file);
      await page.getByRole('button', { name: 'Nhập danh sách' }).click();
      // The import is a job (run within the request for a list this short); a loaded CI machine took over 15 s once.
      await page.getByText('Đã tạo 3 hồ sơ nháp từ 4 dòng; 1 dòng bị loại.').waitFor({ timeout: 60_000 });

      // The stored list and its draft cases, as the API keeps them.
      const stored = await Batch.findOne({ fileSha256: createHash('sha256').update(bytes).digest('hex') }).lean();
      expect(stored).to.include({
        programCode: 'tet_gift',
        subtype: 'gift',
        createdCount: 3,
        rejectedCount: 1,
        status: 'imported',
      });
      expect(String(stored!.campaignId)).to.equal(world.campaigns.tet.id);
      const detail = await arrange<BatchDetailView>(
        world.sessions.officer.get(`/api/v1/batches/${String(stored!._id)}`),
        200,
      );
      expect(detail.cases.map((c) => c.memberName)).to.deep.equal([names[0], names[2], names[3]]);
      expect(detail.cases.every((c) => c.status === 'draft')).to.equal(true);
      expect(detail.rejectedRows.map((r) => r.row)).to.deep.equal([3]);

      // The page: the rejected row by its number in the file and the exact reason, and a link to each created case.
      const result = page.getByRole('region', { name: 'Kết quả nhập danh sách' });
      const rejected = result.getByRole('row').filter({ hasText: detail.rejectedRows[0]!.reasons[0]! });
      expect((await rejected.getByRole('cell').first().innerText()).trim()).to.equal('3');
      expect(await rejected.innerText()).to.contain(names[1]);
      for (const c of detail.cases) {
        expect(await result.getByRole('link', { name: c.code }).getAttribute('href')).to.equal(`/cases/${c.id}`);
      }
      await page.getByRole('link', { name: 'Danh sách Tết.xlsx' }).waitFor();
      await atRest(page);
      await checkPage(page, 'danh-sach-nhap-ket-qua');

      // The same file again: refused with the API's reason, nothing new stored.
      await page.locator('input[type=file]').setInputFiles(file);
      await page.getByRole('button', { name: 'Nhập danh sách' }).click();
      await page.getByRole('alert').filter({ hasText: 'Tệp này đã được nhập trước đó' }).waitFor();
      await page.getByRole('link', { name: 'Mở danh sách đã nhập từ tệp này' }).waitFor();
      expect(await Batch.countDocuments({ fileSha256: stored!.fileSha256 })).to.equal(1);

      // A file with no valid row creates nothing, and still says why each row was refused.
      const hopeless = await xlsxOf([listRow({ fullName: 'Bùi Văn Sai', gender: 'Không rõ' })]);
      await page.locator('input[type=file]').setInputFiles({ ...file, name: 'Sai hết.xlsx', buffer: hopeless });
      await page.getByRole('button', { name: 'Nhập danh sách' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Không có dòng hợp lệ nào trong 1 dòng của tệp; không hồ sơ nào được tạo.' })
        .waitFor();
      const refused = page.getByRole('row').filter({ hasText: 'Giới tính phải là Nam hoặc Nữ' });
      expect((await refused.getByRole('cell').first().innerText()).trim()).to.equal('2');
      expect(await Batch.countDocuments({ fileSha256: createHash('sha256').update(hopeless).digest('hex') })).to.equal(
        0,
      );

      // The list's drafts go up together from the list's page.
      await page.goto(`/batches/${String(stored!._id)}`);
      await page.getByRole('button', { name: 'Gửi lên cấp trên', exact: true }).click();
      await page.getByRole('button', { name: 'Gửi lên cấp trên 3 hồ sơ' }).click();
      await page.getByText('3 hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 0 hồ sơ đã loại ra.').waitFor();
      expect((await Case.find({ batchId: stored!._id }).lean()).map((c) => c.status)).to.deep.equal([
        'submitted',
        'submitted',
        'submitted',
      ]);

      // Danh sách shows where each list's cases stand now.
      await page.goto('/batches');
      const listed = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Danh sách Tết.xlsx' }) });
      await listed.getByText('Đã gửi').waitFor();
      expect(await listed.innerText()).to.match(/Đã gửi\s*3/);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an officer uploads a list of more than 500 rows, then the page follows the import job with the shared progress bar, also after a reload, and then shows the same result', async () => {
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.goto('/batches');
      await choose(page, 'Chương trình', 'Quà Tết');
      await choose(page, 'Đợt hỗ trợ', 'Tết Bính Ngọ');
      const rows = Array.from({ length: 501 }, (_, i) =>
        listRow({ fullName: 'Phạm Văn Long', ...(i === 3 ? { gender: 'khác' } : {}) }),
      );
      const bytes = csvOf(rows);
      slowJobs(1500);
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'Danh sách lớn.csv', mimeType: 'text/csv', buffer: bytes });
      await page.getByRole('button', { name: 'Nhập danh sách' }).click();
      const progress = page.getByRole('region', { name: 'Nhập danh sách', exact: true });
      await progress.getByText(/Đã xử lý 250 trên 501 dòng/).waitFor({ timeout: 30_000 });
      expect(new URL(page.url()).searchParams.get('importJob')).to.match(/^[0-9a-f]{24}$/);
      await checkPage(page, 'batches-import-job');
      // Leaving and coming back: the address keeps the job, the page finds it again.
      await page.reload();
      slowJobs(0);
      await page.getByText('Đã tạo 500 hồ sơ nháp từ 501 dòng; 1 dòng bị loại.').waitFor({ timeout: 30_000 });
      await progress.getByText('Nhập danh sách: Đã xong').waitFor();
      const stored = await Batch.findOne({ fileSha256: createHash('sha256').update(bytes).digest('hex') }).lean();
      expect(stored).to.include({ createdCount: 500, rejectedCount: 1, status: 'imported' });
      expect(await Case.countDocuments({ batchId: stored!._id })).to.equal(500);
      const result = page.getByRole('region', { name: 'Kết quả nhập danh sách' });
      const rejected = result.getByRole('row').filter({ hasText: 'Giới tính phải là Nam hoặc Nữ' });
      expect((await rejected.getByRole('cell').first().innerText()).trim()).to.equal('5');
      expectNoProblems(problems);
    } finally {
      slowJobs(0);
      await context.close();
    }
  });

  it('when the verifier verifies a list with one case left out with a reason, then each case says what happened and the stored statuses follow', async () => {
    const imported = await importTet(
      world,
      ['Phạm Thị Ỹ', 'Hoàng Văn Ước', 'Vũ Thị Lụa'].map((fullName) => listRow({ fullName })),
    );
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    const [left, ...others] = await Case.find({ batchId: imported.batch.id }).sort({ code: 1 }).lean();
    const reason = 'Chờ xác minh lại hoàn cảnh gia đình';
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      await page.goto('/batches');
      await page.getByRole('link', { name: 'danh-sach.csv' }).first().waitFor();
      await checkPage(page, 'danh-sach-cac-lan-nhap');

      await page.goto(`/batches/${imported.batch.id}`);
      await page.getByRole('button', { name: 'Thẩm định', exact: true }).click();
      await page.getByLabel(`Loại hồ sơ ${left!.code} khỏi lần này`).check();
      await page.getByLabel(`Lý do loại hồ sơ ${left!.code}`).fill(reason);
      await atRest(page);
      await checkPage(page, 'danh-sach-tham-dinh');
      await page.getByRole('button', { name: 'Thẩm định 2 hồ sơ' }).click();

      const result = page.getByRole('region', { name: 'Kết quả thao tác' });
      await result.getByText('2 hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 1 hồ sơ đã loại ra.').waitFor();
      const leftRow = result.getByRole('row').filter({ hasText: left!.code });
      expect(await leftRow.innerText())
        .to.contain('Đã loại ra')
        .and.contain(reason)
        .and.contain('Đã gửi');
      for (const c of others) {
        expect(await result.getByRole('row').filter({ hasText: c.code }).innerText())
          .to.contain('Đã thực hiện')
          .and.contain('Đã thẩm định');
      }
      await atRest(page);
      await checkPage(page, 'danh-sach-ket-qua-tham-dinh');

      const stored = await Case.find({ batchId: imported.batch.id }).lean();
      const byId = new Map(stored.map((c) => [String(c._id), c]));
      expect(byId.get(String(left!._id))).to.include({ status: 'submitted', revision: left!.revision });
      expect(byId.get(String(left!._id))!.history.at(-1)).to.include({ action: 'exclude' });
      expect(byId.get(String(left!._id))!.history.at(-1)!.note).to.contain(reason);
      for (const c of others)
        expect(byId.get(String(c._id))).to.include({ status: 'verified', recommendedAmount: c.requestedAmount });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the approver approves a verified list from a fund with a named signer, then one decision covers every verified case, the case set aside at verification is shown as not at this step, and the page names the decision', async () => {
    const fundId = await provinceFund(world);
    const imported: ImportView = await importTet(
      world,
      ['Đỗ Văn Bình', 'Ngô Thị Cúc', 'Lý Văn Đạt'].map((fullName) => listRow({ fullName })),
    );
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    const setAside = imported.caseIds[2]!;
    await batchAction(world.sessions.verifier, imported.batch.id, 'verify', {
      exclude: [{ caseId: setAside, reason: 'Chờ xác minh lại hoàn cảnh' }],
    });
    const fundBefore = await Fund.findById(fundId).lean();
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.goto(`/batches/${imported.batch.id}`);
      await page.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
      await choose(page, 'Nguồn kinh phí', fundBefore!.code);
      await page.getByLabel('Người ký quyết định').fill('Nguyễn Văn Danh');
      await page.getByLabel('Chức vụ người ký').fill('PHÓ CHỦ TỊCH');
      await atRest(page);
      await checkPage(page, 'danh-sach-phe-duyet');
      await page.getByRole('button', { name: 'Phê duyệt 2 hồ sơ' }).click();

      const result = page.getByRole('region', { name: 'Kết quả thao tác' });
      await result
        .getByText(
          '2 hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 0 hồ sơ đã loại ra. 1 hồ sơ không ở bước này nên giữ nguyên.',
        )
        .waitFor();
      await result.getByRole('row').filter({ hasText: 'Lý Văn Đạt' }).getByText('Không ở bước này').waitFor();
      const stored = await Case.find({ batchId: imported.batch.id }).sort({ code: 1 }).lean();
      expect(stored.map((c) => c.status)).to.deep.equal(['approved', 'approved', 'submitted']);
      expect(String(stored[2]!._id)).to.equal(setAside);
      const decisionIds = new Set(stored.slice(0, 2).map((c) => String(c.decisionId)));
      expect(decisionIds.size).to.equal(1);
      const decision = await Decision.findById([...decisionIds][0]).lean();
      expect(decision).to.include({
        kind: 'batch',
        signerName: 'Nguyễn Văn Danh',
        signerTitle: 'PHÓ CHỦ TỊCH',
        totalAmount: 2_000_000,
      });
      expect(decision!.caseIds).to.have.length(2);
      await result.getByText(`Đã ban hành Quyết định số ${decision!.number}: 2 người, tổng 2.000.000 đ.`).waitFor();
      const fundAfter = await Fund.findById(fundId).lean();
      expect(fundAfter!.committed - fundBefore!.committed).to.equal(2_000_000);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a list of 120 cases is opened, then its cases come a page at a time, cases left out on two pages are counted out, and the action leaves exactly those', async () => {
    const rows = Array.from({ length: 120 }, (_, i) =>
      listRow({ fullName: `Nguyễn Văn Trang ${String.fromCharCode(65 + (i % 26))}` }),
    );
    const imported = await importTet(world, rows);
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    const stored = await Case.find({ _id: { $in: imported.caseIds } }, { code: 1 }).lean();
    const codeOf = new Map(stored.map((c) => [String(c._id), c.code]));
    const codes = imported.caseIds.map((id) => codeOf.get(id)!);
    const [first, onPageThree] = [imported.caseIds[3]!, imported.caseIds[107]!];
    const { page, context, problems } = await openPage();
    const caseReads: string[] = [];
    page.on('request', (request) => {
      if (/\/api\/v1\/batches\/[0-9a-f]{24}(\/cases)?(\?|$)/.test(request.url())) caseReads.push(request.url());
    });
    try {
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      await page.goto(`/batches/${imported.batch.id}`);
      await page.getByText('Hồ sơ trong danh sách (120)').waitFor();
      const table = page.locator('.ant-table-tbody');
      await table.getByRole('link', { name: codes[0]! }).waitFor();
      expect(await table.getByRole('link').count()).to.equal(50);
      // The list is never read whole: its summary without cases, then pages of 50.
      expect(caseReads.some((url) => url.includes('cases=none'))).to.equal(true);
      expect(caseReads.filter((url) => !url.includes('cases=none') && !url.includes('/cases?'))).to.deep.equal([]);

      await page.getByRole('button', { name: 'Thẩm định', exact: true }).click();
      await page.getByLabel(`Loại hồ sơ ${codeOf.get(first)} khỏi lần này`).check();
      await page.getByLabel(`Lý do loại hồ sơ ${codeOf.get(first)}`).fill('Chờ xác minh lại hoàn cảnh');
      await page.locator('.ant-pagination').getByTitle('3', { exact: true }).click();
      await table.getByRole('link', { name: codes[100]! }).waitFor();
      expect(await table.getByRole('link').count()).to.equal(20);
      expect(await table.getByRole('link').first().innerText()).to.equal(codes[100]);
      await page.getByLabel(`Loại hồ sơ ${codeOf.get(onPageThree)} khỏi lần này`).check();
      await page.getByLabel(`Lý do loại hồ sơ ${codeOf.get(onPageThree)}`).fill('Đoàn viên đã chuyển công tác');
      await page.getByText('Thẩm định: 118 hồ sơ.').waitFor();
      await atRest(page);
      await checkPage(page, 'danh-sach-120-trang-3');
      await page.getByRole('button', { name: 'Thẩm định 118 hồ sơ' }).click();
      const result = page.getByRole('region', { name: 'Kết quả thao tác' });
      await result.getByText('118 hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 2 hồ sơ đã loại ra.').waitFor();

      const after = await Case.find({ _id: { $in: imported.caseIds } }).lean();
      const left = after.filter((c) => c.status === 'submitted').map((c) => String(c._id));
      expect(left.sort()).to.deep.equal([first, onPageThree].sort());
      expect(after.filter((c) => c.status === 'verified')).to.have.length(118);
      for (const id of left)
        expect(after.find((c) => String(c._id) === id)!.history.at(-1)).to.include({ action: 'exclude' });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the approver leaves a case out of a long verified list, then the total to approve is the list sum less that case', async () => {
    const rows = Array.from({ length: 60 }, () => listRow({ fullName: 'Lê Văn Phúc' }));
    const imported = await importTet(world, rows);
    await batchAction(world.sessions.officer, imported.batch.id, 'submit');
    const own = imported.caseIds[55]!;
    await batchAction(world.sessions.verifier, imported.batch.id, 'verify', {
      amounts: [{ caseId: own, amount: 700_000 }],
    });
    const cases = await Case.find({ _id: { $in: imported.caseIds } }, { code: 1, recommendedAmount: 1 }).lean();
    const sum = cases.reduce((total, c) => total + c.recommendedAmount!, 0);
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.goto(`/batches/${imported.batch.id}`);
      await page.getByRole('button', { name: 'Phê duyệt', exact: true }).click();
      await page.getByText(`Số tiền phê duyệt dự kiến: ${money(sum)} cho 60 hồ sơ`).waitFor();
      await page.locator('.ant-pagination').getByTitle('2', { exact: true }).click();
      const code = cases.find((c) => String(c._id) === own)!.code;
      await page.getByLabel(`Loại hồ sơ ${code} khỏi lần này`).check();
      await page.getByText(`Số tiền phê duyệt dự kiến: ${money(sum - 700_000)} cho 59 hồ sơ`).waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the verifier returns one list and rejects another, then each needs a reason, sends nothing without one, and the cases store the status and the reason', async () => {
    const returning = await importTet(
      world,
      ['Lý Thị Gấm', 'Mai Văn Hải'].map((fullName) => listRow({ fullName })),
    );
    const rejecting = await importTet(
      world,
      ['Tạ Thị Ích', 'Cao Văn Khải'].map((fullName) => listRow({ fullName })),
    );
    for (const list of [returning, rejecting]) await batchAction(world.sessions.officer, list.batch.id, 'submit');
    const before = await Case.find({ batchId: { $in: [returning.batch.id, rejecting.batch.id] } }).lean();
    const returnReason = 'Thiếu xác nhận hoàn cảnh của công đoàn cơ sở';
    const rejectReason = 'Đoàn viên đã nhận quà Tết ở đơn vị khác';
    const { page, context, problems } = await openPage();
    try {
      const sent = sentActions(page);
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      const reasonError = page.getByText('Nhập lý do (ít nhất 5 ký tự)');

      await page.goto(`/batches/${returning.batch.id}`);
      await page.getByRole('button', { name: 'Trả lại', exact: true }).click();
      await page.getByRole('button', { name: 'Trả lại 2 hồ sơ' }).click();
      await reasonError.waitFor();
      await page.getByLabel('Lý do', { exact: true }).fill('   ');
      await page.getByRole('button', { name: 'Trả lại 2 hồ sơ' }).click();
      await reasonError.waitFor();
      await page.getByLabel('Lý do', { exact: true }).fill(returnReason);
      await page.getByRole('button', { name: 'Trả lại 2 hồ sơ' }).click();
      const result = page.getByRole('region', { name: 'Kết quả thao tác' });
      await result.getByText('2 hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 0 hồ sơ đã loại ra.').waitFor();
      expect(sent, 'one send, once the reason was given').to.deep.equal(['return']);
      // Each case shows the reason given, as its history keeps it.
      expect(
        await result.getByRole('row').filter({ hasText: 'Bị trả lại' }).filter({ hasText: returnReason }).count(),
      ).to.equal(2);
      await atRest(page);
      await checkPage(page, 'danh-sach-tra-lai');

      await page.goto(`/batches/${rejecting.batch.id}`);
      await page.getByRole('button', { name: 'Từ chối', exact: true }).click();
      const confirm = page.locator('.ant-popconfirm');
      // Final for the cases: asked once more, and even then refused without a reason.
      await page.getByRole('button', { name: 'Từ chối 2 hồ sơ' }).click();
      await confirm.getByRole('button', { name: 'Từ chối' }).click();
      await reasonError.waitFor();
      expect(sent).to.deep.equal(['return']);
      await page.getByLabel('Lý do', { exact: true }).fill(rejectReason);
      await page.getByRole('button', { name: 'Từ chối 2 hồ sơ' }).click();
      await confirm.getByRole('button', { name: 'Từ chối' }).click();
      await result.getByText('2 hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 0 hồ sơ đã loại ra.').waitFor();
      expect(sent).to.deep.equal(['return', 'reject']);
      expect(
        await result.getByRole('row').filter({ hasText: 'Bị từ chối' }).filter({ hasText: rejectReason }).count(),
      ).to.equal(2);

      for (const [list, status, action, reason] of [
        [returning, 'returned', 'return', returnReason],
        [rejecting, 'rejected', 'reject', rejectReason],
      ] as const) {
        const stored = await Case.find({ batchId: list.batch.id }).lean();
        expect(stored.map((c) => c.status)).to.deep.equal([status, status]);
        for (const c of stored) {
          const was = before.find((b) => String(b._id) === String(c._id))!;
          expect(c.history).to.have.length(was.history.length + 1);
          expect(c.history.at(-1)).to.include({ action, from: 'submitted', to: status, note: reason });
        }
        expect((await Batch.findById(list.batch.id).lean())!.actions.map((a) => a.action)).to.deep.equal([
          'submit',
          action,
        ]);
      }
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

describe('web: a list whose import stopped half-way', function () {
  this.timeout(120_000);

  it('when a list is incomplete, then Danh sách marks it and its page says why it stopped, how far it came and how to finish it, and its cases can be sent up', async () => {
    const world = await caseWorld();
    const imported = await importTet(world, [listRow(), listRow()]);
    // As a failed import job leaves a list (test/jobs/import-stopped.test.ts makes one for real): of a 600-row
    // file, the first chunk read, its cases made, the job's error kept.
    const importError = { code: 'UNAUTHENTICATED', detail: 'Người tạo công việc không còn hoạt động.' };
    await Batch.updateOne(
      { _id: imported.batch.id },
      { $set: { status: 'incomplete', rowCount: 600, rowsRead: 250, importError } },
    );
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.goto('/batches');
      await page.getByText('Nhập dở: đọc 250 dòng').waitFor();
      await page.goto(`/batches/${imported.batch.id}`);
      const warning = page.getByRole('alert').filter({ hasText: 'Danh sách mới nhập được một phần' });
      await warning.waitFor();
      const text = await warning.innerText();
      expect(text).to.contain('Việc nhập dừng sau 250 trên 600 dòng của tệp: Người tạo công việc không còn hoạt động.');
      expect(text).to.contain('2 hồ sơ nháp đã tạo');
      expect(text).to.contain('tải lên lại đúng tệp “danh-sach.csv”');
      await checkPage(page, 'danh-sach-nhap-do');
      await page.getByRole('button', { name: 'Gửi lên cấp trên' }).click();
      await page.getByRole('button', { name: 'Gửi lên cấp trên 2 hồ sơ' }).click();
      await page.getByText('2 hồ sơ đã thực hiện').first().waitFor();
      expect(await Case.countDocuments({ batchId: imported.batch.id, status: 'submitted' })).to.equal(2);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
