import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import { vnDayStart } from '../../core/shared/dates.js';
import { drawAnnex } from './annex.js';
import { drawBasesAndArticles, drawClosing, drawVerification } from './body.js';
import { registerFonts } from '../../core/pdf/fonts.js';
import { drawHeader } from '../../core/pdf/header.js';
import { CONTENT_WIDTH, LEFT, PAGE, SIZE } from '../../core/pdf/layout.js';
import { drawTitle } from './title.js';
import type { DecisionPrint } from './print.js';
import { pdfBytes } from '../../core/pdf/bytes.js';
import { drawPageNumber, forgetWordLayouts, paperDocument } from '../../core/pdf/document.js';

export type { AnnexRow, DecisionPrint } from './print.js';

/** Every text in NFC: a name typed with combining marks prints and extracts the same as a precomposed one. */
function normalised(print: DecisionPrint): DecisionPrint {
  const nfc = (text: string) => text.normalize('NFC');
  return {
    ...print,
    place: nfc(print.place),
    parentName: nfc(print.parentName),
    issuerName: nfc(print.issuerName),
    subject: nfc(print.subject),
    decidingBody: nfc(print.decidingBody),
    legalBases: print.legalBases.map(nfc),
    articles: print.articles.map(nfc),
    recipients: print.recipients.map(nfc),
    signer: { title: nfc(print.signer.title), name: nfc(print.signer.name) },
    // The list's rows are normalised one by one as they are drawn (annex.ts).
  };
}

/**
 * Page numbers centred in the top margin (Nghị định 30/2020): the decision's own from its second page on (the
 * first shows none); the attached list is numbered on its own from 1, on every one of its pages.
 */
function numberDecisionPages(doc: PDFKit.PDFDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    drawPageNumber(doc, String(i - range.start + 1), LEFT, CONTENT_WIDTH, SIZE.pageNumber);
  }
}

/** Bytes drawn but not yet taken by the reader above which the drawing waits (a few pages of the list). */
const AHEAD_BYTES = 128 * 1024;

/**
 * Waits while the document's reader is behind (GridFS being written, say): pdfkit pushes what it writes
 * whatever the reader's pace, so without this a long list would be drawn whole into the stream's buffer.
 */
async function paced(doc: PDFKit.PDFDocument): Promise<void> {
  while (doc.readableLength > AHEAD_BYTES && !doc.destroyed) await sleep(2);
  if (doc.destroyed) throw new Error('the decision PDF stream was closed before it was complete');
}

/**
 * Draws the decision. Its own pages (a few) are kept until they are numbered; then each page of the list is
 * numbered and written out as soon as it is complete (and the fonts' word layouts forgotten), so the document
 * holds one page of the list at a time.
 * The bytes are those of drawing everything first and numbering at the end: each page's number is still the
 * last thing drawn on it, and pages are written in order.
 */
async function drawDecision(doc: PDFKit.PDFDocument, print: DecisionPrint): Promise<void> {
  registerFonts(doc);
  drawHeader(doc, print);
  drawTitle(doc, print);
  drawBasesAndArticles(doc, print);
  drawClosing(doc, print);
  drawVerification(doc, print);
  numberDecisionPages(doc);
  if (!print.annex) return;
  doc.flushPages();
  let annexPage = 0;
  await drawAnnex(doc, print, async () => {
    annexPage += 1;
    drawPageNumber(doc, String(annexPage), LEFT, CONTENT_WIDTH, SIZE.pageNumber);
    doc.flushPages();
    forgetWordLayouts(doc);
    await paced(doc);
  });
}

/**
 * The decision as a PDF stream, drawn as it is read. Deterministic: the same print gives the same bytes,
 * because every date in the file is the decision date (pdfkit would write the current time), and the file
 * identifier pdfkit derives from the document information is then fixed too. Rendered once when the decision
 * is issued, straight into GridFS (decisions.storage.ts); a failure while drawing destroys the stream with it.
 */
export function decisionPdfStream(input: DecisionPrint): Readable {
  const print = normalised(input);
  const doc = paperDocument({
    title: `Quyết định số ${print.number}`,
    author: print.issuerName,
    subject: print.subject,
    date: vnDayStart(print.issuedAt),
  });
  drawDecision(doc, print).then(
    () => doc.end(),
    (error: unknown) => doc.destroy(error as Error),
  );
  return doc;
}

/** The decision's PDF bytes at once (a short decision; tests and the bench). */
export async function renderDecisionPdf(input: DecisionPrint): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of decisionPdfStream(input)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** pdfkit's bare minimum, one empty A4 page: the yardstick of the render benchmarks. */
export async function renderBlankPage(): Promise<Buffer> {
  const doc = new PDFDocument({ size: PAGE.size, info: { CreationDate: new Date(0) } });
  return pdfBytes(doc, () => {});
}
