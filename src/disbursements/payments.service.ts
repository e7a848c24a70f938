import type { Types } from 'mongoose';
import { recordAuditsOnce } from '../audit/index.js';
import {
  casesRepository,
  emitCaseEvent,
  getCaseInScope,
  MONEY_MOVES,
  applyPayment,
  ensureTranches,
  withPlan,
  type CaseMovement,
  programContextOf,
  type CaseRecord,
} from '../cases/index.js';
import { dmy, vnDay } from '../core/shared/dates.js';
import { missingDocuments, missingDocumentsText, nextTranche } from '../core/shared/payment-plan.js';
import { stepPause } from '../core/shared/step-pause.js';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { AppError, ConflictError, ValidationError } from '../core/errors.js';
import { formatVndWithUnit } from '../core/money.js';
import type { Actor, Principal } from '../core/scope.js';
import { moveDisbursedAtOnce } from '../funds/index.js';
import { membersRepository } from '../members/index.js';
import { transferNoteOf } from './bank-transfer.js';
import type { PaymentMethod } from './disbursements.model.js';
import {
  disbursementJSON,
  disbursementsRepository,
  type DisbursementRecord,
  type NewDisbursement,
} from './disbursements.repository.js';
import { once, requestHash, requireKey, type StoredAnswer } from './idempotency.js';

export interface PaymentInput {
  amount: number;
  trancheNo: number;
  method: PaymentMethod;
  paidAt: string;
  voucherNo: string;
  fundId: string;
  note?: string;
}

/** Statuses in which a case can be paid. */
/** How often a payment that lost a race is re-checked and tried again before answering 409. */
const ATTEMPTS = 5;

function assertPayable(record: CaseRecord): void {
  if (record.status === 'disbursed' || record.status === 'closed') {
    throw new ConflictError(
      'INVALID_TRANSITION',
      `Hồ sơ đã được chi đủ ${formatVndWithUnit(record.approvedAmount ?? 0)} (trạng thái "${record.status}").`,
      { caseStatus: record.status },
    );
  }
  if (!MONEY_MOVES.disburse.from.includes(record.status)) {
    throw new ConflictError('INVALID_TRANSITION', `Không thể chi trả hồ sơ đang ở trạng thái "${record.status}".`, {
      caseStatus: record.status,
    });
  }
}

/**
 * Where the payment goes in the case, or why it cannot: the tranche must exist, follow fully paid
 * tranches, have enough left unpaid and its documents on the case; the fund must be one the approval
 * drew on, with enough of its allocation unpaid. A tranche may be paid in several payments (for instance
 * from two funds), each at most what the tranche still lacks.
 */
export function placePayment(record: CaseRecord, input: PaymentInput): CaseMovement {
  const ti = input.trancheNo - 1;
  const tranche = record.tranches[ti];
  if (!tranche) {
    throw new ValidationError([
      { path: 'trancheNo', message: `Hồ sơ có ${record.tranches.length} đợt chi (từ 1 đến ${record.tranches.length})` },
    ]);
  }
  const earlier = nextTranche(record.tranches.slice(0, ti));
  if (earlier) {
    throw new ConflictError(
      'TRANCHE_OUT_OF_ORDER',
      `Đợt ${earlier.no} ("${earlier.label}") chưa chi đủ; các đợt được chi lần lượt.`,
      { trancheNo: earlier.no },
    );
  }
  const remaining = tranche.amount - tranche.paid;
  if (remaining <= 0) {
    throw new ConflictError(
      'TRANCHE_ALREADY_PAID',
      `Đợt ${tranche.no} ("${tranche.label}") đã được chi đủ ${formatVndWithUnit(tranche.amount)}.`,
      { trancheNo: tranche.no },
    );
  }
  const missing = missingDocuments(tranche, record.documents);
  if (missing.length)
    throw new AppError(422, 'MISSING_DOCUMENTS', missingDocumentsText(tranche.no, missing), { missing });
  if (input.amount > remaining) {
    throw new AppError(
      422,
      'AMOUNT_EXCEEDS_CAP',
      `Đợt ${tranche.no} chỉ còn ${formatVndWithUnit(remaining)} chưa chi.`,
      { remaining, cap: remaining },
    );
  }
  const ai = record.fundAllocations.findIndex((a) => String(a.fundId) === input.fundId);
  if (ai < 0)
    throw new ValidationError([{ path: 'fundId', message: 'Hồ sơ không được phê duyệt từ nguồn kinh phí này' }]);
  const allocation = record.fundAllocations[ai]!;
  const unpaid = allocation.amount - allocation.paid;
  if (input.amount > unpaid) {
    throw new ConflictError(
      'INSUFFICIENT_FUNDS',
      `Phần cam kết của nguồn "${allocation.fundCode}" cho hồ sơ chỉ còn ${formatVndWithUnit(unpaid)} chưa chi.`,
      {
        fundId: input.fundId,
        available: unpaid,
      },
    );
  }
  return {
    trancheIndex: ti,
    allocationIndex: ai,
    amount: input.amount,
    note: `Đợt ${tranche.no}, phiếu chi ${input.voucherNo}`,
  };
}

export function checkPaidAt(record: CaseRecord, paidAt: string): void {
  if (paidAt > vnDay()) throw new ValidationError([{ path: 'paidAt', message: 'Ngày chi không được sau hôm nay' }]);
  const approvedOn = record.approvedAt ? vnDay(record.approvedAt) : null;
  if (approvedOn && paidAt < approvedOn) {
    throw new ValidationError([
      { path: 'paidAt', message: `Ngày chi không được trước ngày phê duyệt ${dmy(approvedOn)}` },
    ]);
  }
}

/** Whether the case's member must be read for the payee (the snapshot at submission holds no account). */
export function payeeNeedsMember(record: CaseRecord): boolean {
  return !record.memberSnapshot?.bankAccount?.accountNo;
}

type Payee = { fullName: string; bankBin: string; accountNo: string; accountName: string } | null;

/**
 * The member's account as approved with the case (the snapshot at submission), else as it is now (`member`, the
 * member read by the caller, or read here).
 */
export async function payeeOf(
  record: CaseRecord,
  member?: {
    bankAccount?: { accountNo?: string | null; bankBin?: string | null; accountName?: string | null } | null;
  } | null,
): Promise<Payee> {
  const snapshot = record.memberSnapshot?.bankAccount;
  const account = snapshot?.accountNo
    ? snapshot
    : (member === undefined ? await membersRepository.findById(String(record.memberId)) : member)?.bankAccount;
  if (!account?.accountNo || !account.bankBin) return null;
  return {
    fullName: record.memberSnapshot?.fullName ?? record.memberName,
    bankBin: account.bankBin,
    accountNo: account.accountNo,
    accountName: account.accountName ?? '',
  };
}

/** A bank transfer needs the member's account. */
export function assertPayee(input: PaymentInput, payee: Payee): void {
  if (input.method === 'bank_transfer' && !payee) {
    throw new AppError(422, 'NOT_ELIGIBLE', 'Đoàn viên chưa có tài khoản ngân hàng: không thể chi bằng chuyển khoản.');
  }
}

/** The pending entry of a payment placed on the case (`move`), before the case takes it. */
export function pendingEntry(
  record: CaseRecord,
  move: CaseMovement,
  input: PaymentInput,
  context: {
    payee: Payee;
    programName: string;
    actor: Actor;
    listRun?: string;
    listCase?: string;
    id?: Types.ObjectId;
  },
): NewDisbursement {
  const { payee, actor } = context;
  const allocation = record.fundAllocations[move.allocationIndex]!;
  const tranche = record.tranches[move.trancheIndex]!;
  return {
    _id: context.id ?? disbursementsRepository.newId(),
    kind: 'payment',
    status: 'pending',
    caseId: record._id,
    caseCode: record.code,
    programCode: record.programCode,
    memberId: record.memberId,
    memberName: record.memberName,
    orgId: record.orgId,
    orgPath: record.orgPath,
    fundId: allocation.fundId,
    fundCode: allocation.fundCode,
    trancheNo: tranche.no,
    trancheLabel: tranche.label,
    amount: input.amount,
    method: input.method,
    paidAt: input.paidAt,
    paidMonth: input.paidAt.slice(0, 7),
    subtype: record.subtype,
    campaignId: record.campaignId ?? null,
    voucherNo: input.voucherNo,
    note: input.note ?? '',
    transferNote: transferNoteOf(record.code, context.programName),
    payee: input.method === 'bank_transfer' ? payee : null,
    reverses: null,
    reason: null,
    createdBy: { id: actor.userId, name: actor.name },
    listRun: context.listRun ?? null,
    ...(context.listCase ? { listCase: context.listCase } : {}),
  };
}

/** A list payment job's entry of a case exists already (`listCase`): the job paid or is paying it. */
const paidByList = () =>
  new ConflictError(
    'IDEMPOTENCY_CONFLICT',
    'Hồ sơ đã được chi hoặc đang được chi trong lần chi cả danh sách này; hãy xem kết quả của danh sách trước khi thử lại.',
  );

/**
 * One payment (SPEC §7), told as a story: the case must be payable and the payment fit (placePayment);
 * it is first written as a pending entry (under `entryId`, which its Idempotency-Key already names), then the case
 * takes it with one conditional update that records the entry's id in its history (retried after a lost race, with
 * the rules checked again), then the fund's paid total and ledger follow once (`settleTakenPayment`). A refusal
 * removes the pending entry: nothing was paid. A request cut off between those writes is finished by the service
 * (interrupted-payments.ts).
 */
async function pay(
  principal: Principal,
  actor: Actor,
  caseId: string,
  input: PaymentInput,
  ids: { entryId: Types.ObjectId; listCase?: string },
): Promise<DisbursementRecord> {
  const { listCase } = ids;
  let record = await getCaseInScope(principal, caseId);
  assertPayable(record);
  const { rules, program } = await programContextOf(record);
  // Every check runs on the plan as it would be, so that a refused payment leaves the case untouched.
  placePayment(withPlan(record, rules.tranches), input);
  checkPaidAt(record, input.paidAt);
  const payee = await payeeOf(record);
  assertPayee(input, payee);
  record = await ensureTranches(record, rules.tranches);
  assertPayable(record);
  let move = placePayment(record, input);
  const entry = await disbursementsRepository
    .insert(pendingEntry(record, move, input, { payee, programName: program.name, actor, listCase, id: ids.entryId }))
    .catch((error: unknown) => {
      throw listCase && isDuplicateKeyError(error) ? paidByList() : error;
    });
  await stepPause();
  try {
    for (let attempt = 1; !(await applyPayment(record, move, actor, entry._id)); attempt += 1) {
      if (attempt >= ATTEMPTS)
        throw new ConflictError('STALE_REVISION', 'Hồ sơ đang được chi trả đồng thời; vui lòng tải lại và thử lại.');
      record = (await casesRepository.findById(caseId))!;
      if (isFenced(record, entry._id)) throw fencedOff();
      assertPayable(record);
      move = placePayment(record, input);
    }
  } catch (error) {
    await disbursementsRepository.discardPending(entry._id);
    throw error;
  }
  await stepPause();
  if (await settleTakenPayment(entry, actor)) {
    await stepPause();
    // Counted once under the entry: a round that finished the payment may have counted it (reports subscribes).
    await emitCaseEvent('payment.settled', { entryId: String(entry._id), before: record });
    // Under an id made of the entry, as the round that finishes a cut-off one writes it: a request that stalled while
    // a round finished it does not audit it twice.
    await recordAuditsOnce([paymentAudit(entry, actor)], { chunk: String(entry._id), lookFirst: false });
  }
  // The fund's mark of the payment stays an hour (interrupted-payments.ts `dropEndedPaymentMarks`).
  return (await disbursementsRepository.findById(String(entry._id)))!;
}

/** Whether the service fenced the entry off the case (a payment or reversal that stalled: `fencePayments`). */
export const isFenced = (record: CaseRecord, entryId: Types.ObjectId) =>
  (record.fencedEntries ?? []).some((id) => String(id) === String(entryId));

/** The refusal of a payment or reversal whose entry the service fenced off while it stalled: nothing was recorded. */
export const fencedOff = () =>
  new ConflictError(
    'STALE_REVISION',
    'Lần ghi này chờ quá lâu nên hệ thống đã hủy; chưa có khoản nào được ghi. Vui lòng tải lại hồ sơ và thử lại.',
  );

/** The fund's mark of one payment: its paid total moves once for it, whoever finishes the payment. */
export const fundMarkOf = (entryId: Types.ObjectId) => `pay:${String(entryId)}`;

/**
 * A payment or reversal its case took (the history holds the entry's id): the fund's paid total moves once (the fund
 * keeps the entry's mark for an hour: `dropEndedPaymentMarks`), its ledger entry is written once (under the entry's
 * id), and the entry is settled. Answers whether this call settled it: only that caller counts and audits it. The
 * request and the service finishing an interrupted one both come here.
 */
export async function settleTakenPayment(
  entry: Pick<
    DisbursementRecord,
    '_id' | 'kind' | 'fundId' | 'amount' | 'caseId' | 'caseCode' | 'voucherNo' | 'trancheNo' | 'trancheLabel' | 'reason'
  >,
  actor: Actor,
): Promise<boolean> {
  const reversal = entry.kind === 'reversal';
  await moveDisbursedAtOnce(
    [
      {
        fundId: String(entry.fundId),
        amount: entry.amount,
        caseId: entry.caseId,
        caseCode: entry.caseCode,
        disbursementId: entry._id,
        voucherNo: entry.voucherNo,
        note: reversal ? `Hủy chi: ${entry.reason ?? ''}` : `Chi đợt ${entry.trancheNo}: ${entry.trancheLabel}`,
      },
    ],
    fundMarkOf(entry._id),
    actor,
  );
  return disbursementsRepository.settle(entry._id, reversal ? 'reversal' : 'paid');
}

/** The audit entry of a recorded payment. */
export function paymentAudit(
  entry: Pick<
    DisbursementRecord,
    '_id' | 'orgPath' | 'caseId' | 'caseCode' | 'amount' | 'trancheNo' | 'fundId' | 'voucherNo' | 'method'
  >,
  actor: Actor,
) {
  return {
    action: 'disbursement.create',
    entity: 'disbursement',
    entityId: String(entry._id),
    actor,
    orgPath: entry.orgPath,
    details: {
      caseId: String(entry.caseId),
      caseCode: entry.caseCode,
      amount: entry.amount,
      trancheNo: entry.trancheNo,
      fundId: String(entry.fundId),
      voucherNo: entry.voucherNo,
      method: entry.method,
    },
  };
}

/**
 * The `Idempotency-Key` wraps the payment: the same key and body pay once and answer the same (SPEC §7). The key
 * names the case and the id the payment's entry will have, so that the service can finish a payment whose request
 * was cut off and store its answer under the key. A list payment job names its case (`listCase`,
 * `<jobId>:<caseId>`): a second entry of the same job for the case is refused.
 */
export async function recordDisbursement(
  principal: Principal,
  actor: Actor,
  caseId: string,
  input: PaymentInput,
  keyHeader: string | undefined,
  listCase?: string,
): Promise<StoredAnswer> {
  const key = requireKey(keyHeader);
  const hash = requestHash('POST', `/api/v1/cases/${caseId}/disbursements`, input);
  const entryId = disbursementsRepository.newId();
  return once({ userId: principal.userId, key, requestHash: hash, refs: { caseId, entryId } }, async () => {
    const entry = await pay(principal, actor, caseId, input, { entryId, listCase });
    return paymentAnswer(entry);
  });
}

/** What `POST /cases/:id/disbursements` answers: the JSON the client received, so a replay is byte-for-byte the same. */
export function paymentAnswer(entry: DisbursementRecord): { status: number; body: unknown } {
  return { status: 201, body: JSON.parse(JSON.stringify(disbursementJSON(entry))) as unknown };
}
