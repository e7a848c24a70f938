/// <reference lib="dom" />
import { expect } from 'chai';
import { arrange } from '../support/api.js';
import { PASSWORD, unique } from '../support/factory.js';
import { caseAt, caseWorld, readCase, upload, type CaseWorld } from '../cases/case-fixtures.js';
import { choose, documentRow, fieldError, messagesGone, offeredActions, uploadFile } from './cases-fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';
import { settled } from './support/settle.js';

const STALE = 'Hồ sơ vừa được người khác thay đổi; trang đã tải lại bản mới nhất.';

describe('web: Hồ sơ — verification, approval and concurrent changes', function () {
  this.timeout(150_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
    await webEnv();
  });

  it('when a verifier opens a submitted case, then only verify, return and reject are offered, and verifying after the survey minutes stores the recommended amount', async () => {
    const submitted = await caseAt(world, 'submitted', 'union_house');
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      await page.goto(`/cases/${submitted.id}`);
      await page.getByRole('heading', { name: new RegExp(submitted.code) }).waitFor();
      expect(await offeredActions(page)).to.deep.equal(['Thẩm định', 'Trả lại', 'Từ chối']);
      await page.getByText('Biên bản khảo sát thực tế — còn thiếu').waitFor();

      await uploadFile(page, 'Biên bản khảo sát thực tế', 'bien-ban-khao-sat.pdf');
      await page.getByText('Đã đủ giấy tờ cho bước tiếp theo').waitFor();
      await page.getByRole('button', { name: 'Thẩm định' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Số tiền đề xuất hỗ trợ').fill('45000000');
      await dialog.getByLabel('Ghi chú').fill('Đã khảo sát thực tế, nhà tạm xuống cấp');
      await messagesGone(page);
      await checkPage(page, 'ho-so-tham-dinh');
      await dialog.getByRole('button', { name: 'Xác nhận thẩm định' }).click();
      await page.getByRole('heading', { name: /Đã thẩm định/ }).waitFor();
      await page.getByText('Đã khảo sát thực tế, nhà tạm xuống cấp').waitFor();

      const stored = await readCase(world.sessions.verifier, submitted.id);
      expect(stored).to.include({ status: 'verified', recommendedAmount: 45_000_000 });
      expect(stored.documents.map((d) => d.type)).to.include('site_survey_minutes');
      expect(stored.history.at(-1)).to.include({
        action: 'verify',
        from: 'submitted',
        to: 'verified',
        note: 'Đã khảo sát thực tế, nhà tạm xuống cấp',
      });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an approver allocates two funds, then a wrong total is refused before sending and the right one stores the amount, the allocations and a decision', async () => {
    const verified = await caseAt(world, 'verified', 'union_house');
    const accountant = world.sessions.accountant;
    const [first, second] = await Promise.all([
      arrange<{ id: string; code: string }>(
        accountant.post('/api/v1/funds', {
          code: unique('TCCD'),
          name: 'Tài chính công đoàn 2026',
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
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.goto(`/cases/${verified.id}`);
      await page.getByRole('heading', { name: new RegExp(verified.code) }).waitFor();
      expect(await offeredActions(page)).to.deep.equal(['Trả lại', 'Từ chối', 'Phê duyệt']);
      await page.getByRole('button', { name: 'Phê duyệt' }).click();
      const dialog = page.getByRole('dialog');
      expect(await dialog.getByLabel('Số tiền phê duyệt').inputValue()).to.equal('50.000.000');
      await choose(dialog, 'Nguồn 1', `${first.code} — Tài chính công đoàn 2026 (còn 30.000.000 đ)`);
      await dialog.getByLabel('Số tiền nguồn 1').fill('30000000');
      await dialog.getByRole('button', { name: 'Thêm nguồn' }).click();
      await choose(dialog, 'Nguồn 2', `${second.code} — Tài trợ Mái ấm 2026 (còn 100.000.000 đ)`);
      await dialog.getByLabel('Số tiền nguồn 2').fill('10000000');
      await dialog.getByLabel('Người ký quyết định').fill('Nguyễn Văn Danh');
      await dialog.getByRole('button', { name: 'Phê duyệt' }).click();
      await dialog.getByText('Tổng phân bổ 40.000.000 đ phải bằng số tiền phê duyệt 50.000.000 đ').waitFor();
      expect((await readCase(world.sessions.approver, verified.id)).status).to.equal('verified');

      await dialog.getByLabel('Số tiền nguồn 2').fill('20000000');
      await dialog.getByText('Tổng phân bổ: 50.000.000 đ / số phê duyệt 50.000.000 đ').waitFor();
      await checkPage(page, 'ho-so-phe-duyet');
      await dialog.getByRole('button', { name: 'Phê duyệt' }).click();
      await page.getByRole('heading', { name: /Đã phê duyệt/ }).waitFor();
      await page.getByText(/Quyết định số .+, người ký Nguyễn Văn Danh/).waitFor();

      const stored = await readCase(world.sessions.approver, verified.id);
      const full = stored as typeof stored & {
        fundAllocations: { fundId: string; amount: number }[];
        decisionId: string | null;
      };
      expect(stored).to.include({ status: 'approved', approvedAmount: 50_000_000 });
      expect(full.fundAllocations.map(({ fundId, amount }) => ({ fundId, amount }))).to.deep.equal([
        { fundId: first.id, amount: 30_000_000 },
        { fundId: second.id, amount: 20_000_000 },
      ]);
      expect(full.decisionId).to.be.a('string');

      const [tab] = await Promise.all([
        context.waitForEvent('page'),
        page.getByRole('button', { name: 'Mở PDF' }).click(),
      ]);
      await tab.waitForURL(/^blob:/);
      await settled(page);
      await messagesGone(page);
      await checkPage(page, 'ho-so-da-phe-duyet');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when someone else changes the case while a dialog is open, then the page says so, shows the new version and nothing is returned', async () => {
    const submitted = await caseAt(world, 'submitted', 'union_house');
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      await page.goto(`/cases/${submitted.id}`);
      await page.getByRole('button', { name: 'Trả lại' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Trả lại' }).click();
      await fieldError(dialog, 'Lý do').waitFor();
      await dialog.getByLabel('Lý do').fill('Thiếu xác nhận của UBND xã');

      await upload(world.sessions.verifier, submitted.id, 'site_survey_minutes');
      await dialog.getByRole('button', { name: 'Trả lại' }).click();
      await page.getByRole('alert').filter({ hasText: STALE }).waitFor();
      await documentRow(page, 'site_survey_minutes.png').waitFor();

      const stored = await readCase(world.sessions.verifier, submitted.id);
      expect(stored.status).to.equal('submitted');
      expect(stored.history.map((h) => h.action)).to.not.include('return');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an accountant opens an approved case, then its payments show read-only with a link to Chi trả and no workflow button', async () => {
    const approved = await caseAt(world, 'approved', 'union_house');
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      await page.goto(`/cases/${approved.id}`);
      await page.getByText('Chưa chi khoản nào').waitFor();
      expect(
        await page
          .locator('.app-content')
          .getByRole('link', { name: 'Ghi nhận chi trả', exact: true })
          .getAttribute('href'),
      ).to.equal(`/payments?caseId=${approved.id}`);
      expect(await offeredActions(page)).to.deep.equal([]);
      await page.getByText('Hoàn thành, bàn giao (50%)', { exact: false }).waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
