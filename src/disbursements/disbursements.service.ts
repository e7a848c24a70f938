import { recordAudit } from '../audit/index.js';
import { casesRepository, getCaseInScope, planTranches, programContextOf } from '../cases/index.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { ListQuery } from '../core/http/common-schemas.js';
import { assertInScope, type Actor, type Principal } from '../core/scope.js';
import {
  plainAscii,
  vietQrOf,
  vietQrPng,
  transferCsv,
  transferRows,
  transferXlsx,
  type VietQr,
} from './bank-transfer.js';
import {
  disbursementJSON,
  disbursementsRepository,
  maskedJSON,
  type DisbursementFilter,
  type DisbursementRecord,
} from './disbursements.repository.js';

const WHAT = 'khoản chi';

/** A payment or reversal entry whose case lies in the caller's subtree, or 404 (pending entries do not exist yet). */
export async function getDisbursementInScope(principal: Principal, id: string): Promise<DisbursementRecord> {
  const entry = await disbursementsRepository.findById(id);
  if (!entry || entry.status === 'pending') throw new NotFoundError(WHAT);
  assertInScope(principal, entry.orgPath.map(String), WHAT);
  return entry;
}

/** The single read shows the full account number, and is audited like a case read (SPEC §3). */
export async function readDisbursement(
  principal: Principal,
  actor: Actor,
  id: string,
): Promise<Record<string, unknown>> {
  const entry = await getDisbursementInScope(principal, id);
  if (entry.payee?.accountNo) {
    await recordAudit({
      action: 'disbursement.read_personal_data',
      entity: 'disbursement',
      entityId: id,
      actor,
      orgPath: entry.orgPath,
    });
  }
  return disbursementJSON(entry);
}

export interface DisbursementListQuery extends ListQuery {
  caseId?: string;
  fundId?: string;
  orgId?: string;
  method?: string;
  status?: string;
  kind?: string;
  from?: string;
  to?: string;
  voucherNo?: string;
}

function filterOf(principal: Principal, query: Omit<DisbursementListQuery, keyof ListQuery>): DisbursementFilter {
  if (query.from && query.to && query.to < query.from)
    throw new ValidationError([{ path: 'to', message: 'Ngày kết thúc phải từ ngày bắt đầu trở đi' }]);
  return {
    subtreeOf: principal.orgId,
    caseId: query.caseId,
    fundId: query.fundId,
    orgId: query.orgId,
    method: query.method,
    statuses: query.status ? [query.status] : undefined,
    kind: query.kind,
    paidFrom: query.from,
    paidTo: query.to,
    voucherNo: query.voucherNo,
  };
}

export async function listDisbursements(principal: Principal, query: DisbursementListQuery) {
  return disbursementsRepository.list(filterOf(principal, query), query);
}

/**
 * The payments of one case with its tranche plan and fund allocations: what is paid and what remains.
 * Before the first payment the plan is previewed from the province's rules in force now.
 */
export async function casePayments(principal: Principal, caseId: string) {
  const record = await getCaseInScope(principal, caseId);
  const { rules } = await programContextOf(record);
  const tranches = record.tranches?.length
    ? record.tranches
    : record.approvedAmount
      ? planTranches(rules.tranches, record.approvedAmount)
      : [];
  const json = casesRepository.toJSON(record);
  return {
    caseId,
    code: record.code,
    status: record.status,
    approvedAmount: record.approvedAmount,
    disbursedAmount: record.disbursedAmount,
    remainingAmount: (record.approvedAmount ?? 0) - record.disbursedAmount,
    tranches: tranches.map((t) => ({
      ...t,
      requiresDocuments: [...(t.requiresDocuments ?? [])],
      remaining: t.amount - t.paid,
    })),
    fundAllocations: json.fundAllocations,
    items: (await disbursementsRepository.ofCase(caseId)).map(maskedJSON),
  };
}

/** A payment that can be paid by transfer now: in force, by bank transfer, to a known account. */
async function transferable(principal: Principal, id: string): Promise<DisbursementRecord> {
  const entry = await getDisbursementInScope(principal, id);
  if (entry.kind !== 'payment' || entry.status !== 'paid') {
    throw new ConflictError('INVALID_TRANSITION', 'Khoản chi đã bị hủy hoặc là bút toán hủy: không tạo mã VietQR.', {
      disbursementStatus: entry.status,
    });
  }
  if (entry.method !== 'bank_transfer' || !entry.payee?.accountNo) {
    throw new AppError(
      422,
      'NOT_ELIGIBLE',
      'Khoản chi bằng tiền mặt hoặc không có tài khoản người nhận: không có mã VietQR.',
    );
  }
  return entry;
}

export async function vietQr(principal: Principal, actor: Actor, id: string): Promise<VietQr> {
  const entry = await transferable(principal, id);
  await recordAudit({
    action: 'disbursement.vietqr',
    entity: 'disbursement',
    entityId: id,
    actor,
    orgPath: entry.orgPath,
  });
  return vietQrOf(entry);
}

export async function vietQrImage(principal: Principal, actor: Actor, id: string): Promise<Buffer> {
  return vietQrPng((await vietQr(principal, actor, id)).payload);
}

/** At most this many rows in one transfer list: a bank file is one batch, not the whole year. */
const MAX_TRANSFER_ROWS = 5000;

export interface TransferListQuery {
  format: 'csv' | 'xlsx';
  caseId?: string;
  fundId?: string;
  orgId?: string;
  from?: string;
  to?: string;
  voucherNo?: string;
}

/**
 * The list for the bank: payments in force made by bank transfer in the selection, with BIN, account,
 * account name, amount and an ASCII transfer note. Full account numbers leave the service here, so every
 * export is audited.
 */
export async function transferList(
  principal: Principal,
  actor: Actor,
  query: TransferListQuery,
): Promise<{ body: Buffer; contentType: string; fileName: string }> {
  const filter = { ...filterOf(principal, query), method: 'bank_transfer', kind: 'payment', statuses: ['paid'] };
  const entries = await disbursementsRepository.all(filter, MAX_TRANSFER_ROWS + 1);
  if (entries.length > MAX_TRANSFER_ROWS) {
    throw new ValidationError([
      { path: 'from', message: `Danh sách quá ${MAX_TRANSFER_ROWS} dòng; hãy chọn khoảng ngày hoặc nguồn hẹp hơn` },
    ]);
  }
  await recordAudit({
    action: 'disbursement.transfer_list',
    entity: 'disbursement',
    entityId: principal.orgId,
    actor,
    orgPath: principal.orgPath,
    details: { format: query.format, rows: entries.length, filter: { ...query } },
  });
  const rows = transferRows(entries);
  const stamp = query.voucherNo
    ? plainAscii(query.voucherNo).replace(/[^A-Za-z0-9._-]+/g, '-')
    : `${query.from ?? 'dau'}_${query.to ?? 'nay'}`;
  if (query.format === 'xlsx') {
    return {
      body: await transferXlsx(rows, 'Danh sách chuyển khoản'),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      fileName: `danh-sach-chuyen-khoan_${stamp}.xlsx`,
    };
  }
  return {
    body: transferCsv(rows),
    contentType: 'text/csv; charset=utf-8',
    fileName: `danh-sach-chuyen-khoan_${stamp}.csv`,
  };
}
