import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Types } from 'mongoose';
import { recordAudit } from '../audit/index.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { AppError, ConflictError, ValidationError } from '../core/errors.js';
import { formatVndWithUnit } from '../core/money.js';
import type { Actor, Principal } from '../core/scope.js';
import { searchKey } from '../core/search-text.js';
import {
  capOfRules,
  casesRepository,
  createListDrafts,
  FINAL_WITHOUT_BENEFIT,
  receivedByMembers,
  type CaseRecord,
} from '../cases/index.js';
import { cleanFileName, type UploadedFile } from '../documents/index.js';
import { createMembers, membersRepository, type MemberRecord } from '../members/index.js';
import { batchesRepository, type BatchRecord } from './batches.repository.js';
import { listContextOf, type ImportInput, type ListContext } from './list-context.js';
import { readListFile } from './list-file.js';
import { columnsOf, entryOf, isRejected, maskedRows, type ListEntry, type RejectedRow } from './list-rows.js';

export interface ImportResult {
  batch: BatchRecord;
  counts: { rows: number; created: number; rejected: number };
  caseIds: string[];
  rejectedRows: RejectedRow[];
}

function reject(entry: Pick<ListEntry, 'row' | 'citizenId' | 'fullName'>, reason: string): RejectedRow {
  return { row: entry.row, citizenId: entry.citizenId, fullName: entry.fullName, reasons: [reason] };
}

interface Screened {
  ready: ListEntry[];
  rejected: RejectedRow[];
  /** The members the list names that exist, by CCCD. */
  members: Map<string, MemberRecord>;
}

/**
 * The rules that need the database, for the whole list at once: the same CCCD twice in the file, a member of
 * another union, a name that is not the member's, another case of the member in the campaign, the cap.
 */
async function screen(principal: Principal, ctx: ListContext, entries: ListEntry[]): Promise<Screened> {
  const rejected: RejectedRow[] = [];
  const firstRow = new Map<string, number>();
  const unique = entries.filter((entry) => {
    const first = firstRow.get(entry.citizenId);
    if (first === undefined) {
      firstRow.set(entry.citizenId, entry.row);
      return true;
    }
    rejected.push(reject(entry, `Số CCCD trùng với dòng ${first} trong cùng tệp`));
    return false;
  });
  const members = new Map(
    (await membersRepository.findByCitizenIds(unique.map((e) => e.citizenId))).map((m) => [m.citizenId, m]),
  );
  const taken = ctx.campaign
    ? await casesRepository.benefitingInCampaign(
        ctx.program.code,
        ctx.campaign._id,
        [...members.values()].map((m) => m._id),
        FINAL_WITHOUT_BENEFIT,
      )
    : [];
  const caseOfMember = new Map(taken.map((c) => [String(c.memberId), c.code]));
  // The province's cap per member over years (cases/rules/member-cap.ts), from each member's ledger at once.
  const memberCap = capOfRules(ctx.rules);
  const received = memberCap
    ? await receivedByMembers(
        ctx.program.code,
        [...members.values()].map((m) => m._id),
        memberCap,
      )
    : new Map<string, { received: number; caseCodes: string[] }>();
  const ready = unique.filter((entry) => {
    const member = members.get(entry.citizenId);
    const amount = entry.amount ?? ctx.cap;
    let reason: string | null = null;
    // The member's own union owns their record; another union may not file for them, nor learn which union it is.
    if (member && String(member.orgId) !== principal.orgId)
      reason = 'Số CCCD thuộc đoàn viên của công đoàn cơ sở khác; đơn vị không lập hồ sơ cho người này được';
    else if (member && searchKey(member.fullName) !== searchKey(entry.fullName))
      reason = `Họ và tên khác với đoàn viên đã có số CCCD này (${member.fullName})`;
    else if (member && caseOfMember.has(String(member._id)))
      reason = `Đoàn viên đã có hồ sơ ${caseOfMember.get(String(member._id))} trong đợt này`;
    else if (amount > ctx.cap)
      reason = `Số tiền ${formatVndWithUnit(amount)} vượt mức tối đa ${formatVndWithUnit(ctx.cap)}`;
    else if (memberCap) {
      const got = (member && received.get(String(member._id))) || { received: 0, caseCodes: [] };
      if (got.received + amount > memberCap.amount) {
        reason =
          `Đoàn viên đã nhận ${formatVndWithUnit(got.received)} từ chương trình trong ${memberCap.years} năm gần đây` +
          `${got.caseCodes.length ? ` (hồ sơ ${got.caseCodes.join(', ')})` : ''}; thêm ${formatVndWithUnit(amount)} ` +
          `vượt mức tối đa ${formatVndWithUnit(memberCap.amount)} cho mỗi đoàn viên`;
      }
    }
    if (reason) rejected.push(reject(entry, reason));
    return !reason;
  });
  return { ready, rejected, members };
}

/**
 * The member of every ready row: the one matched by CCCD, or a new member of the officer's union (all created
 * in one write). A CCCD created meanwhile (another list, another officer) is used if it is the union's own, as
 * the screening would have; otherwise the row is refused with the reason `createMember` gives.
 */
async function membersFor(
  principal: Principal,
  actor: Actor,
  ready: ListEntry[],
  known: Map<string, MemberRecord>,
): Promise<Map<string, MemberRecord | AppError>> {
  const newcomers = ready.filter((entry) => !known.has(entry.citizenId));
  const created = await createMembers(
    principal,
    actor,
    principal.orgId,
    newcomers.map((entry) => ({
      fullName: entry.fullName,
      dateOfBirth: entry.dateOfBirth,
      gender: entry.gender,
      citizenId: entry.citizenId,
      joinedUnionAt: entry.joinedUnionAt,
      phone: entry.phone,
    })),
  );
  const members = new Map<string, MemberRecord | AppError>(known);
  const conflicts = newcomers.filter((entry, i) => {
    members.set(entry.citizenId, created[i]!);
    return created[i] instanceof ConflictError;
  });
  if (conflicts.length) {
    for (const now of await membersRepository.findByCitizenIds(conflicts.map((e) => e.citizenId))) {
      if (String(now.orgId) === principal.orgId) members.set(now.citizenId, now);
    }
  }
  return members;
}

function noValidRow(rejected: RejectedRow[], rows: number): AppError {
  return new AppError(
    400,
    'VALIDATION_FAILED',
    rows
      ? `Không có dòng hợp lệ nào trong ${rows} dòng của tệp; không hồ sơ nào được tạo.`
      : 'Tệp không có dòng dữ liệu nào; không hồ sơ nào được tạo.',
    {
      errors: rejected.slice(0, 200).map((r) => ({ path: `rows.${r.row}`, message: r.reasons.join('; ') })),
      rejectedRows: rejected,
    },
  );
}

/**
 * POST /batches/import (SPEC §5): check the list's program and campaign, recognise a file imported before,
 * read and check every row, then turn the valid rows into draft cases of one batch. A file with no valid row
 * creates nothing; the answer lists every rejected row with its row number and the reasons.
 */
export async function importList(
  principal: Principal,
  actor: Actor,
  input: ImportInput,
  file: UploadedFile | undefined,
): Promise<ImportResult> {
  if (!file) throw new ValidationError([{ path: 'file', message: 'Cần chọn tệp danh sách (CSV hoặc XLSX)' }]);
  const ctx = await listContextOf(principal, input);
  const bytes = await readFile(file.path);
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const earlier = await batchesRepository.findByFile(principal.orgId, fileSha256);
  if (earlier) throw sameFile(earlier);

  const list = await readListFile(bytes);
  const columns = columnsOf(list.header);
  const checked = list.rows.map((row) => entryOf(row, columns));
  const rejected = checked.filter(isRejected);
  const screened = await screen(
    principal,
    ctx,
    checked.filter((e): e is ListEntry => !isRejected(e)),
  );
  rejected.push(...screened.rejected);
  if (!screened.ready.length) throw noValidRow(byRow(rejected), list.rows.length);

  const batch = await batchesRepository
    .insertImporting({
      orgId: new Types.ObjectId(principal.orgId),
      orgPath: principal.orgPath.map((id) => new Types.ObjectId(id)),
      programCode: ctx.program.code,
      subtype: ctx.subtype,
      campaignId: ctx.campaign?._id ?? null,
      fileName: cleanFileName(file.originalname),
      fileFormat: list.format,
      fileSha256,
      createdBy: { id: actor.userId, name: actor.name },
    })
    .catch(async (error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
      const other = await batchesRepository.findByFile(principal.orgId, fileSha256);
      throw other ? sameFile(other) : error;
    });

  const created = await createRows(principal, actor, ctx, batch._id, screened, rejected).catch(
    async (error: unknown) => {
      await batchesRepository.remove(batch._id);
      throw error;
    },
  );
  const caseIds = created.map((record) => record._id);
  const rejectedRows = byRow(rejected);
  if (!caseIds.length) {
    await batchesRepository.remove(batch._id);
    throw noValidRow(rejectedRows, list.rows.length);
  }
  const counts = { rows: list.rows.length, created: caseIds.length, rejected: rejectedRows.length };
  await batchesRepository.finishImport(batch._id, {
    rowCount: counts.rows,
    createdCount: counts.created,
    rejectedCount: counts.rejected,
    caseIds,
    rejectedRows,
  });
  await recordAudit({
    action: 'batch.import',
    entity: 'batch',
    entityId: String(batch._id),
    actor,
    orgPath: batch.orgPath,
    details: { fileSha256, format: list.format, ...counts },
  });
  return {
    batch: (await batchesRepository.findById(String(batch._id)))!,
    counts,
    caseIds: caseIds.map(String),
    rejectedRows,
  };
}

/** The ready rows as draft cases of the batch; a row whose member could not be had is refused with the reason. */
async function createRows(
  principal: Principal,
  actor: Actor,
  ctx: ListContext,
  batchId: Types.ObjectId,
  screened: Screened,
  rejected: RejectedRow[],
): Promise<CaseRecord[]> {
  const members = await membersFor(principal, actor, screened.ready, screened.members);
  const rows = screened.ready.flatMap((entry) => {
    const member = members.get(entry.citizenId)!;
    if (member instanceof AppError) {
      rejected.push(reject(entry, member.detail));
      return [];
    }
    return [{ member, requestedAmount: entry.amount ?? ctx.cap, situation: entry.situation }];
  });
  return createListDrafts(
    actor,
    { program: ctx.program, subtype: ctx.subtype, campaignId: ctx.campaign?._id ?? null, batchId },
    rows,
  );
}

/** Rejected rows in the order of the file, masked, as they are kept and answered. */
function byRow(rows: RejectedRow[]): RejectedRow[] {
  return maskedRows([...rows].sort((a, b) => a.row - b.row));
}

function sameFile(earlier: BatchRecord): AppError {
  return new ConflictError(
    'CONFLICT',
    `Tệp này đã được nhập trước đó (danh sách tạo lúc ${earlier.createdAt.toISOString()}); không nhập lại.`,
    {
      batchId: String(earlier._id),
    },
  );
}
