import { getBatchInScope } from '../batches/index.js';
import {
  casesRepository,
  MONEY_MOVES,
  programContextOf,
  STATUS_NAMES,
  withPlan,
  type CaseRecord,
} from '../cases/index.js';
import { AppError } from '../core/errors.js';
import { formatVndWithUnit } from '../core/money.js';
import { nextPayment, type ListPlanRow } from '../core/shared/payment-plan.js';
import { registerJobKind, type JobContext } from '../jobs/index.js';
import { vietQrOf } from './bank-transfer.js';
import type { PaymentMethod } from './disbursements.model.js';
import { disbursementsRepository, type DisbursementRecord } from './disbursements.repository.js';
import { recordDisbursement, type PaymentInput } from './payments.service.js';

export const LIST_PAYMENT_JOB = 'batch.pay';
/** Payments of one list made at once; each is still one guarded update of its case. */
const PAY_CONCURRENCY = 4;

export interface ListPaymentInput {
  batchId: string;
  method: PaymentMethod;
  paidAt: string;
  voucherNo: string;
  fundId?: string;
  note?: string;
}

export interface ListPaymentOutcome {
  caseId: string;
  code: string;
  memberName: string;
  outcome: 'paid' | 'failed' | 'skipped';
  payment?: { id: string; amount: number; trancheNo: number; fundCode: string; status: string; vietQr: string | null };
  problem?: { code: string; detail: string };
  reason?: string;
}

/** What the single payment form would offer for the case (core/shared/payment-plan.ts): the next tranche, from the first fund share with money left. */
async function nextOf(record: CaseRecord, fundId: string | undefined) {
  if (!MONEY_MOVES.disburse.from.includes(record.status)) {
    return {
      reason:
        record.status === 'disbursed' || record.status === 'closed'
          ? `Hồ sơ đã được chi đủ ${formatVndWithUnit(record.approvedAmount ?? 0)}.`
          : `Hồ sơ đang ở trạng thái “${STATUS_NAMES[record.status]}”, chưa thể chi trả.`,
    };
  }
  const { rules } = await programContextOf(record);
  return nextPayment(withPlan(record, rules.tranches), record.documents, fundId);
}

async function planOf(
  record: CaseRecord,
  input: ListPaymentInput,
): Promise<{ payment: PaymentInput } | { reason: string }> {
  const next = await nextOf(record, input.fundId);
  if ('reason' in next) return next;
  const { tranche, allocation, amount } = next;
  const { method, paidAt, voucherNo, note } = input;
  return {
    payment: {
      amount,
      trancheNo: tranche.no,
      method,
      paidAt,
      voucherNo,
      fundId: String(allocation.fundId),
      ...(note ? { note } : {}),
    },
  };
}

/** One case of the list as `POST /batches/:id/pay` would now treat it: its payment, or why it is skipped. */
export type ListPaymentPlanRow = ListPlanRow;

/** Cases read at once for the plan: a list of 50,000 is read in pieces. */
const PLAN_CHUNK = 1_000;

/**
 * What paying the list now would do, case by case in the list's order, by the same plan as the job (`nextOf`):
 * the accountant sees it before sending, read by the server in a few queries instead of two requests per case.
 */
export async function listPaymentPlan(
  principal: Parameters<typeof getBatchInScope>[0],
  batchId: string,
  fundId?: string,
): Promise<{ rows: ListPaymentPlanRow[]; counts: { pay: number; skip: number }; totalAmount: number }> {
  const ids = (await getBatchInScope(principal, batchId)).caseIds.map(String);
  const rows: ListPaymentPlanRow[] = [];
  for (let at = 0; at < ids.length; at += PLAN_CHUNK) {
    const chunk = ids.slice(at, at + PLAN_CHUNK);
    const found = new Map((await casesRepository.findByIds(chunk)).map((record) => [String(record._id), record]));
    for (const caseId of chunk) {
      const record = found.get(caseId);
      if (!record) continue;
      const ref = { caseId, code: record.code, memberName: record.memberName };
      const next = await nextOf(record, fundId);
      rows.push(
        'reason' in next
          ? { ...ref, kind: 'skip', reason: next.reason }
          : {
              ...ref,
              kind: 'pay',
              trancheNo: next.tranche.no,
              trancheLabel: next.tranche.label,
              amount: next.amount,
              fundId: String(next.allocation.fundId),
              fundCode: next.allocation.fundCode,
            },
      );
    }
  }
  const paying = rows.filter((row) => row.kind === 'pay');
  return {
    rows,
    counts: { pay: paying.length, skip: rows.length - paying.length },
    totalAmount: paying.reduce((sum, row) => sum + row.amount, 0),
  };
}

function paymentOf(entry: DisbursementRecord): NonNullable<ListPaymentOutcome['payment']> {
  return {
    id: String(entry._id),
    amount: entry.amount,
    trancheNo: entry.trancheNo,
    fundCode: entry.fundCode,
    status: entry.status,
    vietQr: entry.method === 'bank_transfer' && entry.payee ? vietQrOf(entry).payload : null,
  };
}

/** This job's payment of the case, when an earlier attempt made it: its voucher, by its starter, since it began. */
async function paymentMadeByJob(ctx: JobContext, caseId: string, input: ListPaymentInput) {
  return (await disbursementsRepository.ofCase(caseId)).find(
    (d) =>
      d.kind === 'payment' &&
      d.voucherNo === input.voucherNo &&
      d.createdBy?.id === ctx.actor.userId &&
      d.createdAt >= ctx.job.createdAt,
  );
}

/**
 * One case of the list: paid through the single payment (all its rules) under an Idempotency-Key made of the
 * job and the case, so that a job taken up after a crash is answered from the payment already made; a payment
 * of this job's voucher made by its starter since the job began is reported as made, not made again.
 */
async function payListedCase(ctx: JobContext, caseId: string): Promise<ListPaymentOutcome> {
  const input = ctx.job.input as ListPaymentInput;
  const record = await casesRepository.findById(caseId);
  if (!record)
    return {
      caseId,
      code: '',
      memberName: '',
      outcome: 'failed',
      problem: { code: 'NOT_FOUND', detail: 'Không tìm thấy hồ sơ.' },
    };
  const base = { caseId, code: record.code, memberName: record.memberName };
  // Only a job taken up again (after a crash or a lost lease) can find its own payment already made; its first run
  // skips the look-up, a read of the case's entries (a scan on the embedded engine, which keeps no index on caseId).
  const made = ctx.job.attempts > 1 ? await paymentMadeByJob(ctx, caseId, input) : undefined;
  if (made) return { ...base, outcome: 'paid', payment: paymentOf(made) };
  const plan = await planOf(record, input);
  if ('reason' in plan) return { ...base, outcome: 'skipped', reason: plan.reason };
  try {
    const answer = await recordDisbursement(
      ctx.principal,
      ctx.actor,
      caseId,
      plan.payment,
      `job-${String(ctx.job._id)}:${caseId}`,
    );
    const entry = await disbursementsRepository.findById(String((answer.body as { id: string }).id));
    return { ...base, outcome: 'paid', payment: paymentOf(entry!) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ...base, outcome: 'failed', problem: { code: error.code, detail: error.detail } };
  }
}

/** The answer (the job's `result`): every case, the counts and total, and where the bank's transfer list is. */
function listPaymentResult(input: ListPaymentInput, outcomes: ListPaymentOutcome[]) {
  const paid = outcomes.filter((o) => o.outcome === 'paid');
  const query = `voucherNo=${encodeURIComponent(input.voucherNo)}`;
  return {
    batchId: input.batchId,
    voucherNo: input.voucherNo,
    method: input.method,
    paidAt: input.paidAt,
    counts: {
      paid: paid.length,
      failed: outcomes.filter((o) => o.outcome === 'failed').length,
      skipped: outcomes.filter((o) => o.outcome === 'skipped').length,
    },
    totalAmount: paid.reduce((sum, o) => sum + (o.payment?.amount ?? 0), 0),
    results: outcomes,
    transferList:
      input.method === 'bank_transfer' && paid.length
        ? {
            csv: `/api/v1/disbursements/transfer-list?format=csv&${query}`,
            xlsx: `/api/v1/disbursements/transfer-list?format=xlsx&${query}`,
          }
        : null,
  };
}

export function registerListPaymentJob(): void {
  registerJobKind({
    kind: LIST_PAYMENT_JOB,
    concurrency: PAY_CONCURRENCY,
    runItem: payListedCase,
    finish: async (ctx, outcomes) =>
      listPaymentResult(ctx.job.input as ListPaymentInput, outcomes as ListPaymentOutcome[]),
  });
}

/** The list in the caller's scope, and its cases as the job's items. */
export async function listPaymentItems(
  principal: Parameters<typeof getBatchInScope>[0],
  batchId: string,
): Promise<string[]> {
  return (await getBatchInScope(principal, batchId)).caseIds.map(String);
}
