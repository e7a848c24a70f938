type Doc = PDFKit.PDFDocument;

/** A row's cell borders as one path, stroked before any text: a PDF path may not be interrupted by text. */
export function strokeCells(doc: Doc, left: number, y: number, widths: readonly number[], height: number): void {
  let x = left;
  for (const width of widths) {
    doc.rect(x, y, width, height);
    x += width;
  }
  doc.lineWidth(0.5).stroke();
}

/**
 * The height a cell's text needs inside `padX` on each side. Most texts fit one line: measuring the width alone
 * is much cheaper than laying the text out, and a list of 2,000 rows is measured.
 */
export function textHeight(doc: Doc, text: string, width: number, padX: number): number {
  const inner = width - 2 * padX;
  if (doc.widthOfString(text) <= inner) return doc.currentLineHeight(true);
  return doc.heightOfString(text, { width: inner });
}
