import { createHash } from 'node:crypto';
import mongoose, { type Types } from 'mongoose';
import { ConflictError, ValidationError, type FieldError } from '../core/errors.js';
import { formatVndWithUnit } from '../core/money.js';
import type { Actor } from '../core/scope.js';
import { provinceIdOf } from '../programs/index.js';
import { fundsRepository, type FundRecord, type MarkField, type Movement } from './funds.repository.js';

/**
 * How money moves between funds and cases (SPEC §7). Approval commits, revocation releases, payments and
 * reversals move what was paid. Each movement is one conditional `$inc` on the fund and its ledger entry (a
 * commitment's once its case recorded the approval); with no transactions on either engine, a failed step gives back
 * what the earlier ones took, and marks on the fund keep a step finished again after a crash from moving it twice.
 */

export interface AllocationInput {
  fundId: string;
  amount: number;
}

/** What a case keeps of each fund it draws on; `paid` is moved by payments and reversals. */
export interface StoredAllocation {
  fundId: Types.ObjectId;
  fundCode: string;
  fundName: string;
  amount: number;
  paid: number;
}

export interface CaseRef {
  _id: Types.ObjectId;
  code: string;
  orgPath: readonly unknown[];
}

export interface FundCommitment {
  /** The fields the approving update stores on the case. */
  caseChanges: { fundAllocations: StoredAllocation[] };
  /** Gives back everything this commitment took; used when the case did not record the approval. */
  giveBack(): Promise<void>;
}

/** The allocations must add up to the approved amount and name funds of the case's own province. */
async function fundsFor(
  caseRef: CaseRef,
  allocations: AllocationInput[],
  approvedAmount: number,
): Promise<Map<string, FundRecord>> {
  const funds = new Map(
    (await fundsRepository.findByIds(allocations.map((a) => a.fundId))).map((f) => [String(f._id), f]),
  );
  checkAllocations(caseRef, allocations, approvedAmount, funds);
  return funds;
}

/** `fundsFor`'s checks on funds read beforehand (a list's chunk reads its funds once for all its cases). */
function checkAllocations(
  caseRef: CaseRef,
  allocations: readonly AllocationInput[],
  approvedAmount: number,
  funds: ReadonlyMap<string, FundRecord>,
): void {
  const sum = allocations.reduce((total, a) => total + a.amount, 0);
  if (sum !== approvedAmount) {
    throw new ValidationError(
      [
        {
          path: 'fundAllocations',
          message: `Tổng phân bổ ${formatVndWithUnit(sum)} phải bằng số tiền phê duyệt ${formatVndWithUnit(approvedAmount)}`,
        },
      ],
      'Phân bổ nguồn kinh phí không khớp với số tiền phê duyệt.',
    );
  }
  const provinceId = provinceIdOf(caseRef.orgPath);
  const errors: FieldError[] = [];
  allocations.forEach((a, i) => {
    const fund = funds.get(a.fundId);
    // Another province's fund is answered like a missing one: its existence is not the caller's to learn.
    if (!fund || String(fund.orgId) !== provinceId) {
      errors.push({
        path: `fundAllocations.${i}.fundId`,
        message: 'Nguồn kinh phí không tồn tại hoặc không thuộc LĐLĐ tỉnh của hồ sơ',
      });
    }
  });
  if (errors.length) throw new ValidationError(errors, 'Hồ sơ chỉ được phân bổ vào nguồn kinh phí của tỉnh mình.');
}

/** What the approving update stores on the case of its allocations. */
function storedAllocations(allocations: readonly AllocationInput[], funds: ReadonlyMap<string, FundRecord>) {
  return allocations.map((a) => {
    const fund = funds.get(a.fundId)!;
    return { fundId: fund._id, fundCode: fund.code, fundName: fund.name, amount: a.amount, paid: 0 };
  });
}

/**
 * Commits each allocation before the case records its approval, so that no approved case ever lacks its
 * money: the first fund that cannot cover its part answers INSUFFICIENT_FUNDS and what the others took is
 * given back. Racing approvals on one fund cannot overdraw it (a conditional `$inc` each).
 *
 * Each `$inc` leaves the step's `mark` on its fund (cases/step-runs.ts: a single approval's run), so that a
 * commitment a crash cut off is given back once, and only if it was made (`giveBackCommitment`). The ledger's
 * commitment entries are written once the case has recorded its approval (`enterCommitment`), under ids made of
 * the mark: a commitment given back leaves no entry. A fund where the service has already given the run up (its
 * `<mark>:b`, `giveBackCommitment`: the request stalled for longer than `PAYMENT_FINISH_AFTER_MS` before it got here)
 * refuses it: 409, and nothing is committed.
 */
export async function commitFunds(
  caseRef: CaseRef,
  allocationsInput: unknown,
  approvedAmount: number,
  mark: string,
): Promise<FundCommitment> {
  const allocations = (allocationsInput ?? []) as AllocationInput[];
  const funds = await fundsFor(caseRef, allocations, approvedAmount);
  const provinceId = provinceIdOf(caseRef.orgPath)!;
  const taken = new Map<string, number>();
  const giveBack = () => chunkCommitments.giveBack(taken, mark);
  for (const [i, allocation] of allocations.entries()) {
    const fund = funds.get(allocation.fundId)!;
    if (!(await fundsRepository.takeOnce(allocation.fundId, allocation.amount, `${mark}:c`, provinceId, `${mark}:b`))) {
      await giveBack();
      if (await fundsRepository.hasMark(allocation.fundId, `${mark}:b`))
        throw new ConflictError(
          'STALE_REVISION',
          'Lần phê duyệt này chờ quá lâu nên hệ thống đã hủy; chưa có khoản nào được cam kết. Vui lòng tải lại hồ sơ và thử lại.',
        );
      const now = (await fundsRepository.findById(allocation.fundId)) ?? fund;
      throw new ConflictError(
        'INSUFFICIENT_FUNDS',
        `Nguồn "${fund.code}" chỉ còn ${formatVndWithUnit(now.available)} chưa cam kết, không đủ ${formatVndWithUnit(allocation.amount)} cho hồ sơ ${caseRef.code}.`,
        {
          fundId: allocation.fundId,
          fundCode: fund.code,
          available: now.available,
          requested: allocation.amount,
          errors: [{ path: `fundAllocations.${i}.amount`, message: 'Nguồn không đủ số tiền chưa cam kết' }],
        },
      );
    }
    taken.set(allocation.fundId, allocation.amount);
  }
  return { caseChanges: { fundAllocations: storedAllocations(allocations, funds) }, giveBack };
}

/**
 * The approval of `caseRef` stood under `mark`: each allocation's commitment entry in its fund's ledger, once
 * whoever writes it (the step, or the round that finishes it after a crash).
 */
export async function enterCommitment(
  caseRef: CaseRef & { fundAllocations?: readonly { fundId: unknown; amount: number }[] | null },
  mark: string,
  actor: Actor,
): Promise<void> {
  await chunkCommitments.enter([{ caseRef, allocations: caseRef.fundAllocations ?? [] }], mark, actor);
}

/**
 * A commitment under `mark` whose case never recorded the approval (a crash came between): given back once. Each fund
 * is left `<mark>:b` also where nothing was committed yet, so that the request, if it only stalled before it took the
 * commitment, is refused when it goes on (`commitFunds`) instead of committing money that nothing would give back.
 */
export async function giveBackCommitment(amounts: ReadonlyMap<string, number>, mark: string): Promise<void> {
  await chunkCommitments.giveBack(amounts, mark);
  for (const fundId of amounts.keys()) await fundsRepository.fenceOnce(fundId, `${mark}:b`, `${mark}:c`);
}

/**
 * The marks of single work (a step's run, a payment's entry: `singleMarkId` tells which) in a field of the funds, taken
 * before `cutoff` (an ObjectId's hex), fund by fund.
 */
export async function singleMarksBefore(field: MarkField, cutoff: string): Promise<{ id: string; marks: string[] }[]> {
  return fundsRepository.singleMarksBefore(field, cutoff);
}

/** Marks go from a fund. */
export async function dropFundMarks(fundId: string, field: MarkField, marks: readonly string[]): Promise<void> {
  await fundsRepository.pullMarks(fundId, field, marks);
}

/**
 * Revocation gives every allocation of the case back to its fund (nothing was paid: the workflow checks that), under
 * its run's mark (cases/step-runs.ts), each write once whoever makes it (the revocation, or the round that finishes it
 * after a crash): each fund's release leaves `<mark>:r`, each release entry has an id made of the mark, the case and
 * the fund.
 */
export async function releaseFunds(
  record: CaseRef & { fundAllocations?: readonly { fundId: unknown; amount: number }[] | null },
  actor: Actor,
  mark: string,
): Promise<void> {
  const allocations = record.fundAllocations ?? [];
  for (const a of allocations) await fundsRepository.giveBackOnceFor(String(a.fundId), a.amount, `${mark}:r`);
  const funds = new Map(
    (await fundsRepository.findByIds(allocations.map((a) => String(a.fundId)))).map((f) => [String(f._id), f]),
  );
  for (const a of allocations) {
    const fund = funds.get(String(a.fundId));
    if (!fund) continue;
    await fundsRepository.addEntriesOnce(fund, [
      {
        _id: markedId(`${mark}|release|${String(record._id)}|${String(a.fundId)}`),
        kind: 'release',
        amount: -a.amount,
        effect: { committed: -a.amount },
        caseId: record._id,
        caseCode: record.code,
        note: 'Giải phóng cam kết khi thu hồi phê duyệt',
        actor,
      },
    ]);
  }
}

export interface PaymentRefs {
  caseId: Types.ObjectId;
  caseCode: string;
  disbursementId: Types.ObjectId;
  voucherNo: string;
  note: string;
}

/**
 * Payments (positive) and reversals (negative) on their funds (SPEC §7): a list payment chunk's, or one single
 * payment's or reversal's (its own mark), written to be done once whatever crash comes between:
 * each fund's paid total moves by the chunk's sum in one conditional `$inc` that also leaves the chunk's `mark`
 * (so it is not moved again when the chunk is taken up again), then every payment's ledger entry under the
 * payment's own id (an entry written before is not written again). As for one payment, the bound is on the cases
 * (each took its payment within its allocation of the fund, part of `committed`). `dropPaymentMarks` follows once
 * the chunk's entries are settled.
 */
export async function moveDisbursedAtOnce(
  payments: readonly (PaymentRefs & { fundId: string; amount: number })[],
  mark: string,
  actor: Actor,
): Promise<void> {
  const byFund = new Map<string, (PaymentRefs & { fundId: string; amount: number })[]>();
  for (const p of payments) byFund.set(p.fundId, [...(byFund.get(p.fundId) ?? []), p]);
  const funds = new Map((await fundsRepository.findByIds([...byFund.keys()])).map((f) => [String(f._id), f]));
  for (const [fundId, moves] of byFund) {
    const fund = funds.get(fundId);
    if (!fund) throw new Error(`fund ${fundId} vanished`);
    await fundsRepository.addDisbursedOnce(
      fundId,
      moves.reduce((sum, m) => sum + m.amount, 0),
      mark,
    );
    await fundsRepository.addEntriesOnce(
      fund,
      moves.map(({ fundId: _fund, amount, ...refs }) => ({
        _id: refs.disbursementId,
        kind: amount >= 0 ? ('payment' as const) : ('reversal' as const),
        amount,
        effect: { disbursed: amount },
        ...refs,
        actor,
      })),
    );
  }
}

export async function dropPaymentMarks(fundIds: readonly string[], mark: string): Promise<void> {
  await fundsRepository.dropDisbursedMark(fundIds, mark);
}

/**
 * A list approval's chunk on its funds (SPEC §7), each write done once whatever crash comes between (the chunk's
 * `mark`, kept in the fund's `approveRuns` until the list's job ends):
 * - `commit`: each fund's committed total moves by the chunk's sum in one `$inc` with the single commitment's bound
 *   (`available ≥ sum`, the case's province), before any case records its approval; a fund that has not enough
 *   left answers false (after giving back what the chunk took of the others);
 * - `settle`: once the cases' updates are known, what the cases that did not record their approval had taken is
 *   given back in one `$inc` per fund, and every approval that stood gets its commitment entry in the ledger, under
 *   an id made of the mark, the case and the fund (written once).
 */
export const chunkCommitments = {
  /** The checks of `commitFunds` for one case on funds read once, and what its update stores of its allocations. */
  check(
    caseRef: CaseRef,
    allocationsInput: unknown,
    approvedAmount: number,
    funds: ReadonlyMap<string, FundRecord>,
  ): StoredAllocation[] {
    const allocations = (allocationsInput ?? []) as AllocationInput[];
    checkAllocations(caseRef, allocations, approvedAmount, funds);
    return storedAllocations(allocations, funds);
  },

  async commit(sums: ReadonlyMap<string, number>, mark: string): Promise<boolean> {
    const done: string[] = [];
    for (const [fundId, amount] of sums) {
      if (!(await fundsRepository.takeOnce(fundId, amount, `${mark}:c`))) {
        await chunkCommitments.giveBack(new Map(done.map((id) => [id, sums.get(id)!])), mark);
        return false;
      }
      done.push(fundId);
    }
    return true;
  },

  /** Gives back `amounts` of funds whose chunk commitment `mark` was made, once; a fund without it is left alone. */
  async giveBack(amounts: ReadonlyMap<string, number>, mark: string): Promise<void> {
    for (const [fundId, amount] of amounts) await fundsRepository.giveBackOnce(fundId, amount, mark);
  },

  async enter(
    approvals: readonly { caseRef: CaseRef; allocations: readonly { fundId: unknown; amount: number }[] }[],
    mark: string,
    actor: Actor,
  ): Promise<void> {
    const byFund = new Map<string, (Movement & { _id: Types.ObjectId })[]>();
    for (const { caseRef, allocations } of approvals)
      for (const a of allocations) {
        const fundId = String(a.fundId);
        byFund.set(fundId, [
          ...(byFund.get(fundId) ?? []),
          {
            _id: markedId(`${mark}|${String(caseRef._id)}|${fundId}`),
            kind: 'commitment',
            amount: a.amount,
            effect: { committed: a.amount },
            caseId: caseRef._id,
            caseCode: caseRef.code,
            note: 'Cam kết khi phê duyệt hồ sơ',
            actor,
          },
        ]);
      }
    const funds = await fundsRepository.findByIds([...byFund.keys()]);
    for (const fund of funds) await fundsRepository.addEntriesOnce(fund, byFund.get(String(fund._id))!);
  },

  /** The list's job ended: its chunks' marks are no longer needed. */
  async dropMarks(fundIds: readonly string[], prefix: string): Promise<void> {
    await fundsRepository.dropApproveMarks(fundIds, prefix);
  },
};

/** An id made of a text (the same text, the same id): a ledger entry written under it is written once. */
function markedId(text: string): Types.ObjectId {
  return new mongoose.Types.ObjectId(createHash('sha256').update(text).digest().subarray(0, 12));
}
