import { Types } from 'mongoose';
import { recordAuditsOnce } from '../audit/index.js';
import { casesRepository, emitCaseEvent, fencePayments } from '../cases/index.js';
import type { Logger } from '../core/logger.js';
import { singleWorkKeptMs } from '../core/shared/single-work.js';
import type { Actor } from '../core/scope.js';
import { dropFundMarks, singleMarkId, singleMarksBefore } from '../funds/index.js';
import { disbursementsRepository, type DisbursementRecord } from './disbursements.repository.js';
import {
  answerInterrupted,
  claimInterrupted,
  interruptedPayments,
  releaseInterrupted,
  type InterruptedPayment,
} from './idempotency.js';
import { paymentAnswer, paymentAudit, settleTakenPayment } from './payments.service.js';
import { reversalAudit } from './reversals.service.js';

/** Keys looked at per round. */
const AT_ONCE = 100;

export interface FinishRound {
  /** Payments and reversals their case had taken, settled here: fund, ledger, totals and audit. */
  paid: number;
  /** Payments and reversals their case never took: the pending entry is gone and the key is free again. */
  discarded: number;
  /** Payments and reversals settled before the cut, whose key now answers (or goes, for a reversal). */
  answered: number;
}

/**
 * A single payment (`POST /cases/:id/disbursements`, and a list payment's case paid the single way) writes its
 * pending entry, has its case take it, moves its fund, settles the entry, counts its totals and audits it, then stores
 * its answer under its Idempotency-Key. A crash of the instance (or an unexpected error) between those writes leaves
 * the key `in_progress` with the rest undone, and the accountant's retry answered 409. Every instance, every
 * `PAYMENT_FINISH_EVERY_MS`, finishes the payments whose key has been working longer than `olderThanMs` (no request
 * takes that long), one round at a time for each payment (a lease of `olderThanMs` on its key, so that the rounds'
 * counts say what each did), each write once whoever else finishes the same payment (its request, if it only stalled):
 * - the case is fenced first (a new revision unless its history holds the entry: an update still on its way can no
 *   longer take), so that its history tells for good whether the payment took;
 * - taken: the fund's paid total and ledger entry move once (the fund's mark of the payment, the ledger entry under
 *   the payment's id), the entry is settled, and its report totals are counted once under the entry (whether the
 *   request or a round tells them, also when the request settled the entry and was cut off before it counted them);
 * - not taken: the pending entry goes and the key is freed: nothing was paid, and the same retry pays;
 * - either way the audit entry is written unless the log has it, and the key gets the answer the request would have
 *   given, so that a retry with it gets the payment.
 *
 * A reversal (`POST /disbursements/:id/reverse`) is tracked the same way under a key of its own while it runs
 * (`trackReversal`) and finished alike; one its case never took also gives its payment back its `paid` status, and
 * its key goes once it is finished.
 */
export async function finishInterruptedPayments(
  olderThanMs: number,
  logger: Logger,
  marksKeptMs: number = singleWorkKeptMs(olderThanMs),
): Promise<FinishRound> {
  const round: FinishRound = { paid: 0, discarded: 0, answered: 0 };
  for (const key of await interruptedPayments(new Date(Date.now() - olderThanMs), AT_ONCE)) {
    try {
      if (!(await claimInterrupted(key._id, olderThanMs))) continue;
      round[await finishPayment(key)] += 1;
    } catch (error) {
      logger.error({ err: error, entryId: String(key.entryId) }, 'finishing an interrupted payment failed');
    }
  }
  if (round.paid || round.discarded || round.answered)
    logger.warn(round, 'single payments or reversals cut off by a crash or an error were finished');
  await dropEndedPaymentMarks(marksKeptMs);
  return round;
}

/**
 * The marks of single payments and reversals (`pay:<entry>`, which keep a fund's paid total from moving twice) made
 * more than `keptMs` ago (`singleWorkKeptMs`) leave their funds, unless their entry is still pending (a round has yet
 * to settle it). Answers how many went.
 */
export async function dropEndedPaymentMarks(keptMs: number): Promise<number> {
  const cutoff = Types.ObjectId.createFromTime(Math.floor((Date.now() - keptMs) / 1000)).toHexString();
  const funds = await singleMarksBefore('paidRuns', cutoff);
  const entryOf = (mark: string) => singleMarkId('paidRuns', mark);
  const ids = [...new Set(funds.flatMap((f) => f.marks.map(entryOf)))];
  const pending = await disbursementsRepository.pendingIds(ids.map((id) => new Types.ObjectId(id)));
  let dropped = 0;
  for (const { id, marks } of funds) {
    const gone = marks.filter((m) => !pending.has(entryOf(m)));
    if (gone.length) await dropFundMarks(id, 'paidRuns', gone);
    dropped += gone.length;
  }
  return dropped;
}

async function finishPayment(key: InterruptedPayment): Promise<keyof FinishRound> {
  const entry = await disbursementsRepository.findById(String(key.entryId));
  if (!entry) {
    // Cut off before its entry was written: nothing was paid.
    await releaseInterrupted(key._id);
    return 'discarded';
  }
  const reversal = entry.kind === 'reversal';
  // The accountant who recorded it stays its author in the fund's ledger and the audit log.
  const actor: Actor = {
    userId: entry.createdBy?.id ?? '',
    name: entry.createdBy?.name ?? 'Hệ thống',
    requestId: 'payment-finish',
  };
  const wasPending = entry.status === 'pending';
  if (wasPending) await fencePayments([{ caseId: key.caseId, entryId: entry._id }]);
  const after = await casesRepository.findById(key.caseId);
  if (wasPending && !after?.history.some((h) => String(h.entryId) === String(entry._id))) {
    // A reversal may have flipped its payment already: the payment stands again.
    if (reversal && entry.reverses) await disbursementsRepository.unmarkReversed(String(entry.reverses), entry._id);
    await disbursementsRepository.discardPending(entry._id);
    await releaseInterrupted(key._id);
    return 'discarded';
  }
  if (wasPending) await settleTakenPayment(entry, actor);
  // The report totals, counted once under the entry whoever tells them: the request may have counted them before it
  // was cut off, or may go on after a stall and tell them again.
  if (after)
    await emitCaseEvent('payment.finished', { entry: { ...entry, status: reversal ? 'reversal' : 'paid' }, after });
  await recordAuditsOnce([reversal ? reversalAudit(entry, actor) : paymentAudit(entry, actor)], {
    chunk: String(entry._id),
    lookFirst: true,
  });
  if (reversal) await releaseInterrupted(key._id);
  else {
    const stored: DisbursementRecord | null = await disbursementsRepository.findById(String(entry._id));
    if (stored) await answerInterrupted(key._id, paymentAnswer(stored));
  }
  return wasPending ? 'paid' : 'answered';
}
