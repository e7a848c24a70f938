/** Decision PDFs (SPEC §6): one decision, and a batch decision whose list has 2,000 rows. */
import { renderBlankPage, renderDecisionPdf, type DecisionPrint } from '../../src/decisions/index.js';
import { amountInWords, formatVndWithUnit } from '../../src/core/money.js';
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
];
