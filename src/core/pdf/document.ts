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

interface CachingFont {
  layoutCache?: Record<string, unknown>;
}

/**
 * Forgets the word layouts pdfkit's embedded fonts keep for the document's life (`EmbeddedFont.layoutCache`: one
 * entry per distinct word ever drawn). In a long list nearly every row brings new words (its number, its masked
 * CCCD), so the cache grows with the list: about 1 kB a row, 50 MB for 50,000. Called once a page of such a list
 * is written out, it keeps the cache to what one page repeats; the bytes are the same (the cache only saves
 * laying a word out again). Turning the cache off (`fontLayoutCache: false`) would cost ten times the time.
 */
export function forgetWordLayouts(doc: PDFKit.PDFDocument): void {
  const fonts = (doc as unknown as { _fontFamilies?: Record<string, CachingFont> })._fontFamilies ?? {};
  for (const font of Object.values(fonts))
    if (font.layoutCache) font.layoutCache = Object.create(null) as Record<string, unknown>;
}
