/**
 * The printed reports an accountant signs (issue 15, items 7 and 8): the PDF in readable type with the
 * decisions' header at the margins, the issuer's symbol and the signature row, the table split or continued
 * with its header row; the XLSX printing one page wide with its header row repeated and `SUM` totals.
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { arrange, type Session } from '../support/api.js';
import { unique } from '../support/factory.js';
import { caseAt, caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { binary, flat, pdfInfo, pdfText, pdfTool } from '../decisions/decision-fixtures.js';
import { approvedFrom, createFund, paymentBody, payOk, today } from '../funds/fixtures.js';
import { issuerSymbol } from '../../src/reports/document-symbol.js';
import { tablePdf } from '../../src/reports/pdf/render.js';
import { registerTable } from '../../src/reports/table.js';

interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word poppler finds, with its box: sizes and positions as printed. */
function pdfWords(bytes: Buffer): Word[] {
  const words: Word[] = [];
  let page = 0;
  for (const line of pdfTool('pdftotext', bytes, ['-bbox', '-enc', 'UTF-8']).split('\n')) {
    if (line.includes('<page ')) page += 1;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m)
      words.push({
        page,
        text: m[5]!
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"'),
        xMin: +m[1]!,
        yMin: +m[2]!,
        xMax: +m[3]!,
        yMax: +m[4]!,
      });
  }
  return words;
}

async function download(session: Session, path: string): Promise<Buffer> {
  const res = await binary(session.get(path));
  expect(res.status, String(res.body)).to.equal(200);
  return res.body as Buffer;
}

const SUMMARY_HEADERS = [
  'Tiếp nhận (hồ sơ)',
  'Phê duyệt (hồ sơ)',
  'Phê duyệt (đồng)',
  'Chi trả (lượt)',
  'Chi trả (đồng)',
  'Người được chi',
  'Cuối kỳ: Đã thẩm định',
];

describe('reports: printed PDF and XLSX', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let accountantName: string;
  let unit: { id: string; name: string };
  const year = today().slice(0, 4);

  before(async () => {
    world = await caseWorld();
    const fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    const house = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await payOk(world.sessions.accountant, house.id, paymentBody(fund.id));
    await caseAt(world, 'submitted', 'tet_gift');
    accountantName = (await arrange<{ fullName: string }>(world.sessions.accountant.get('/api/v1/auth/me'), 200))
      .fullName;
    // A unit whose short name starts with its abbreviation, as real ones do ("CĐ KKT Vũng Áng").
    const code = unique('KKT');
    unit = await arrange(
      world.sessions.admin.post('/api/v1/orgs', {
        code,
        name: `Công đoàn Khu kinh tế Thử ${code}`,
        shortName: `CĐ KKT Thử ${code}`,
        level: 'upper',
        parentId: world.province.id,
        place: 'Hà Tĩnh',
      }),
    );
  });

  describe('when the summary by union is printed as PDF', () => {
    let bytes: Buffer;
    let words: Word[];
    let text: string;

    before(async () => {
      bytes = await download(
        world.sessions.accountant,
        `/api/v1/reports/summary?period=${year}&groupBy=org&format=pdf`,
      );
      words = pdfWords(bytes);
      text = flat(pdfText(bytes));
    });

    it('then it is a landscape A4 whose table is set in at least 10 pt', () => {
      expect(pdfInfo(bytes)['Page size']).to.match(/^841\.\d+ x 595\.\d+ pts \(A4\)$/);
      // The amounts paid (25.000.000) stand in the table's rows and total: their boxes are the type's height.
      const amounts = words.filter((w) => w.text === '25.000.000');
      expect(amounts.length).to.be.greaterThan(0);
      // Tinos' box is about 1.15 times the type size: 10 pt type gives 11.5 pt boxes.
      for (const w of amounts) expect(w.yMax - w.yMin, 'height of a table figure').to.be.at.least(11.4);
    });

    it('then no header of the table is broken inside a word', () => {
      const found = new Set(words.map((w) => w.text));
      for (const header of SUMMARY_HEADERS)
        for (const word of header.split(' ')) expect(found, `"${word}" of "${header}"`).to.include(word);
    });

    it('then the two header blocks stand at the left and right margins', () => {
      const first = words.filter((w) => w.page === 1);
      const parent = first.find((w) => w.text === 'TỔNG')!;
      const nation = first.filter((w) => w.text === 'NAM').sort((a, b) => b.xMax - a.xMax)[0]!;
      // Left margin 30 mm (85 pt), right margin 15 mm (42.5 pt) of an 842 pt wide page.
      expect(parent.xMin, 'parent organisation').to.be.below(85 + 40);
      expect(nation.xMax, 'national title').to.be.above(842 - 42.5 - 40);
    });

    it("then it carries the issuer's symbol, the title and period, and the signature row with the caller's name", () => {
      expect(text).to.include('/BC-LĐLĐ').and.not.to.include('BC-CĐ ');
      expect(text).to.include('BÁO CÁO TỔNG HỢP HỖ TRỢ ĐOÀN VIÊN').and.to.include(`Kỳ báo cáo: Năm ${year}`);
      expect(text).to.include('NGƯỜI LẬP BIỂU').and.to.include('KẾ TOÁN TRƯỞNG').and.to.include('THỦ TRƯỞNG ĐƠN VỊ');
      expect(text).to.include(accountantName);
    });
  });

  it('when the summary has no groups, then the PDF and the XLSX hold the total row alone, named', async () => {
    const text = flat(
      pdfText(await download(world.sessions.accountant, `/api/v1/reports/summary?period=${year}&format=pdf`)),
    );
    expect(text).to.include('Tổng cộng').and.to.include('25.000.000').and.to.include('NGƯỜI LẬP BIỂU');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      (await download(
        world.sessions.accountant,
        `/api/v1/reports/summary?period=${year}&format=xlsx`,
      )) as unknown as ArrayBuffer,
    );
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).to.equal(6);
    expect(sheet.getRow(6).getCell(1).value).to.equal('Tổng cộng');
    expect(sheet.getRow(6).getCell(6).value).to.equal(25_000_000);
  });

  it('when a unit reports, then its own symbol comes from its short name', async () => {
    const text = flat(
      pdfText(
        await download(
          world.sessions.admin,
          `/api/v1/reports/disbursements?period=${year}&orgId=${unit.id}&format=pdf`,
        ),
      ),
    );
    expect(text).to.include('Số: ……/BC-CĐKKT');
    expect(text).to.include('SỔ CHI TRẢ HỖ TRỢ ĐOÀN VIÊN').and.to.include('CÔNG ĐOÀN KHU KINH TẾ THỬ');
  });

  it('when grouped by every dimension, then the table is split into parts, each repeating the groups and the header row', async () => {
    const bytes = await download(
      world.sessions.accountant,
      `/api/v1/reports/summary?period=${year}&groupBy=program,subtype,org,fund,month,campaign&format=pdf`,
    );
    const text = flat(pdfText(bytes));
    const parts = Number(/Bảng, phần 1\/(\d)/.exec(text)?.[1]);
    expect(parts).to.be.at.least(2);
    for (let part = 1; part <= parts; part += 1) expect(text).to.include(`Bảng, phần ${part}/${parts}`);
    // Each part prints the group headers again, and every figure header once over all parts.
    expect(text.split('Chương trình').length - 1).to.equal(parts);
    expect(text.split('Người được chi').length - 1).to.equal(1);
    const found = new Set(pdfWords(bytes).map((w) => w.text));
    for (const header of SUMMARY_HEADERS) for (const word of header.split(' ')) expect(found, word).to.include(word);
  });

  it('when a register runs over several pages, then every page repeats the header row and the signatures end it', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({
      no: i + 1,
      id: String(i),
      kind: 'payment' as const,
      paidAt: '2026-08-09',
      voucherNo: `PC-${i}`,
      caseCode: `MAC-2026-${String(i).padStart(6, '0')}`,
      beneficiary: 'Nguyễn Thị Hường',
      unionId: 'u',
      union: 'Công đoàn cơ sở Công ty Cổ phần May Vũng Áng',
      fundId: 'f',
      fund: 'QXH-2026',
      amount: 1_000_000,
      runningTotal: 1_000_000 * (i + 1),
    }));
    const period = { key: '2026-Q3', from: '2026-07-01', to: '2026-09-30', timeZone: 'Asia/Ho_Chi_Minh' as const };
    const table = registerTable(
      {
        period,
        periodLabel: 'Quý III năm 2026',
        org: { id: 'o', name: 'Liên đoàn Lao động tỉnh Hà Tĩnh' },
        lines,
        total: { count: 60, amount: 60_000_000 },
      },
      {
        org: {
          name: 'Liên đoàn Lao động tỉnh Hà Tĩnh',
          shortName: 'LĐLĐ tỉnh Hà Tĩnh',
          parentName: 'Tổng Liên đoàn Lao động Việt Nam',
          place: 'Hà Tĩnh',
        },
        preparedBy: 'Trần Thị Lập',
      },
    );
    const bytes = await tablePdf(table, '2026-10-01');
    const pages = Number(pdfInfo(bytes).Pages);
    expect(pages).to.be.at.least(3);
    for (let page = 1; page <= pages; page += 1)
      expect(flat(pdfText(bytes, { first: page, last: page })), `page ${page}`).to.include('Mã hồ sơ');
    const last = flat(pdfText(bytes, { first: pages, last: pages }));
    expect(last).to.include('NGƯỜI LẬP BIỂU').and.to.include('Trần Thị Lập').and.to.include('60.000.000');
    expect(flat(pdfText(bytes, { first: 1, last: 1 }))).to.include('Hà Tĩnh, ngày 01 tháng 10 năm 2026');
  });

  it('when the summary is downloaded as XLSX, then it prints one page wide with the header row repeated and SUM totals with their values', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      (await download(
        world.sessions.accountant,
        `/api/v1/reports/summary?period=${year}&groupBy=program&format=xlsx`,
      )) as unknown as ArrayBuffer,
    );
    const sheet = book.worksheets[0]!;
    expect(sheet.pageSetup).to.include({
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      orientation: 'landscape',
      paperSize: 9,
    });
    expect(sheet.pageSetup.printTitlesRow).to.equal('5:5');
    const rows = sheet.rowCount - 5 - 1;
    expect(rows).to.equal(2);
    const totalRow = sheet.getRow(sheet.rowCount);
    expect(totalRow.getCell(1).value).to.equal('Tổng cộng');
    const columnSum = (col: number) => [6, 7].reduce((s, r) => s + Number(sheet.getRow(r).getCell(col).value), 0);
    // Received (B) and amounts paid (F) are sums of their rows, cached so that no recalculation is needed.
    for (const [col, letter] of [
      [2, 'B'],
      [6, 'F'],
    ] as const) {
      const cell = totalRow.getCell(col).value as { formula: string; result: number };
      expect(cell.formula).to.equal(`SUM(${letter}6:${letter}7)`);
      expect(cell.result).to.equal(columnSum(col));
    }
    expect((totalRow.getCell(6).value as { result: number }).result).to.equal(25_000_000);
    // People paid are counted once over all rows: a value, not a sum.
    expect(totalRow.getCell(7).value).to.equal(1);
  });

  it('when the short name has no abbreviation, then the initials of the full name stand for it', () => {
    expect(issuerSymbol('LĐLĐ tỉnh Hà Tĩnh', 'Liên đoàn Lao động tỉnh Hà Tĩnh')).to.equal('LĐLĐ');
    expect(issuerSymbol('CĐ KKT Vũng Áng', 'Công đoàn Khu kinh tế Vũng Áng')).to.equal('CĐKKT');
    expect(issuerSymbol('TLĐLĐVN', 'Tổng Liên đoàn Lao động Việt Nam')).to.equal('TLĐLĐVN');
    expect(issuerSymbol('Công đoàn ngành Y tế', 'Công đoàn ngành Y tế')).to.equal('CĐNYT');
  });
});
