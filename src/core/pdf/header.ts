import { vnDocumentDate } from '../shared/dates.js';
import { FONT } from './fonts.js';
import { CONTENT_WIDTH, HEADER, LEFT, PAGE, SIZE } from './layout.js';

type Doc = PDFKit.PDFDocument;

export const upper = (text: string) => text.toLocaleUpperCase('vi-VN');

/** A short centred rule under a heading, as the decree draws under the issuer, the motto and the subject. */
export function rule(doc: Doc, centreX: number, y: number, length: number): void {
  doc
    .save()
    .lineWidth(0.6)
    .moveTo(centreX - length / 2, y)
    .lineTo(centreX + length / 2, y)
    .stroke()
    .restore();
}

/** The largest size from `max` down to `min` at which the text fits one line, else `max` (it then wraps). */
export function fittingSize(doc: Doc, text: string, width: number, max: number, min: number): number {
  for (let size = max; size >= min; size -= 0.5) if (doc.fontSize(size).widthOfString(text) <= width) return size;
  return max;
}

/**
 * An organisation's name on at most two lines, broken where a reader would break it: before the place
 * ("LIÊN ĐOÀN LAO ĐỘNG / TỈNH HÀ TĨNH"), else where the two lines come out most even.
 */
export function nameLines(doc: Doc, name: string, width: number): string[] {
  if (doc.widthOfString(name) <= width) return [name];
  const words = name.split(' ');
  const place = words.findIndex((word, i) => i > 0 && ['TỈNH', 'THÀNH', 'HUYỆN', 'QUẬN', 'THỊ', 'KHU'].includes(word));
  if (place > 0) return [words.slice(0, place).join(' '), words.slice(place).join(' ')];
  let best = [name];
  let bestWidth = Infinity;
  for (let i = 1; i < words.length; i += 1) {
    const lines = [words.slice(0, i).join(' '), words.slice(i).join(' ')];
    const widest = Math.max(...lines.map((l) => doc.widthOfString(l)));
    if (widest < bestWidth) [best, bestWidth] = [lines, widest];
  }
  return best;
}

export function centred(doc: Doc, text: string, x: number, y: number, width: number): number {
  doc.text(text, x, y, { width, align: 'center', lineBreak: true });
  return doc.y;
}

/** What the two header columns print: a decision's, or a report's with its own number. */
export interface HeaderPrint {
  /** `15/QĐ-LĐLĐ` */
  number: string;
  /** The document's date, `YYYY-MM-DD` (Vietnam). */
  issuedAt: string;
  place: string;
  parentName: string;
  issuerName: string;
}

/**
 * The two columns at the top of the first page (Nghị định 30/2020, Phụ lục I): on the left the parent
 * organisation, the issuer in bold with a short rule under it and the number; on the right the national
 * title, the motto with a rule as long as the motto, and the place and date in italics on the number's line.
 * On a wider page (a landscape report) the left column stays at the left margin and the right one moves to
 * the right margin.
 */
export function drawHeader(doc: Doc, print: HeaderPrint, contentWidth: number = CONTENT_WIDTH): void {
  const top = PAGE.margins.top;
  const leftWidth = HEADER.leftWidth;
  const rightX = LEFT + contentWidth - HEADER.rightWidth;
  const leftCentre = LEFT + leftWidth / 2;
  const rightCentre = rightX + HEADER.rightWidth / 2;

  // The parent's full name is long ("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"): a little smaller keeps it on one
  // line with some air before the national title.
  const parent = upper(print.parentName);
  doc.font(FONT.regular).fontSize(fittingSize(doc, parent, leftWidth - 10, SIZE.header, 10));
  let leftY = centred(doc, parent, LEFT, top, leftWidth);
  doc.font(FONT.bold).fontSize(SIZE.header);
  const issuerLines = nameLines(doc, upper(print.issuerName), leftWidth);
  for (const line of issuerLines) leftY = centred(doc, line, LEFT, leftY, leftWidth);
  const issuerWidth = Math.max(...issuerLines.map((l) => doc.widthOfString(l)));
  rule(doc, leftCentre, leftY + 2, Math.max(40, issuerWidth * 0.4));

  doc.font(FONT.bold).fontSize(SIZE.header);
  let rightY = centred(doc, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, HEADER.rightWidth);
  doc.font(FONT.bold).fontSize(SIZE.motto);
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  rightY = centred(doc, motto, rightX, rightY, HEADER.rightWidth);
  rule(doc, rightCentre, rightY + 2, doc.widthOfString(motto));

  // The number and the date stand on one line under both rules.
  const lineY = Math.max(leftY, rightY) + 8;
  doc.font(FONT.regular).fontSize(SIZE.number);
  centred(doc, `Số: ${print.number}`, LEFT, lineY, leftWidth);
  const numberBottom = doc.y;
  const date = vnDocumentDate(print.issuedAt);
  const dateLine = print.place ? `${print.place}, ${date}` : date.charAt(0).toUpperCase() + date.slice(1);
  // A long place name ("Thành phố Hồ Chí Minh") keeps the date on one line in slightly smaller type.
  doc.font(FONT.italic).fontSize(fittingSize(doc, dateLine, HEADER.rightWidth, SIZE.dateLine, 11));
  centred(doc, dateLine, rightX, lineY, HEADER.rightWidth);
  doc.y = Math.max(doc.y, numberBottom);
}
