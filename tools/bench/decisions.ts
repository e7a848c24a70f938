/**
 * Decision PDFs (SPEC §6, §14): one decision, a batch decision whose list has 2,000 rows, and one whose list has
 * 50,000 rendered as a stream into a GridFS-like writer, beside bare pdfkit writing the same table.
 */
import { createHash } from 'node:crypto';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import {
  decisionPdfStream,
  renderBlankPage,
  renderDecisionPdf,
  type DecisionPrint,
} from '../../src/decisions/index.js';
import { registerFonts } from '../../src/core/pdf/fonts.js';
import { BOTTOM, LEFT, PAGE } from '../../src/core/pdf/layout.js';
import { amountInWords, formatVnd, formatVndWithUnit } from '../../src/core/money.js';
import type { Benchmark } from './runner.js';

const NAMES = ['Nguyễn Thị Hường', 'Đặng Văn Kỷ', 'Lê Thị Ẩn', 'Trần Văn Ổn', 'Phạm Thị Ỹ'];

/** A decision as the service prints it (also the minimal app's batch decision in minimal-lists.ts). */
export const sampleDecision: DecisionPrint = {
  number: '15/QĐ-LĐLĐ',
  issuedAt: '2026-08-09',
  place: 'Hà Tĩnh',
  parentName: 'Tổng Liên đoàn Lao động Việt Nam',
  issuerName: 'Liên đoàn Lao động tỉnh Hà Tĩnh',
  subject: 'Về việc hỗ trợ xây dựng nhà "Mái ấm Công đoàn"',
  decidingBody: 'Ban Thường vụ Liên đoàn Lao động tỉnh Hà Tĩnh',
  legalBases: [
    'Căn cứ Luật Công đoàn ngày 27 tháng 11 năm 2024;',
    'Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII;',
    'Xét đề nghị của Công đoàn Khu kinh tế tỉnh và kết quả thẩm định hồ sơ MAC-2026-000123.',
  ],
  articles: [
    `Hỗ trợ xây dựng nhà "Mái ấm Công đoàn" cho đoàn viên Nguyễn Thị Hường, Công đoàn cơ sở Công ty May Hà Tĩnh, với số tiền ${formatVndWithUnit(50_000_000)} (Bằng chữ: ${amountInWords(50_000_000)}).`,
    'Kinh phí hỗ trợ do Liên đoàn Lao động tỉnh Hà Tĩnh chi trả theo tiến độ xây dựng, sửa chữa nhà.',
    'Quyết định có hiệu lực kể từ ngày ký. Văn phòng, Ban Tài chính và đoàn viên có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.',
  ],
  recipients: ['Như Điều 3;', 'Thường trực LĐLĐ tỉnh Hà Tĩnh;', 'Lưu: VT, TC.'],
  signer: { title: 'CHỦ TỊCH', name: 'Nguyễn Văn Danh' },
  verifyUrl: 'http://localhost:3000/api/v1/decisions/0123456789abcdef01234567/verify',
};

const rows = Array.from({ length: 2000 }, (_, i) => ({
  name: NAMES[i % NAMES.length]!,
  citizenIdMasked: `********${String(i).padStart(4, '0')}`,
  unit: i % 3 ? 'CĐCS Công ty May Hà Tĩnh' : 'Công đoàn cơ sở Trường Trung học cơ sở Thạch Hà',
  amount: 1_000_000,
}));
const batch: DecisionPrint = { ...sampleDecision, annex: { rows, total: rows.length * 1_000_000 } };

const blankPage = { name: 'pdfkit blank page', run: renderBlankPage };

const LONG_LIST = 50_000;

/** The rows of a long list made as they are drawn, so the input itself takes no memory. */
function* longRows(count: number) {
  for (let i = 0; i < count; i += 1) {
    yield {
      name: NAMES[i % NAMES.length]!,
      citizenIdMasked: `********${String(i % 10_000).padStart(4, '0')}`,
      unit: i % 3 ? 'CĐCS Công ty May Hà Tĩnh' : 'Công đoàn cơ sở Trường Trung học cơ sở Thạch Hà',
      amount: 1_000_000,
    };
  }
}

/**
 * What GridFS does with the bytes, without a database: cut into 255 kB chunks, each handed over after a turn of
 * the event loop (an insert's round trip), with the file's hash taken on the way.
 */
async function intoGridFsLike(pdf: Readable): Promise<number> {
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let size = 0;
  const chunks = new Writable({
    async write(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= 255 * 1024) {
        Buffer.concat(pending);
        [pending, pendingBytes] = [[], 0];
        await new Promise((resolve) => setImmediate(resolve));
      }
      done();
    },
  });
  await pipeline(pdf, chunks);
  hash.digest('hex');
  return size;
}

/** The floor: pdfkit writing the same five cells per row at fixed places, a new page every page-full, paced alike. */
async function bareTable(count: number): Promise<number> {
  const doc = new PDFDocument({ size: PAGE.size, margins: PAGE.margins, info: { CreationDate: new Date(0) } });
  const written = intoGridFsLike(doc);
  registerFonts(doc);
  doc.fontSize(11);
  let y = PAGE.margins.top;
  let index = 0;
  for (const row of longRows(count)) {
    if (y + 18 > BOTTOM) {
      doc.addPage();
      y = PAGE.margins.top;
      while (doc.readableLength > 128 * 1024) await sleep(2);
    }
    index += 1;
    const cells = [String(index), row.name, row.citizenIdMasked, row.unit, formatVnd(row.amount)];
    [0, 32, 168, 246, 400].forEach((dx, i) => doc.text(cells[i]!, LEFT + dx, y, { lineBreak: false }));
    y += 18;
  }
  doc.end();
  return written;
}

export const decisionBenchmarks: Benchmark[] = [
  {
    name: 'Decision PDF, one case',
    runs: 15,
    baseline: blankPage,
    subject: { name: 'decision', run: () => renderDecisionPdf(sampleDecision) },
  },
  {
    name: 'Decision PDF, batch with a 2,000-row annex',
    runs: 5,
    memory: { runs: 3 },
    baseline: blankPage,
    subject: { name: 'batch decision (2,000 rows)', run: () => renderDecisionPdf(batch) },
  },
  {
    name: 'Decision PDF, batch with a 50,000-row annex, rendered as a stream into a GridFS-like writer',
    runs: 1,
    items: { count: LONG_LIST, unit: 'rows' },
    memory: { runs: 1 },
    baseline: {
      name: 'bare pdfkit table',
      warmup: () => bareTable(2_000),
      run: () => bareTable(LONG_LIST),
    },
    subject: {
      name: 'decisionPdfStream',
      warmup: () => intoGridFsLike(decisionPdfStream(batch)),
      run: () =>
        intoGridFsLike(
          decisionPdfStream({ ...sampleDecision, annex: { rows: longRows(LONG_LIST), total: LONG_LIST * 1_000_000 } }),
        ),
    },
  },
];
