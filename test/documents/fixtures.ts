/**
 * Files, storage inspection and case arrangement for the document tests. Every file is built here, byte by
 * byte, small but well-formed, so the tests prove what the service decides from the bytes alone.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { expect } from 'chai';
import type request from 'supertest';
import { Case } from '../../src/cases/cases.model.js';
import { arrange, type Session } from '../support/api.js';
import { createProvinceTree, memberBody, type ProvinceTree } from '../support/factory.js';
import { allocationsFor, provinceFund } from '../support/funds.js';
import { testEnv } from '../support/global-setup.js';

/** A one-page PDF with a correct cross-reference table. */
function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A 1×1 grey baseline JPEG: one DC and one AC Huffman code, one block whose scan is DC 0 then end-of-block. */
function tinyJpeg(): Buffer {
  const huffman = (tableClass: number) => [0xff, 0xc4, 0x00, 0x14, tableClass, 1, ...Array<number>(15).fill(0), 0x00];
  return Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    0x4a,
    0x46,
    0x49,
    0x46,
    0x00,
    0x01,
    0x01,
    0x00,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0xff,
    0xdb,
    0x00,
    0x43,
    0x00,
    ...Array<number>(64).fill(1),
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    0x00,
    0x01,
    0x00,
    0x01,
    0x01,
    0x01,
    0x11,
    0x00,
    ...huffman(0x00),
    ...huffman(0x10),
    0xff,
    0xda,
    0x00,
    0x08,
    0x01,
    0x01,
    0x00,
    0x00,
    0x3f,
    0x00,
    0x3f,
    0xff,
    0xd9,
  ]);
}

/** An ISO-BMFF `ftyp` box of major brand `heic` followed by an empty `meta` box. */
function tinyHeic(): Buffer {
  const ftyp = Buffer.concat([
    Buffer.from([0, 0, 0, 24]),
    Buffer.from('ftypheic', 'latin1'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from('mif1heic', 'latin1'),
  ]);
  const meta = Buffer.concat([Buffer.from([0, 0, 0, 12]), Buffer.from('meta', 'latin1'), Buffer.from([0, 0, 0, 0])]);
  return Buffer.concat([ftyp, meta]);
}

export const FILES = {
  pdf: { bytes: tinyPdf(), mimeType: 'application/pdf', extension: 'pdf' },
  jpeg: { bytes: tinyJpeg(), mimeType: 'image/jpeg', extension: 'jpg' },
  png: {
    bytes: Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
        '1f15c4890000000d49444154789c6300010000050001' +
        '0d0a2db40000000049454e44ae426082',
      'hex',
    ),
    mimeType: 'image/png',
    extension: 'png',
  },
  webp: {
    bytes: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
    mimeType: 'image/webp',
    extension: 'webp',
  },
  heic: { bytes: tinyHeic(), mimeType: 'image/heic', extension: 'heic' },
} as const;

export const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(56)]);
export const WINDOWS_EXE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62, 0x90)]);
export const TEXT = Buffer.from('Đây là một tệp văn bản, không phải ảnh.\n', 'utf8');

/** A PDF of exactly `size` bytes: a header, blank padding, the end marker. */
export function pdfOfSize(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  bytes.write('%PDF-1.4\n', 0, 'latin1');
  bytes.write('%%EOF\n', size - 6, 'latin1');
  return bytes;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A multipart body written by hand, so a file name reaches the server exactly as given (clients rewrite
 * some). `filenameParam` is the whole parameter: `filename="…"`, or `filename*=UTF-8''…` (RFC 5987).
 */
export function rawMultipart(fields: Record<string, string>, file: { filenameParam: string; bytes: Buffer } | null) {
  const boundary = `----mai-am-${Date.now().toString(36)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${file.filenameParam}\r\nContent-Type: application/octet-stream\r\n\r\n`,
        'utf8',
      ),
    );
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

export function documentsPath(caseId: string): string {
  return `/api/v1/cases/${caseId}/documents`;
}

export function upload(session: Session, caseId: string, type: string, bytes: Buffer, filename: string): request.Test {
  return session
    .upload(documentsPath(caseId))
    .field('type', type)
    .attach('file', bytes, { filename, contentType: 'application/octet-stream' });
}

/** Collects a binary response body whatever its content type. */
export function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

let province: Promise<ProvinceTree> | undefined;

/**
 * The province the document tests work in, built once for the folder (a tree costs seconds of password
 * hashing). Each test arranges its own cases in it, so tests stay independent.
 */
export function documentsProvince(): Promise<ProvinceTree> {
  province ??= createProvinceTree();
  return province;
}

// ---- the store on disk ----

export function uploadRoot(): string {
  return resolve(testEnv().config.uploadDir);
}

export function incomingDir(): string {
  return join(uploadRoot(), '.incoming');
}

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Files kept in the store (temp files excluded), as paths relative to UPLOAD_DIR. */
export async function storedFiles(): Promise<string[]> {
  return (await listTree(uploadRoot())).filter((path) => !path.startsWith('.incoming'));
}

/** Temp files are removed when the response closes, which may be a moment after the client has it. */
export async function expectNoTempFiles(): Promise<void> {
  let left: string[] = [];
  for (let attempt = 0; attempt < 40; attempt += 1) {
    left = await listTree(incomingDir());
    if (!left.length) return;
    await new Promise((done) => setTimeout(done, 25));
  }
  expect(left, 'temp files left in UPLOAD_DIR/.incoming').to.deep.equal([]);
}

export async function storedCase(id: string) {
  const stored = await Case.findById(id).lean();
  expect(stored, `case ${id}`).to.not.equal(null);
  return stored!;
}

// ---- cases in each status ----

export interface CaseRef {
  id: string;
  code: string;
  revision: number;
  status: string;
}

export const UNION_HOUSE_SUBMIT_DOCUMENTS = [
  'application_form',
  'commune_confirmation',
  'land_certificate',
  'house_photo',
] as const;

export async function caseNow(session: Session, id: string): Promise<CaseRef> {
  return arrange<CaseRef>(session.get(`/api/v1/cases/${id}`), 200);
}

/** A union-house draft for a new member of the tree's grassroots union. */
export async function unionHouseDraft(tree: ProvinceTree): Promise<CaseRef> {
  const { officer } = tree.sessions;
  const member = await arrange<{ id: string }>(officer.post('/api/v1/members', memberBody(tree.grassroots.id)));
  return arrange<CaseRef>(
    officer.post('/api/v1/cases', {
      programCode: 'union_house',
      subtype: 'new_build',
      memberId: member.id,
      requestedAmount: 50_000_000,
      situation: 'Nhà tạm, dột nát',
      details: { landStatus: 'owned', estimatedCost: 180_000_000 },
    }),
  );
}

/** A union-house case with its submission papers, submitted to the upper union. */
export async function unionHouseSubmitted(tree: ProvinceTree): Promise<CaseRef> {
  const { officer } = tree.sessions;
  const draft = await unionHouseDraft(tree);
  await Promise.all(
    UNION_HOUSE_SUBMIT_DOCUMENTS.map((type) =>
      arrange(upload(officer, draft.id, type, FILES.pdf.bytes, `${type}.pdf`)),
    ),
  );
  const { revision } = await caseNow(officer, draft.id);
  return arrange<CaseRef>(officer.post(`/api/v1/cases/${draft.id}/submit`, { revision }), 200);
}

/** A union-house case verified with the site-survey minutes and approved by the province. */
export async function unionHouseApproved(tree: ProvinceTree): Promise<CaseRef> {
  const { verifier, approver } = tree.sessions;
  const [submitted] = await Promise.all([unionHouseSubmitted(tree), provinceFund(tree)]);
  await arrange(upload(verifier, submitted.id, 'site_survey_minutes', FILES.pdf.bytes, 'bien-ban-khao-sat.pdf'));
  const { revision } = await caseNow(verifier, submitted.id);
  const verified = await arrange<CaseRef>(
    verifier.post(`/api/v1/cases/${submitted.id}/verify`, {
      revision,
      recommendedAmount: 45_000_000,
      note: 'Đã khảo sát',
    }),
    200,
  );
  return arrange<CaseRef>(
    approver.post(`/api/v1/cases/${submitted.id}/approve`, {
      revision: verified.revision,
      approvedAmount: 45_000_000,
      fundAllocations: allocationsFor(tree.province.id, 45_000_000),
    }),
    200,
  );
}
