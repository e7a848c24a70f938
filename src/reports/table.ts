import { STATUS_NAMES } from '../cases/index.js';
import { OPEN_STATUSES } from './events.js';
import type { RegisterReport, SummaryReport } from './reports.service.js';
import type { Figures, GroupDim } from './summary.js';

/**
 * A report as a printed table, the one shape the CSV, XLSX and PDF writers take: a title block, columns
 * with Vietnamese headers, rows and a total row. Amounts stay whole numbers of VND until a writer formats them.
 */
export interface Column {
  header: string;
  width: number;
  numeric?: boolean;
}

export interface ReportTable {
  name: string;
  fileName: string;
  orgName: string;
  parentName: string;
  place: string;
  periodLabel: string;
  columns: Column[];
  rows: (string | number)[][];
  total: (string | number)[];
}

const GROUP_HEADERS: Record<GroupDim, string> = {
  program: 'Chương trình', subtype: 'Loại hỗ trợ', org: 'Đơn vị', fund: 'Nguồn kinh phí', month: 'Tháng', campaign: 'Đợt hỗ trợ',
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
  f.received.count, f.approved.count, f.approved.amount, f.disbursed.count, f.disbursed.amount, f.beneficiariesPaid,
  ...OPEN_STATUSES.map((s) => f.openAtEnd[s]),
];

const fileStem = (report: { period: { key: string | null; from: string; to: string } }) => report.period.key ?? `${report.period.from}_${report.period.to}`;

export function summaryTable(report: SummaryReport & { printOrg: { parentName: string; place: string } }): ReportTable {
  const groups = report.groupBy;
  return {
    name: 'BÁO CÁO TỔNG HỢP HỖ TRỢ ĐOÀN VIÊN', fileName: `bao-cao-tong-hop-${fileStem(report)}`, orgName: report.org.name,
    parentName: report.printOrg.parentName, place: report.printOrg.place, periodLabel: report.periodLabel,
    columns: [...groups.map((g) => ({ header: GROUP_HEADERS[g], width: g === 'month' ? 12 : 26 })), ...FIGURE_COLUMNS],
    rows: report.rows.map((r) => [...groups.map((g) => r.labels[g] ?? ''), ...figureCells(r)]),
    total: [...(groups.length ? ['Tổng cộng', ...groups.slice(1).map(() => '')] : []), ...figureCells(report.total)],
  };
}

export function registerTable(report: RegisterReport): ReportTable {
  return {
    name: 'SỔ CHI TRẢ HỖ TRỢ ĐOÀN VIÊN', fileName: `so-chi-tra-${fileStem(report)}`, orgName: report.org.name,
    parentName: report.printOrg.parentName, place: report.printOrg.place, periodLabel: report.periodLabel,
    columns: [
      { header: 'STT', width: 6, numeric: true }, { header: 'Ngày', width: 12 }, { header: 'Số chứng từ', width: 14 },
      { header: 'Loại', width: 9 }, { header: 'Mã hồ sơ', width: 18 }, { header: 'Người thụ hưởng', width: 24 },
      { header: 'Công đoàn cơ sở', width: 30 }, { header: 'Nguồn', width: 14 },
      { header: 'Số tiền (đồng)', width: 16, numeric: true }, { header: 'Lũy kế (đồng)', width: 16, numeric: true },
    ],
    rows: report.lines.map((l) => [
      l.no, l.paidAt.split('-').reverse().join('/'), l.voucherNo, l.kind === 'reversal' ? 'Hủy chi' : 'Chi', l.caseCode, l.beneficiary,
      l.union, l.fund, l.amount, l.runningTotal,
    ]),
    total: ['Tổng cộng', '', '', `${report.total.count} bút toán`, '', '', '', '', report.total.amount, report.total.amount],
  };
}
