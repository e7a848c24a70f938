import QRCode from 'qrcode';
import { FONT } from '../../core/pdf/fonts.js';
import { BOTTOM, CONTENT_WIDTH, INDENT, LEFT, LINE_GAP, PARAGRAPH_GAP, SIZE, mm } from '../../core/pdf/layout.js';
import type { DecisionPrint } from './print.js';

type Doc = PDFKit.PDFDocument;

const paragraph = {
  width: CONTENT_WIDTH,
  align: 'justify' as const,
  indent: INDENT,
  lineGap: LINE_GAP,
  paragraphGap: PARAGRAPH_GAP,
};

/** The legal bases in italics, one per paragraph ("Căn cứ …;"), then "QUYẾT ĐỊNH:" and the articles. */
export function drawBasesAndArticles(doc: Doc, print: DecisionPrint): void {
  doc.font(FONT.italic).fontSize(SIZE.body);
  for (const basis of print.legalBases) doc.text(basis, LEFT, doc.y, paragraph);
  doc.font(FONT.bold).fontSize(SIZE.title);
  doc.text('QUYẾT ĐỊNH:', LEFT, doc.y + 4, { width: CONTENT_WIDTH, align: 'center', paragraphGap: PARAGRAPH_GAP + 2 });
  print.articles.forEach((article, i) => {
    // "Điều 1." in bold runs on into the article's text in the same paragraph.
    doc
      .font(FONT.bold)
      .fontSize(SIZE.body)
      .text(`Điều ${i + 1}. `, LEFT, doc.y, { ...paragraph, continued: true });
    doc.font(FONT.regular).text(article, { ...paragraph });
  });
}

const SIGNATURE_SPACE = mm(25);

/** Height of the closing block, so that it is never split from its signature. */
function closingHeight(doc: Doc, print: DecisionPrint, leftWidth: number): number {
  doc.font(FONT.regular).fontSize(SIZE.recipients);
  const recipients =
    print.recipients.reduce((sum, r) => sum + doc.heightOfString(`- ${r}`, { width: leftWidth }), 0) + 18;
  const signature = 3 * 18 + SIGNATURE_SPACE;
  return Math.max(recipients, signature) + 14;
}

/**
 * The closing block: "Nơi nhận:" and the recipients on the left in small type; on the right "TM. BAN THƯỜNG
 * VỤ", the signer's title, room for the signature and the seal, and the signer's name.
 */
export function drawClosing(doc: Doc, print: DecisionPrint): void {
  const leftWidth = CONTENT_WIDTH * 0.45;
  const rightX = LEFT + leftWidth;
  const rightWidth = CONTENT_WIDTH - leftWidth;
  if (doc.y + closingHeight(doc, print, leftWidth) > BOTTOM) doc.addPage();
  const top = doc.y + 10;

  doc
    .font(FONT.boldItalic)
    .fontSize(SIZE.recipientsTitle)
    .text('Nơi nhận:', LEFT, top + 4, { width: leftWidth });
  doc.font(FONT.regular).fontSize(SIZE.recipients);
  for (const recipient of print.recipients) doc.text(`- ${recipient}`, LEFT, doc.y, { width: leftWidth });
  const leftBottom = doc.y;

  doc.font(FONT.bold).fontSize(SIZE.signature);
  doc.text('TM. BAN THƯỜNG VỤ', rightX, top, { width: rightWidth, align: 'center' });
  doc.text(print.signer.title.toLocaleUpperCase('vi-VN'), rightX, doc.y, { width: rightWidth, align: 'center' });
  doc.text(print.signer.name, rightX, doc.y + SIGNATURE_SPACE, { width: rightWidth, align: 'center' });
  doc.y = Math.max(leftBottom, doc.y);
}

const QR_SIZE = mm(20);

/**
 * The QR code of the public verify address, drawn as vector squares (sharp at any zoom, and the same bytes
 * every time), with the address in words beside it for those who type it.
 */
export function drawVerification(doc: Doc, print: DecisionPrint): void {
  if (doc.y + QR_SIZE + 16 > BOTTOM) doc.addPage();
  const top = doc.y + 16;
  const qr = QRCode.create(print.verifyUrl, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const cell = QR_SIZE / count;
  doc.save().fillColor('black');
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.modules.get(row, col)) doc.rect(LEFT + col * cell, top + row * cell, cell, cell);
    }
  }
  doc.fill().restore();
  const textX = LEFT + QR_SIZE + 8;
  doc.font(FONT.italic).fontSize(SIZE.verify).fillColor('black');
  doc.text('Xác thực văn bản: quét mã QR hoặc truy cập địa chỉ', textX, top + QR_SIZE / 2 - 10, {
    width: CONTENT_WIDTH - QR_SIZE - 8,
  });
  doc.text(print.verifyUrl, textX, doc.y, { width: CONTENT_WIDTH - QR_SIZE - 8 });
  doc.y = Math.max(doc.y, top + QR_SIZE);
}
