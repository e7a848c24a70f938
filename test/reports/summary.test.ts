import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
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
