/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Download, Locator, Page, Response } from 'playwright-core';
import { arrange, type Session } from '../support/api.js';
import { PASSWORD } from '../support/factory.js';
import { actOk, caseWorld, monthsBefore, vnToday, type CaseWorld } from '../cases/case-fixtures.js';
import { approveBody, createFund, paymentBody, payOk, verifiedCase, type FundJson } from '../funds/fixtures.js';
import { OPEN_STATUSES } from '../../src/reports/events.js';
import type { Figures } from '../../src/reports/summary.js';
import { groupDigits, money } from '../../src/web/lib/format.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';

interface Summary {
  rows: unknown[];
  total: Figures;
}
interface Register {
  lines: { caseCode: string }[];
  total: { count: number; amount: number };
}

/** ECharts' own mark on the element it draws in: a script holding it is the ECharts chunk. */
const ECHARTS_MARK = '_echarts_instance_';

/** The total row as the page must print it: counts grouped, amounts as `50.000.000 đ`. */
function totalCells(f: Figures): string[] {
  return [
    'Tổng cộng',
    groupDigits(f.received.count),
    groupDigits(f.approved.count),
    money(f.approved.amount),
    groupDigits(f.disbursed.count),
    money(f.disbursed.amount),
    groupDigits(f.beneficiariesPaid),
    ...OPEN_STATUSES.map((s) => groupDigits(f.openAtEnd[s])),
  ];
}

/** Waits until the cells read `expected` (the previous period's figures stay while the next one loads). */
async function expectCells(cells: Locator, expected: string[]): Promise<void> {
  let actual: string[] = [];
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    actual = (await cells.allInnerTexts()).map((text) => text.trim());
    if (JSON.stringify(actual) === JSON.stringify(expected)) return;
  }
  expect(actual).to.deep.equal(expected);
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

/** Clicks a download button and answers the file and the API's response to it. */
async function downloadFrom(
  page: Page,
  button: string,
  format: string,
): Promise<{ file: Download; response: Response }> {
  const [file, response] = await Promise.all([
    page.waitForEvent('download'),
    page.waitForResponse((r) => r.url().includes('/api/v1/reports/') && r.url().includes(`format=${format}`)),
    page.getByRole('button', { name: button }).click(),
  ]);
  return { file, response };
}

describe('web: reports (Báo cáo)', function () {
  this.timeout(120_000);
  let world: CaseWorld;
  let fund: FundJson;
  const today = vnToday();
  const [year, month] = [today.slice(0, 4), Number(today.slice(5, 7))];
  const quarter = `${year}-Q${Math.ceil(month / 3)}`;

  const summary = (session: Session, query: string) =>
    arrange<Summary>(session.get(`/api/v1/reports/summary?${query}`), 200);

  /** A case of `kind` approved by a decision dated `decided` for `amount`, and `paid` today (payments cannot be back-dated). */
  async function paidCase(
    kind: 'union_house' | 'tet_gift',
    amount: number,
    paid: number,
    decided: string,
  ): Promise<void> {
    const verified = await verifiedCase(world, kind);
    await actOk(world.sessions.approver, verified.id, 'approve', {
      ...approveBody(verified, [{ fundId: fund.id, amount }]),
      decisionDate: decided,
    });
    await payOk(world.sessions.accountant, verified.id, paymentBody(fund.id, { amount: paid }));
  }

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    // Approved this month: a union house and a Tết gift; last month: another union house. All three paid today.
    await paidCase('union_house', 50_000_000, 25_000_000, today);
    await paidCase('tet_gift', 1_000_000, 1_000_000, today);
    await paidCase('union_house', 50_000_000, 20_000_000, monthsBefore(today, 1));
    await webEnv();
  });

  it('when an accountant opens Báo cáo, then the totals of the quarter, month, year, half-year and a range agree with the API, the chart is drawn and the register is listed', async () => {
    const s = world.sessions.accountant;
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, s.user.username, PASSWORD);
      const asked: string[] = [];
      page.on('request', (r) => r.url().includes('/api/v1/reports/summary') && asked.push(decodeURIComponent(r.url())));
      await page.getByRole('menuitem', { name: 'Báo cáo' }).click();
      const totalRow = page.getByRole('region', { name: /^Tổng hợp/ }).locator('tr.report-total td');

      // The current quarter by default, grouped by program.
      const byQuarter = await summary(s, `period=${quarter}&groupBy=program`);
      expect(byQuarter.total.disbursed).to.deep.equal({ count: 3, amount: 46_000_000 });
      await expectCells(totalRow, totalCells(byQuarter.total));
      expect(
        await page
          .getByRole('region', { name: /^Tổng hợp/ })
          .locator('tbody tr.ant-table-row')
          .count(),
      ).to.equal(byQuarter.rows.length);
      expect(
        asked.some((url) => url.includes(`period=${quarter}&groupBy=program`)),
        asked.join('\n'),
      ).to.equal(true);

      // The chart: bars drawn as SVG, named by a text summary of the same figures.
      const chart = page.getByRole('img', { name: /Biểu đồ cột số tiền phê duyệt và chi trả theo tháng/ });
      await chart.locator('svg path').first().waitFor({ state: 'attached' });
      expect(await chart.locator('svg path').count()).to.be.greaterThan(4);
      expect(await chart.getAttribute('aria-label')).to.contain(
        `tổng chi trả ${money(byQuarter.total.disbursed.amount)}`,
      );

      // The register of the quarter: every payment, with the API's total at its foot.
      const register = await arrange<Register>(s.get(`/api/v1/reports/disbursements?period=${quarter}`), 200);
      const registerPart = page.getByRole('region', { name: /^Sổ chi trả/ });
      await expectCells(registerPart.locator('tr.report-total td'), [
        `Tổng cộng: ${register.total.count} bút toán`,
        money(register.total.amount),
        '',
      ]);
      expect(await registerPart.locator('tbody tr.ant-table-row').count()).to.equal(register.lines.length);
      await registerPart.getByRole('link', { name: register.lines[0]!.caseCode }).waitFor();
      await checkPage(page, 'bao-cao');
      await page.getByText('Theo chương trình').click();
      await page
        .getByRole('img', { name: /theo chương trình/ })
        .locator('svg path')
        .first()
        .waitFor({ state: 'attached' });
      expect(new URL(page.url()).searchParams.get('chart')).to.equal('program');

      // This month only: two of the three approvals.
      await choose(page, 'Kỳ báo cáo', 'Tháng');
      await page.waitForURL(new RegExp(`period=${today.slice(0, 7)}`));
      const byMonth = await summary(s, `period=${today.slice(0, 7)}&groupBy=program`);
      expect(byMonth.total.approved).to.deep.equal({ count: 2, amount: 51_000_000 });
      await expectCells(totalRow, totalCells(byMonth.total));

      // The whole year, which holds last month's approval too (unless this is January).
      await choose(page, 'Kỳ báo cáo', 'Năm');
      await page.waitForURL(new RegExp(`period=${year}(&|$)`));
      const byYear = await summary(s, `period=${year}&groupBy=program`);
      expect(byYear.total.approved.amount).to.equal(month === 1 ? 51_000_000 : 101_000_000);
      await expectCells(totalRow, totalCells(byYear.total));

      // The half-year holding today, then the same days as a range (recomputed from the records).
      const half = `${year}-H${month <= 6 ? 1 : 2}`;
      await choose(page, 'Kỳ báo cáo', '6 tháng');
      await page.waitForURL(new RegExp(`period=${half}`));
      await expectCells(totalRow, totalCells((await summary(s, `period=${half}&groupBy=program`)).total));
      const [first, last] = month <= 6 ? [`${year}-01-01`, `${year}-06-30`] : [`${year}-07-01`, `${year}-12-31`];
      const days = `from=${first}&to=${last}`;
      await choose(page, 'Kỳ báo cáo', 'Khoảng ngày');
      await page.waitForURL(new RegExp(days));
      await expectCells(totalRow, totalCells((await summary(s, `${days}&groupBy=program`)).total));

      // Another organisation of the subtree: the upper union (all three cases lie under it).
      await choose(page, 'Đơn vị báo cáo', `${world.upper.name} (${world.upper.code})`);
      await page.waitForURL(new RegExp(`orgId=${world.upper.id}`));
      const upper = await summary(s, `${days}&groupBy=program&orgId=${world.upper.id}`);
      expect(upper.total.approved.count).to.equal(month === 1 || month === 7 ? 2 : 3);
      await expectCells(totalRow, totalCells(upper.total));
      const dmy = (day: string) => day.split('-').reverse().join('/');
      await page
        .getByRole('heading', { name: `Tổng hợp: Từ ngày ${dmy(first)} đến ngày ${dmy(last)} — ${world.upper.name}` })
        .waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the quarter’s summary is downloaded, then the XLSX holds the API’s total and CSV and PDF come with their types', async () => {
    const s = world.sessions.accountant;
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, s.user.username, PASSWORD);
      await page.goto(`/reports?period=${quarter}&groupBy=program`);
      const total = (await summary(s, `period=${quarter}&groupBy=program`)).total;

      const xlsx = await downloadFrom(page, 'Tải bảng tổng hợp XLSX', 'xlsx');
      expect(xlsx.file.suggestedFilename()).to.equal(`bao-cao-tong-hop-${quarter}.xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(readFileSync(await xlsx.file.path()) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      const last = sheet.getRow(sheet.rowCount);
      expect(last.getCell(1).value).to.equal('Tổng cộng');
      // Amount totals are SUM formulas carrying the API's figures as their cached results.
      const result = (col: number) => last.getCell(col).value as { formula: string; result: number };
      expect([result(4).result, result(6).result]).to.deep.equal([total.approved.amount, total.disbursed.amount]);
      expect(result(4).formula).to.match(/^SUM\(D6:D\d+\)$/);

      const csv = await downloadFrom(page, 'Tải sổ chi trả CSV', 'csv');
      expect(csv.response.headers()['content-type']).to.match(/^text\/csv/);
      expect(csv.file.suggestedFilename()).to.equal(`so-chi-tra-${quarter}.csv`);
      expect(readFileSync(await csv.file.path(), 'utf8'))
        .to.match(/^\uFEFF/)
        .and.to.include('Số chứng từ');

      const pdf = await downloadFrom(page, 'Tải bảng tổng hợp PDF', 'pdf');
      expect(pdf.response.headers()['content-type']).to.equal('application/pdf');
      expect(pdf.file.suggestedFilename()).to.match(/\.pdf$/);
      expect(
        readFileSync(await pdf.file.path())
          .subarray(0, 5)
          .toString(),
      ).to.equal('%PDF-');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a verifier signs in, then Báo cáo is not offered and its address refuses without asking the API', async () => {
    const { page, context } = await openPage();
    const asked: string[] = [];
    page.on('request', (r) => r.url().includes('/api/v1/reports') && asked.push(r.url()));
    try {
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      const items = await page.getByRole('navigation', { name: 'Các mục' }).getByRole('menuitem').allInnerTexts();
      expect(items.map((t) => t.trim())).to.not.include('Báo cáo');
      await page.goto('/reports');
      await page.getByText('Không có quyền').waitFor();
      expect(asked).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('when Việc cần làm is loaded, then ECharts and the reports chunk are not downloaded; opening Báo cáo downloads them', async () => {
    const { page, context, problems } = await openPage();
    const scripts: { url: string; body: Promise<string> }[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push({ url: r.url(), body: r.text() });
    });
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await page.reload();
      await page.getByRole('heading', { name: 'Việc cần làm' }).waitFor();
      await page.waitForLoadState('networkidle');
      const first = await Promise.all(
        scripts.map(async (s) => ({ url: s.url, echarts: (await s.body).includes(ECHARTS_MARK) })),
      );
      expect(first.length).to.be.greaterThan(0);
      expect(first.filter((s) => s.echarts || /Report|EChart/.test(s.url)).map((s) => s.url)).to.deep.equal([]);

      await page.getByRole('menuitem', { name: 'Báo cáo' }).click();
      await page
        .getByRole('img', { name: /Biểu đồ cột/ })
        .locator('svg')
        .waitFor();
      const later = await Promise.all(
        scripts.slice(first.length).map(async (s) => ({ url: s.url, echarts: (await s.body).includes(ECHARTS_MARK) })),
      );
      expect(
        later.some((s) => /ReportsPage/.test(s.url)),
        'the reports chunk',
      ).to.equal(true);
      expect(later.filter((s) => s.echarts).length, 'one chunk holds ECharts').to.equal(1);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
