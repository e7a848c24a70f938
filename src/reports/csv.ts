import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CSV_BOM, csvFile, csvLine } from '../core/csv.js';
import type { Cell, ReportTable, StreamedTable } from './table.js';

const headRows = (table: ReportTable | StreamedTable): Cell[][] => [
  [table.name],
  [table.orgName],
  [`Kỳ báo cáo: ${table.periodLabel}`],
  [],
  table.columns.map((c) => c.header),
];

/** UTF-8 with a BOM so that Excel shows the Vietnamese (SPEC §8); cells that would be formulas are neutralised. */
export function tableCsv(table: ReportTable): Buffer {
  return csvFile([...headRows(table), ...table.rows, table.total]);
}

async function* csvChunks(table: StreamedTable): AsyncGenerator<string> {
  yield CSV_BOM + headRows(table).map(csvLine).join('');
  let pending = '';
  for await (const row of table.rows) {
    pending += csvLine(row);
    if (pending.length >= 64 * 1024) {
      yield pending;
      pending = '';
    }
  }
  yield pending + csvLine(table.total());
}

/**
 * The same file written to `out` as the rows come (a register of hundreds of thousands of lines), at the pace the
 * client reads; a client that leaves stops the reading of the rows.
 */
export async function writeTableCsv(table: StreamedTable, out: Writable): Promise<void> {
  await pipeline(Readable.from(csvChunks(table)), out);
}
