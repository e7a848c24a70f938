import { recordAuditsOnce } from '../audit/index.js';
import { getBatchInScope } from '../batches/index.js';
import {
  applyPaymentsAtOnce,
  caseInScope,
  fencePayments,
  casesRepository,
  emitCaseEvent,
  MONEY_MOVES,
  programContextOf,
  STATUS_NAMES,
  withPlan,
  type CaseMovement,
  type CaseRecord,
  type PlannedCase,
  type ProgramContext,
} from '../cases/index.js';
import { AppError } from '../core/errors.js';
import { formatVndWithUnit } from '../core/money.js';
import { mapLimit } from '../core/shared/map-limit.js';
import { dropPaymentMarks, moveDisbursedAtOnce } from '../funds/index.js';
import { membersRepository } from '../members/index.js';
import { provinceIdOf } from '../programs/index.js';
import { nextPayment, type ListPlanRow } from '../core/shared/payment-plan.js';
import { registerJobKind, runsInHand, type JobContext } from '../jobs/index.js';
import { vietQrOf } from './bank-transfer.js';
import type { PaymentMethod } from './disbursements.model.js';
import { disbursementsRepository, type DisbursementRecord, type NewDisbursement } from './disbursements.repository.js';
import {
  assertPayee,
  checkPaidAt,
  payeeNeedsMember,
  payeeOf,
  pendingEntry,
  placePayment,
  recordDisbursement,
  type PaymentInput,
} from './payments.service.js';

export const LIST_PAYMENT_JOB = 'batch.pay';
/** Cases of a list paid as one chunk (read at once, written in bulk). */
const PAY_CHUNK = 250;
/** Chunks paid at once (the runner's `chunksAtOnce`): one is planned and followed while the other waits for the database. */
const PAY_CHUNKS_AT_ONCE = 2;
/** Cases of a chunk that lost a race, paid the single way at once. */
const PAY_CONCURRENCY = 4;
const NOT_FOUND = { code: 'NOT_FOUND', detail: 'Không tìm thấy hồ sơ.' };

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
type ContextOf = (record: CaseRecord) => Promise<Pick<ProgramContext, 'program' | 'rules'>>;

/**
 * The program and its province's rules, read once per program and province for many cases (a list's cases share
 * them; `programContextOf` would also read the case's campaign each time).
 */
function contextsOnce(): ContextOf {
  const known = new Map<string, ReturnType<ContextOf>>();
  return (record) => {
    const key = `${record.programCode}|${provinceIdOf(record.orgPath) ?? ''}`;
    let context = known.get(key);
    if (!context) known.set(key, (context = programContextOf({ ...record, campaignId: null })));
    return context;
  };
}

async function nextOf(record: CaseRecord, fundId: string | undefined, contextOf: ContextOf = programContextOf) {
  if (!MONEY_MOVES.disburse.from.includes(record.status)) {
    return {
      reason:
        record.status === 'disbursed' || record.status === 'closed'
          ? `Hồ sơ đã được chi đủ ${formatVndWithUnit(record.approvedAmount ?? 0)}.`
          : `Hồ sơ đang ở trạng thái “${STATUS_NAMES[record.status]}”, chưa thể chi trả.`,
    };
  }
  const { rules } = await contextOf(record);
  return nextPayment(withPlan(record, rules.tranches), record.documents, fundId);
}

async function planOf(
  record: CaseRecord,
  input: ListPaymentInput,
  contextOf?: ContextOf,
): Promise<{ payment: PaymentInput } | { reason: string }> {
  const next = await nextOf(record, input.fundId, contextOf);
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
/** What `nextOf` and the plan's rows read of a case: not its history, the bulk of a case that has come this far. */
const PLAN_FIELDS = [
  'code',
  'memberName',
  'status',
  'approvedAmount',
  'disbursedAmount',
  'tranches',
  'fundAllocations',
  'documents.type',
  'programCode',
  'orgPath',
] as const;

/**
 * What paying the list now would do, case by case in the list's order, by the same plan as the job (`nextOf`):
 * the accountant sees it before sending, read by the server in a few queries instead of two requests per case.
 */
export async function listPaymentPlan(
  principal: Parameters<typeof getBatchInScope>[0],
  batchId: string,
  fundId?: string,
): Promise<{
  batchId: string;
  fileName: string;
  rows: ListPaymentPlanRow[];
  counts: { pay: number; skip: number };
  totalAmount: number;
}> {
  const batch = await getBatchInScope(principal, batchId);
  const ids = batch.caseIds.map(String);
  const rows: ListPaymentPlanRow[] = [];
  const contextOf = contextsOnce();
  for (let at = 0; at < ids.length; at += PLAN_CHUNK) {
    const chunk = ids.slice(at, at + PLAN_CHUNK);
    const found = new Map(
      (await casesRepository.findByIds(chunk, PLAN_FIELDS)).map((record) => [String(record._id), record]),
    );
    for (const caseId of chunk) {
      const record = found.get(caseId);
      if (!record) continue;
      const ref = { caseId, code: record.code, memberName: record.memberName };
      const next = await nextOf(record, fundId, contextOf);
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
    batchId: String(batch._id),
    fileName: batch.fileName,
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

/** The key of this job's payment of a case (`listCase`): the job has one entry of a case at most. */
const listCaseOf = (ctx: JobContext, caseId: string) => `${String(ctx.job._id)}:${caseId}`;

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
      problem: NOT_FOUND,
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
      listCaseOf(ctx, caseId),
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

/** A payment of the chunk as planned: its case as the plan saw it, where it goes, and its pending entry. */
interface Planned {
  record: PlannedCase;
  move: CaseMovement;
  entry: NewDisbursement;
}

const PROBLEM_INTERRUPTED = {
  code: 'IDEMPOTENCY_CONFLICT',
  detail:
    'Yêu cầu với khóa này đang được xử lý hoặc đã bị gián đoạn (khoản chi bị gián đoạn được hệ thống tự hoàn tất trong vài phút); hãy xem danh sách chi trả trước khi thử lại.',
};

/**
 * Finishes a chunk's payments whose pending entries are written (`entries`, all of the chunk `mark`), from
 * wherever they stand: the ones whose case took them (its history holds the entry's id) move their funds once,
 * are settled, counted in the report totals and audited; the others never happened and go. The same steps
 * whether the chunk is in hand or was left by a crash (each step is done once: the fund's mark, the ledger
 * entries under the payments' ids, the `run` in the job's state before settling, the report totals' mark, the
 * audit entries looked up). Answers the entries that took, settled, and the cases as they are now.
 */
async function finishRun(
  ctx: JobContext,
  mark: string,
  slot: string,
  entries: readonly (NewDisbursement | DisbursementRecord)[],
  after?: Map<string, CaseRecord>,
): Promise<{ paid: DisbursementRecord[]; after: Map<string, CaseRecord> }> {
  const cases =
    after ?? new Map((await casesRepository.findByIds(entries.map((e) => e.caseId))).map((c) => [String(c._id), c]));
  const took = (e: NewDisbursement) =>
    cases.get(String(e.caseId))?.history.some((h) => String(h.entryId) === String(e._id)) ?? false;
  const taken = entries.filter(took);
  await disbursementsRepository.discardPendingMany(
    entries.filter((e) => e.status === 'pending' && !took(e)).map((e) => e._id),
  );
  const pending = taken.filter((e) => e.status === 'pending');
  await ctx.pause();
  await moveDisbursedAtOnce(
    pending.map((e) => ({
      fundId: String(e.fundId),
      amount: e.amount,
      caseId: e.caseId,
      caseCode: e.caseCode,
      disbursementId: e._id,
      voucherNo: e.voucherNo,
      note: `Chi đợt ${e.trancheNo}: ${e.trancheLabel}`,
    })),
    mark,
    ctx.actor,
  );
  // From here the chunk's report totals and audit may be half-written: a crash leaves the mark in the job's state.
  await ctx.keepRun(slot, mark);
  await disbursementsRepository.settleMany(pending.map((e) => e._id));
  await ctx.pause();
  const now = new Date();
  // As stored now (an entry read back after a crash keeps its own times; one written in this chunk was just made).
  const paid = taken.map((e) => ({ createdAt: now, updatedAt: now, ...e, status: 'paid' }) as DisbursementRecord);
  if (paid.length)
    await emitCaseEvent('payments.settled', {
      mark,
      payments: paid.map((entry) => ({ entry, after: cases.get(String(entry.caseId))! })),
    });
  await recordAuditsOnce(
    paid.map((e) => ({
      action: 'disbursement.create',
      entity: 'disbursement',
      entityId: String(e._id),
      actor: ctx.actor,
      orgPath: e.orgPath,
      details: {
        caseId: String(e.caseId),
        caseCode: e.caseCode,
        amount: e.amount,
        trancheNo: e.trancheNo,
        fundId: String(e.fundId),
        voucherNo: e.voucherNo,
        method: e.method,
      },
    })),
    // Entries this attempt has just written (`after` given: the chunk in hand) have no audit entry yet; only a run
    // left by a crash (recovery) may have some, and looking them up is a scan of `audit_log` on the embedded engine.
    { chunk: mark, lookFirst: !after && ctx.job.attempts > 1 },
  );
  await dropPaymentMarks([...new Set(taken.map((e) => String(e.fundId)))], mark);
  return { paid, after: cases };
}

/**
 * A take-up of the job after a crash or an error (attempt > 1): its earlier attempts' payments by case, read once
 * (the runs left half-way were finished first: `recoverRuns`, the kind's `recover`). Each case is in one chunk, so
 * a chunk's own payments from before are those of this map; reading them per chunk scanned `disbursements` once a
 * chunk on the embedded engine (the second half of a 20,000-case payment took six times as long as the first,
 * docs/benchmarks.md).
 */
const earlier = new WeakMap<JobContext, Promise<Map<string, DisbursementRecord>>>();

function paymentsBeforeTakeUp(ctx: JobContext): Promise<Map<string, DisbursementRecord>> {
  let made = earlier.get(ctx);
  if (!made) {
    const input = ctx.job.input as ListPaymentInput;
    made = disbursementsRepository
      .paymentsOfVoucherBy(input.voucherNo, ctx.actor.userId, ctx.job.createdAt)
      .then((found) => new Map(found.map((d) => [String(d.caseId), d])));
    earlier.set(ctx, made);
  }
  return made;
}

/**
 * The kind's `recover`: runs of this job whose chunk was left half-way (a crash, a lost lease, an error) are
 * finished, at a take-up before any new chunk, and when the job fails.
 */
async function recoverRuns(ctx: JobContext): Promise<void> {
  const jobId = String(ctx.job._id);
  const pending = await disbursementsRepository.pendingOfListJob(jobId);
  // The instance that left them may still be writing (it lost its lease without dying): fenced off first.
  await fencePayments(pending.map((e) => ({ caseId: String(e.caseId), entryId: e._id })));
  const marks = new Set([...pending.map((e) => e.listRun!), ...runsInHand<string>(ctx.job.state)]);
  // Kept under a slot of its own: the chunks' slots still name the runs this loop has yet to finish.
  for (const mark of marks) await finishRun(ctx, mark, 'recover', await disbursementsRepository.ofListRun(mark));
}

/**
 * One chunk of the list: its cases read at once and planned as one by one (`planOf` and every check of the single
 * payment), their pending entries written at once, every case's guarded update (the bounds of `applyPayment`) in
 * one bulk write, then `finishRun`. A case whose update did not take (a payment raced it) goes the single way
 * (`payListedCase`), as every case used to. Taken up again after a crash, this job's own payments of the chunk's
 * cases are answered as made.
 */
async function payChunk(ctx: JobContext, keys: string[], slot: string): Promise<ListPaymentOutcome[]> {
  const input = ctx.job.input as ListPaymentInput;
  const made = ctx.job.attempts > 1 ? await paymentsBeforeTakeUp(ctx) : new Map<string, DisbursementRecord>();
  const records = new Map((await casesRepository.findByIds(keys)).map((r) => [String(r._id), r]));
  const members = new Map(
    input.method === 'bank_transfer'
      ? (
          await membersRepository.findByIds(
            [...records.values()].filter(payeeNeedsMember).map((r) => String(r.memberId)),
          )
        ).map((m) => [String(m._id), m])
      : [],
  );
  const outcomes = new Map<string, ListPaymentOutcome>();
  const planned: Planned[] = [];
  const contextOf = contextsOnce();
  const mark = `${String(ctx.job._id)}:${String(disbursementsRepository.newId())}`;
  for (const caseId of keys) {
    const record = records.get(caseId);
    if (!record) {
      outcomes.set(caseId, { caseId, code: '', memberName: '', outcome: 'failed', problem: NOT_FOUND });
      continue;
    }
    const base = { caseId, code: record.code, memberName: record.memberName };
    const own = made.get(caseId);
    if (own) {
      outcomes.set(
        caseId,
        own.status === 'pending'
          ? { ...base, outcome: 'failed', problem: PROBLEM_INTERRUPTED }
          : { ...base, outcome: 'paid', payment: paymentOf(own) },
      );
      continue;
    }
    const plan = await planOf(record, input, contextOf);
    if ('reason' in plan) {
      outcomes.set(caseId, { ...base, outcome: 'skipped', reason: plan.reason });
      continue;
    }
    try {
      caseInScope(ctx.principal, record);
      const { rules, program } = await contextOf(record);
      const planCase = withPlan(record, rules.tranches);
      const move = placePayment(planCase, plan.payment);
      checkPaidAt(record, plan.payment.paidAt);
      const payee = await payeeOf(
        record,
        payeeNeedsMember(record) ? (members.get(String(record.memberId)) ?? null) : undefined,
      );
      assertPayee(plan.payment, payee);
      const entry = pendingEntry(planCase, move, plan.payment, {
        payee,
        programName: program.name,
        actor: ctx.actor,
        listRun: mark,
        listCase: listCaseOf(ctx, caseId),
      });
      planned.push({ record: planCase, move, entry });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.set(caseId, { ...base, outcome: 'failed', problem: { code: error.code, detail: error.detail } });
    }
  }
  // An instance that lost the job without knowing it may have paid one of these cases the single way since this
  // take-up read the job's payments: the job's key of the case refuses this entry, and its payment is answered.
  const refused = await disbursementsRepository.insertListEntries(planned.map((p) => p.entry));
  if (refused.size) {
    const taken = planned.filter((_, i) => refused.has(i));
    const entries = await disbursementsRepository.byListCases(
      taken.map((p) => listCaseOf(ctx, String(p.entry.caseId))),
    );
    for (const { entry } of taken) {
      const caseId = String(entry.caseId);
      const base = { caseId, code: entry.caseCode, memberName: entry.memberName };
      const own = entries.get(listCaseOf(ctx, caseId));
      outcomes.set(
        caseId,
        own && own.status !== 'pending'
          ? { ...base, outcome: 'paid', payment: paymentOf(own) }
          : { ...base, outcome: 'failed', problem: PROBLEM_INTERRUPTED },
      );
    }
  }
  const written = refused.size ? planned.filter((_, i) => !refused.has(i)) : planned;
  if (written.length) {
    await ctx.pause();
    // This instance lost the job meanwhile: the entries are left to the one that has it now (`recoverRuns`).
    if (ctx.halted() && !ctx.cancelled()) return [];
    const { after } = await applyPaymentsAtOnce(
      written.map(({ record, move, entry }) => ({ record, move, entryId: entry._id })),
      ctx.actor,
    );
    const { paid } = await finishRun(
      ctx,
      mark,
      slot,
      written.map((p) => p.entry),
      after,
    );
    const paidOf = new Map(paid.map((e) => [String(e.caseId), e]));
    const raced: string[] = [];
    for (const { entry } of written) {
      const caseId = String(entry.caseId);
      const payment = paidOf.get(caseId);
      if (payment)
        outcomes.set(caseId, {
          caseId,
          code: entry.caseCode,
          memberName: entry.memberName,
          outcome: 'paid',
          payment: paymentOf(payment),
        });
      else raced.push(caseId);
    }
    if (ctx.halted() && !ctx.cancelled()) return [];
    // Lost to a payment made meanwhile: each goes the single way, which reads the case again.
    await mapLimit(raced, PAY_CONCURRENCY, async (caseId) => outcomes.set(caseId, await payListedCase(ctx, caseId)));
  }
  return keys.map((k) => outcomes.get(k)!);
}

export function registerListPaymentJob(): void {
  registerJobKind({
    kind: LIST_PAYMENT_JOB,
    concurrency: PAY_CONCURRENCY,
    runItem: payListedCase,
    runItems: payChunk,
    recover: recoverRuns,
    chunk: PAY_CHUNK,
    chunksAtOnce: PAY_CHUNKS_AT_ONCE,
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
