/**
 * Arrangement for the decision tests: approved cases through the real API (the case tests' helpers, which
 * also arrange the province's fund), the PDF as bytes and as the text `pdftotext` extracts from it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type request from 'supertest';
import { arrange, type Session } from '../support/api.js';
import {
  actOk,
  bodyFor,
  caseAt,
  type CaseView,
  type CaseWorld,
  type Kind,
  type NewCaseOptions,
} from '../cases/case-fixtures.js';

export interface DecisionView {
  id: string;
  number: string;
  sequence: number;
  year: number;
  issuedAt: string;
  issuerOrgId: string;
  issuerName: string;
  kind: 'single' | 'batch';
  signerName: string;
  signerTitle: string;
  programCode: string;
  campaignId: string | null;
  caseIds: string[];
  totalAmount: number;
  legalBases: string[];
  lines: {
    caseId: string;
    caseCode: string;
    memberName: string;
    citizenIdMasked: string;
    orgName: string;
    amount: number;
  }[];
  lineCount: number;
  status: 'issued' | 'revoked';
  revokeReason: string | null;
  revocations: { caseId: string; reason: string }[];
  pdf: { sha256: string; size: number } | null;
  verifyUrl: string;
}

/** A case of `kind` approved with `extra` in the approve body (signer, date); answers the approved case. */
export async function approvedCase(
  world: CaseWorld,
  kind: Kind = 'tet_gift',
  extra: Record<string, unknown> = {},
  options: NewCaseOptions = {},
): Promise<CaseView> {
  const verified = await caseAt(world, 'verified', kind, options);
  return actOk(world.sessions.approver, verified.id, 'approve', { ...bodyFor('approve', verified), ...extra });
}

export async function decisionOf(session: Session, caseView: Pick<CaseView, 'id'>): Promise<DecisionView> {
  const current = await arrange<CaseView & { decisionId: string | null }>(
    session.get(`/api/v1/cases/${caseView.id}`),
    200,
  );
  expect(current.decisionId, 'the case names its decision').to.be.a('string');
  return arrange<DecisionView>(session.get(`/api/v1/decisions/${current.decisionId}`), 200);
}

/** The response body of a binary download as bytes. */
export function binary(test: request.Test): request.Test {
  return test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

export async function downloadPdf(
  session: Session,
  decisionId: string,
): Promise<{ bytes: Buffer; res: request.Response }> {
  const res = await binary(session.get(`/api/v1/decisions/${decisionId}/pdf`));
  expect(res.status, String(res.body)).to.equal(200);
  return { bytes: res.body as Buffer, res };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const work = mkdtempSync(join(tmpdir(), 'mai-am-decisions-'));

/** Runs a poppler tool on the bytes written to a scratch file, removed again afterwards. */
function withPdfFile<T>(bytes: Buffer, use: (file: string) => T): T {
  const file = join(work, 'decision.pdf');
  writeFileSync(file, bytes);
  try {
    return use(file);
  } finally {
    rmSync(file, { force: true });
  }
}

export function pdfTool(tool: string, bytes: Buffer, args: string[]): string {
  return withPdfFile(bytes, (file) => {
    const run = spawnSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, `${tool}: ${run.stderr}`).to.equal(0);
    return run.stdout;
  });
}

/** The text poppler extracts, as a reader copying from the PDF would get it. */
export function pdfText(bytes: Buffer, pages: { first?: number; last?: number } = {}): string {
  const range = [
    ...(pages.first ? ['-f', String(pages.first)] : []),
    ...(pages.last ? ['-l', String(pages.last)] : []),
  ];
  return pdfTool('pdftotext', bytes, ['-enc', 'UTF-8', ...range]);
}

/** Lines wrap where the page ends: compare phrases with every run of white space made one space. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

export function pdfInfo(bytes: Buffer): Record<string, string> {
  return Object.fromEntries(
    pdfTool('pdfinfo', bytes, [])
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => {
        const at = l.indexOf(':');
        return [l.slice(0, at).trim(), l.slice(at + 1).trim()];
      }),
  );
}

/** The first page as a picture, as a phone camera would see the paper. */
export function firstPagePng(bytes: Buffer, dpi = 150): Buffer {
  return withPdfFile(bytes, (file) => {
    const out = join(work, 'page');
    const run = spawnSync('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', file, out]);
    expect(run.status, `pdftoppm: ${String(run.stderr)}`).to.equal(0);
    const png = readFileSync(`${out}.png`);
    rmSync(`${out}.png`, { force: true });
    return png;
  });
}

/** `pdffonts` rows: name, type, and whether embedded. */
export function pdfFonts(bytes: Buffer): { name: string; embedded: boolean }[] {
  return pdfTool('pdffonts', bytes, [])
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const cells = line.trim().split(/\s+/);
      return { name: cells[0]!, embedded: cells.at(-5) === 'yes' };
    });
}
