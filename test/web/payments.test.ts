/// <reference lib="dom" />
/**
 * Chi trả in the browser (issue 9 item 8): the payment form pays once however often it is clicked or
 * retried (one Idempotency-Key per opening), the payer is not offered their own reversal, another
 * accountant reverses with a reason, the VietQR image shows, and the bank's transfer lists download.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Page, Request } from 'playwright-core';
import { arrange, expectProblem } from '../support/api.js';
import { createUser, PASSWORD, unique } from '../support/factory.js';
import { provinceFund } from '../support/funds.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { caseWorld, PNG, storedCase, upload, vnToday, type CaseWorld } from '../cases/case-fixtures.js';
import { approvedCase } from '../decisions/decision-fixtures.js';
import { pay, paymentBody, payOk, type DisbursementJson } from '../funds/fixtures.js';
import { checkPage, DESKTOP, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';
import { settled } from './support/settle.js';

/** The Idempotency-Key of every payment request the page sends for the case. */
function paymentKeys(page: Page, caseId: string): string[] {
  const keys: string[] = [];
  page.on('request', (request: Request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/api/v1/cases/${caseId}/disbursements`))
      keys.push(request.headers()['idempotency-key'] ?? '');
  });
  return keys;
}

/** A paid union house whose member has an account name of its own, so that the bank lists can be searched for it. */
async function paidCase(world: CaseWorld): Promise<{ code: string; accountName: string; payment: DisbursementJson }> {
  const accountName = `TRAN THI ${unique('B')}`;
  const view = await approvedCase(
    world,
    'union_house',
    {},
    {
      member: { fullName: 'Trần Thị Bình', bankAccount: { bankBin: '970415', accountNo: '0011002233', accountName } },
    },
  );
  const payment = await payOk(
    world.sessions.accountant,
    view.id,
    paymentBody(await provinceFund(world), { amount: 25_000_000, trancheNo: 1 }),
  );
  return { code: view.code, accountName, payment };
}

describe('web: payments (Chi trả)', function () {
  this.timeout(120_000);
  let world: CaseWorld;

  before(async () => {
    [world] = await Promise.all([caseWorld(), webEnv()]);
  });

  it('when an accountant double-clicks "Ghi nhận khoản chi" on a slow connection and later retries a payment whose answer was lost, then each tranche is paid exactly once', async () => {
    const view = await approvedCase(world, 'union_house');
    const { page, context, problems } = await openPage();
    try {
      const keys = paymentKeys(page, view.id);
      // A slow connection: the first answer takes its time, long enough for more clicks to land.
      await page.route(`**/api/v1/cases/${view.id}/disbursements`, async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        const response = await route.fetch();
        await new Promise((resolve) => setTimeout(resolve, 700));
        await route.fulfill({ response });
      });
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      await page.goto(`/payments?caseId=${view.id}`);
      const form = page.getByRole('dialog', { name: `Ghi nhận chi trả – ${view.code}` });
      await form.getByLabel('Số phiếu chi / chứng từ').fill('PC-WEB-1');
      expect(await form.getByLabel('Số tiền chi').inputValue()).to.equal('25.000.000');
      // The member's bank by its name (BIN 970415 in the fixture), never as a code.
      await form.getByText(/ngân hàng VietinBank\./).waitFor();
      expect(await form.innerText()).to.not.include('BIN');
      await settled(page);
      await checkPage(page, 'ghi-nhan-chi-tra');

      const submit = form.getByRole('button', { name: 'Ghi nhận khoản chi' });
      await submit.dblclick();
      await submit.click({ timeout: 500 }).catch(() => undefined);
      await form.waitFor({ state: 'hidden' });
      await page.waitForTimeout(800);
      expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(1);
      expect(await storedCase(view.id)).to.deep.include({ status: 'partially_disbursed', disbursedAmount: 25_000_000 });
      expect(keys.length).to.be.at.least(1);
      expect(new Set(keys).size, 'one key for the whole opening').to.equal(1);
      const firstKey = keys[0];

      // Tranche 2 needs the handover minutes. The answer to the first try is lost on the way back: the
      // server paid, the browser sees a dropped connection; the retry of the same opening must not pay again.
      await upload(world.sessions.officer, view.id, 'handover_minutes');
      await page.unroute(`**/api/v1/cases/${view.id}/disbursements`);
      let dropped = false;
      await page.route(`**/api/v1/cases/${view.id}/disbursements`, async (route) => {
        if (route.request().method() !== 'POST' || dropped) return route.continue();
        dropped = true;
        await route.fetch();
        await route.abort('connectionreset');
      });
      keys.length = 0;
      await page.reload();
      await page.getByRole('button', { name: `Chi trả hồ sơ ${view.code}` }).click();
      await form.getByLabel('Số phiếu chi / chứng từ').fill('PC-WEB-2');
      await form.getByRole('button', { name: 'Ghi nhận khoản chi' }).click();
      await form.getByRole('alert').filter({ hasText: 'Không kết nối được máy chủ' }).waitFor();
      expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(2);
      await form.getByRole('button', { name: 'Ghi nhận khoản chi' }).click();
      await form.waitFor({ state: 'hidden' });

      expect(await Disbursement.countDocuments({ caseId: view.id })).to.equal(2);
      expect(await storedCase(view.id)).to.deep.include({ status: 'disbursed', disbursedAmount: 50_000_000 });
      expect(keys).to.have.length(2);
      expect(keys[0]).to.equal(keys[1]);
      expect(keys[0], 'a new opening has a new key').to.not.equal(firstKey);
      expectNoProblems(problems.filter((p) => !/net::ERR_CONNECTION_RESET/.test(p)));
    } finally {
      await context.close();
    }
  });

  it("when the accountant's computer is set to a time zone where it is another day, then the payment form still offers Vietnam's today and the payment shows under that day", async () => {
    const today = vnToday();
    const vnHour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
    // UTC-12 is a day behind Vietnam until 19:00 there; UTC+14 a day ahead from 17:00.
    const timezoneId = vnHour < 18 ? 'Etc/GMT+12' : 'Pacific/Kiritimati';
    const view = await approvedCase(world, 'tet_gift');
    const { page, context, problems } = await openPage(DESKTOP, { timezoneId });
    try {
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      const computerDay = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
      expect(computerDay, 'the computer is on another day than Vietnam').to.not.equal(today);
      await page.goto(`/payments?caseId=${view.id}`);
      const form = page.getByRole('dialog', { name: `Ghi nhận chi trả – ${view.code}` });
      expect(await form.getByLabel('Ngày chi').inputValue()).to.equal(today.split('-').reverse().join('/'));
      await form.getByLabel('Số phiếu chi / chứng từ').fill('PC-MUI-GIO');
      await form.getByRole('button', { name: 'Ghi nhận khoản chi' }).click();
      await form.waitFor({ state: 'hidden' });
      const stored = await Disbursement.findOne({ caseId: view.id }).lean();
      expect(stored).to.include({ paidAt: today, voucherNo: 'PC-MUI-GIO' });
      const row = page.getByRole('row').filter({ hasText: 'PC-MUI-GIO' });
      expect(await row.getByRole('cell').first().innerText()).to.equal(today.split('-').reverse().join('/'));
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the accountant who paid opens the payments, then receipts, VietQR and the bank lists are offered but not the reversal', async () => {
    const { code, accountName, payment } = await paidCase(world);
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      await page.goto('/payments');
      const row = page.getByRole('row').filter({ hasText: payment.voucherNo });
      await row.getByRole('button', { name: /^VietQR/ }).waitFor();
      expect(await row.getByRole('button', { name: /Hủy khoản chi/ }).count()).to.equal(0);

      await row.getByRole('button', { name: /^Chứng từ \(0\)/ }).click();
      const receipts = page.getByRole('dialog', { name: `Chứng từ – phiếu ${payment.voucherNo}` });
      await receipts
        .locator('input[type=file]')
        .setInputFiles({ name: 'phieu-chi.png', mimeType: 'image/png', buffer: PNG });
      await receipts.getByText('phieu-chi.png').waitFor();
      expect((await Disbursement.findById(payment.id).lean())?.receipts.map((r) => r.originalName)).to.deep.equal([
        'phieu-chi.png',
      ]);
      const [saved] = await Promise.all([
        page.waitForEvent('download'),
        receipts.getByRole('button', { name: /^Tải về/ }).click(),
      ]);
      expect(saved.suggestedFilename()).to.equal('phieu-chi.png');
      expect(readFileSync(await saved.path()).equals(PNG)).to.equal(true);
      await page.keyboard.press('Escape');
      await receipts.waitFor({ state: 'hidden' });

      await row.getByRole('button', { name: /^VietQR/ }).click();
      const qr = page.getByRole('dialog', { name: `Mã VietQR – ${code}` });
      await qr.getByText('0011002233').waitFor();
      await qr.getByText(accountName).waitFor();
      expect(await qr.getByRole('row').filter({ hasText: 'Ngân hàng' }).innerText())
        .to.include('VietinBank')
        .and.not.to.include('BIN');
      const image = qr.getByRole('img', { name: /Mã VietQR chuyển 25\.000\.000 đ/ });
      await image.waitFor();
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('.ant-modal img');
        return Boolean(img?.complete && img.naturalWidth > 0);
      });
      expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).to.be.greaterThan(0);
      await page.keyboard.press('Escape');
      await qr.waitFor({ state: 'hidden' });

      const [xlsx] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Danh sách chuyển khoản (XLSX)' }).click(),
      ]);
      expect(xlsx.suggestedFilename()).to.match(/^danh-sach-chuyen-khoan_.+\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await xlsx.path());
      const rows: string[] = [];
      workbook.worksheets[0]!.eachRow((r) => rows.push(JSON.stringify(r.values)));
      expect(
        rows.find((r) => r.includes(code)),
        'the case in the XLSX',
      ).to.include(accountName);

      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Danh sách chuyển khoản (CSV)' }).click(),
      ]);
      expect(csv.suggestedFilename()).to.match(/^danh-sach-chuyen-khoan_.+\.csv$/);
      const line = readFileSync(await csv.path(), 'utf8')
        .split('\r\n')
        .find((l) => l.includes(code));
      expect(line, 'the case in the CSV').to.include(accountName).and.include('0011002233');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a second accountant reverses the payment with a reason, then the reversal is stored and the payment is marked reversed', async () => {
    const { payment } = await paidCase(world);
    const checker = await createUser(world.sessions.admin, world.province.id, ['accountant']);
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, checker.username, PASSWORD);
      await page.goto('/payments');
      const row = page.getByRole('row').filter({ hasText: payment.voucherNo }).filter({ hasText: 'Đã chi' });
      await row.getByRole('button', { name: /^Hủy khoản chi/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Hủy khoản chi' });
      await dialog.getByRole('button', { name: 'Hủy khoản chi' }).click();
      await dialog.getByText('Nhập lý do hủy (ít nhất 5 ký tự)').waitFor();
      await dialog.getByLabel('Lý do hủy').fill('Chi nhầm số tài khoản của đoàn viên');
      await dialog.getByRole('button', { name: 'Hủy khoản chi' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const reversal = await Disbursement.findOne({ reverses: payment.id, kind: 'reversal' }).lean();
      expect(reversal, 'a reversal entry is stored').to.not.equal(null);
      expect(reversal).to.deep.include({
        status: 'reversal',
        amount: -payment.amount,
        reason: 'Chi nhầm số tài khoản của đoàn viên',
      });
      expect(reversal!.createdBy?.id).to.equal(checker.id);
      expect((await Disbursement.findById(payment.id).lean())?.status).to.equal('reversed');
      expect(await storedCase(payment.caseId)).to.deep.include({ status: 'approved', disbursedAmount: 0 });

      await page.getByRole('row').filter({ hasText: payment.voucherNo }).filter({ hasText: 'Bút toán hủy' }).waitFor();
      await page.getByRole('row').filter({ hasText: payment.voucherNo }).filter({ hasText: 'Đã hủy' }).waitFor();
      await settled(page);
      await checkPage(page, 'chi-tra');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  for (const role of ['approver', 'admin'] as const) {
    it(`when ${role === 'approver' ? 'an approver' : 'an administrator'} opens Chi trả, then the payments and their receipts can be read but nothing the server keeps for accountants is offered, and the API refuses a payment from them`, async () => {
      const { code, payment } = await paidCase(world);
      await arrange(
        world.sessions.accountant
          .upload(`/api/v1/disbursements/${payment.id}/receipts`)
          .attach('file', PNG, 'phieu-chi.png'),
      );
      const reader = world.sessions[role];
      const { page, context, problems } = await openPage();
      try {
        await signIn(page, reader.user.username, PASSWORD);
        // A link meant for accountants (from a case page) opens no payment form for them.
        await page.goto(`/payments?caseId=${payment.caseId}`);
        await page
          .locator('.ant-card')
          .filter({ hasText: 'Hồ sơ chờ chi trả' })
          .getByRole('row')
          .filter({ hasText: code })
          .waitFor();
        const row = page.getByRole('row').filter({ hasText: payment.voucherNo });
        await row.waitFor();
        await settled(page);
        expect(await row.getByRole('button').allInnerTexts()).to.deep.equal(['Chứng từ (1)']);
        for (const offered of [
          /^Chi trả hồ sơ/,
          /^VietQR/,
          /^Hủy khoản chi/,
          /^Danh sách chuyển khoản/,
          /^Ghi nhận khoản chi/,
        ]) {
          expect(await page.getByRole('button', { name: offered }).count(), String(offered)).to.equal(0);
        }
        expect(await page.getByRole('dialog').count(), 'no payment form').to.equal(0);

        await row.getByRole('button', { name: /^Chứng từ \(1\)/ }).click();
        const receipts = page.getByRole('dialog', { name: `Chứng từ – phiếu ${payment.voucherNo}` });
        const [saved] = await Promise.all([
          page.waitForEvent('download'),
          receipts.getByRole('button', { name: 'Tải về phieu-chi.png' }).click(),
        ]);
        expect(readFileSync(await saved.path()).equals(PNG)).to.equal(true);
        expect(await receipts.getByRole('button', { name: 'Tải chứng từ lên' }).count()).to.equal(0);
        expect(await receipts.locator('input[type=file]').count()).to.equal(0);
        await checkPage(page, `chi-tra-chung-tu-${role}`);
        await page.keyboard.press('Escape');
        await receipts.waitFor({ state: 'hidden' });
        await checkPage(page, `chi-tra-${role}`);

        // What the page did not offer, the server refuses them.
        expectProblem(
          await pay(reader, payment.caseId, paymentBody(payment.fundId, { trancheNo: 2 })),
          403,
          'FORBIDDEN',
        );
        expectProblem(
          await reader.post(`/api/v1/disbursements/${payment.id}/reverse`, { reason: 'Chi nhầm tài khoản' }),
          403,
          'FORBIDDEN',
        );
        expectProblem(
          await reader.upload(`/api/v1/disbursements/${payment.id}/receipts`).attach('file', PNG, 'them.png'),
          403,
          'FORBIDDEN',
        );
        expectProblem(await reader.get('/api/v1/disbursements/transfer-list?format=csv'), 403, 'FORBIDDEN');
        expectProblem(await reader.get(`/api/v1/disbursements/${payment.id}/vietqr`), 403, 'FORBIDDEN');
        expect(await Disbursement.countDocuments({ caseId: payment.caseId })).to.equal(1);
        expectNoProblems(problems);
      } finally {
        await context.close();
      }
    });
  }
});
