import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { expect } from 'chai';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { arrange, expectProblem } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { testEnv } from '../support/global-setup.js';
import { expectNotFound, expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import {
  documentsPath,
  documentsProvince,
  ELF,
  expectNoTempFiles,
  FILES,
  pdfOfSize,
  rawMultipart,
  sha256,
  storedCase,
  storedFiles,
  TEXT,
  unionHouseDraft,
  upload,
  uploadRoot,
  WINDOWS_EXE,
  type CaseRef,
} from './fixtures.js';

interface DocumentJson {
  id: string;
  type: string;
  originalName: string;
  mimeType: string;
  size: number;
  sha256: string;
  caseRevision: number;
  [key: string]: unknown;
}

const STORED_NAME = /^\d{4}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[a-z]+$/;

describe('documents: uploads', () => {
  let tree: ProvinceTree;
  let other: ProvinceTree;
  let draft: CaseRef;

  before(async () => {
    [tree, other] = await Promise.all([documentsProvince(), foreignProvince()]);
    draft = await unionHouseDraft(tree);
  });

  afterEach(expectNoTempFiles);

  /** What must hold after a refused upload: no new document on the case, no new file in the store. */
  async function expectNothingStored(caseId: string, run: () => Promise<void>): Promise<void> {
    const documentsBefore = (await storedCase(caseId)).documents.length;
    const filesBefore = await storedFiles();
    await run();
    expect((await storedCase(caseId)).documents).to.have.length(documentsBefore);
    expect(await storedFiles()).to.have.members(filesBefore);
  }

  it('when an officer uploads a PDF, JPEG, PNG, WebP and HEIC under neutral names, then each is kept under a generated name with the type, size and SHA-256 of its bytes', async () => {
    const { officer } = tree.sessions;
    for (const [kind, file] of Object.entries(FILES)) {
      const clientName = `tep-${kind}.bin`;
      // The name keeps what the client called it, with the extension of what the bytes are.
      const keptName = `tep-${kind}.${file.extension}`;
      const res = await upload(officer, draft.id, 'other', file.bytes, clientName);
      expect(res.status, `${kind}: ${JSON.stringify(res.body)}`).to.equal(201);
      const body = res.body as DocumentJson;
      expect(body.id).to.match(/^[0-9a-f-]{36}$/);
      expect(body).to.include({
        type: 'other',
        mimeType: file.mimeType,
        size: file.bytes.length,
        sha256: sha256(file.bytes),
        originalName: keptName,
      });
      expect(body.caseRevision).to.be.a('number');
      expect(body).to.not.have.property('storedName');

      const stored = (await storedCase(draft.id)).documents.find((d) => d.id === body.id);
      expect(stored, kind).to.not.equal(undefined);
      expect(stored!.storedName).to.match(STORED_NAME).and.not.include('tep-');
      expect(stored!.storedName.endsWith(`.${file.extension}`), stored!.storedName).to.equal(true);
      expect(stored).to.include({
        originalName: keptName,
        mimeType: file.mimeType,
        sha256: body.sha256,
        statusAtUpload: 'draft',
      });
      const onDisk = await readFile(join(uploadRoot(), stored!.storedName));
      expect(onDisk.equals(file.bytes), `${kind} bytes on disk`).to.equal(true);
      expect(sha256(onDisk)).to.equal(body.sha256);
      expect(
        await AuditEntry.countDocuments({
          action: 'case.document_add',
          entityId: draft.id,
          'details.documentId': body.id,
          'details.sha256': body.sha256,
        }),
      ).to.equal(1);
    }
    const record = await storedCase(draft.id);
    expect(record.history.filter((h) => h.action === 'document_add').map((h) => h.note)).to.include.members(
      Object.entries(FILES).map(([k, f]) => `other: tep-${k}.${f.extension}`),
    );
  });

  it('when the case is read, then its documents show their metadata but never the stored name', async () => {
    const res = await tree.sessions.officer.get(`/api/v1/cases/${draft.id}`);
    expect(res.status).to.equal(200);
    expect(res.body.documents).to.be.an('array').that.is.not.empty;
    expect(JSON.stringify(res.body.documents)).to.not.include('storedName');
  });

  for (const [label, bytes] of [
    ['an ELF executable', ELF],
    ['a Windows executable', WINDOWS_EXE],
  ] as const) {
    it(`when ${label} is sent as "don-de-nghi.pdf" with a PDF content type, then 415 UNSUPPORTED_MEDIA_TYPE and nothing is stored`, async () => {
      await expectNothingStored(draft.id, async () => {
        const res = await tree.sessions.officer
          .upload(documentsPath(draft.id))
          .field('type', 'application_form')
          .attach('file', bytes, { filename: 'don-de-nghi.pdf', contentType: 'application/pdf' });
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      });
    });
  }

  it('when a text file is named "anh.png", then 415 UNSUPPORTED_MEDIA_TYPE and nothing is stored', async () => {
    await expectNothingStored(draft.id, async () => {
      const res = await tree.sessions.officer
        .upload(documentsPath(draft.id))
        .field('type', 'house_photo')
        .attach('file', TEXT, { filename: 'anh.png', contentType: 'image/png' });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  it('when a file is one byte over MAX_UPLOAD_MB, then 413 PAYLOAD_TOO_LARGE and nothing is stored', async () => {
    const max = testEnv().config.maxUploadBytes;
    expect(max).to.equal(10 * 1024 * 1024);
    await expectNothingStored(draft.id, async () => {
      const res = await upload(tree.sessions.officer, draft.id, 'other', pdfOfSize(max + 1), 'qua-lon.pdf');
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  it('when a file is exactly MAX_UPLOAD_MB, then it is accepted whole', async () => {
    const bytes = pdfOfSize(testEnv().config.maxUploadBytes);
    const body = await arrange<DocumentJson>(upload(tree.sessions.officer, draft.id, 'other', bytes, 'vua-du.pdf'));
    expect(body).to.include({ size: bytes.length, sha256: sha256(bytes), mimeType: 'application/pdf' });
  });

  describe('client file names', () => {
    /** [what the client sends as the file-name parameter, the name kept on the case] */
    const NAMES: [param: string, kept: string][] = [
      ['filename="../../etc/passwd"', 'passwd.pdf'],
      ['filename="..\\..\\Windows\\System32\\bien-ban.pdf"', 'bien-ban.pdf'],
      ["filename*=UTF-8''..%2F..%2Fetc%2Fcron.d%2Fx.pdf", 'x.pdf'],
      ["filename*=UTF-8''bi%C3%AAn%01b%E1%BA%A3n%1F%20kh%E1%BA%A3o%7Fs%C3%A1t%C2%9B.pdf", 'biênbản khảosát.pdf'],
      ['filename="dong-1%0Adong-2%0D.pdf"', 'dong-1dong-2.pdf'],
      ['filename=".htaccess"', 'htaccess.pdf'],
    ];
    for (const [param, kept] of NAMES) {
      it(`when the file name is sent as ${param}, then it is kept cleaned as ${JSON.stringify(kept)} and the file lands inside UPLOAD_DIR under a generated name`, async () => {
        const { contentType, body } = rawMultipart({ type: 'other' }, { filenameParam: param, bytes: FILES.pdf.bytes });
        const res = await tree.sessions.officer
          .upload(documentsPath(draft.id))
          .set('Content-Type', contentType)
          .send(body);
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect(res.body.originalName).to.equal(kept);
        const stored = (await storedCase(draft.id)).documents.find((d) => d.id === res.body.id)!;
        expect(stored.originalName).to.equal(kept);
        expect(stored.storedName).to.match(STORED_NAME);
        const path = join(uploadRoot(), stored.storedName);
        expect(path.startsWith(uploadRoot() + sep)).to.equal(true);
        expect((await readFile(path)).equals(FILES.pdf.bytes)).to.equal(true);
        expect((await storedFiles()).filter((f) => f.includes(kept))).to.deep.equal([]);
      });
    }

    it('when a file is named "Đơn đề nghị.pdf", then the Vietnamese name survives intact', async () => {
      const name = 'Đơn đề nghị.pdf';
      const body = await arrange<DocumentJson>(
        upload(tree.sessions.officer, draft.id, 'application_form', FILES.pdf.bytes, name),
      );
      expect(body.originalName).to.equal(name);
      const stored = (await storedCase(draft.id)).documents.find((d) => d.id === body.id)!;
      expect(stored.originalName).to.equal(name);
      expect(stored.storedName).to.match(STORED_NAME);
      const read = await tree.sessions.verifier.get(`/api/v1/cases/${draft.id}`);
      expect(read.body.documents.find((d: DocumentJson) => d.id === body.id).originalName).to.equal(name);
    });
  });

  describe('refused requests', () => {
    it('when the type is not one of the program\'s document types, then 400 VALIDATION_FAILED on "type" and nothing is stored', async () => {
      await expectNothingStored(draft.id, async () => {
        const unknownType = await upload(
          tree.sessions.officer,
          draft.id,
          'damage_confirmation',
          FILES.pdf.bytes,
          'xac-nhan.pdf',
        );
        expectValidation(unknownType, 'type');
        const malformed = await upload(tree.sessions.officer, draft.id, 'Giấy tờ!', FILES.pdf.bytes, 'x.pdf');
        expectValidation(malformed, 'type');
      });
    });

    it('when no file is sent, then 400 VALIDATION_FAILED on "file"', async () => {
      await expectNothingStored(draft.id, async () => {
        const res = await tree.sessions.officer.upload(documentsPath(draft.id)).field('type', 'other');
        expectValidation(res, 'file');
      });
    });

    it('when the body is JSON instead of multipart, then 400 VALIDATION_FAILED', async () => {
      await expectNothingStored(draft.id, async () => {
        const res = await tree.sessions.officer.post(documentsPath(draft.id), {
          type: 'other',
          file: FILES.pdf.bytes.toString('base64'),
        });
        expectValidation(res);
        const typeOnly = await tree.sessions.officer.post(documentsPath(draft.id), { type: 'other' });
        expectValidation(typeOnly, 'file');
      });
    });

    const MALFORMED: [label: string, build: () => { contentType: string; body: Buffer }][] = [
      [
        'a raw control character in a part header',
        () =>
          rawMultipart({ type: 'other' }, { filenameParam: 'filename="bien\u0001ban.pdf"', bytes: FILES.pdf.bytes }),
      ],
      ['no boundary', () => ({ contentType: 'multipart/form-data', body: Buffer.from('--x\r\n\r\n') })],
      [
        'its end cut off inside the file',
        () => {
          const whole = rawMultipart({ type: 'other' }, { filenameParam: 'filename="a.pdf"', bytes: FILES.pdf.bytes });
          return { contentType: whole.contentType, body: whole.body.subarray(0, whole.body.length - 60) };
        },
      ],
    ];
    for (const [label, build] of MALFORMED) {
      it(`when the multipart body has ${label}, then 400 VALIDATION_FAILED (not 500) and nothing is stored`, async () => {
        const { contentType, body } = build();
        await expectNothingStored(draft.id, async () => {
          expectValidation(
            await tree.sessions.officer.upload(documentsPath(draft.id)).set('Content-Type', contentType).send(body),
          );
        });
      });
    }

    it('when a field other than type and revision is sent, then 400 VALIDATION_FAILED naming it', async () => {
      await expectNothingStored(draft.id, async () => {
        const res = await upload(tree.sessions.officer, draft.id, 'other', FILES.pdf.bytes, 'a.pdf').field(
          'status',
          'approved',
        );
        expectValidation(res, 'status');
      });
    });

    it('when an officer uploads to a case of a sibling union or of another province, then 404 and nothing is stored', async () => {
      const [siblingCase, foreignCase] = await Promise.all([
        unionHouseDraft({
          ...tree,
          grassroots: tree.sibling,
          sessions: { ...tree.sessions, officer: tree.sessions.siblingOfficer },
        }),
        unionHouseDraft(other),
      ]);
      for (const target of [siblingCase, foreignCase]) {
        await expectNothingStored(target.id, async () => {
          expectNotFound(await upload(tree.sessions.officer, target.id, 'other', FILES.pdf.bytes, 'a.pdf'));
        });
      }
      expectNotFound(
        await upload(tree.sessions.officer, '0123456789abcdef01234567', 'other', FILES.pdf.bytes, 'a.pdf'),
      );
    });

    it('when an administrator uploads, then 403 (documents belong to the workflow roles)', async () => {
      await expectNothingStored(draft.id, async () => {
        expectProblem(await upload(tree.sessions.admin, draft.id, 'other', FILES.pdf.bytes, 'a.pdf'), 403, 'FORBIDDEN');
      });
    });
  });
});
