import PDFDocument from 'pdfkit';
import { vnDay } from '../../core/shared/dates.js';
import { pdfBytes } from '../../core/pdf/bytes.js';
import { drawPageNumber, paperDocument } from '../../core/pdf/document.js';
import { FONT, registerFonts } from '../../core/pdf/fonts.js';
import { drawHeader } from '../../core/pdf/header.js';
import { mm, PAGE as PDF_PAGE } from '../../core/pdf/layout.js';
import type { ReportTable } from '../table.js';
import { SIZE } from './cells.js';
import { layoutColumns } from './columns.js';
import { drawPart } from './rows.js';

type Doc = PDFKit.PDFDocument;

const { margins } = PDF_PAGE;
const PORTRAIT_WIDTH = PDF_PAGE.width - margins.left - margins.right;
const LANDSCAPE_WIDTH = PDF_PAGE.height - margins.left - margins.right;

const SIGNERS = [
  { title: 'NGƯỜI LẬP BIỂU', note: '(Ký, ghi rõ họ tên)' },
  { title: 'KẾ TOÁN TRƯỞNG', note: '(Ký, ghi rõ họ tên)' },
  { title: 'THỦ TRƯỞNG ĐƠN VỊ', note: '(Ký, họ tên, đóng dấu)' },
];
const SIGNATURE_SPACE = mm(22);

/**
 * The signature row of a financial report: who drew it up, the chief accountant and the head of the unit,
 * each with room to sign. The service knows only the first by name (the user who asked for the report); the
 * other two sign and write their names by hand. Kept whole on one page.
 */
function drawSignatures(doc: Doc, table: ReportTable, left: number, width: number, bottom: number): void {
  const column = width / SIGNERS.length;
  const height = 2 * 18 + SIGNATURE_SPACE + 18;
  let top = doc.y + 16;
  if (top + height > bottom) {
    doc.addPage();
    top = margins.top;
  }
  const names = [table.preparedBy, '', ''];
  SIGNERS.forEach((signer, i) => {
    const x = left + i * column;
    doc.font(FONT.bold).fontSize(SIZE.signature).text(signer.title, x, top, { width: column, align: 'center' });
    doc.font(FONT.italic).fontSize(SIZE.signatureNote).text(signer.note, x, doc.y, { width: column, align: 'center' });
    if (names[i])
      doc
        .font(FONT.bold)
        .fontSize(SIZE.signature)
        .text(names[i]!.normalize('NFC'), x, top + 2 * 18 + SIGNATURE_SPACE, { width: column, align: 'center' });
  });
}

/**
 * Page numbers in the top margin from the second page on (as the decisions, Nghị định 30/2020); the bottom
 * margin holds only the table's footer line, when it has one.
 */
function decoratePages(doc: Doc, table: ReportTable, left: number, width: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing inside a margin: pdfkit would otherwise start a new page for text below the bottom one.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    if (i > range.start) drawPageNumber(doc, String(i - range.start + 1), left, width, SIZE.pageNumber);
    if (table.footer) {
      doc
        .font(FONT.italic)
        .fontSize(SIZE.footer)
        .text(table.footer.normalize('NFC'), left, doc.page.height - bottom + 14, {
          width,
          align: 'center',
          lineBreak: false,
        });
    }
    doc.page.margins.bottom = bottom;
  }
}

/**
 * The report as an administrative paper (Nghị định 30/2020): the decisions' two header columns at the
 * page's margins with the issuer's symbol, the title and period, the table at 11 pt (portrait, landscape, or
 * split into parts when even landscape is too narrow, the header row on every page), and the signature row.
 */
export async function tablePdf(table: ReportTable, issuedAt: string = vnDay()): Promise<Buffer> {
  // A first document only measures, so that the orientation is known before the page is made.
  const probe = new PDFDocument({ size: 'A4', autoFirstPage: false });
  registerFonts(probe);
  const { landscape, parts } = layoutColumns(probe, table, PORTRAIT_WIDTH, LANDSCAPE_WIDTH);

  const doc = paperDocument({ title: `${table.name} — ${table.periodLabel}`, author: table.orgName, landscape });
  const left = margins.left;
  const width = landscape ? LANDSCAPE_WIDTH : PORTRAIT_WIDTH;
  const bottom = doc.page.height - margins.bottom;
  return pdfBytes(doc, () => {
    registerFonts(doc);
    drawHeader(
      doc,
      { number: table.number, issuedAt, place: table.place, parentName: table.parentName, issuerName: table.orgName },
      width,
    );
    doc
      .font(FONT.bold)
      .fontSize(SIZE.title)
      .text(table.name, left, doc.y + 20, { width, align: 'center' });
    doc
      .font(FONT.italic)
      .fontSize(SIZE.period)
      .text(`Kỳ báo cáo: ${table.periodLabel}`, left, doc.y, { width, align: 'center' });
    let y = doc.y + 10;
    parts.forEach((part, i) => {
      if (parts.length > 1) {
        if (i > 0) {
          doc.addPage();
          y = margins.top;
        }
        doc
          .font(FONT.italic)
          .fontSize(SIZE.caption)
          .text(`Bảng, phần ${i + 1}/${parts.length}`, left, y, { width, align: 'right' });
        y = doc.y + 2;
      }
      y = drawPart(doc, table, part, { left, top: margins.top, bottom }, y);
    });
    doc.y = y;
    drawSignatures(doc, table, left, width, bottom);
    decoratePages(doc, table, left, width);
  });
}
