/**
 * Arrangement helpers for the list tests: rows of a list, the list as CSV or XLSX bytes, the upload, and a
 * payment through the real API (approve + POST /cases/:id/disbursements with an Idempotency-Key).
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { arrange, type Session } from '../support/api.js';
import { uniqueCitizenId } from '../support/factory.js';
import type { CaseWorld } from '../cases/case-fixtures.js';
import { vnToday } from '../cases/case-fixtures.js';

export const VN_HEADER = [
  'Họ và tên',
  'Số CCCD',
  'Ngày sinh',
  'Giới tính',
  'Ngày vào công đoàn',
  'Số điện thoại',
  'Số tiền',
  'Hoàn cảnh',
];
export const EN_HEADER = [
  'fullName',
  'citizenId',
  'dateOfBirth',
  'gender',
  'joinedUnionAt',
  'phone',
  'amount',
  'situation',
];

export type Cell = string | number | Date | { formula: string; result?: unknown };

/** A valid row in the template's order, with a CCCD of its own. */
export function listRow(
  overrides: Partial<
    Record<
      'fullName' | 'citizenId' | 'dateOfBirth' | 'gender' | 'joinedUnionAt' | 'phone' | 'amount' | 'situation',
      Cell
    >
  > = {},
): Cell[] {
  const row = {
    fullName: 'Trần Thị Hồng',
    citizenId: uniqueCitizenId(),
    dateOfBirth: '12/04/1985',
    gender: 'Nữ',
    joinedUnionAt: '01/03/2015',
    phone: '0912345678',
    amount: '1.000.000',
    situation: 'Hoàn cảnh khó khăn, con nhỏ',
    ...overrides,
  };
  return [
    row.fullName,
    row.citizenId,
    row.dateOfBirth,
    row.gender,
    row.joinedUnionAt,
    row.phone,
    row.amount,
    row.situation,
  ];
}

export function citizenIdOf(row: Cell[]): string {
  return String(row[1]);
}

function csvCell(value: Cell, delimiter: string): string {
  const text = String(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOf(rows: Cell[][], options: { header?: string[]; delimiter?: string; bom?: boolean } = {}): Buffer {
  const delimiter = options.delimiter ?? ',';
  const lines = [options.header ?? VN_HEADER, ...rows].map((row) =>
    row.map((c) => csvCell(c, delimiter)).join(delimiter),
  );
  return Buffer.from(`${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function xlsxOf(rows: Cell[][], header: string[] = VN_HEADER): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface RejectedRowView {
  row: number;
  citizenId: string;
  fullName: string;
  reasons: string[];
}

export interface ImportView {
  batch: { id: string; createdCount: number; rejectedCount: number; fileSha256: string; status: string };
  counts: { rows: number; created: number; rejected: number };
  caseIds: string[];
  rejectedRows: RejectedRowView[];
}

/** The upload, as a test acts it: the answer is returned, never asserted here. */
export function uploadList(
  officer: Session,
  bytes: Buffer,
  fileName: string,
  fields: Record<string, string>,
): request.Test {
  let test = officer.upload('/api/v1/batches/import');
  for (const [name, value] of Object.entries(fields)) test = test.field(name, value);
  return test.attach('file', bytes, fileName);
}

export function tetFields(world: CaseWorld): Record<string, string> {
  return { programCode: 'tet_gift', campaignId: world.campaigns.tet.id };
}

export async function importTet(
  world: CaseWorld,
  rows: Cell[][],
  officer = world.sessions.officer,
): Promise<ImportView> {
  return arrange<ImportView>(uploadList(officer, csvOf(rows), 'danh-sach.csv', tetFields(world)));
}

export interface BatchResultView {
  counts: { ok: number; failed: number; excluded: number; skipped: number };
  results: {
    caseId: string;
    code: string;
    outcome: string;
    status: string;
    problem?: { code: string; detail: string };
    reason?: string;
  }[];
  decision: { id: string; number: string; caseCount: number; totalAmount: number } | null;
}

export async function batchAction(
  session: Session,
  batchId: string,
  action: string,
  body: Record<string, unknown> = {},
): Promise<BatchResultView> {
  return arrange<BatchResultView>(session.post(`/api/v1/batches/${batchId}/${action}`, body), 200);
}

/** Pays an approved case in full from its fund, through the accountant's payment endpoint. */
export async function payInFull(accountant: Session, caseId: string, amount: number, fundId: string): Promise<void> {
  await arrange(
    accountant
      .post(`/api/v1/cases/${caseId}/disbursements`, {
        amount,
        trancheNo: 1,
        method: 'cash',
        paidAt: vnToday(),
        voucherNo: `PC-${randomUUID().slice(0, 8)}`,
        fundId,
        note: 'Chi quà Tết',
      })
      .set('Idempotency-Key', randomUUID()),
  );
}
