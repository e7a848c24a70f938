import { centred, fittingSize, nameLines, rule, upper } from '../../core/pdf/header.js';
import { FONT } from '../../core/pdf/fonts.js';
import { CONTENT_WIDTH, LEFT, SIZE } from '../../core/pdf/layout.js';
import type { DecisionPrint } from './print.js';

type Doc = PDFKit.PDFDocument;

/** "QUYẾT ĐỊNH", the subject ("Về việc …") with its short rule, and the deciding body in capitals. */
export function drawTitle(doc: Doc, print: DecisionPrint): void {
  const centre = LEFT + CONTENT_WIDTH / 2;
  doc.font(FONT.bold).fontSize(SIZE.title);
  centred(doc, 'QUYẾT ĐỊNH', LEFT, doc.y + 22, CONTENT_WIDTH);
  doc.font(FONT.bold).fontSize(SIZE.subject);
  const subjectY = centred(doc, print.subject, LEFT + 20, doc.y, CONTENT_WIDTH - 40);
  rule(doc, centre, subjectY + 4, Math.min(CONTENT_WIDTH / 2, Math.max(60, doc.widthOfString(print.subject) / 3)));
  // The deciding body on one line if a little smaller type allows, else broken before the place.
  const body = upper(print.decidingBody);
  doc.font(FONT.bold).fontSize(fittingSize(doc, body, CONTENT_WIDTH, SIZE.title, 12));
  let y = subjectY + 18;
  for (const line of nameLines(doc, body, CONTENT_WIDTH)) y = centred(doc, line, LEFT, y, CONTENT_WIDTH);
  doc.y += 8;
}
