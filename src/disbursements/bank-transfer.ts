import ExcelJS from 'exceljs';
import QRCode from 'qrcode';
import { QRPay } from 'vietnam-qr-pay';
import { bankName } from '../core/shared/banks.js';
import { csvFile, neutralise } from '../core/csv.js';
import { withoutDiacritics } from '../core/search-text.js';
import type { DisbursementRecord } from './disbursements.repository.js';
import { dmy } from '../core/shared/dates.js';

/**
 * What the bank needs to pay a member (SPEC §7): a VietQR code per payment (the NAPAS/EMVCo payload that
 * every Vietnamese banking app scans, built by vietnam-qr-pay; the image by qrcode) and a transfer list
 * for bulk payment (CSV or XLSX).
 */

/**
 * Bank transfer notes are plain ASCII: many banks drop or garble diacritics, so "Mái ấm Công đoàn"
 * becomes "Mai am Cong doan", and anything but letters, digits, spaces and hyphens goes.
 */
export function plainAscii(text: string): string {
  return withoutDiacritics(text)
    .replace(/[^A-Za-z0-9 -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `MAC-2026-000123 Ho tro Mai am Cong doan`: the case code first, so the bank statement matches the case. */
export function transferNoteOf(caseCode: string, programName: string): string {
  return plainAscii(`${caseCode} Ho tro ${programName}`).slice(0, 120);
}

/** EMVCo limits the purpose of a transaction (field 62-08) to 25 characters: keep whole words from the start. */
const QR_PURPOSE_MAX = 25;

function qrPurpose(note: string): string {
  if (note.length <= QR_PURPOSE_MAX) return note;
  let purpose = '';
  for (const word of note.split(' ')) {
    const next = purpose ? `${purpose} ${word}` : word;
    if (next.length > QR_PURPOSE_MAX) break;
    purpose = next;
  }
  return purpose || note.slice(0, QR_PURPOSE_MAX);
}

export interface VietQr {
  payload: string;
  bankBin: string;
  bankName: string | null;
  accountNo: string;
  accountName: string;
  amount: number;
  purpose: string;
  transferNote: string;
}

/** A dynamic VietQR (amount and purpose filled in) for one payment to the member's account. */
export function vietQrOf(entry: DisbursementRecord): VietQr {
  const payee = entry.payee!;
  const purpose = qrPurpose(entry.transferNote);
  const payload = QRPay.initVietQR({
    bankBin: payee.bankBin!,
    bankNumber: payee.accountNo!,
    amount: String(entry.amount),
    purpose,
  }).build();
  return {
    payload,
    bankBin: payee.bankBin!,
    bankName: bankName(payee.bankBin!),
    accountNo: payee.accountNo!,
    accountName: payee.accountName ?? '',
    amount: entry.amount,
    purpose,
    transferNote: entry.transferNote,
  };
}

export async function vietQrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 360 });
}

// ---------------------------------------------------------------- the transfer list

const COLUMNS = [
  { header: 'STT', key: 'no', width: 6 },
  { header: 'Mã ngân hàng (BIN)', key: 'bankBin', width: 12 },
  { header: 'Ngân hàng', key: 'bankName', width: 16 },
  { header: 'Số tài khoản', key: 'accountNo', width: 20 },
  { header: 'Tên tài khoản', key: 'accountName', width: 28 },
  { header: 'Số tiền (VND)', key: 'amount', width: 16 },
  { header: 'Nội dung chuyển khoản', key: 'transferNote', width: 44 },
  { header: 'Mã hồ sơ', key: 'caseCode', width: 18 },
  { header: 'Số chứng từ', key: 'voucherNo', width: 14 },
  { header: 'Ngày chi', key: 'paidAt', width: 12 },
] as const;

type Row = Record<(typeof COLUMNS)[number]['key'], string | number>;

export function transferRows(entries: readonly DisbursementRecord[]): Row[] {
  return entries.map((entry, i) => ({
    no: i + 1,
    bankBin: entry.payee?.bankBin ?? '',
    bankName: bankName(entry.payee?.bankBin ?? '') ?? '',
    accountNo: entry.payee?.accountNo ?? '',
    accountName: entry.payee?.accountName ?? '',
    amount: entry.amount,
    transferNote: entry.transferNote,
    caseCode: entry.caseCode,
    voucherNo: entry.voucherNo,
    // The bank officer reads the day as Vietnamese people write it.
    paidAt: dmy(entry.paidAt),
  }));
}

/** UTF-8 with a byte-order mark, so that Excel shows the Vietnamese headers (SPEC §8). */
export function transferCsv(rows: readonly Row[]): Buffer {
  return csvFile([COLUMNS.map((c) => c.header), ...rows.map((row) => COLUMNS.map((c) => row[c.key]))]);
}

export async function transferXlsx(rows: readonly Row[], title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mái ấm';
  const sheet = workbook.addWorksheet('Danh sách chuyển khoản');
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const row of rows) {
    // Account numbers stay text: as numbers, leading zeros and long digits would be lost.
    sheet.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, neutralise(row[c.key])])));
  }
  sheet.getRow(1).font = { bold: true };
  sheet.getColumn('amount').numFmt = '#,##0';
  // No total row: banks import the sheet line by line, and a total would read as one more transfer.
  workbook.title = title;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
