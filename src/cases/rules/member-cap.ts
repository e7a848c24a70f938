import type { Types } from 'mongoose';
import { ConflictError } from '../../core/errors.js';
import { isDuplicateKeyError, onlyDuplicateKeys } from '../../core/db/mongo-errors.js';
import { leanDocuments } from '../../core/db/lean-insert.js';
import { bulkUpdateStored } from '../../core/db/stored-bulk.js';
import { SCAN_BATCH } from '../../core/db/paging.js';
import { formatVndWithUnit } from '../../core/money.js';
import { vnDay } from '../../core/shared/dates.js';
import { DECIDED_STATUSES, isDecided } from '../../core/shared/money-moves.js';
import type { ProgramRules } from '../../programs/index.js';
import { Case, MemberBenefits } from '../cases.model.js';
import type { CaseRecord } from '../cases.repository.js';
import type { BenefitEntry, MemberBenefitsRecord } from './ledger.js';
import { RuleError, type CheckContext, type Rule } from './rule.js';

export type { BenefitEntry, MemberBenefitsRecord } from './ledger.js';

/**
 * A province may cap the total a member receives from one program over a number of years
 * (`maxAmountPerMember: {amount, years}` in its program rules). Counted: the approved amount of every approval of
 * the member under the program that stands (not revoked), dated after the same day `years` years before the day of
 * the step. Checked at submission (with the requested amount) and at approval (with the approved amount), where the
 * amount is also taken on the member's ledger (`member_benefits`) by compare-and-set, so that racing approvals on
 * any number of instances never take more than the cap together; a revocation gives it back.
 */
export interface MemberCap {
  amount: number;
  years: number;
}

/** An entry whose case never recorded its approval (the step was interrupted) is ignored after this long. */
const ORPHAN_AFTER_MS = 5 * 60_000;
const ATTEMPTS = 8;

export function benefitsKey(programCode: string, memberId: unknown): string {
  return `${programCode}:${String(memberId)}`;
}

export function capOfRules(rules: ProgramRules): MemberCap | null {
  return rules.maxAmountPerMember ?? null;
}

export async function loadMemberBenefits(programCode: string, memberId: unknown): Promise<MemberBenefitsRecord | null> {
  return MemberBenefits.findById(benefitsKey(programCode, memberId)).lean<MemberBenefitsRecord>();
}

/** Entries dated after the same day `years` years before `day` count (ISO days compare as strings). */
function counts(entry: BenefitEntry, cap: MemberCap, day: string): boolean {
  const start = `${Number(day.slice(0, 4)) - cap.years}${day.slice(4)}`;
  return entry.day > start;
}

/** The other entries that count towards the cap on `day`. */
function countedOthers(entries: readonly BenefitEntry[], cap: MemberCap, day: string, caseId: unknown): BenefitEntry[] {
  return entries.filter((e) => String(e.caseId) !== String(caseId) && counts(e, cap, day));
}

const sum = (entries: readonly BenefitEntry[]) => entries.reduce((total, e) => total + e.amount, 0);

/**
 * The entries of cases whose approval stands, or that may still be recording it: an entry is taken before its case
 * changes, and one whose case is not approved after a while was left by an interrupted step.
 */
async function withoutOrphans(entries: readonly BenefitEntry[]): Promise<BenefitEntry[]> {
  if (!entries.length) return [];
  const cases = await Case.find({ _id: { $in: entries.map((e) => e.caseId) } }, { status: 1 }).lean<
    { _id: Types.ObjectId; status: string }[]
  >();
  const status = new Map(cases.map((c) => [String(c._id), c.status]));
  const recent = (e: BenefitEntry) => Date.now() - new Date(e.at).getTime() < ORPHAN_AFTER_MS;
  return entries.filter((e) => isDecided(status.get(String(e.caseId)) ?? '') || recent(e));
}

/** What the member received and what is left, in the words of the refusal (the API's 422 and the import's rows). */
export function capExceededText(
  programName: string,
  cap: MemberCap,
  got: { received: number; caseCodes: readonly string[] },
  amount: number,
  what: string,
): string {
  const left = Math.max(0, cap.amount - got.received);
  return (
    `Đoàn viên đã nhận ${formatVndWithUnit(got.received)} từ ${programName} trong ${cap.years} năm gần đây` +
    `${got.caseCodes.length ? ` (hồ sơ ${got.caseCodes.join(', ')})` : ''}; mức tối đa cho mỗi đoàn viên là ` +
    `${formatVndWithUnit(cap.amount)} nên ${what.toLowerCase()} ${formatVndWithUnit(amount)} vượt mức, chỉ còn được ` +
    `tối đa ${formatVndWithUnit(left)}.`
  );
}

function capExceeded(
  ctx: Pick<CheckContext, 'program'>,
  cap: MemberCap,
  counted: readonly BenefitEntry[],
  amount: number,
  what: string,
): RuleError {
  const got = { received: sum(counted), caseCodes: counted.map((e) => e.caseCode) };
  return new RuleError('AMOUNT_EXCEEDS_CAP', capExceededText(ctx.program.name, cap, got, amount, what), {
    cap: cap.amount,
    capYears: cap.years,
    received: got.received,
    receivedCases: got.caseCodes,
    remaining: Math.max(0, cap.amount - got.received),
  });
}

/**
 * The other entries of the ledger that stand, once this step's amount is known to fit: throws the refusal when,
 * with everything counted in the window (entries left by an interrupted step dropped), it does not.
 */
async function othersWithin(
  ctx: CheckContext,
  cap: MemberCap,
  entries: readonly BenefitEntry[],
): Promise<BenefitEntry[]> {
  const { amount, day, what } = stepAmount(ctx);
  const others = entries.filter((e) => String(e.caseId) !== String(ctx.record._id));
  if (sum(countedOthers(others, cap, day, ctx.record._id)) + amount <= cap.amount) return others;
  const standing = await withoutOrphans(others);
  const counted = countedOthers(standing, cap, day, ctx.record._id);
  if (sum(counted) + amount > cap.amount) throw capExceeded(ctx, cap, counted, amount, what);
  return standing;
}

/** The amount a step asks for and the day it counts on: the approval's decision date, else today. */
function stepAmount(ctx: CheckContext): { amount: number; day: string; what: string } {
  if (ctx.transition.action === 'approve') {
    const day = (ctx.body.decisionDate as string | undefined) ?? vnDay();
    return { amount: Number(ctx.body.approvedAmount), day, what: 'Số tiền phê duyệt' };
  }
  return { amount: ctx.record.requestedAmount, day: vnDay(), what: 'Số tiền đề nghị' };
}

/** The rule: what the member received within the window plus this step's amount stays within the cap. */
export const memberCap: Rule = {
  needs: ['memberBenefits'],
  async check(ctx) {
    const cap = capOfRules(ctx.rules);
    if (cap) await othersWithin(ctx, cap, ctx.benefits?.entries ?? []);
  },
};

export interface TakenBenefit {
  giveBack(): Promise<void>;
}

/**
 * At approval: the approved amount is written on the member's ledger if, with everything counted there, it stays
 * within the cap; one compare-and-set on the ledger's `version`, retried when another step wrote in between. Kept
 * for every program (a cap set later counts what was approved before); checked only where a cap is set.
 */
export async function takeMemberBenefit(ctx: CheckContext): Promise<TakenBenefit> {
  const { record } = ctx;
  const cap = capOfRules(ctx.rules);
  const { amount, day } = stepAmount(ctx);
  // A single approval's run stamps the entry with its own time, so that the run's entry alone can be taken back.
  const entry: BenefitEntry = { caseId: record._id, caseCode: record.code, amount, day, at: ctx.at ?? new Date() };
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const ledger =
      attempt === 0 && ctx.benefits !== undefined
        ? ctx.benefits
        : await loadMemberBenefits(record.programCode, record.memberId);
    const others = cap
      ? await othersWithin(ctx, cap, ledger?.entries ?? [])
      : (ledger?.entries ?? []).filter((e) => String(e.caseId) !== String(record._id));
    if (await writeLedger(record, ledger, [...others, entry]))
      return { giveBack: () => releaseMemberBenefitOf(record, entry.at) };
  }
  throw new ConflictError('CONFLICT', 'Đoàn viên đang có phê duyệt khác được xử lý cùng lúc; vui lòng thử lại.');
}

/**
 * Writes the member's ledger if it is still as it was read (`version`), or creates it if it was absent; false when
 * another step wrote or created it in between (the caller reads it again).
 */
async function writeLedger(
  record: Pick<CaseRecord, 'programCode' | 'memberId'>,
  ledger: MemberBenefitsRecord | null,
  entries: BenefitEntry[],
): Promise<boolean> {
  const _id = benefitsKey(record.programCode, record.memberId);
  if (ledger) {
    const written = await MemberBenefits.updateOne(
      { _id, version: ledger.version },
      { $set: { entries, version: ledger.version + 1 } },
    );
    return written.matchedCount === 1;
  }
  try {
    await MemberBenefits.create({
      _id,
      memberId: record.memberId,
      programCode: record.programCode,
      version: 1,
      entries,
    });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** A revocation, or an approval that did not stand, gives the case's amount back. */
export async function releaseMemberBenefit(
  record: Pick<CaseRecord, '_id' | 'programCode' | 'memberId'>,
): Promise<void> {
  await MemberBenefits.updateOne(
    { _id: benefitsKey(record.programCode, record.memberId) },
    { $pull: { entries: { caseId: record._id } }, $inc: { version: 1 } },
  );
}

/**
 * An approval that did not stand (its update lost a race, or a crash came between and the round of
 * cases/interrupted-steps.ts found it): its own entry (the case's, stamped `at`) goes, and no other (an approval of the
 * same case that stood meanwhile has an entry of its own time).
 */
export async function releaseMemberBenefitOf(
  record: Pick<CaseRecord, '_id' | 'programCode' | 'memberId'>,
  at: Date,
): Promise<void> {
  await MemberBenefits.updateOne(
    { _id: benefitsKey(record.programCode, record.memberId), entries: { $elemMatch: { caseId: record._id, at } } },
    { $pull: { entries: { caseId: record._id, at } }, $inc: { version: 1 } },
  );
}

/**
 * For screening an imported list: what each member has received from the program within the window ending today,
 * read in one query. Orphans are not looked for here; the approval checks again.
 */
export async function receivedByMembers(
  programCode: string,
  memberIds: readonly unknown[],
  cap: MemberCap,
): Promise<Map<string, { received: number; caseCodes: string[] }>> {
  if (!memberIds.length) return new Map();
  const ledgers = await MemberBenefits.find({
    _id: { $in: [...new Set(memberIds.map((id) => benefitsKey(programCode, id)))] },
  }).lean<MemberBenefitsRecord[]>();
  const today = vnDay();
  return new Map(
    ledgers.map((ledger) => {
      const counted = ledger.entries.filter((e) => counts(e, cap, today));
      return [String(ledger.memberId), { received: sum(counted), caseCodes: counted.map((e) => e.caseCode) }];
    }),
  );
}

/**
 * Backfill for databases written before the ledger existed: every approval that stands gets its entry. Idempotent
 * (an entry is added only for a case the ledger lacks) and resumable; a step racing it is met by the `version` check.
 */
export async function backfillMemberBenefits(): Promise<void> {
  const cursor = Case.find(
    { status: { $in: [...DECIDED_STATUSES] } },
    { _id: 1, code: 1, memberId: 1, programCode: 1, approvedAmount: 1, approvedDay: 1, approvedAt: 1 },
  )
    .lean<CaseRecord[]>()
    .cursor({ batchSize: SCAN_BATCH });
  for await (const record of cursor) {
    const entry: BenefitEntry = {
      caseId: record._id,
      caseCode: record.code,
      amount: record.approvedAmount ?? 0,
      day: record.approvedDay ?? vnDay(record.approvedAt ?? new Date()),
      at: new Date(),
    };
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const ledger = await loadMemberBenefits(record.programCode, record.memberId);
      if (ledger?.entries.some((e) => String(e.caseId) === String(record._id))) break;
      if (await writeLedger(record, ledger, [...(ledger?.entries ?? []), entry])) break;
    }
  }
}

/**
 * A list approval's cases of programs without a cap, written on their members' ledgers at once after their
 * approvals stood (what `takeMemberBenefit` writes for each: the case's entry, replacing any it had): the ledgers
 * read in one query, every change a compare-and-set on `version` in one bulk write, missing ledgers inserted in one,
 * and the ledgers read again unless every change took; what another step changed in between is tried again.
 * Idempotent: a case whose entry is there already is left as it is.
 */
export async function recordBenefitsAtOnce(
  approvals: readonly { record: Pick<CaseRecord, '_id' | 'code' | 'programCode' | 'memberId'>; entry: BenefitEntry }[],
): Promise<void> {
  let left = [...approvals];
  const same = (a: BenefitEntry, b: BenefitEntry) =>
    String(a.caseId) === String(b.caseId) && a.amount === b.amount && a.day === b.day && +a.at === +b.at;
  const keyOf = (a: (typeof left)[number]) => benefitsKey(a.record.programCode, a.record.memberId);
  for (let attempt = 0; ; attempt += 1) {
    const ledgers = new Map(
      (await MemberBenefits.find({ _id: { $in: [...new Set(left.map(keyOf))] } }).lean<MemberBenefitsRecord[]>()).map(
        (l) => [l._id, l],
      ),
    );
    left = left.filter((a) => !ledgers.get(keyOf(a))?.entries.some((e) => same(e, a.entry)));
    if (!left.length) return;
    if (attempt === ATTEMPTS)
      throw new ConflictError('CONFLICT', 'Đoàn viên đang có phê duyệt khác được xử lý cùng lúc; vui lòng thử lại.');
    // One change per ledger in a round (two cases of one member: the second goes in the next round).
    const round = new Map<string, (typeof left)[number]>();
    for (const a of left) if (!round.has(keyOf(a))) round.set(keyOf(a), a);
    const updates = [...round].filter(([key]) => ledgers.has(key));
    const inserts = [...round].filter(([key]) => !ledgers.has(key));
    let took = 0;
    if (updates.length)
      ({ matched: took } = await bulkUpdateStored(
        MemberBenefits,
        updates.map(([_id, { record, entry }]) => {
          const ledger = ledgers.get(_id)!;
          const others = ledger.entries.filter((e) => String(e.caseId) !== String(record._id));
          return {
            filter: { _id, version: ledger.version },
            update: { $set: { entries: [...others, entry], version: ledger.version + 1 } },
          };
        }),
      ));
    let refused = false;
    if (inserts.length)
      await MemberBenefits.insertMany(
        await leanDocuments(
          MemberBenefits,
          inserts.map(([_id, { record, entry }]) => ({
            _id,
            memberId: record.memberId,
            programCode: record.programCode,
            version: 1,
            entries: [entry],
          })),
        ),
        { ordered: false, lean: true },
      ).catch((error: unknown) => {
        if (!onlyDuplicateKeys(error)) throw error;
        refused = true;
      });
    // Every change of the round took (each update matched its version, no insert was refused) and none was left for
    // a later round: every entry is in, without reading the ledgers again.
    if (took === updates.length && !refused && round.size === left.length) return;
  }
}
