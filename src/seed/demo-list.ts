import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { actOnBatch, FIELD_HEADERS, importList, LIST_FIELDS } from '../batches/index.js';
import type { Actor, Principal } from '../core/scope.js';
import type { DocumentStore } from '../documents/index.js';
import type { DemoMember } from './demo-data.js';

/** Workers of the garment company new to the system, with CCCDs apart from the demo members' (042085…). */
const NEWCOMERS = [
  ['Nguyễn Thị Huyền', '042190000101', '14/02/1990', 'Nữ', '01/06/2014', 'Chồng mất sớm, nuôi hai con nhỏ'],
  ['Trần Văn Quý', '042190000102', '03/09/1986', 'Nam', '15/03/2012', 'Bị tai nạn lao động, nghỉ việc ba tháng'],
  ['Lê Thị Nhung', '042190000103', '21/11/1993', 'Nữ', '01/08/2016', 'Con bệnh tim bẩm sinh, đang điều trị'],
  ['Phan Thị Thủy', '042190000104', '07/05/1988', 'Nữ', '10/01/2013', 'Nhà bị ngập sau lũ tháng 10'],
  ['Võ Văn Hải', '042190000105', '30/12/1984', 'Nam', '20/04/2010', 'Vợ ốm dài ngày, bố mẹ già yếu'],
  ['Hồ Thị Mai', '042190000106', '18/07/1995', 'Nữ', '01/09/2018', 'Mẹ đơn thân, thu nhập thấp'],
] as const;

const dmy = (iso: string) => iso.split('-').reverse().join('/');

export interface DemoListContext {
  store: DocumentStore;
  principalOf: (username: string) => Promise<Principal>;
}

const actorOf = (p: Principal): Actor => ({ userId: p.userId, name: p.fullName, requestId: 'seed-demo' });

/**
 * The Tết list of the garment company's union (CĐCS Công ty CP May Vũng Áng), uploaded as the officer would,
 * from an XLSX in the template's layout, through the batches service: six workers new to the system and the
 * union's members already known, of whom one already has a Tết case in the campaign and is refused with its row
 * number. The union submits the list; the upper union verifies it but sets one case aside with a reason (it
 * stays submitted, the reason in its history), so the approver finds a list waiting for one decision.
 * Answers the number of cases the list created.
 */
export async function seedDemoList(
  ctx: DemoListContext,
  campaignId: string,
  known: readonly DemoMember[],
): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.addRow(LIST_FIELDS.map((field) => FIELD_HEADERS[field]));
  for (const [fullName, citizenId, born, gender, joined, situation] of NEWCOMERS) {
    sheet.addRow([fullName, citizenId, born, gender, joined, '0912345678', '1.000.000', situation]);
  }
  for (const m of known) {
    sheet.addRow([
      m.fullName,
      m.citizenId,
      dmy(m.dateOfBirth),
      m.gender === 'male' ? 'Nam' : 'Nữ',
      dmy(m.joinedUnionAt),
      '',
      '',
      'Đoàn viên có hoàn cảnh khó khăn',
    ]);
  }
  const path = join(ctx.store.incoming, randomUUID());
  await writeFile(path, Buffer.from(await workbook.xlsx.writeBuffer()));

  const officer = await ctx.principalOf('cdcs.may');
  const imported = await importList(
    officer,
    actorOf(officer),
    { programCode: 'tet_gift', campaignId },
    { path, originalname: 'Danh sách quà Tết - CĐCS May Vũng Áng.xlsx' },
  ).finally(() => rm(path, { force: true }));
  const batchId = String(imported.batch._id);
  await actOnBatch(officer, actorOf(officer), batchId, 'submit', {});
  const verifier = await ctx.principalOf('thamdinh.vungang');
  const [setAside] = imported.caseIds;
  await actOnBatch(verifier, actorOf(verifier), batchId, 'verify', {
    note: 'Đã rà soát danh sách với công đoàn cơ sở',
    exclude: setAside ? [{ caseId: setAside, reason: 'Chờ công đoàn cơ sở bổ sung xác nhận hoàn cảnh' }] : [],
  });
  return imported.caseIds.length;
}
