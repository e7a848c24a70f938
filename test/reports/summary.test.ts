import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import request, { type Response } from 'supertest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/core/logger.js';
import { testEnv } from '../support/global-setup.js';
import { arrange, type Session } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound, expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { caseAt, caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  paymentBody,
  payOk,
  secondAccountant,
  today,
  type FundJson,
} from '../funds/fixtures.js';
import { checkReportTotals, rebuildReportTotals } from '../../src/reports/index.js';

interface Figures {
  received: { count: number };
  approved: { count: number; amount: number };
  disbursed: { count: number; amount: number };
  beneficiariesPaid: number;
  openAtEnd: Record<string, number>;
}
type Row = { key: Record<string, string | null>; labels: Record<string, string> } & Figures;
interface Summary {
  rows: Row[];
  total: Figures;
  source: string;
  org: { id: string; name: string };
}

describe('reports: summary and register over real flows', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;
  let fund: FundJson;
  let checker: Session;
  const year = today().slice(0, 4);

  const summary = async (query: string, session = world.sessions.accountant) =>
    arrange<Summary>(session.get(`/api/v1/reports/summary?${query}`), 200);

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    checker = await secondAccountant(world);
    // A union house approved for 50,000,000, paid 25,000,000, that payment reversed, then paid again.
    const house = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    const first = await payOk(world.sessions.accountant, house.id, paymentBody(fund.id));
    await arrange(checker.post(`/api/v1/disbursements/${first.id}/reverse`, { reason: 'Chi nhầm số tài khoản' }));
    await payOk(world.sessions.accountant, house.id, paymentBody(fund.id));
    // A Tết gift approved then revoked, and one only submitted.
    await caseAt(world, 'revoked', 'tet_gift');
    await caseAt(world, 'submitted', 'tet_gift');
  });

  it('when the year is asked, then the totals count received, standing approvals, net payments, payees and open cases', async function () {
    const report = await summary(`period=${year}&orgId=${world.province.id}`);
    expect(report.source).to.equal('totals');
    expect(report.total.received.count).to.equal(3);
    expect(report.total.approved).to.deep.equal({ count: 1, amount: 50_000_000 });
    expect(report.total.disbursed).to.deep.equal({ count: 1, amount: 25_000_000 });
    expect(report.total.beneficiariesPaid).to.equal(1);
    expect(report.total.openAtEnd).to.include({ submitted: 1, partially_disbursed: 1, approved: 0, verified: 0 });
  });

  it('when the same days are asked as from/to, then the recomputation from the raw records agrees', async function () {
    const byTotals = await summary(`period=${year}&groupBy=program,org`);
    const byRecords = await summary(`from=${year}-01-01&to=${year}-12-30&groupBy=program&groupBy=org`);
    expect(byRecords.source).to.equal('records');
    if (today() <= `${year}-12-30`) {
      expect(byRecords.total).to.deep.equal(byTotals.total);
      expect(byRecords.rows).to.deep.equal(byTotals.rows.map((r) => ({ ...r })));
    }
  });

  it('when the maintained totals are checked and rebuilt, then they equal the recomputation', async function () {
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    const before = await summary(`period=${year}&groupBy=fund`);
    await rebuildReportTotals(world.province.id);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    expect(await summary(`period=${year}&groupBy=fund`)).to.deep.equal(before);
  });

  for (const dim of ['program', 'subtype', 'org', 'fund', 'month', 'campaign']) {
    it(`when grouped by ${dim}, then the rows add up to the total and the total does not change`, async function () {
      const report = await summary(`period=${year}&groupBy=${dim}`);
      const plain = await summary(`period=${year}`);
      expect(report.total).to.deep.equal(plain.total);
      const sum = (f: (x: Figures) => number) => report.rows.reduce((s, r) => s + f(r), 0);
      expect(sum((f) => f.received.count)).to.equal(3);
      expect(sum((f) => f.disbursed.amount)).to.equal(25_000_000);
      expect(sum((f) => f.approved.amount)).to.equal(50_000_000);
      expect(report.rows.every((r) => Object.keys(r.key).join() === dim)).to.equal(true);
      // SPEC Appendix A: the figures stand beside the key, not under a member of their own.
      for (const r of report.rows)
        expect(r).to.have.all.keys(
          'key',
          'labels',
          'received',
          'approved',
          'disbursed',
          'beneficiariesPaid',
          'openAtEnd',
        );
      if (dim === 'org') expect(report.rows.map((r) => r.key.org)).to.deep.equal([world.upper.id]);
    });
  }

  it('when the register is read, then it lists payments and the reversal with a running total equal to the summary', async function () {
    const register = await arrange<{
      lines: { kind: string; amount: number; runningTotal: number; caseCode: string; voucherNo: string }[];
      total: { amount: number };
    }>(world.sessions.accountant.get(`/api/v1/reports/disbursements?period=${year}`), 200);
    expect(register.lines.map((l) => l.kind)).to.deep.equal(['payment', 'reversal', 'payment']);
    expect(register.lines.map((l) => l.runningTotal)).to.deep.equal([25_000_000, 0, 25_000_000]);
    expect(register.total.amount).to.equal((await summary(`period=${year}`)).total.disbursed.amount);
  });

  it('when the register is asked a page at a time, then each page holds its lines as the whole register numbers them, with the whole total', async function () {
    type Register = {
      lines: { no: number; id: string; runningTotal: number }[];
      total: { count: number; amount: number };
      page?: number;
      limit?: number;
    };
    const base = `/api/v1/reports/disbursements?period=${year}`;
    const whole = await arrange<Register>(world.sessions.accountant.get(base), 200);
    expect(whole).to.not.have.property('page');
    for (const page of [1, 2, 3, 4]) {
      const one = await arrange<Register>(world.sessions.accountant.get(`${base}&page=${page}&limit=1`), 200);
      expect(one.lines).to.deep.equal(whole.lines.slice(page - 1, page));
      expect([one.total, one.page, one.limit]).to.deep.equal([whole.total, page, 1]);
    }
    const two = await arrange<Register>(world.sessions.accountant.get(`${base}&page=2&limit=2`), 200);
    expect(two.lines.map((l) => l.no)).to.deep.equal([3]);
    expectValidation(await world.sessions.accountant.get(`${base}&limit=101`), 'limit');
    expectValidation(await world.sessions.accountant.get(`${base}&page=0&limit=10`), 'page');
  });

  it('when the register is downloaded as XLSX and as CSV (written as its lines are read), then each holds every line of the JSON register in order and its total', async function () {
    type Line = {
      no: number;
      paidAt: string;
      voucherNo: string;
      kind: string;
      caseCode: string;
      beneficiary: string;
      union: string;
      fund: string;
      amount: number;
      runningTotal: number;
    };
    const register = await arrange<{ lines: Line[]; total: { count: number; amount: number } }>(
      world.sessions.accountant.get(`/api/v1/reports/disbursements?period=${year}`),
      200,
    );
    const expected = register.lines.map((l) => [
      l.no,
      l.paidAt.split('-').reverse().join('/'),
      l.voucherNo,
      l.kind === 'reversal' ? 'Hủy chi' : 'Chi',
      l.caseCode,
      l.beneficiary,
      l.union,
      l.fund,
      l.amount,
      l.runningTotal,
    ]);
    expect(expected).to.have.length(3);

    const xlsx = await world.sessions.accountant
      .get(`/api/v1/reports/disbursements?period=${year}&format=xlsx`)
      .buffer(true)
      .parse(binary);
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers['content-disposition']).to.match(/so-chi-tra-.*\.xlsx/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(String(sheet.getCell(2, 1).value)).to.equal('SỔ CHI TRẢ HỖ TRỢ ĐOÀN VIÊN');
    expect(sheet.views[0]).to.include({ state: 'frozen', ySplit: 5 });
    expect(sheet.pageSetup.printTitlesRow).to.equal('5:5');
    expect(sheet.getColumn(9).numFmt).to.equal('#,##0');
    expect(sheet.getRow(5).getCell(10).value).to.equal('Lũy kế (đồng)');
    const rows = [6, 7, 8].map((n) => (sheet.getRow(n).values as unknown[]).slice(1));
    expect(rows).to.deep.equal(expected);
    const total = sheet.getRow(9);
    expect(total.getCell(1).value).to.equal('Tổng cộng');
    expect(total.getCell(4).value).to.equal('3 bút toán');
    expect(total.getCell(9).value).to.deep.equal({ formula: 'SUM(I6:I8)', result: register.total.amount });
    expect(sheet.rowCount).to.equal(9);

    const csv = await world.sessions.accountant
      .get(`/api/v1/reports/disbursements?period=${year}&format=csv`)
      .buffer(true)
      .parse(binary);
    const lines = (csv.body as Buffer).toString('utf8').split('\r\n');
    expect(lines[0]).to.equal('\uFEFFSỔ CHI TRẢ HỖ TRỢ ĐOÀN VIÊN');
    expect(lines.slice(5, 8)).to.deep.equal(expected.map((row) => row.join(',')));
    expect(lines[8]).to.equal(`Tổng cộng,,,3 bút toán,,,,,${register.total.amount},${register.total.amount}`);
    expect(lines.slice(9)).to.deep.equal(['']);
  });

  it('when the register of another province is asked as a file, then 404 problem+json before any byte of the file', async function () {
    for (const format of ['xlsx', 'csv']) {
      const res = await world.sessions.accountant.get(
        `/api/v1/reports/disbursements?period=${year}&orgId=${foreign.province.id}&format=${format}`,
      );
      expectNotFound(res);
      expect(res.headers['content-disposition']).to.equal(undefined);
    }
  });

  it('when the register holds more lines than a PDF may (REPORT_PDF_MAX_LINES), then its PDF answers 400 naming format, while JSON, XLSX and CSV still give every line', async function () {
    const appWith = (pdfMaxLines: number) =>
      createApp({ config: { ...testEnv().config, reports: { pdfMaxLines } }, logger: createLogger('silent') });
    const get = (app: Express, format: string) =>
      request(app)
        .get(`/api/v1/reports/disbursements?period=${year}&format=${format}`)
        .set('Authorization', `Bearer ${world.sessions.accountant.token}`)
        .buffer(true)
        .parse(binary);
    const short = appWith(2);
    const refused = await request(short)
      .get(`/api/v1/reports/disbursements?period=${year}&format=pdf`)
      .set('Authorization', `Bearer ${world.sessions.accountant.token}`);
    expectValidation(refused, 'format');
    expect(refused.body.errors[0].message).to.equal(
      'Sổ chi trả của kỳ này có hơn 2 bút toán, quá dài để in PDF; hãy tải XLSX hoặc CSV, hoặc chọn kỳ ngắn hơn hay đơn vị nhỏ hơn.',
    );
    for (const format of ['json', 'xlsx', 'csv']) expect((await get(short, format)).status, format).to.equal(200);
    // A page asked with the PDF changes nothing: the file is the whole register, so still too long.
    expectValidation(
      await request(short)
        .get(`/api/v1/reports/disbursements?period=${year}&format=pdf&page=1&limit=1`)
        .set('Authorization', `Bearer ${world.sessions.accountant.token}`),
      'format',
    );
    // At the limit exactly (the register's 3 lines), the PDF is drawn.
    const atLimit = await get(appWith(3), 'pdf');
    expect([atLimit.status, atLimit.headers['content-type']]).to.deep.equal([200, 'application/pdf']);
  });

  it('when exported, then XLSX parses back, CSV has the BOM and Vietnamese headers, and the PDF text names title, period and organisation', async function () {
    const xlsx = await world.sessions.accountant
      .get(`/api/v1/reports/summary?period=${year}&groupBy=program&format=xlsx`)
      .buffer(true)
      .parse(binary);
    expect(xlsx.status).to.equal(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(String(sheet.getCell(2, 1).value)).to.equal('BÁO CÁO TỔNG HỢP HỖ TRỢ ĐOÀN VIÊN');
    expect(String(sheet.getCell(3, 1).value)).to.equal(`Kỳ báo cáo: Năm ${year}`);
    expect(sheet.views[0]).to.include({ state: 'frozen', ySplit: 5 });
    const lastRow = sheet.getRow(sheet.rowCount);
    expect(lastRow.getCell(1).value).to.equal('Tổng cộng');
    expect((lastRow.getCell(6).value as { result: number }).result).to.equal(25_000_000);
    expect(sheet.getColumn(6).numFmt).to.equal('#,##0');

    const csv = await world.sessions.accountant
      .get(`/api/v1/reports/disbursements?period=${year}`)
      .set('Accept', 'text/csv')
      .buffer(true)
      .parse(binary);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).to.equal(true);
    expect(text).to.include('Số chứng từ').and.to.include('Người thụ hưởng').and.to.include('Lũy kế (đồng)');

    const pdf = await world.sessions.accountant
      .get(`/api/v1/reports/summary?period=${year}-Q1&groupBy=org&format=pdf`)
      .buffer(true)
      .parse(binary);
    expect(pdf.headers['content-type']).to.equal('application/pdf');
    const dir = mkdtempSync(join(tmpdir(), 'report-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), pdf.body as Buffer);
    const extracted = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(extracted).to.include('BÁO CÁO TỔNG HỢP HỖ TRỢ ĐOÀN VIÊN').and.to.include(`Quý I năm ${year}`);
    expect(extracted).to.include('LIÊN ĐOÀN LAO ĐỘNG').and.to.include('TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM');
  });

  it('when an officer or a verifier asks, then 403; another province, then 404', async function () {
    expectForbidden(
      await world.sessions.officer.get(`/api/v1/reports/summary?period=${year}&orgId=${world.province.id}`),
    );
    expectForbidden(await world.sessions.verifier.get(`/api/v1/reports/disbursements?period=${year}`));
    expectNotFound(
      await world.sessions.accountant.get(`/api/v1/reports/summary?period=${year}&orgId=${foreign.province.id}`),
    );
    expectNotFound(
      await world.sessions.accountant.get(`/api/v1/reports/disbursements?period=${year}&orgId=${foreign.province.id}`),
    );
  });

  it('when the input is bad, then 400 problem+json naming the field', async function () {
    const s = world.sessions.accountant;
    expectValidation(await s.get('/api/v1/reports/summary?period=2026-Q5'), 'period');
    expectValidation(await s.get('/api/v1/reports/summary?period=2026&groupBy=province'), 'groupBy');
    expectValidation(await s.get('/api/v1/reports/summary?from=2026-08-10&to=2026-07-01'), 'from');
    expectValidation(await s.get('/api/v1/reports/summary?period=2026&from=2026-01-01'));
    expectValidation(await s.get('/api/v1/reports/summary?from=2026-02-30&to=2026-03-01'), 'from');
    const dollar = await s.get('/api/v1/reports/summary?period=2026&$where=1');
    expect(dollar.status).to.equal(400);
    expect(dollar.headers['content-type']).to.match(/problem\+json/);
  });
});

function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
