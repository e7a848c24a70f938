/**
 * The decision PDF (SPEC §6, Nghị định 30/2020/NĐ-CP): A4, an embedded Vietnamese serif, every fixed phrase,
 * names with every tone mark and amounts in words coming out of `pdftotext` as correct Unicode; the same
 * bytes every time; a 2,000-row annex.
 */
import { expect } from 'chai';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { vnDay } from '../../src/core/shared/dates.js';
import { amountInWords, formatVndWithUnit } from '../../src/core/money.js';
import { renderDecisionPdf, type DecisionPrint } from '../../src/decisions/pdf/render.js';
import { testEnv } from '../support/global-setup.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedCase,
  decisionOf,
  downloadPdf,
  firstPagePng,
  flat,
  pdfFonts,
  pdfInfo,
  pdfText,
} from './decision-fixtures.js';

// jsqr is a UMD bundle: its exports object carries the decoder as `default`, whichever way it is loaded.
const jsQR = ((jsqr as unknown as { default?: unknown }).default ?? jsqr) as typeof jsqr.default;

/** One name per Vietnamese tone mark, on the letters that carry them hardest (ư, ơ, â, ô, y). */
const NAMES = ['Nguyễn Thị Hường', 'Đặng Văn Kỷ', 'Lê Thị Ẩn', 'Trần Văn Ổn', 'Phạm Thị Ỹ', 'Võ Thị Ứng'];

function printFor(amount: number, overrides: Partial<DecisionPrint> = {}): DecisionPrint {
  return {
    number: '15/QĐ-LĐLĐ',
    issuedAt: '2026-08-09',
    place: 'Hà Tĩnh',
    parentName: 'Tổng Liên đoàn Lao động Việt Nam',
    issuerName: 'Liên đoàn Lao động tỉnh Hà Tĩnh',
    subject: 'Về việc hỗ trợ xây dựng nhà "Mái ấm Công đoàn"',
    decidingBody: 'Ban Thường vụ Liên đoàn Lao động tỉnh Hà Tĩnh',
    legalBases: ['Căn cứ Luật Công đoàn ngày 27 tháng 11 năm 2024.'],
    articles: [
      `Hỗ trợ đoàn viên ${NAMES[0]} số tiền ${formatVndWithUnit(amount)} (Bằng chữ: ${amountInWords(amount)}).`,
    ],
    recipients: ['Như Điều 3;', 'Lưu: VT, TC.'],
    signer: { title: 'PHÓ CHỦ TỊCH', name: 'Đặng Văn Kỷ' },
    verifyUrl: 'http://localhost:3000/api/v1/decisions/0123456789abcdef01234567/verify',
    ...overrides,
  };
}

describe('decisions: the PDF', () => {
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  describe('when a union-house case is approved with a chosen signer and date', () => {
    let text: string;
    let bytes: Buffer;
    let decision: Awaited<ReturnType<typeof decisionOf>>;

    before(async () => {
      const approved = await approvedCase(
        world,
        'union_house',
        { signerName: 'Nguyễn Văn Danh', signerTitle: 'Chủ tịch', decisionDate: '2026-01-05' },
        {
          member: { fullName: 'Nguyễn Thị Hường' },
        },
      );
      decision = await decisionOf(world.sessions.approver, approved);
      ({ bytes } = await downloadPdf(world.sessions.approver, decision.id));
      text = flat(pdfText(bytes));
    });

    it('then it is one A4 page with only the Tinos fonts, embedded, and the decision in its metadata', () => {
      const info = pdfInfo(bytes);
      expect(info['Page size']).to.match(/^595\.\d+ x 841\.\d+ pts \(A4\)$/);
      expect(info.Pages).to.equal('1');
      expect(info.Title).to.equal(`Quyết định số ${decision.number}`);
      const fonts = pdfFonts(bytes);
      expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).to.deep.equal([
        'Tinos-Bold',
        'Tinos-BoldItalic',
        'Tinos-Italic',
        'Tinos-Regular',
      ]);
      expect(
        fonts.every((f) => f.embedded),
        'every font embedded',
      ).to.equal(true);
    });

    it("then every fixed phrase of the decree's layout is in its text", () => {
      const issuer = world.province.name.toLocaleUpperCase('vi-VN');
      for (const phrase of [
        'TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM',
        `Số: ${decision.number}`,
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
        'Hà Tĩnh, ngày 05 tháng 01 năm 2026',
        'QUYẾT ĐỊNH',
        'Về việc hỗ trợ xây dựng nhà "Mái ấm Công đoàn"',
        `BAN THƯỜNG VỤ ${issuer}`,
        'Căn cứ Luật Công đoàn',
        'QUYẾT ĐỊNH:',
        'Điều 1.',
        'Điều 2.',
        'Điều 3.',
        'Nguyễn Thị Hường',
        '50.000.000 đồng',
        '(Bằng chữ: Năm mươi triệu đồng)',
        'Nơi nhận:',
        '- Như Điều 3;',
        'TM. BAN THƯỜNG VỤ',
        'CHỦ TỊCH',
        'Nguyễn Văn Danh',
        'Xác thực văn bản',
        decision.verifyUrl,
      ]) {
        expect(text, phrase).to.contain(phrase);
      }
      // The issuer's name may wrap in the narrow left column; every word is there, in capitals.
      for (const word of issuer.split(' ')) expect(text).to.contain(word);
    });

    it('then its QR code, scanned from the printed page, gives the public verify address with its unguessable token', () => {
      expect(decision.verifyUrl).to.match(new RegExp(`^${testEnv().config.publicBaseUrl}/xac-minh/[A-Za-z0-9_-]{22}$`));
      const png = PNG.sync.read(firstPagePng(bytes));
      const code = jsQR(
        new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
        png.width,
        png.height,
      );
      expect(code?.data).to.equal(decision.verifyUrl);
    });

    it('then the record keeps what was printed: signer, date, bases and amount', () => {
      expect(decision).to.include({
        signerName: 'Nguyễn Văn Danh',
        signerTitle: 'CHỦ TỊCH',
        issuedAt: '2026-01-05',
        totalAmount: 50_000_000,
        kind: 'single',
      });
      expect(decision.legalBases[0]).to.match(/^Căn cứ /);
      expect(decision.lines[0]).to.include({ memberName: 'Nguyễn Thị Hường', amount: 50_000_000 });
      expect(decision.lines[0]!.citizenIdMasked).to.match(/^\*{8}\d{4}$/);
    });
  });

  it('when beneficiaries carry every Vietnamese tone mark, then pdftotext gives each name back exactly', async () => {
    for (const name of NAMES) {
      const decision = await decisionOf(
        world.sessions.approver,
        await approvedCase(world, 'tet_gift', {}, { member: { fullName: name } }),
      );
      const text = flat(pdfText((await downloadPdf(world.sessions.approver, decision.id)).bytes));
      expect(text, name).to.contain(`đoàn viên ${name},`);
    }
  });

  it('when a name is typed with combining marks (NFD), then the PDF prints and extracts it precomposed', async () => {
    const text = flat(
      pdfText(
        await renderDecisionPdf(
          printFor(1_000_000, { signer: { title: 'CHỦ TỊCH', name: 'Phạm Thị Ỹ'.normalize('NFD') } }),
        ),
      ),
    );
    expect(text).to.contain('Phạm Thị Ỹ'.normalize('NFC'));
  });

  it('when amounts need every reading rule (linh, mươi, tỷ, zero groups), then figures and words come out right', async () => {
    const cases: [number, string, string][] = [
      [50_000_000, '50.000.000 đồng', 'Năm mươi triệu đồng'],
      [1_005_000, '1.005.000 đồng', 'Một triệu không trăm linh năm nghìn đồng'],
      [20_500_000, '20.500.000 đồng', 'Hai mươi triệu năm trăm nghìn đồng'],
      [1_000_000_000, '1.000.000.000 đồng', 'Một tỷ đồng'],
      [1_000_005, '1.000.005 đồng', 'Một triệu không trăm linh năm đồng'],
      [2_030_000, '2.030.000 đồng', 'Hai triệu không trăm ba mươi nghìn đồng'],
      [15_000_000, '15.000.000 đồng', 'Mười lăm triệu đồng'],
      [21_000_000, '21.000.000 đồng', 'Hai mươi mốt triệu đồng'],
    ];
    for (const [amount, figures, words] of cases) {
      const text = flat(pdfText(await renderDecisionPdf(printFor(amount))));
      expect(text, figures).to.contain(`số tiền ${figures} (Bằng chữ: ${words}).`);
    }
  });

  it('when the date has a day below 10 or a month below 3, then they take a leading zero, other months do not', async () => {
    for (const [day, line] of [
      ['2026-08-09', 'ngày 09 tháng 8 năm 2026'],
      ['2026-02-28', 'ngày 28 tháng 02 năm 2026'],
      ['2026-11-20', 'ngày 20 tháng 11 năm 2026'],
    ]) {
      expect(flat(pdfText(await renderDecisionPdf(printFor(1_000_000, { issuedAt: day! }))))).to.contain(
        `Hà Tĩnh, ${line}`,
      );
    }
  });

  it('when the same decision is rendered again, also after other documents, then the bytes are identical', async () => {
    const print = printFor(20_500_000);
    const first = await renderDecisionPdf(print);
    await renderDecisionPdf(
      printFor(1_000_005, {
        articles: ['Khác hẳn: Quỳnh, Ửng, Ỵ, ỡ, ự, ặ, ẵ, ẳ.'],
        signer: { title: 'CHỦ TỊCH', name: 'Lê Thị Ẩn' },
      }),
    );
    await renderDecisionPdf({
      ...print,
      annex: {
        rows: [{ name: 'Trần Văn Ổn', citizenIdMasked: '********0001', unit: 'CĐCS Cảng Vũng Áng', amount: 1 }],
        total: 1,
      },
    });
    expect(Buffer.compare(await renderDecisionPdf(print), first)).to.equal(0);
  });

  it('when a batch of 2,000 beneficiaries is rendered, then the list runs over many pages with the header row on each, page numbers and the total', async function () {
    this.timeout(60_000);
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      name: `${NAMES[i % NAMES.length]}${i % 50 === 0 ? ' Nguyễn Hoàng Phương Thảo' : ''}`,
      citizenIdMasked: `********${String(i).padStart(4, '0')}`,
      unit: i % 3 ? 'CĐCS Công ty May Hà Tĩnh' : 'Công đoàn cơ sở Trường Trung học cơ sở Thạch Hà',
      amount: 1_000_000 + (i % 2) * 500_000,
    }));
    const total = rows.reduce((sum, row) => sum + row.amount, 0);
    const started = Date.now();
    const bytes = await renderDecisionPdf(printFor(total, { annex: { rows, total } }));
    expect(Date.now() - started, 'render time (ms)').to.be.below(15_000);

    const pages = Number(pdfInfo(bytes).Pages);
    expect(pages).to.be.above(40);
    const text = pdfText(bytes);
    const pageTexts = text.split('\f').filter((page) => page.trim());
    expect(pageTexts).to.have.length(pages);
    expect(flat(pageTexts[1]!))
      .to.contain('DANH SÁCH ĐOÀN VIÊN ĐƯỢC HỖ TRỢ')
      .and.to.contain('(Kèm theo Quyết định số 15/QĐ-LĐLĐ ngày 09 tháng 8 năm 2026');
    // The list is numbered on its own, from 1 (Nghị định 30/2020: each annex has its own page numbers).
    pageTexts.slice(1).forEach((page, i) => {
      const lines = page.split('\n').map((l) => l.trim());
      expect(lines, `page ${i + 1} of the list`).to.include.members([
        'STT',
        'Họ và tên',
        'Số CCCD',
        'Đơn vị',
        'Số tiền (đồng)',
        String(i + 1),
      ]);
    });
    const all = flat(text);
    for (const row of [rows[0]!, rows[999]!, rows[1999]!]) expect(all).to.contain(row.citizenIdMasked);
    expect(all).to.contain('2000 ').and.to.contain(`Tổng cộng: 2.000 người`).and.to.contain('2.500.000.000');
    expect(all).to.not.match(/\d{12}/);
  });

  it('when the approval names no date, then the decision is dated today in Vietnam time', async () => {
    const decision = await decisionOf(world.sessions.approver, await approvedCase(world));
    expect(decision.issuedAt).to.equal(vnDay());
  });
});
