import ExcelJS from 'exceljs';
import { csvFile } from '../core/csv.js';
import type { Principal } from '../core/scope.js';
import { effectiveRules, programNamedIn, provinceIdOf } from '../programs/index.js';
import { FIELD_HEADERS, LIST_FIELDS, type ListField } from './list-rows.js';

/**
 * The downloadable list template (SPEC §5): the Vietnamese headers and one example row, with the program's
 * cap for the caller's province as the amount. In the XLSX the CCCD and phone columns are text, so that Excel
 * keeps their leading zeros when the union types or pastes them.
 */
export async function listTemplate(
  principal: Principal,
  programCode: string,
  format: 'csv' | 'xlsx',
): Promise<{ body: Buffer; fileName: string; contentType: string }> {
  const program = await programNamedIn(programCode);
  const rules = await effectiveRules(program, provinceIdOf(principal.orgPath));
  const example: Record<ListField, string | number> = {
    fullName: 'Nguyễn Thị Hường',
    citizenId: '042185001234',
    dateOfBirth: '12/04/1985',
    gender: 'Nữ',
    joinedUnionAt: '01/03/2015',
    phone: '0912345678',
    amount: Math.min(...Object.values(rules.maxAmount)),
    situation: 'Chồng mất sớm, nuôi hai con nhỏ',
  };
  const fileName = `mau-danh-sach-${program.code}.${format}`;
  if (format === 'csv') {
    return {
      body: csvFile([LIST_FIELDS.map((f) => FIELD_HEADERS[f]), LIST_FIELDS.map((f) => example[f])]),
      fileName,
      contentType: 'text/csv; charset=utf-8',
    };
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mái ấm';
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.columns = LIST_FIELDS.map((f) => ({ header: FIELD_HEADERS[f], key: f, width: f === 'situation' ? 40 : 18 }));
  for (const f of ['citizenId', 'phone', 'dateOfBirth', 'joinedUnionAt'] as const) sheet.getColumn(f).numFmt = '@';
  sheet.getColumn('amount').numFmt = '#,##0';
  sheet.addRow(example);
  sheet.getRow(1).font = { bold: true };
  return {
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
    fileName,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
}
