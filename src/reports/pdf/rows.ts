import { strokeCells, textHeight } from '../../core/pdf/cells.js';
import { FONT } from '../../core/pdf/fonts.js';
import type { ReportTable } from '../table.js';
import { cellText, PAD_X, PAD_Y, SIZE } from './cells.js';
import type { Part } from './columns.js';

type Doc = PDFKit.PDFDocument;
type Align = 'left' | 'center' | 'right';

interface Frame {
  left: number;
  top: number;
  bottom: number;
}

/** One row of cells: the borders, then the texts (centred vertically in the header row). */
function drawRow(
  doc: Doc,
  texts: string[],
  widths: number[],
  aligns: Align[],
  x0: number,
  y: number,
  bold: boolean,
  middle = false,
): number {
  doc.font(bold ? FONT.bold : FONT.regular).fontSize(SIZE.cell);
  const heights = texts.map((text, i) => textHeight(doc, text, widths[i]!, PAD_X));
  const height = Math.max(...heights) + 2 * PAD_Y;
  strokeCells(doc, x0, y, widths, height);
  let x = x0;
  texts.forEach((text, i) => {
    const dy = middle ? (height - 2 * PAD_Y - heights[i]!) / 2 : 0;
    doc.text(text, x + PAD_X, y + PAD_Y + dy, { width: widths[i]! - 2 * PAD_X, align: aligns[i]! });
    x += widths[i]!;
  });
  return y + height;
}

function heightOf(doc: Doc, texts: string[], widths: number[], bold: boolean): number {
  doc.font(bold ? FONT.bold : FONT.regular).fontSize(SIZE.cell);
  return Math.max(...texts.map((text, i) => textHeight(doc, text, widths[i]!, PAD_X))) + 2 * PAD_Y;
}

/** The total row's labels ("Tổng cộng", "45 bút toán") run on over the empty cells after them. */
function spanned(cells: (string | number)[], widths: number[]): { cells: (string | number)[]; widths: number[] } {
  const out: { cell: string | number; width: number }[] = [];
  cells.forEach((cell, i) => {
    const previous = out[out.length - 1];
    if (cell === '' && previous && typeof previous.cell === 'string' && previous.cell !== '')
      previous.width += widths[i]!;
    else out.push({ cell, width: widths[i]! });
  });
  return { cells: out.map((c) => c.cell), widths: out.map((c) => c.width) };
}

/**
 * One part of the table from `y`: the header row, the rows and the total row, continued on new pages as
 * needed with the header row again at the top of each. Answers where the table ends.
 */
export function drawPart(doc: Doc, table: ReportTable, part: Part, frame: Frame, startY: number): number {
  const pick = <T>(values: readonly T[]) => part.columns.map((i) => values[i]!);
  const headers = pick(table.columns).map((c) => c.header);
  const centred = headers.map((): Align => 'center');
  const alignsOf = (cells: (string | number)[]) => cells.map((v): Align => (typeof v === 'number' ? 'right' : 'left'));
  const header = (y: number) => drawRow(doc, headers, part.widths, centred, frame.left, y, true, true);

  let y = startY;
  // The header row never stands alone at the foot of a page.
  const firstHeight =
    heightOf(doc, headers, part.widths, true) +
    (table.rows[0] ? heightOf(doc, pick(table.rows[0]).map(cellText), part.widths, false) : 0);
  if (y + firstHeight > frame.bottom) {
    doc.addPage();
    y = frame.top;
  }
  y = header(y);
  const line = (cells: (string | number)[], widths: number[], bold: boolean) => {
    const texts = cells.map(cellText);
    if (y + heightOf(doc, texts, widths, bold) > frame.bottom) {
      doc.addPage();
      y = header(frame.top);
    }
    y = drawRow(doc, texts, widths, alignsOf(cells), frame.left, y, bold);
  };
  for (const row of table.rows) line(pick(row), part.widths, false);
  const total = spanned(pick(table.total), part.widths);
  line(total.cells, total.widths, true);
  return y;
}
