import ExcelJS from 'exceljs';
import { neutralise } from '../core/csv.js';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReportTable, StreamedTable } from './table.js';

const TITLE_ROWS = 4;
const HEADER_ROW = TITLE_ROWS + 1;
/** ECMA-376 paper size 9: A4. */
const A4 = 9;

/** Wide tables print landscape; either way on one page wide, as many pages tall as needed. */
const isWide = (table: Pick<ReportTable, 'columns'>) =>
  table.columns.length > 8 || table.columns.reduce((sum, c) => sum + c.width, 0) > 110;

/**
 * A title block (organisation, report, period), a frozen header row repeated on every printed page, widths,
 * grouped thousands and a bold total row. The page setup prints one page wide (fit to page switched on,
 * width 1, height 0 = as many as it takes). Totals that are sums of their column are `SUM` formulas with
 * the service's figure as the cached result, so Excel and LibreOffice show it without recalculating and a
 * reader can see where it comes from; the others (people paid, running total …) are values.
 *
 * Written to `out` as the rows come (exceljs' streaming writer, each row committed once written): a register of
 * 350,000 lines built whole in memory took 211 s and 3.7 GB (docs/reports.md "Large registers").
 */
export async function writeTableXlsx(table: ReportTable | StreamedTable, out: Writable): Promise<void> {
  const through = new PassThrough();
  // Once `out` has gone (the client left), the workbook's last writes have nowhere to go: not an error of its own.
  through.on('error', () => undefined);
  // Whichever fails first ends the answer; the rows stop being read at the next row.
  const written = writeWorkbook(table, through).catch((error: unknown) => {
    through.destroy(error as Error);
    throw error;
  });
  await Promise.all([pipeline(through, out), written]);
}

async function writeWorkbook(table: ReportTable | StreamedTable, out: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  Object.assign(workbook, { creator: 'Mái ấm', title: `${table.name} — ${table.periodLabel}` });
  const sheet = workbook.addWorksheet('Báo cáo', {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: {
      paperSize: A4,
      orientation: isWide(table) ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      horizontalCentered: true,
      margins: { left: 0.6, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
  });
  const last = table.columns.length;
  // Widths and number formats first: the streaming writer writes the columns with the first row.
  table.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width;
    if (c.numeric) column.numFmt = '#,##0';
  });
  const title = (row: number, text: string, bold: boolean, size: number) => {
    sheet.mergeCells(row, 1, row, last);
    const cell = sheet.getCell(row, 1);
    cell.value = neutralise(text);
    cell.font = { bold, size };
    cell.alignment = { horizontal: 'center' };
  };
  title(1, table.orgName.toLocaleUpperCase('vi-VN'), true, 12);
  title(2, table.name, true, 14);
  title(3, `Kỳ báo cáo: ${table.periodLabel}`, false, 12);
  const header = sheet.getRow(HEADER_ROW);
  header.values = table.columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  // Room for headers wrapped on three lines: spreadsheets do not grow a row for wrapped text they did not lay out.
  header.height = 48;
  header.commit();
  let rows = 0;
  for await (const row of table.rows) {
    if (out.destroyed) throw new Error('the answer was closed before the workbook was written');
    sheet.addRow(row.map(neutralise)).commit();
    rows += 1;
  }
  const totals = typeof table.total === 'function' ? table.total() : table.total;
  const total = sheet.addRow(totals.map(neutralise));
  if (rows) {
    const [first, lastRow] = [HEADER_ROW + 1, HEADER_ROW + rows];
    table.summed.forEach((summed, i) => {
      const value = totals[i];
      if (!summed || typeof value !== 'number') return;
      const letter = sheet.getColumn(i + 1).letter;
      total.getCell(i + 1).value = { formula: `SUM(${letter}${first}:${letter}${lastRow})`, result: value };
    });
  }
  total.font = { bold: true };
  total.commit();
  sheet.commit();
  await workbook.commit();
}

/** The workbook as one buffer (a summary: a few dozen rows). */
export async function tableXlsx(table: ReportTable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeTableXlsx(table, collect);
  return Buffer.concat(chunks);
}
