import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Types } from 'mongoose';
import { recordAudit } from '../audit/index.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { AppError, ConflictError, ValidationError } from '../core/errors.js';
import { formatVndWithUnit } from '../core/money.js';
import type { Actor, Principal } from '../core/scope.js';
import { searchKey } from '../core/search-text.js';
import {
  capExceededText,
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
import { IMPORT_CHUNK_ROWS, ListEntries, rejectRow, type CheckedRow } from './list-entries.js';
import { openListFile, type ListFile } from './list-file.js';
import { columnsOf, isRejected, maskedRows, type ListEntry, type RejectedRow } from './list-rows.js';

export interface ImportResult {
  batch: BatchRecord;
  counts: { rows: number; created: number; rejected: number };
  caseIds: string[];
  rejectedRows: RejectedRow[];
}

interface Screened {
  ready: ListEntry[];
  rejected: RejectedRow[];
  /** The members the list names that exist, by CCCD. */
  members: Map<string, MemberRecord>;
}

/**
 * The rules that need the database, for a part of the list at once: a member of another union, a name that is
 * not the member's, another case of the member in the campaign, the cap. The same CCCD twice in the file is found
 * for the whole file as it is read (`ListEntries`).
 */
async function screen(principal: Principal, ctx: ListContext, unique: ListEntry[]): Promise<Screened> {
  const rejected: RejectedRow[] = [];
  const members = new Map(
    (await membersRepository.findByCitizenIds(unique.map((e) => e.citizenId))).map((m) => [m.citizenId, m]),
  );
  const withCase = ctx.campaign && members.size ? await membersWithCase(ctx) : new Set<string>();
  const taken = ctx.campaign
    ? await casesRepository.benefitingInCampaign(
        ctx.program.code,
        ctx.campaign._id,
        [...members.values()].filter((m) => withCase.has(String(m._id))).map((m) => m._id),
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
      if (got.received + amount > memberCap.amount)
        reason = capExceededText(ctx.program.name, memberCap, got, amount, 'Số tiền');
    }
    if (reason) rejected.push(rejectRow(entry, reason));
    return !reason;
  });
  return { ready, rejected, members };
}

/**
 * The members with a case in the list's campaign, read once per run of an import (its first chunk naming a known
 * member) and kept up to date with the cases the run makes. A row's member found in it is then looked up with its
 * case (the code the refusal names, the status now); one not in it has no case there. Reading the campaign's cases
 * for the members of each chunk instead read every case of the database each time on the embedded engine (1 s a
 * chunk at 60,000 cases). A case another officer makes for a member of the list while the import runs is not seen,
 * as it was not between a chunk's screening and its insert before: a draft holds no claim, and the claim taken at
 * submission (SPEC §5) is what keeps a member from two benefits of one campaign.
 */
const campaignMembers = new WeakMap<ListContext, Promise<Set<string>>>();
function membersWithCase(ctx: ListContext): Promise<Set<string>> {
  let members = campaignMembers.get(ctx);
  if (!members) {
    members = casesRepository.membersWithCaseInCampaign(ctx.program.code, ctx.campaign!._id, FINAL_WITHOUT_BENEFIT);
    campaignMembers.set(ctx, members);
    members.catch(() => campaignMembers.delete(ctx));
  }
  return members;
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

/** A list read and checked up to its rows, with its batch taken (SPEC §5): what an import goes on from. */
export interface OpenedImport {
  batch: BatchRecord;
  format: ListFile['format'];
  /** The data rows of the file (the header not counted). */
  rows: number;
  fileSha256: string;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The header checked and the data rows counted, as they stream by (413 at the first row over the limit). */
async function countRows(path: string): Promise<{ format: ListFile['format']; rows: number }> {
  const list = await openListFile(createReadStream(path));
  try {
    columnsOf(list.header);
    let rows = 0;
    for await (const _row of list.rows) rows += 1;
    return { format: list.format, rows };
  } finally {
    await list.close();
  }
}

/**
 * POST /batches/import (SPEC §5), before any row: check the list's program and campaign, recognise a file
 * imported before, read the file and its header, and take the file's hash for the union with a batch that is
 * `importing` (the unique (orgId, fileSha256) index stops the same file twice, also two racing uploads).
 * The file of an `incomplete` list (its import stopped) takes that list up again under a new run, when it
 * comes for the same program, campaign and subtype: the rows already made cases are found by their ids.
 * Everything refused here is answered at once, also when the rows are then imported as a job.
 */
export async function openImport(
  principal: Principal,
  actor: Actor,
  input: ImportInput,
  file: UploadedFile | undefined,
): Promise<OpenedImport> {
  if (!file) throw new ValidationError([{ path: 'file', message: 'Cần chọn tệp danh sách (CSV hoặc XLSX)' }]);
  const ctx = await listContextOf(principal, input);
  const fileSha256 = await sha256OfFile(file.path);
  const earlier = await batchesRepository.findByFile(principal.orgId, fileSha256);
  if (earlier && !continues(earlier, ctx)) throw sameFile(earlier);
  const { format, rows } = await countRows(file.path);
  if (earlier) {
    const reopened = await batchesRepository.reopenImport(earlier._id);
    if (!reopened) throw sameFile(earlier);
    return { batch: reopened, format, rows, fileSha256 };
  }
  const batch = await batchesRepository
    .insertImporting({
      orgId: new Types.ObjectId(principal.orgId),
      orgPath: principal.orgPath.map((id) => new Types.ObjectId(id)),
      programCode: ctx.program.code,
      subtype: ctx.subtype,
      campaignId: ctx.campaign?._id ?? null,
      fileName: cleanFileName(file.originalname),
      fileFormat: format,
      fileSha256,
      createdBy: { id: actor.userId, name: actor.name },
    })
    .catch(async (error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
      const other = await batchesRepository.findByFile(principal.orgId, fileSha256);
      throw other ? sameFile(other) : error;
    });
  return { batch, format, rows, fileSha256 };
}

/** The file of an `incomplete` list, for the same program, subtype and campaign, goes on with that list. */
function continues(earlier: BatchRecord, ctx: ListContext): boolean {
  return (
    earlier.status === 'incomplete' &&
    earlier.programCode === ctx.program.code &&
    earlier.subtype === ctx.subtype &&
    String(earlier.campaignId ?? null) === String(ctx.campaign?._id ?? null)
  );
}

/** What a part of the list came to: the cases made of its rows (in the file's order) and the rows refused. */
export interface ImportPart {
  caseIds: string[];
  rejectedRows: RejectedRow[];
}

/**
 * The case id of a row of a batch, the same every time it is computed: the batch's time (so that cases sort
 * as they were made), five bytes of the batch id's hash, and the row number (so that a batch's cases sort in
 * the file's order). A row done by an earlier attempt of an import job is recognised by its id.
 */
export function caseIdOfRow(batchId: Types.ObjectId, row: number): Types.ObjectId {
  const bytes = Buffer.alloc(12);
  batchId.id.subarray(0, 4).forEach((b, i) => (bytes[i] = b));
  createHash('sha256').update(String(batchId)).digest().copy(bytes, 4, 0, 5);
  bytes.writeUIntBE(row, 9, 3);
  return new Types.ObjectId(bytes);
}

/**
 * Some rows of the list (all of them, or a chunk of an import job) as draft cases of the batch. Idempotent per
 * row: a row whose case exists already (an earlier attempt of the job died after making it) is answered with
 * that case and not screened again; its member, made or matched then, is matched by CCCD now.
 */
export async function importRows(
  principal: Principal,
  actor: Actor,
  ctx: ListContext,
  batchId: Types.ObjectId,
  entries: readonly CheckedRow[],
): Promise<ImportPart> {
  const ids = new Map(entries.map((e) => [e.row, caseIdOfRow(batchId, e.row)]));
  const done = await casesRepository.existingOfBatch(batchId, [...ids.values()]);
  const rejected = entries.filter(isRejected);
  const screened = await screen(
    principal,
    ctx,
    entries.filter((e): e is ListEntry => !isRejected(e) && !done.has(String(ids.get(e.row)))),
  );
  rejected.push(...screened.rejected);
  const made = await createRows(principal, actor, ctx, batchId, screened, rejected, ids);
  const withCase = await campaignMembers.get(ctx);
  for (const record of made) withCase?.add(String(record.memberId));
  const created = new Set(made.map((c) => String(c._id)));
  const caseIds = entries.map((e) => String(ids.get(e.row))).filter((id) => done.has(id) || created.has(id));
  return { caseIds, rejectedRows: rejected };
}

/**
 * The import's end: the batch gets its counts, cases and rejected rows, and the audit entry. A list of which
 * no row became a case leaves nothing behind (the batch is removed, so that the corrected file, or the same
 * one, can come again) and is answered 400 with every row. Safe to run again after a crash.
 */
export async function concludeImport(
  actor: Actor,
  batchId: Types.ObjectId,
  rows: number,
  parts: readonly ImportPart[],
): Promise<ImportResult> {
  const caseIds = parts.flatMap((p) => p.caseIds);
  const rejectedRows = byRow(parts.flatMap((p) => p.rejectedRows));
  if (!caseIds.length) {
    await batchesRepository.remove(batchId);
    throw noValidRow(rejectedRows, rows);
  }
  const batch = (await batchesRepository.findById(String(batchId)))!;
  const counts = { rows, created: caseIds.length, rejected: rejectedRows.length };
  await batchesRepository.finishImport(batchId, {
    rowCount: counts.rows,
    createdCount: counts.created,
    rejectedCount: counts.rejected,
    caseIds: caseIds.map((id) => new Types.ObjectId(id)),
    rejectedRows,
  });
  if (batch.status === 'importing') {
    await recordAudit({
      action: 'batch.import',
      entity: 'batch',
      entityId: String(batchId),
      actor,
      orgPath: batch.orgPath,
      details: { fileSha256: batch.fileSha256, format: batch.fileFormat, ...counts },
    });
  }
  return {
    batch: (await batchesRepository.findById(String(batchId)))!,
    counts,
    caseIds,
    rejectedRows,
  };
}

/** How far an import had come when it stopped: the file's rows, those read, and the parts done. */
export interface StoppedImport {
  batchId: Types.ObjectId;
  /** The run that stopped (`importRun` of the batch): a later run of the same list is left alone. */
  run: Types.ObjectId | null;
  rows: number;
  rowsRead: number;
  parts: readonly ImportPart[];
  error: { code: string; detail: string };
}

/**
 * An import that stopped before its end (its job failed; SPEC is silent, docs/jobs.md). Without a case made,
 * nothing is left (the batch is removed, so that the file can come again). Otherwise the list becomes
 * `incomplete`: every case of the batch (those of the parts done, and any the failed part made before it threw)
 * is one of its drafts, the rows refused so far are kept, and `importError` says why it stopped. Its cases can be
 * acted on as any list's; the same file uploaded again continues it (`openImport`). Safe to run again.
 */
export async function stopImport(actor: Actor, stopped: StoppedImport): Promise<void> {
  const { batchId, run } = stopped;
  if (!(await casesRepository.anyOfBatch(batchId))) {
    await batchesRepository.removeImporting(batchId, run);
    return;
  }
  const batch = await batchesRepository.findById(String(batchId));
  if (!batch) return;
  // A list taken up again that stops before the earlier run's end keeps what that run read beyond (file rows are
  // numbered from 2, under the header).
  const rowsRead = Math.max(stopped.rowsRead, batch.rowsRead);
  const rejectedRows = byRow([
    ...stopped.parts.flatMap((p) => p.rejectedRows),
    ...batch.rejectedRows.filter((r) => r.row > stopped.rowsRead + 1),
  ]);
  const caseIds = await casesRepository.idsOfBatch(batchId);
  const counts = { rows: stopped.rows, read: rowsRead, created: caseIds.length, rejected: rejectedRows.length };
  const changed = await batchesRepository.stopImport(batchId, run, {
    rowCount: counts.rows,
    rowsRead: counts.read,
    createdCount: counts.created,
    rejectedCount: counts.rejected,
    caseIds,
    rejectedRows,
    importError: stopped.error,
  });
  if (!changed) return;
  await recordAudit({
    action: 'batch.import_stopped',
    entity: 'batch',
    entityId: String(batchId),
    actor,
    orgPath: batch.orgPath,
    details: { fileSha256: batch.fileSha256, format: batch.fileFormat, ...counts, error: stopped.error.code },
  });
}

/**
 * The request that opened an import failed before its job existed (storing the upload, or making the job): no
 * batch is left, or the `incomplete` list it took up again is put back as it was (its cases, counts and error).
 */
export async function abandonImport(batch: BatchRecord): Promise<void> {
  const run = batch.importRun ?? null;
  if (await casesRepository.anyOfBatch(batch._id)) await batchesRepository.putBackIncomplete(batch._id, run);
  else await batchesRepository.removeImporting(batch._id, run);
}

/**
 * POST /batches/import (SPEC §5) in one go, in this process (the seed's demo list): check the list, then read
 * and check its rows a chunk at a time and turn the valid ones into draft cases of one batch. A file with no valid row creates
 * nothing; the answer lists every rejected row with its row number and the reasons. The API runs the same
 * steps as a job (import-job.ts).
 */
export async function importList(
  principal: Principal,
  actor: Actor,
  input: ImportInput,
  file: UploadedFile | undefined,
): Promise<ImportResult> {
  const { batch, rows } = await openImport(principal, actor, input, file);
  const entries = new ListEntries(() => createReadStream(file!.path));
  const parts: ImportPart[] = [];
  try {
    const ctx = await listContextOf(principal, input);
    for (let from = 0; from < rows; from += IMPORT_CHUNK_ROWS) {
      parts.push(
        await importRows(principal, actor, ctx, batch._id, await entries.part(from, from + IMPORT_CHUNK_ROWS)),
      );
    }
    return await concludeImport(actor, batch._id, rows, parts);
  } catch (error) {
    await stopImport(actor, {
      batchId: batch._id,
      run: batch.importRun ?? null,
      rows,
      rowsRead: Math.min(rows, parts.length * IMPORT_CHUNK_ROWS),
      parts,
      error:
        error instanceof AppError
          ? { code: error.code, detail: error.detail }
          : { code: 'INTERNAL_ERROR', detail: 'Việc nhập gặp lỗi ngoài dự kiến và đã dừng.' },
    });
    throw error;
  } finally {
    await entries.close();
  }
}

/** The ready rows as draft cases of the batch; a row whose member could not be had is refused with the reason. */
async function createRows(
  principal: Principal,
  actor: Actor,
  ctx: ListContext,
  batchId: Types.ObjectId,
  screened: Screened,
  rejected: RejectedRow[],
  ids: ReadonlyMap<number, Types.ObjectId>,
): Promise<CaseRecord[]> {
  const members = await membersFor(principal, actor, screened.ready, screened.members);
  const rows = screened.ready.flatMap((entry) => {
    const member = members.get(entry.citizenId)!;
    if (member instanceof AppError) {
      rejected.push(rejectRow(entry, member.detail));
      return [];
    }
    return [{ member, requestedAmount: entry.amount ?? ctx.cap, situation: entry.situation, id: ids.get(entry.row) }];
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
