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
import { drawPageNumber, paperDocument } from '../../core/pdf/document.js';

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
    annex: print.annex && {
      ...print.annex,
      rows: print.annex.rows.map((row) => ({ ...row, name: nfc(row.name), unit: nfc(row.unit) })),
    },
  };
}

/**
 * Page numbers centred in the top margin (Nghị định 30/2020): the decision's own from its second page on (the
 * first shows none); the attached list is numbered on its own from 1, on every one of its pages.
 */
function numberPages(doc: PDFKit.PDFDocument, annexFirstPage: number | null): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    const inAnnex = annexFirstPage !== null && i >= annexFirstPage;
    if (!inAnnex && i === range.start) continue;
    doc.switchToPage(i);
    const text = String(inAnnex ? i - annexFirstPage + 1 : i - range.start + 1);
    drawPageNumber(doc, text, LEFT, CONTENT_WIDTH, SIZE.pageNumber);
  }
}

/**
 * The decision as PDF bytes. Deterministic: the same print gives the same bytes, because every date in the
 * file is the decision date (pdfkit would write the current time), and the file identifier pdfkit derives
 * from the document information is then fixed too. Rendered once when the decision is issued, then stored.
 */
export async function renderDecisionPdf(input: DecisionPrint): Promise<Buffer> {
  const print = normalised(input);
  const date = vnDayStart(print.issuedAt);
  const doc = paperDocument({
    title: `Quyết định số ${print.number}`,
    author: print.issuerName,
    subject: print.subject,
    date,
  });
  return pdfBytes(doc, () => {
    registerFonts(doc);
    drawHeader(doc, print);
    drawTitle(doc, print);
    drawBasesAndArticles(doc, print);
    drawClosing(doc, print);
    drawVerification(doc, print);
    let annexFirstPage: number | null = null;
    if (print.annex) {
      annexFirstPage = doc.bufferedPageRange().count;
      drawAnnex(doc, print);
    }
    numberPages(doc, annexFirstPage);
  });
}

/** pdfkit's bare minimum, one empty A4 page: the yardstick of the render benchmarks. */
export async function renderBlankPage(): Promise<Buffer> {
  const doc = new PDFDocument({ size: PAGE.size, info: { CreationDate: new Date(0) } });
  return pdfBytes(doc, () => {});
}
