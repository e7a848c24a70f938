import { casesRepository, type CaseRecord } from './cases.repository.js';
import { MONEY_MOVES } from './workflow.js';
import type { TrancheRule } from '../programs/index.js';
import type { Types } from 'mongoose';
import type { Actor } from '../core/scope.js';

/**
 * What a payment or a reversal changes on the case, each as one conditional update (SPEC §7): the moves of the
 * workflow table's `MONEY_MOVES` (workflow.ts), which name where they start and where they lead. `cases` owns them:
 * the payment services (disbursements) settle the money and call these, and write nothing into a case themselves.
 * The filter
 * carries every bound, so that of any number of concurrent requests on any number of instances only those
 * that fit are applied:
 *
 * - the paid total stays within the approved amount (`disbursedAmount ≤ approvedAmount − amount`);
 * - a tranche takes at most its own amount, and only once the tranches before it are fully paid;
 * - a fund gives at most what the case's allocation from it has not yet paid.
 *
 * The status moves in the same update: `disbursed` when the payment completes the approved amount (the
 * filter then pins the paid total to exactly `approvedAmount − amount`), `partially_disbursed` otherwise,
 * and back after a reversal. The status read is part of the filter, so the history's `from` is exact.
 */

export type Tranche = CaseRecord['tranches'][number];

/** Each tranche is its percent of the approved amount, rounded down; the last takes the remainder (SPEC §4). */
export function planTranches(rules: readonly TrancheRule[], approvedAmount: number): Tranche[] {
  let planned = 0;
  return rules.map((rule, i) => {
    const last = i === rules.length - 1;
    const amount = last ? approvedAmount - planned : Math.floor((approvedAmount * rule.percent) / 100);
    planned += amount;
    return {
      no: i + 1,
      label: rule.label,
      percent: rule.percent,
      amount,
      paid: 0,
      requiresDocuments: [...(rule.requiresDocuments ?? [])],
    };
  });
}

/** The case as its first payment would see it: with the tranche plan, stored or not yet. */
/** A case as `withPlan` answers it: `planned` when the plan is not stored yet. */
export type PlannedCase = CaseRecord & { planned?: true };

export function withPlan(record: CaseRecord, rules: readonly TrancheRule[]): PlannedCase {
  return record.tranches?.length
    ? record
    : { ...record, tranches: planTranches(rules, record.approvedAmount ?? 0), planned: true };
}

/**
 * The tranche plan is fixed on the case at its first payment, from the province's rules in force then, so
 * that a later change of the rules never changes a split half paid. Racing first payments store one plan.
 */
export async function ensureTranches(record: CaseRecord, rules: readonly TrancheRule[]): Promise<CaseRecord> {
  if (record.tranches?.length) return record;
  await casesRepository.updateIf(
    String(record._id),
    { $or: [{ tranches: { $size: 0 } }, { tranches: { $exists: false } }] },
    { $set: { tranches: planTranches(rules, record.approvedAmount ?? 0) } },
  );
  return (await casesRepository.findById(String(record._id)))!;
}

export interface CaseMovement {
  trancheIndex: number;
  allocationIndex: number;
  amount: number;
  note: string;
}

function historyEntry(action: 'disburse' | 'reverse', from: string, to: string, actor: Actor, note: string) {
  return { action, from, to, by: { id: actor.userId, name: actor.name }, at: new Date(), note };
}

/**
 * The guarded update of a payment: the filter carries every bound, the update moves the totals, the status and
 * the history. A case whose tranche plan is not stored yet gets it in the same update, with the payment in it
 * (the plan `ensureTranches` would store, from `record.tranches` as `withPlan` made them). `entryId`, when given,
 * is kept in the history entry, so that a caller of many updates at once can tell which of them took.
 */
function paymentUpdate(record: PlannedCase, move: CaseMovement, actor: Actor, entryId?: Types.ObjectId) {
  const { to: statusAfter } = MONEY_MOVES.disburse;
  const approved = record.approvedAmount ?? 0;
  const { amount, trancheIndex: ti, allocationIndex: ai } = move;
  const completes = record.disbursedAmount + amount === approved;
  const to = statusAfter(approved, record.disbursedAmount + amount);
  const tranche = record.tranches[ti]!;
  const allocation = record.fundAllocations[ai]!;
  const earlierTranchesPaid = Object.fromEntries(
    record.tranches.slice(0, ti).map((t, j) => [`tranches.${j}.paid`, t.amount]),
  );
  const history = { ...historyEntry('disburse', record.status, to, actor, move.note), ...(entryId ? { entryId } : {}) };
  const bounds = {
    // With the entry's id (every payment now; a list payment's chunk, a single payment): also the revision read, so
    // that a payment left by an instance that lost its job or died can be fenced off (`fencePayments`), for good.
    ...(entryId ? { revision: record.revision, fencedEntries: { $ne: entryId } } : {}),
    status: record.status,
    approvedAmount: approved,
    disbursedAmount: completes ? approved - amount : { $lte: approved - amount - 1 },
    [`fundAllocations.${ai}.fundId`]: allocation.fundId,
    [`fundAllocations.${ai}.paid`]: { $lte: allocation.amount - amount },
  };
  const moved = { disbursedAmount: amount, [`fundAllocations.${ai}.paid`]: amount, revision: 1 };
  // The case as the update leaves it, when it took (the same changes, made to the case as read).
  const after = (updatedAt: Date): CaseRecord => {
    const { planned: _planned, ...stored } = record;
    return {
      ...stored,
      status: to,
      disbursedAmount: record.disbursedAmount + amount,
      fundAllocations: record.fundAllocations.map((a, j) => (j === ai ? { ...a, paid: a.paid + amount } : a)),
      tranches: record.tranches.map((t, j) => (j === ti ? { ...t, paid: t.paid + amount } : t)),
      history: [...record.history, history as CaseRecord['history'][number]],
      revision: record.revision + 1,
      updatedAt,
    };
  };
  if (record.planned) {
    // No plan stored yet: the plan goes in with the payment in its tranche (its earlier tranches are then unpaid,
    // so only a first tranche can be paid this way: placePayment refuses any other).
    const tranches = record.tranches.map((t, j) => (j === ti ? { ...t, paid: t.paid + amount } : t));
    return {
      filter: { ...bounds, $or: [{ tranches: { $size: 0 } }, { tranches: { $exists: false } }] },
      update: { $inc: moved, $set: { status: to, tranches }, $push: { history } },
      after,
    };
  }
  return {
    filter: {
      ...bounds,
      [`tranches.${ti}.no`]: tranche.no,
      [`tranches.${ti}.amount`]: tranche.amount,
      [`tranches.${ti}.paid`]: { $lte: tranche.amount - amount },
      ...earlierTranchesPaid,
    },
    update: {
      $inc: { ...moved, [`tranches.${ti}.paid`]: amount },
      $set: { status: to },
      $push: { history },
    },
    after,
  };
}

/**
 * Records a payment on the case if every bound still holds (its history entry keeps `entryId`, the payment's entry);
 * false when another request got there first.
 */
export async function applyPayment(
  record: CaseRecord,
  move: CaseMovement,
  actor: Actor,
  entryId: Types.ObjectId,
): Promise<boolean> {
  // The status read goes into the filter: it must be one a payment starts from, whatever the caller checked.
  if (!MONEY_MOVES.disburse.from.includes(record.status)) return false;
  const { filter, update } = paymentUpdate(record, move, actor, entryId);
  return casesRepository.updateIf(String(record._id), filter, update);
}

/**
 * Many payments, each on its own case (a chunk of a list payment), each with every bound of `applyPayment`, in one
 * bulk write; `record` may be the case as `withPlan` made it (its plan then goes in with the payment). Answers the
 * cases as they are afterwards and which payments took. When every update matched, all took and the cases are the
 * records with their payments made (each was exactly as read: its filter holds the revision read); otherwise the
 * cases are read again at once, and the payments that took are those whose case's history now holds their entry's id
 * (an update refused by its filter changed nothing).
 */
export async function applyPaymentsAtOnce(
  payments: readonly { record: PlannedCase; move: CaseMovement; entryId: Types.ObjectId }[],
  actor: Actor,
): Promise<{ took: Set<string>; after: Map<string, CaseRecord> }> {
  const payable = payments
    .filter((p) => MONEY_MOVES.disburse.from.includes(p.record.status))
    .map((p) => ({ ...p, ...paymentUpdate(p.record, p.move, actor, p.entryId) }));
  const { matched, updatedAt } = await casesRepository.updateManyIf(
    payable.map(({ record, filter, update }) => ({ id: String(record._id), filter, update })),
  );
  // Every update took (each case was exactly as read before it): the cases are the records with the payments made.
  if (payable.length === payments.length && matched === payments.length) {
    return {
      took: new Set(payable.map((p) => String(p.entryId))),
      after: new Map(payable.map((p) => [String(p.record._id), p.after(updatedAt)])),
    };
  }
  const after = new Map(
    (await casesRepository.findByIds(payments.map((p) => p.record._id))).map((c) => [String(c._id), c]),
  );
  const took = new Set(
    payments
      .filter((p) => after.get(String(p.record._id))?.history.some((h) => String(h.entryId) === String(p.entryId)))
      .map((p) => String(p.entryId)),
  );
  return { took, after };
}

/**
 * For payments and reversals whose outcome is unknown (a list chunk left by an instance that died or lost its job, a
 * single payment or reversal cut off or stalled): each case whose history does not hold the entry gets a new revision
 * and the entry in its `fencedEntries`, so that the update, if it is still on its way, can no longer take, nor can a
 * retry of it that read the case again. Then the history tells for good which took.
 */
export async function fencePayments(payments: readonly { caseId: string; entryId: Types.ObjectId }[]): Promise<void> {
  await casesRepository.updateManyIf(
    payments.map(({ caseId, entryId }) => ({
      id: caseId,
      filter: { 'history.entryId': { $ne: entryId } },
      update: { $inc: { revision: 1 }, $addToSet: { fencedEntries: entryId } },
    })),
  );
}

/**
 * Takes a payment back off the case: the paid total, its tranche and its fund allocation each fall by it; the history
 * entry keeps `entryId`, the reversal's entry.
 */
export async function applyReversal(
  record: CaseRecord,
  move: CaseMovement,
  actor: Actor,
  entryId: Types.ObjectId,
): Promise<boolean> {
  const { from, to: statusAfter } = MONEY_MOVES.reverse;
  if (!from.includes(record.status)) return false;
  const { amount, trancheIndex: ti, allocationIndex: ai } = move;
  const toApproved = record.disbursedAmount === amount;
  const to = statusAfter(record.approvedAmount ?? 0, record.disbursedAmount - amount);
  return casesRepository.updateIf(
    String(record._id),
    {
      // The revision read and the fenced entries: a reversal left by a crash can be fenced off (`fencePayments`).
      revision: record.revision,
      fencedEntries: { $ne: entryId },
      status: record.status,
      disbursedAmount: toApproved ? amount : { $gte: amount + 1 },
      [`tranches.${ti}.paid`]: { $gte: amount },
      [`fundAllocations.${ai}.fundId`]: record.fundAllocations[ai]!.fundId,
      [`fundAllocations.${ai}.paid`]: { $gte: amount },
    },
    {
      $inc: {
        disbursedAmount: -amount,
        [`tranches.${ti}.paid`]: -amount,
        [`fundAllocations.${ai}.paid`]: -amount,
        revision: 1,
      },
      $set: { status: to },
      $push: { history: { ...historyEntry('reverse', record.status, to, actor, move.note), entryId } },
    },
  );
}
