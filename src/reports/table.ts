import { STATUS_NAMES } from '../cases/index.js';
import { OPEN_STATUSES } from './events.js';
import type { Period } from './period.js';
import type { RegisterLine, RegisterLines, RegisterReport, SummaryReport } from './reports.service.js';
import { reportNumber } from './document-symbol.js';
import type { Figures, GroupDim } from './summary.js';

/**
 * A report as a printed table, the one shape the CSV, XLSX and PDF writers take: a title block, columns
 * with Vietnamese headers, rows and a total row. Amounts stay whole numbers of VND until a writer formats them.
 */
export interface Column {
  header: string;
  /** Width in spreadsheet characters; the PDF measures its own. */
  width: number;
  numeric?: boolean;
  /** Printed again on each part when a table too wide for the page is split (the row's name). */
  repeat?: boolean;
}

export type Cell = string | number;

export interface ReportTable {
  name: string;
  fileName: string;
  orgName: string;
  parentName: string;
  place: string;
  periodLabel: string;
  /** `……/BC-LĐLĐ`: the issuer's symbol, the sequence left for the office's register. */
  number: string;
  /** Who asked for the report: the "người lập biểu" who signs it. */
  preparedBy: string;
  columns: Column[];
  rows: Cell[][];
  total: Cell[];
  /**
   * Per column: the total is the sum of the rows above it, so a spreadsheet writes it as `SUM`. Not so for
   * people paid (one person in two rows counts once), open cases by month (each month's own end), approvals
   * counted by fund (one approval on two funds) or a running total.
   */
  summed: boolean[];
  /** One line at the foot of every PDF page, if any (the bottom margin is kept free for it). */
  footer?: string;
}

/** A table whose rows are read as they are written (a register of hundreds of thousands of lines). */
export interface StreamedTable extends Omit<ReportTable, 'rows' | 'total'> {
  rows: AsyncIterable<Cell[]>;
  /** The total row, once every row has been read. */
  total: () => Cell[];
}

/** What the printed report takes from the request: the organisation as printed and the caller. */
export interface PrintContext {
  org: { parentName: string; place: string; shortName: string; name: string };
  preparedBy: string;
}

const GROUP_HEADERS: Record<GroupDim, string> = {
  program: 'Chương trình',
  subtype: 'Loại hỗ trợ',
  org: 'Đơn vị',
  fund: 'Nguồn kinh phí',
  month: 'Tháng',
  campaign: 'Đợt hỗ trợ',
};

const FIGURE_COLUMNS: Column[] = [
  { header: 'Tiếp nhận (hồ sơ)', width: 11, numeric: true },
  { header: 'Phê duyệt (hồ sơ)', width: 11, numeric: true },
  { header: 'Phê duyệt (đồng)', width: 16, numeric: true },
  { header: 'Chi trả (lượt)', width: 10, numeric: true },
  { header: 'Chi trả (đồng)', width: 16, numeric: true },
  { header: 'Người được chi', width: 10, numeric: true },
  ...OPEN_STATUSES.map((s) => ({ header: `Cuối kỳ: ${STATUS_NAMES[s] ?? s}`, width: 11, numeric: true })),
];

const figureCells = (f: Figures): number[] => [
  f.received.count,
  f.approved.count,
  f.approved.amount,
  f.disbursed.count,
  f.disbursed.amount,
  f.beneficiariesPaid,
  ...OPEN_STATUSES.map((s) => f.openAtEnd[s]),
];

const fileStem = (report: { period: { key: string | null; from: string; to: string } }) =>
  report.period.key ?? `${report.period.from}_${report.period.to}`;

export function summaryTable(report: SummaryReport, print: PrintContext): ReportTable {
  const groups = report.groupBy;
  const byFund = groups.includes('fund');
  const byMonth = groups.includes('month');
  // Without groups the table is its total row alone, which still needs a column for its name.
  const named: Column[] = groups.length
    ? groups.map((g) => ({ header: GROUP_HEADERS[g], width: g === 'month' ? 12 : 26, repeat: true }))
    : [{ header: 'Nội dung', width: 16, repeat: true }];
  const figuresSummed = [true, !byFund, true, true, true, false, ...OPEN_STATUSES.map(() => !byMonth)];
  return {
    ...printed(report, print),
    name: 'BÁO CÁO TỔNG HỢP HỖ TRỢ ĐOÀN VIÊN',
    fileName: `bao-cao-tong-hop-${fileStem(report)}`,
    columns: [...named, ...FIGURE_COLUMNS],
    // Without groups the one row (key {}) is the total itself: it is printed once, as the total.
    rows: groups.length ? report.rows.map((r) => [...groups.map((g) => r.labels[g] ?? ''), ...figureCells(r)]) : [],
    total: ['Tổng cộng', ...named.slice(1).map(() => ''), ...figureCells(report.total)],
    summed: [...named.map(() => false), ...figuresSummed],
  };
}

function printed(report: { org: { name: string }; periodLabel: string }, print: PrintContext) {
  return {
    orgName: report.org.name,
    parentName: print.org.parentName,
    place: print.org.place,
    periodLabel: report.periodLabel,
    number: reportNumber(print.org.shortName, print.org.name),
    preparedBy: print.preparedBy,
  };
}

const REGISTER_COLUMNS: Column[] = [
  { header: 'STT', width: 6, numeric: true, repeat: true },
  { header: 'Ngày', width: 12 },
  { header: 'Số chứng từ', width: 14 },
  { header: 'Loại', width: 9 },
  { header: 'Mã hồ sơ', width: 18 },
  { header: 'Người thụ hưởng', width: 24 },
  { header: 'Công đoàn cơ sở', width: 30 },
  { header: 'Nguồn', width: 14 },
  { header: 'Số tiền (đồng)', width: 16, numeric: true },
  { header: 'Lũy kế (đồng)', width: 16, numeric: true },
];

const registerRow = (l: RegisterLine): Cell[] => [
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
];

const registerTotal = (total: { count: number; amount: number }): Cell[] => [
  'Tổng cộng',
  '',
  '',
  `${total.count} bút toán`,
  '',
  '',
  '',
  '',
  total.amount,
  total.amount,
];

function registerHead(report: { org: { name: string }; periodLabel: string; period: Period }, print: PrintContext) {
  return {
    ...printed(report, print),
    name: 'SỔ CHI TRẢ HỖ TRỢ ĐOÀN VIÊN',
    fileName: `so-chi-tra-${fileStem(report)}`,
    columns: REGISTER_COLUMNS,
    summed: [false, false, false, false, false, false, false, false, true, false],
  };
}

export function registerTable(report: Omit<RegisterReport, 'printOrg'>, print: PrintContext): ReportTable {
  return {
    ...registerHead(report, print),
    rows: report.lines.map(registerRow),
    total: registerTotal(report.total),
  };
}

/** The register as a table written as its lines are read (CSV and XLSX): the total row comes after the last. */
export function registerStreamedTable(report: Omit<RegisterLines, 'printOrg'>, print: PrintContext): StreamedTable {
  return {
    ...registerHead(report, print),
    rows: (async function* () {
      for await (const line of report.lines) yield registerRow(line);
    })(),
    total: () => registerTotal(report.total),
  };
}
