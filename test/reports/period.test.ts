import { expect } from 'chai';
import { vnDay } from '../../src/core/shared/dates.js';
import { ValidationError } from '../../src/core/errors.js';
import { isWholeMonths, monthsOf, periodLabel, periodOfKey, resolvePeriod } from '../../src/reports/period.js';
import { summarise } from '../../src/reports/summary.js';
import { tableCsv } from '../../src/reports/csv.js';
import { tableXlsx } from '../../src/reports/xlsx.js';
import ExcelJS from 'exceljs';

describe('reports: periods in Vietnam time', function () {
  it('when a key names a year, half, quarter or month, then it spans its first to its last day', function () {
    expect(periodOfKey('2026')).to.include({ from: '2026-01-01', to: '2026-12-31', timeZone: 'Asia/Ho_Chi_Minh' });
    expect(periodOfKey('2026-H1')).to.include({ from: '2026-01-01', to: '2026-06-30' });
    expect(periodOfKey('2026-H2')).to.include({ from: '2026-07-01', to: '2026-12-31' });
    expect(periodOfKey('2026-Q3')).to.include({ from: '2026-07-01', to: '2026-09-30' });
    expect(periodOfKey('2028-02')).to.include({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodLabel(periodOfKey('2026-Q3'))).to.equal('Quý III năm 2026');
    expect(periodLabel(periodOfKey('2026-08'))).to.equal('Tháng 8 năm 2026');
  });

  it('when from/to are given, then they are inclusive days and must be in order', function () {
    const p = resolvePeriod({ from: '2026-07-15', to: '2026-08-10' });
    expect(p).to.include({ key: null, from: '2026-07-15', to: '2026-08-10' });
    expect(isWholeMonths(p)).to.equal(false);
    expect(isWholeMonths(periodOfKey('2026-Q3'))).to.equal(true);
    expect(monthsOf(p)).to.deep.equal(['2026-07', '2026-08']);
    expect(() => resolvePeriod({ from: '2026-08-10', to: '2026-07-15' })).to.throw(ValidationError);
    expect(() => resolvePeriod({})).to.throw(ValidationError);
    expect(() => periodOfKey('2026-Q5')).to.throw(ValidationError);
  });

  it('when a payment is made at 23:30 UTC on 30 June, then it belongs to July: Q3, not H1', function () {
    const day = vnDay(new Date('2026-06-30T23:30:00Z'));
    expect(day).to.equal('2026-07-01');
    const dims = {
      orgId: 'g',
      orgPath: ['p', 'g'],
      programCode: 'tet_gift',
      subtype: 'gift',
      campaignId: null,
      fundId: 'f',
    };
    const records = [{ day, dims, counters: { disbursedCount: 1, disbursedAmount: 1_000_000 } }];
    const noPeople = () => undefined;
    const q3 = periodOfKey('2026-Q3');
    const h1 = periodOfKey('2026-H1');
    expect(summarise(records, noPeople, ['month'], 'p', q3, monthsOf(q3)).total.disbursed.amount).to.equal(1_000_000);
    expect(summarise(records, noPeople, ['month'], 'p', q3, monthsOf(q3)).rows[0]!.key).to.deep.equal({
      month: '2026-07',
    });
    expect(summarise(records, noPeople, [], 'p', h1, monthsOf(h1)).total.disbursed.amount).to.equal(0);
  });
});

describe('reports: formula neutralisation in exports', function () {
  const table = {
    name: 'BÁO CÁO',
    fileName: 'x',
    orgName: '=HYPERLINK("http://x")',
    parentName: '',
    place: '',
    periodLabel: 'Năm 2026',
    columns: [
      { header: 'Đơn vị', width: 20 },
      { header: 'Số tiền', width: 10, numeric: true },
    ],
    rows: [
      ['+cmd|calc', 5],
      ['@SUM(A1)', -5],
      ['-2+3', 0],
    ],
    total: ['Tổng cộng', 0],
    number: '……/BC-LĐLĐ',
    preparedBy: 'Nguyễn Văn A',
    summed: [false, true],
  };

  it('when a cell starts with = + - or @, then CSV and XLSX keep it as text with a leading apostrophe', async function () {
    const csv = tableCsv(table).toString('utf8');
    expect(csv.startsWith('\uFEFF')).to.equal(true);
    expect(csv)
      .to.include(`'+cmd|calc`)
      .and.to.include(`'@SUM(A1)`)
      .and.to.include(`'-2+3`)
      .and.to.include(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).to.include(',-5');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tableXlsx(table)) as unknown as ArrayBuffer);
    const values = book.worksheets[0]!.getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string');
    expect(values).to.include(`'+cmd|calc`).and.to.include(`'@SUM(A1)`);
    expect(values.some((v) => /^[=+\-@]/.test(v as string))).to.equal(false);
  });
});
