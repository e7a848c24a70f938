import { expect } from 'chai';
import { parse as parseContentDisposition } from 'content-disposition';
import { arrange } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { fileResponseHeaders } from '../../src/documents/index.js';
import { binary, documentsProvince, FILES, storedCase, unionHouseDraft, upload, type CaseRef } from './fixtures.js';

interface DocumentJson {
  id: string;
  originalName: string;
  mimeType: string;
}

/** Starts as a PDF (so it is sniffed as one) and carries a page a browser would run if it were taken for HTML. */
const POLYGLOT = Buffer.concat([
  FILES.pdf.bytes,
  Buffer.from('\n<html><body><script>alert(document.cookie)</script></body></html>\n'),
]);

describe('documents: names that tell the truth about the bytes', () => {
  let tree: ProvinceTree;
  let draft: CaseRef;

  before(async () => {
    tree = await documentsProvince();
    draft = await unionHouseDraft(tree);
  });

  const download = (docId: string, query = '') =>
    tree.sessions.officer.get(`/api/v1/cases/${draft.id}/documents/${docId}${query}`).buffer(true).parse(binary);

  it('when a PDF carrying HTML is uploaded as poly.html, then it is stored and served as poly.pdf, an attachment unless the viewer asks inline', async () => {
    const created = await arrange<DocumentJson>(
      upload(tree.sessions.officer, draft.id, 'application_form', POLYGLOT, 'poly.html'),
    );

    expect(created).to.include({ originalName: 'poly.pdf', mimeType: 'application/pdf' });
    const stored = (await storedCase(draft.id))!.documents.find((d: { id: string }) => d.id === created.id)!;
    expect(stored.originalName).to.equal('poly.pdf');
    expect(stored.storedName).to.match(/\.pdf$/);
    const plain = await download(created.id);
    expect(plain.status).to.equal(200);
    expect(plain.headers['content-type']).to.equal('application/pdf');
    expect(parseContentDisposition(String(plain.headers['content-disposition']))).to.deep.equal({
      type: 'attachment',
      parameters: { filename: 'poly.pdf' },
    });
    const viewer = await download(created.id, '?disposition=inline');
    expect(parseContentDisposition(String(viewer.headers['content-disposition']))).to.deep.equal({
      type: 'inline',
      parameters: { filename: 'poly.pdf' },
    });
  });

  for (const [sent, kept, bytes] of [
    ['scan', 'scan.jpg', FILES.jpeg.bytes],
    ['ảnh nhà.JPEG', 'ảnh nhà.JPEG', FILES.jpeg.bytes],
    ['anh.png.exe', 'anh.png.png', FILES.png.bytes],
  ] as const) {
    it(`when ${JSON.stringify(sent)} is uploaded, then its name is kept as ${JSON.stringify(kept)}`, async () => {
      const created = await arrange<DocumentJson>(upload(tree.sessions.officer, draft.id, 'house_photo', bytes, sent));
      expect(created.originalName).to.equal(kept);
    });
  }

  it('when a file stored under a misleading name before this rule is served, then the headers correct its extension and keep it an attachment unless viewable', () => {
    const old = { originalName: 'poly.html', mimeType: 'application/pdf', size: 10 };

    expect(parseContentDisposition(fileResponseHeaders(old)['Content-Disposition']!)).to.deep.equal({
      type: 'attachment',
      parameters: { filename: 'poly.pdf' },
    });
    expect(parseContentDisposition(fileResponseHeaders(old, 'inline')['Content-Disposition']!).type).to.equal('inline');
    const unknown = { originalName: 'x.bin', mimeType: 'application/octet-stream', size: 1 };
    expect(parseContentDisposition(fileResponseHeaders(unknown, 'inline')['Content-Disposition']!).type).to.equal(
      'attachment',
    );
  });
});
