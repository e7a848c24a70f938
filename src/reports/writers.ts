import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { vnDay } from '../core/dates.js';
import { formatVnd } from '../core/money.js';
import { drawHeader, FONT, pdfBytes, registerFonts, type DecisionPrint } from '../decisions/index.js';
import { csvCell, neutralise } from '../disbursements/index.js';
import type { ReportTable } from './table.js';

/** UTF-8 with a BOM so that Excel shows the Vietnamese (SPEC §8); cells that would be formulas are neutralised. */
export function tableCsv(table: ReportTable): Buffer {
  const lines = [
    [table.name], [table.orgName], [`Kỳ báo cáo: ${table.periodLabel}`], [],
    table.columns.map((c) => c.header), ...table.rows, table.total,
  ].map((row) => row.map((cell) => csvCell(cell)).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

const TITLE_ROWS = 4;

/** A title block (organisation, report, period), a frozen header row, widths, grouped thousands and a bold total. */
export async function tableXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mái ấm';
  workbook.title = `${table.name} — ${table.periodLabel}`;
  const sheet = workbook.addWorksheet('Báo cáo', { views: [{ state: 'frozen', ySplit: TITLE_ROWS + 1 }] });
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
  const header = sheet.getRow(TITLE_ROWS + 1);
  header.values = table.columns.map((c) => c.header);
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  table.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.width;
    if (c.numeric) column.numFmt = '#,##0';
  });
  for (const row of table.rows) sheet.addRow(row.map(neutralise));
  const total = sheet.addRow(table.total.map(neutralise));
  total.font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The PDF in the decisions' type and header (Nghị định 30/2020 two-column header, Tinos). Wide tables go
 * landscape; the header block, drawn for an A4 portrait width, is then moved to the page's centre.
 */
export async function tablePdf(table: ReportTable, footNote: string | null = null): Promise<Buffer> {
  const widthUnits = table.columns.reduce((sum, c) => sum + c.width, 0);
  const landscape = table.columns.length > 8 || widthUnits > 110;
  const doc = new PDFDocument({ size: 'A4', layout: landscape ? 'landscape' : 'portrait', margins: { top: 40, bottom: 40, left: 40, right: 30 }, bufferPages: true, lang: 'vi-VN', info: { Title: `${table.name} — ${table.periodLabel}`, Author: table.orgName, Creator: 'Mái ấm' } });
  return pdfBytes(doc, () => {
    registerFonts(doc);
    const print = { number: '……/BC-CĐ', issuedAt: vnDay(), place: table.place, parentName: table.parentName, issuerName: table.orgName } as DecisionPrint;
    doc.save().translate(landscape ? (doc.page.width - 595.28) / 2 : 0, 0);
    drawHeader(doc, print);
    doc.restore();
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    doc.font(FONT.bold).fontSize(14).text(table.name, left, doc.y + 18, { width, align: 'center' });
    doc.font(FONT.italic).fontSize(12).text(`Kỳ báo cáo: ${table.periodLabel}`, { width, align: 'center' });
    drawRows(doc, table, left, width, doc.y + 10);
    if (footNote) drawFootNote(doc, footNote, left, width);
  });
}

/** A small line under the table (the audit chain's head on the summary, SPEC §15). */
function drawFootNote(doc: PDFKit.PDFDocument, text: string, left: number, width: number): void {
  doc.font(FONT.italic).fontSize(8).text(text, left, doc.y + 12, { width, align: 'left' });
}

function drawRows(doc: PDFKit.PDFDocument, table: ReportTable, left: number, width: number, startY: number): void {
  const scale = width / table.columns.reduce((sum, c) => sum + c.width, 0);
  const widths = table.columns.map((c) => c.width * scale);
  const size = table.columns.length > 10 ? 7.5 : 9;
  let y = startY;
  const line = (cells: (string | number)[], font: string, isHeader = false) => {
    doc.font(font).fontSize(size);
    const texts = cells.map((v) => (typeof v === 'number' ? formatVnd(v) : v));
    const height = Math.max(...texts.map((t, i) => doc.heightOfString(t, { width: widths[i]! - 4 }))) + 4;
    if (y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      y = doc.page.margins.top;
      // The header row again on every page.
      if (!isHeader) line(table.columns.map((c) => c.header), FONT.bold, true);
    }
    let x = left;
    texts.forEach((t, i) => {
      doc.rect(x, y, widths[i]!, height).lineWidth(0.4).stroke();
      doc.text(t, x + 2, y + 2, { width: widths[i]! - 4, align: table.columns[i]!.numeric ? 'right' : 'left' });
      x += widths[i]!;
    });
    y += height;
  };
  line(table.columns.map((c) => c.header), FONT.bold, true);
  for (const row of table.rows) line(row, FONT.regular);
  line(table.total, FONT.bold);
}
