import { vnDocumentDate } from '../../core/shared/dates.js';
import { formatVnd } from '../../core/money.js';
import { strokeCells, textHeight } from '../../core/pdf/cells.js';
import { FONT } from '../../core/pdf/fonts.js';
import { BOTTOM, CONTENT_WIDTH, LEFT, PAGE, SIZE } from '../../core/pdf/layout.js';
import type { AnnexRow, DecisionPrint } from './print.js';

type Doc = PDFKit.PDFDocument;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'center' | 'right';
  value: (row: AnnexRow, index: number) => string;
}

const COLUMNS: Column[] = [
  { title: 'STT', width: 32, align: 'center', value: (_row, i) => String(i + 1) },
  { title: 'Họ và tên', width: 136, align: 'left', value: (row) => row.name },
  { title: 'Số CCCD', width: 78, align: 'center', value: (row) => row.citizenIdMasked },
  { title: 'Đơn vị', width: 0, align: 'left', value: (row) => row.unit },
  { title: 'Số tiền (đồng)', width: 80, align: 'right', value: (row) => formatVnd(row.amount) },
];
// The union's name takes what the others leave.
COLUMNS[3]!.width = CONTENT_WIDTH - COLUMNS.reduce((sum, c) => sum + c.width, 0);

const PAD_X = 4;
const PAD_Y = 3.5;

/** One line placed by hand (no line wrapper: the cheap path for nearly every cell); longer text wraps in the cell. */
function writeCell(doc: Doc, text: string, x: number, y: number, width: number, align: Column['align']): void {
  const inner = width - 2 * PAD_X;
  const textWidth = doc.widthOfString(text);
  if (textWidth > inner) {
    doc.text(text, x + PAD_X, y + PAD_Y, { width: inner, align });
    return;
  }
  const dx = align === 'left' ? PAD_X : align === 'right' ? width - PAD_X - textWidth : (width - textWidth) / 2;
  doc.text(text, x + dx, y + PAD_Y, { lineBreak: false });
}

interface RowOptions {
  bold?: boolean;
  aligns?: Column['align'][];
  /** Cell widths when cells span columns (the total row); the columns' own otherwise. */
  spans?: number[];
}

function rowHeight(doc: Doc, cells: string[], options: RowOptions = {}): number {
  doc.font(options.bold ? FONT.bold : FONT.regular).fontSize(SIZE.annex);
  const spans = options.spans ?? COLUMNS.map((c) => c.width);
  return Math.max(...cells.map((text, i) => textHeight(doc, text, spans[i]!, PAD_X))) + 2 * PAD_Y;
}

function drawRow(doc: Doc, cells: string[], y: number, height: number, options: RowOptions = {}): number {
  doc.font(options.bold ? FONT.bold : FONT.regular).fontSize(SIZE.annex);
  const spans = options.spans ?? COLUMNS.map((c) => c.width);
  strokeCells(doc, LEFT, y, spans, height);
  let x = LEFT;
  cells.forEach((text, i) => {
    writeCell(doc, text, x, y, spans[i]!, options.aligns?.[i] ?? COLUMNS[i]!.align);
    x += spans[i]!;
  });
  return y + height;
}

const HEADER_OPTIONS: RowOptions = { bold: true, aligns: COLUMNS.map(() => 'center') };
const TITLES = COLUMNS.map((c) => c.title);

function drawHeaderRow(doc: Doc, y: number): number {
  return drawRow(doc, TITLES, y, rowHeight(doc, TITLES, HEADER_OPTIONS), HEADER_OPTIONS);
}

/** What the list's drawing needs from the document around it, once a page of the list is complete. */
export type PageDone = () => Promise<void>;

/**
 * Starts a new page when the next row would cross the bottom margin, and repeats the header row on it; the
 * page left is handed over (numbered, written out) first.
 */
async function roomFor(doc: Doc, y: number, height: number, pageDone: PageDone): Promise<number> {
  if (y + height <= BOTTOM) return y;
  await pageDone();
  doc.addPage();
  return drawHeaderRow(doc, PAGE.margins.top);
}

/**
 * The list attached to a batch decision (SPEC §6): STT, name, masked CCCD, union and amount, over as many
 * pages as it takes, with the header row again at the top of every page and the total in the last row. Rows
 * are taken one by one; `pageDone` is called as each page of the list is complete, the last one included.
 */
export async function drawAnnex(doc: Doc, print: DecisionPrint, pageDone: PageDone): Promise<void> {
  const annex = print.annex!;
  doc.addPage();
  doc.font(FONT.bold).fontSize(SIZE.title);
  doc.text('DANH SÁCH ĐOÀN VIÊN ĐƯỢC HỖ TRỢ', LEFT, PAGE.margins.top, { width: CONTENT_WIDTH, align: 'center' });
  doc.font(FONT.italic).fontSize(SIZE.body);
  doc.text(
    `(Kèm theo Quyết định số ${print.number} ${vnDocumentDate(print.issuedAt)} của ${print.decidingBody})`,
    LEFT,
    doc.y,
    { width: CONTENT_WIDTH, align: 'center' },
  );
  let y = drawHeaderRow(doc, doc.y + 10);
  let count = 0;
  for await (const row of annex.rows) {
    // Every text in NFC: a name typed with combining marks prints and extracts the same as a precomposed one.
    const printed = { ...row, name: row.name.normalize('NFC'), unit: row.unit.normalize('NFC') };
    const cells = COLUMNS.map((c) => c.value(printed, count));
    count += 1;
    const height = rowHeight(doc, cells);
    y = drawRow(doc, cells, await roomFor(doc, y, height, pageDone), height);
  }
  const totalOptions: RowOptions = {
    bold: true,
    spans: [CONTENT_WIDTH - COLUMNS[4]!.width, COLUMNS[4]!.width],
    aligns: ['center', 'right'],
  };
  const total = [`Tổng cộng: ${formatVnd(count)} người`, formatVnd(annex.total)];
  const height = rowHeight(doc, total, totalOptions);
  drawRow(doc, total, await roomFor(doc, y, height, pageDone), height, totalOptions);
  await pageDone();
}
