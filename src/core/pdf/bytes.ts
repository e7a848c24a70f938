/** Draws a pdfkit document and collects its bytes; every PDF of the service (decisions, reports) ends here. */
export async function pdfBytes(doc: PDFKit.PDFDocument, draw: () => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  draw();
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
