import PDFDocument from 'pdfkit';
import { FONT } from './fonts.js';
import { PAGE } from './layout.js';

/** What a paper says about itself in the PDF's information dictionary. */
export interface PaperInfo {
  title: string;
  author: string;
  subject?: string;
  /** The paper's date as the file's creation and change dates; without it pdfkit writes the current time. */
  date?: Date;
  landscape?: boolean;
}

/**
 * A new A4 paper of Nghị định 30/2020 (decisions, reports): the decree's margins, Vietnamese as its language,
 * pages kept in memory so that page numbers are written once the text is laid out.
 */
export function paperDocument(paper: PaperInfo): PDFKit.PDFDocument {
  return new PDFDocument({
    size: PAGE.size,
    ...(paper.landscape !== undefined ? { layout: paper.landscape ? 'landscape' : 'portrait' } : {}),
    margins: PAGE.margins,
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: paper.title,
      Author: paper.author,
      ...(paper.subject !== undefined ? { Subject: paper.subject } : {}),
      Creator: 'Mái ấm',
      Producer: 'Mái ấm (PDFKit)',
      ...(paper.date ? { CreationDate: paper.date, ModDate: paper.date } : {}),
    },
  });
}

/** A page number centred in the top margin over the text's width, as the decree places it. */
export function drawPageNumber(doc: PDFKit.PDFDocument, text: string, left: number, width: number, size: number): void {
  doc.font(FONT.regular).fontSize(size);
  doc.text(text, left + (width - doc.widthOfString(text)) / 2, PAGE.margins.top / 2 - 4, { lineBreak: false });
}
