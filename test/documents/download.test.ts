import { expect } from 'chai';
import { parse as parseContentDisposition } from 'content-disposition';
import { arrange, type Session } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectNotFound, expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import {
  binary,
  documentsProvince,
  expectNoTempFiles,
  FILES,
  unionHouseDraft,
  upload,
  type CaseRef,
} from './fixtures.js';

interface DocumentJson {
  id: string;
  originalName: string;
}

describe('documents: downloads', () => {
  let tree: ProvinceTree;
  let other: ProvinceTree;
  let draft: CaseRef;
  let pdf: DocumentJson;
  let png: DocumentJson;
  const pdfName = 'Đơn đề nghị "hỗ trợ".pdf';

  before(async () => {
    [tree, other] = await Promise.all([documentsProvince(), foreignProvince()]);
    draft = await unionHouseDraft(tree);
    [pdf, png] = await Promise.all([
      arrange<DocumentJson>(upload(tree.sessions.officer, draft.id, 'application_form', FILES.pdf.bytes, pdfName)),
      arrange<DocumentJson>(upload(tree.sessions.officer, draft.id, 'house_photo', FILES.png.bytes, 'anh nha.png')),
    ]);
  });

  afterEach(expectNoTempFiles);

  const download = (session: Session, docId: string, query = '') =>
    session.get(`/api/v1/cases/${draft.id}/documents/${docId}${query}`).buffer(true).parse(binary);

  it('when the officer downloads a PDF, then the same bytes come back as an attachment with the sniffed type and an RFC 5987 Vietnamese file name', async () => {
    const res = await download(tree.sessions.officer, pdf.id);
    expect(res.status).to.equal(200);
    expect((res.body as Buffer).equals(FILES.pdf.bytes)).to.equal(true);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-length']).to.equal(String(FILES.pdf.bytes.length));
    expect(res.headers['cache-control']).to.include('no-store');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    const header = String(res.headers['content-disposition']);
    // The plain `filename=` is ASCII only; the exact name travels in `filename*` (RFC 5987, UTF-8).
    expect(header).to.match(/^attachment;/);
    expect(header).to.match(/^[\x20-\x7e]+$/);
    expect(header).to.include("filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B");
    const parsed = parseContentDisposition(header);
    expect(parsed.type).to.equal('attachment');
    expect(parsed.parameters.filename).to.equal(pdfName);
  });

  it('when ?disposition=inline is asked, then the file is offered inline with the same safe name', async () => {
    const res = await download(tree.sessions.officer, png.id, '?disposition=inline');
    expect(res.status).to.equal(200);
    expect((res.body as Buffer).equals(FILES.png.bytes)).to.equal(true);
    expect(res.headers['content-type']).to.equal('image/png');
    const parsed = parseContentDisposition(String(res.headers['content-disposition']));
    expect(parsed).to.deep.include({ type: 'inline' });
    expect(parsed.parameters.filename).to.equal('anh nha.png');
  });

  it('when the verifier, the approver, the accountant and the administrators above the union download, then each gets the file', async () => {
    const { verifier, approver, accountant, admin, upperAdmin } = tree.sessions;
    const answers = await Promise.all(
      [verifier, approver, accountant, admin, upperAdmin].map((s) => download(s, pdf.id)),
    );
    for (const res of answers) {
      expect(res.status).to.equal(200);
      expect((res.body as Buffer).equals(FILES.pdf.bytes)).to.equal(true);
    }
  });

  it('when an officer of the sibling union or any user of another province asks, then 404 as if the document did not exist', async () => {
    const outsiders = [
      tree.sessions.siblingOfficer,
      other.sessions.officer,
      other.sessions.verifier,
      other.sessions.approver,
      other.sessions.admin,
    ];
    for (const session of outsiders) {
      const res = await session.get(`/api/v1/cases/${draft.id}/documents/${pdf.id}`);
      expectNotFound(res);
      expect(res.headers['content-disposition']).to.equal(undefined);
    }
  });

  it('when the document id names nothing on the case, then 404; when it is not a document id, then 400', async () => {
    expectNotFound(
      await tree.sessions.officer.get(`/api/v1/cases/${draft.id}/documents/00000000-0000-4000-8000-000000000000`),
    );
    expectValidation(
      await tree.sessions.officer.get(`/api/v1/cases/${draft.id}/documents/..%2F..%2Fetc%2Fpasswd`),
      'docId',
    );
    expectValidation(
      await tree.sessions.officer.get(`/api/v1/cases/${draft.id}/documents/${pdf.id}?disposition=download`),
      'disposition',
    );
  });
});
