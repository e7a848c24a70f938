import { csvFile } from '../core/csv.js';
import type { ReportTable } from './table.js';

/** UTF-8 with a BOM so that Excel shows the Vietnamese (SPEC §8); cells that would be formulas are neutralised. */
export function tableCsv(table: ReportTable): Buffer {
  return csvFile([
    [table.name],
    [table.orgName],
    [`Kỳ báo cáo: ${table.periodLabel}`],
    [],
    table.columns.map((c) => c.header),
    ...table.rows,
    table.total,
  ]);
}
