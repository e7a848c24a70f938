import { recordAuditsOnce } from '../audit/index.js';
import { applyReversal, casesRepository, emitCaseEvent, type CaseMovement, type CaseRecord } from '../cases/index.js';
import { vnDay } from '../core/shared/dates.js';
import { stepPause } from '../core/shared/step-pause.js';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { Actor, Principal } from '../core/scope.js';
import { disbursementsRepository, type DisbursementRecord } from './disbursements.repository.js';
import { getDisbursementInScope } from './disbursements.service.js';
import { releaseInterrupted, reversalKeyOf, trackReversal } from './idempotency.js';
import { fencedOff, isFenced, settleTakenPayment } from './payments.service.js';

const ATTEMPTS = 5;

function assertReversible(record: CaseRecord | null): asserts record is CaseRecord {
  if (!record) throw new NotFoundError('hồ sơ');
  if (!['partially_disbursed', 'disbursed'].includes(record.status)) {
    throw new ConflictError(
      'INVALID_TRANSITION',
      `Không thể hủy khoản chi của hồ sơ đang ở trạng thái "${record.status}".`,
      { caseStatus: record.status },
    );
  }
}

function movementOf(record: CaseRecord, payment: DisbursementRecord): CaseMovement {
  const allocationIndex = record.fundAllocations.findIndex((a) => String(a.fundId) === String(payment.fundId));
  return {
    trancheIndex: payment.trancheNo - 1,
    allocationIndex,
    amount: payment.amount,
    note: `Hủy phiếu chi ${payment.voucherNo}`,
  };
}

/** The audit entry of a reversal: on the payment it reverses. */
export function reversalAudit(
  reversal: Pick<DisbursementRecord, '_id' | 'reverses' | 'orgPath' | 'caseCode' | 'amount' | 'reason'>,
  actor: Actor,
) {
  return {
    action: 'disbursement.reverse',
    entity: 'disbursement',
    entityId: String(reversal.reverses),
    actor,
    orgPath: reversal.orgPath,
    details: {
      reversalId: String(reversal._id),
      caseCode: reversal.caseCode,
      amount: -reversal.amount,
      reason: reversal.reason,
    },
  };
}

/**
 * A wrong payment is never edited or deleted (SPEC §7): a reversal entry of the opposite sign is recorded
 * and the case, the fund and its ledger follow. Another accountant than the payer must do it (four eyes).
 * The payment's status flips once, by a conditional update, so two reversals racing cannot both count; if
 * the case then refuses (it was closed meanwhile), the flip is undone and nothing else has moved. The reversal is
 * tracked while it runs (`trackReversal`), and one cut off by a crash is finished by the service
 * (interrupted-payments.ts), as a payment is.
 */
export async function reverseDisbursement(
  principal: Principal,
  actor: Actor,
  id: string,
  input: { reason: string; voucherNo?: string },
): Promise<{ payment: DisbursementRecord; reversal: DisbursementRecord }> {
  const payment = await getDisbursementInScope(principal, id);
  if (payment.kind !== 'payment')
    throw new ConflictError(
      'INVALID_TRANSITION',
      'Bút toán hủy không thể bị hủy lại; hãy ghi một khoản chi mới nếu cần.',
    );
  if (payment.status !== 'paid')
    throw new ConflictError('INVALID_TRANSITION', 'Khoản chi này đã được hủy trước đó.', {
      disbursementStatus: payment.status,
    });
  if (payment.createdBy?.id === principal.userId) {
    throw new ConflictError(
      'SEPARATION_OF_DUTIES',
      'Người đã ghi khoản chi không được tự hủy khoản chi đó; cần một kế toán khác.',
    );
  }
  let record = await casesRepository.findById(String(payment.caseId));
  assertReversible(record);

  const today = vnDay();
  const reversalId = disbursementsRepository.newId();
  await trackReversal(principal.userId, String(payment.caseId), reversalId);
  const reversal = await disbursementsRepository.insert({
    _id: reversalId,
    kind: 'reversal',
    status: 'pending',
    caseId: payment.caseId,
    caseCode: payment.caseCode,
    programCode: payment.programCode,
    memberId: payment.memberId,
    memberName: payment.memberName,
    orgId: payment.orgId,
    orgPath: payment.orgPath,
    fundId: payment.fundId,
    fundCode: payment.fundCode,
    trancheNo: payment.trancheNo,
    trancheLabel: payment.trancheLabel,
    amount: -payment.amount,
    method: payment.method,
    paidAt: today,
    paidMonth: today.slice(0, 7),
    subtype: payment.subtype ?? null,
    campaignId: payment.campaignId ?? null,
    voucherNo: input.voucherNo ?? payment.voucherNo,
    note: input.reason,
    transferNote: payment.transferNote,
    payee: payment.payee ?? null,
    reverses: payment._id,
    reason: input.reason,
    createdBy: { id: actor.userId, name: actor.name },
  });
  const by = { id: actor.userId, name: actor.name };
  if (
    !(await disbursementsRepository.markReversed(id, { id: reversal._id, reason: input.reason, by, at: new Date() }))
  ) {
    await disbursementsRepository.discardPending(reversal._id);
    await releaseInterrupted(reversalKeyOf(reversal._id));
    throw new ConflictError('INVALID_TRANSITION', 'Khoản chi này đã được hủy trước đó.');
  }
  await stepPause();
  try {
    for (
      let attempt = 1;
      !(await applyReversal(record, movementOf(record, payment), actor, reversal._id));
      attempt += 1
    ) {
      if (attempt >= ATTEMPTS)
        throw new ConflictError('STALE_REVISION', 'Hồ sơ đang được cập nhật đồng thời; vui lòng thử lại.');
      record = await casesRepository.findById(String(payment.caseId));
      if (record && isFenced(record, reversal._id)) throw fencedOff();
      assertReversible(record);
    }
  } catch (error) {
    await disbursementsRepository.unmarkReversed(id, reversal._id);
    await disbursementsRepository.discardPending(reversal._id);
    await releaseInterrupted(reversalKeyOf(reversal._id));
    throw error;
  }
  await stepPause();
  if (await settleTakenPayment(reversal, actor)) {
    await stepPause();
    // Counted once under the entry: a round that finished the reversal may have counted it (reports subscribes).
    await emitCaseEvent('payment.reversed', { entryId: String(reversal._id), before: record });
    // Under an id made of the entry, as the round that finishes a cut-off one writes it: a request that stalled while
    // a round finished it does not audit it twice.
    await recordAuditsOnce([reversalAudit(reversal, actor)], { chunk: String(reversal._id), lookFirst: false });
  }
  // The fund's mark of the reversal stays an hour (interrupted-payments.ts `dropEndedPaymentMarks`).
  await releaseInterrupted(reversalKeyOf(reversal._id));
  return {
    payment: (await disbursementsRepository.findById(id))!,
    reversal: (await disbursementsRepository.findById(String(reversal._id)))!,
  };
}
