import ExcelJS from 'exceljs';
import { neutralise } from '../core/csv.js';
import type { ReportTable } from './table.js';

const TITLE_ROWS = 4;
const HEADER_ROW = TITLE_ROWS + 1;
/** ECMA-376 paper size 9: A4. */
const A4 = 9;

/** Wide tables print landscape; either way on one page wide, as many pages tall as needed. */
const isWide = (table: ReportTable) =>
  table.columns.length > 8 || table.columns.reduce((sum, c) => sum + c.width, 0) > 110;

/**
 * A title block (organisation, report, period), a frozen header row repeated on every printed page, widths,
 * grouped thousands and a bold total row. The page setup prints one page wide (fit to page switched on,
 * width 1, height 0 = as many as it takes). Totals that are sums of their column are `SUM` formulas with
 * the service's figure as the cached result, so Excel and LibreOffice show it without recalculating and a
 * reader can see where it comes from; the others (people paid, running total …) are values.
 */
export async function tableXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mái ấm';
  workbook.title = `${table.name} — ${table.periodLabel}`;
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
  table.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width;
    if (c.numeric) column.numFmt = '#,##0';
  });
  for (const row of table.rows) sheet.addRow(row.map(neutralise));
  const total = sheet.addRow(table.total.map(neutralise));
  if (table.rows.length) {
    const [first, lastRow] = [HEADER_ROW + 1, HEADER_ROW + table.rows.length];
    table.summed.forEach((summed, i) => {
      const value = table.total[i];
      if (!summed || typeof value !== 'number') return;
      const letter = sheet.getColumn(i + 1).letter;
      total.getCell(i + 1).value = { formula: `SUM(${letter}${first}:${letter}${lastRow})`, result: value };
    });
  }
  total.font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
