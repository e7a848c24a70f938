import { csvCell } from '../disbursements/index.js';
import type { ReportTable } from './table.js';

/** UTF-8 with a BOM so that Excel shows the Vietnamese (SPEC §8); cells that would be formulas are neutralised. */
export function tableCsv(table: ReportTable): Buffer {
  const lines = [
    [table.name],
    [table.orgName],
    [`Kỳ báo cáo: ${table.periodLabel}`],
    [],
    table.columns.map((c) => c.header),
    ...table.rows,
    table.total,
  ].map((row) => row.map((cell) => csvCell(cell)).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
