import { FONT } from '../../core/pdf/fonts.js';
import type { ReportTable } from '../table.js';
import { cellText, PAD_X, SIZE } from './cells.js';

type Doc = PDFKit.PDFDocument;

/** A text column is not widened past this for its longest value: longer names wrap at word boundaries. */
const TEXT_MAX = 190;
/** Nor made narrower than this (unless all its texts are shorter): a name of one word a line is unreadable. */
const TEXT_MIN = 72;

export interface Part {
  /** Indices into the table's columns, in order. */
  columns: number[];
  widths: number[];
}

interface Measure {
  /** The narrowest a column can be without breaking a word of its header or its text, or a number at all. */
  min: number[];
  /** The width it would like: numbers and short texts on one line. */
  natural: number[];
}

const widest = (doc: Doc, texts: Iterable<string>): number => {
  let max = 0;
  for (const text of texts) max = Math.max(max, doc.widthOfString(text));
  return max;
};
/** pdfkit's line wrapper measures a word with the space after it, and cuts a word that is wider than the line. */
const widestWord = (doc: Doc, texts: Iterable<string>): number => widest(doc, texts) + doc.widthOfString(' ') + 0.5;
const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** The width of a header set on at most two lines, broken between words where the lines come out most even. */
function twoLineWidth(doc: Doc, header: string): number {
  const parts = words(header);
  let best = doc.widthOfString(header);
  for (let i = 1; i < parts.length; i += 1) {
    best = Math.min(
      best,
      Math.max(doc.widthOfString(parts.slice(0, i).join(' ')), doc.widthOfString(parts.slice(i).join(' '))),
    );
  }
  return best;
}

function measure(doc: Doc, table: ReportTable): Measure {
  const min: number[] = [];
  const natural: number[] = [];
  table.columns.forEach((column, i) => {
    doc.font(FONT.bold).fontSize(SIZE.cell);
    const headerWord = widestWord(doc, words(column.header));
    const headerNatural = twoLineWidth(doc, column.header);
    const total = cellText(table.total[i] ?? '');
    // The total row's numbers and lone labels stay on one line; a label that runs on over the empty cells after
    // it ("Tổng cộng" over STT, Ngày …) needs only its words to fit.
    const runsOn = typeof table.total[i] === 'string' && table.total[i + 1] === '';
    const label = typeof table.total[i] === 'string' && total !== '';
    const totalWidth = runsOn
      ? widestWord(doc, words(total))
      : doc.widthOfString(total) + (label ? doc.widthOfString(' ') : 0);
    doc.font(FONT.regular);
    const texts = table.rows.map((row) => cellText(row[i] ?? ''));
    if (column.numeric) {
      const width = Math.max(headerWord, totalWidth, widest(doc, texts)) + 2 * PAD_X;
      min.push(width);
      natural.push(Math.max(width, headerNatural + 2 * PAD_X));
      return;
    }
    const longestWord = Math.max(headerWord, totalWidth, widestWord(doc, texts.flatMap(words)));
    const full = Math.min(widest(doc, texts), TEXT_MAX);
    min.push(Math.max(longestWord, Math.min(full, TEXT_MIN)) + 2 * PAD_X);
    natural.push(Math.max(longestWord, headerNatural, full) + 2 * PAD_X);
  });
  return { min, natural };
}

/**
 * Widths filling `width`: each column at its natural width when all fit (stretched alike), else the minimum
 * plus fair shares of what is left (a short name reaches one line, a long union name takes the rest).
 */
function distribute(min: number[], natural: number[], width: number): number[] {
  const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
  const [sumMin, sumNatural] = [sum(min), sum(natural)];
  if (sumNatural <= width) return natural.map((n) => (n * width) / sumNatural);
  // Too narrow even at the minimum (only columns repeated on every part could do that): shrink all alike.
  if (sumMin >= width) return min.map((m) => (m * width) / sumMin);
  // Fair shares: the room is split evenly among the columns still short of their natural width; a column that
  // needs less than its share takes what it needs and leaves the rest to the others.
  const widths = [...min];
  let room = width - sumMin;
  let wanting = min.map((_, i) => i).filter((i) => natural[i]! > min[i]!);
  while (room > 0.5 && wanting.length) {
    const share = room / wanting.length;
    for (const i of wanting) {
      const give = Math.min(share, natural[i]! - widths[i]!);
      widths[i]! += give;
      room -= give;
    }
    wanting = wanting.filter((i) => natural[i]! - widths[i]! > 0.01);
  }
  return widths;
}

/**
 * The table's columns over the page: on a portrait page when they fit it at their natural widths, else on a
 * landscape one; when even that cannot hold them without breaking words, the figures are split into parts
 * printed one after another, each repeating the row's name (the columns marked `repeat`).
 */
export function layoutColumns(
  doc: Doc,
  table: ReportTable,
  portraitWidth: number,
  landscapeWidth: number,
): { landscape: boolean; parts: Part[] } {
  const { min, natural } = measure(doc, table);
  const all = table.columns.map((_, i) => i);
  const pick = (indices: number[], values: number[]) => indices.map((i) => values[i]!);
  if (natural.reduce((s, v) => s + v, 0) <= portraitWidth) {
    return { landscape: false, parts: [{ columns: all, widths: distribute(min, natural, portraitWidth) }] };
  }
  const repeated = all.filter((i) => table.columns[i]!.repeat);
  const others = all.filter((i) => !table.columns[i]!.repeat);
  const base = pick(repeated, min).reduce((s, v) => s + v, 0);
  const groups: number[][] = [[]];
  let used = base;
  for (const i of others) {
    const current = groups[groups.length - 1]!;
    if (current.length && used + min[i]! > landscapeWidth) {
      groups.push([]);
      used = base;
    }
    groups[groups.length - 1]!.push(i);
    used += min[i]!;
  }
  const parts = groups.map((group) => {
    const columns = [...repeated, ...group].sort((a, b) => a - b);
    return { columns, widths: distribute(pick(columns, min), pick(columns, natural), landscapeWidth) };
  });
  return { landscape: true, parts };
}
