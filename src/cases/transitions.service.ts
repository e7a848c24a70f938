import { recordAudit } from '../audit/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import { vnDay } from '../core/shared/dates.js';
import { hasRole, type Actor, type Principal } from '../core/scope.js';
import { searchKey } from '../core/search-text.js';
import { stepPause } from '../core/shared/step-pause.js';
import { membersRepository, type MemberRecord } from '../members/index.js';
import { directUpperUnionOf } from '../orgs/index.js';
import type { ProgramRules } from '../programs/index.js';
import { caseInScope, getCaseInScope, programContextOf, type ProgramContext } from './case-context.js';
import { CHECKS, type CheckContext } from './checks.js';
import { giveBackAll, takeReservations, type Taken } from './reservations.js';
import { capOfRules, loadMemberBenefits } from './rules/member-cap.js';
import { casesRepository, type CaseRecord } from './cases.repository.js';
import { followRun, movesMoney, stepRuns } from './step-runs.js';
import {
  CALLER_CHECKS,
  TRANSITIONS,
  transitionOf,
  type CaseAction,
  type CheckName,
  type Transition,
} from './workflow.js';

/**
 * Whether the caller holds a role the transition needs, as the case's organisation lets it act (SPEC §2, §5):
 * a verifier acts only on the cases of the grassroots unions whose direct upper union is the verifier's own
 * organisation, however deep the tree; every other role acts on its whole subtree (scope is checked on reading).
 */
function actsInRole(principal: Principal, t: Transition, verifierOrgId: string | null): boolean {
  return t.roles.some((role) => hasRole(principal, role) && (role !== 'verifier' || verifierOrgId === principal.orgId));
}

/** Whether the transition's roles can be decided without knowing who verifies the case. */
const needsVerifierOrg = (principal: Principal, t: Transition) =>
  t.roles.includes('verifier') &&
  hasRole(principal, 'verifier') &&
  !t.roles.some((role) => role !== 'verifier' && hasRole(principal, role));

/**
 * The actions the caller may take on the case now (SPEC §12): status, role (a verifier only as the case's direct
 * upper union) and the checks that depend only on the case and the caller (four eyes, nothing paid, verification
 * done). Scope was checked on reading.
 */
export function allowedActions(
  principal: Principal,
  record: CaseRecord,
  rules: ProgramRules,
  verifierOrgId: string | null,
): CaseAction[] {
  return TRANSITIONS.filter((t) => {
    if (!t.from.includes(record.status) || !actsInRole(principal, t, verifierOrgId)) return false;
    const ctx = { record, rules, principal, body: {}, transition: t } as unknown as CheckContext;
    return CALLER_CHECKS.every((name) => !t.checks.includes(name) || passes(name, ctx));
  }).map((t) => t.action);
}

/**
 * Whether the case stands at the step `action` starts from, whoever asks: its status, and for an approval
 * the verification its program requires. A list action leaves the cases that do not as they are (skipped).
 */
export function standsAtStep(action: CaseAction, record: CaseRecord, rules: ProgramRules): boolean {
  const t = transitionOf(action);
  const ctx = { record, rules } as unknown as CheckContext;
  return t.from.includes(record.status) && (!t.checks.includes('verificationDone') || passes('verificationDone', ctx));
}

/** A check that needs only the case and the caller, asked without side effects. */
function passes(name: CheckName, ctx: CheckContext): boolean {
  try {
    // CALLER_CHECKS are synchronous rules of the case and the caller (checks.ts); nothing is awaited here.
    void CHECKS[name].check(ctx);
    return true;
  } catch {
    return false;
  }
}

function snapshotOf(member: MemberRecord) {
  return {
    fullName: member.fullName,
    dateOfBirth: member.dateOfBirth,
    gender: member.gender,
    citizenId: member.citizenId,
    unionCardNo: member.unionCardNo ?? undefined,
    joinedUnionAt: member.joinedUnionAt,
    phone: member.phone,
    address: member.address,
    bankAccount: member.bankAccount ?? null,
    orgId: String(member.orgId),
    takenAt: new Date(),
  };
}

/** The fields each action sets besides status and history. */
function changesFor(t: Transition, ctx: CheckContext): Record<string, unknown> {
  const by = { id: ctx.principal.userId, name: ctx.principal.fullName };
  // The step's time (its run's, when it has one): the history entry carries the same.
  const now = ctx.at ?? new Date();
  switch (t.action) {
    case 'submit':
      // The list's search fields follow the name and CCCD of the snapshot, as memberName does.
      return {
        memberSnapshot: snapshotOf(ctx.member!),
        memberName: ctx.member!.fullName,
        memberSearchName: searchKey(ctx.member!.fullName),
        memberCitizenId: ctx.member!.citizenId,
        submittedAt: now,
        // Reports count a case as received once, on its first submission (a resubmission is not a new case).
        ...(ctx.record.status === 'draft' ? { submittedDay: vnDay(now) } : {}),
        reportSubtype: ctx.record.subtype,
      };
    case 'verify':
      return { recommendedAmount: ctx.body.recommendedAmount, verifiedBy: by, verifiedAt: now };
    case 'approve':
      // Reports bucket approvals by the decision date, as the decision itself is dated.
      return {
        approvedAmount: ctx.body.approvedAmount,
        approvedBy: by,
        approvedAt: now,
        approvedDay: (ctx.body.decisionDate as string | undefined) ?? vnDay(now),
      };
    default:
      return t.releases?.includes('duplicateClaim') ? { claimKey: null } : {};
  }
}

function historyNote(body: Record<string, unknown>): string {
  return [body.reason, body.note, body.amountReason && `Lý do điều chỉnh số tiền: ${String(body.amountReason)}`]
    .filter((part) => typeof part === 'string' && part.length > 0)
    .join(' — ');
}

/** Why a guarded update found nothing to change: someone moved the revision, or the status. */
async function explainLostRace(id: string, revision: number): Promise<never> {
  const now = await casesRepository.findById(id);
  if (!now) throw new NotFoundError('hồ sơ');
  if (now.revision !== revision) {
    throw new ConflictError(
      'STALE_REVISION',
      'Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại để xem phiên bản mới nhất.',
    );
  }
  throw new ConflictError('INVALID_TRANSITION', 'Thao tác không còn hợp lệ với trạng thái hiện tại của hồ sơ.');
}

export interface ActionOptions {
  /**
   * How the case's program, province rules and campaign are read; a list acting on many cases reads them once
   * for all (batches/actions.service.ts). Default: read for this case.
   */
  programContext?: (record: CaseRecord) => Promise<ProgramContext>;
  /** Who verifies the cases of a grassroots union (orgs' `directUpperUnionOf`); a list asks once for its union. */
  directUpperUnion?: (orgId: string) => Promise<string | null>;
  /**
   * For `approve`: `'single'` (default) issues the case's own decision once the approval stands; `'batch'` when
   * a list approves many cases and then issues one decision for all of them (decisions' `issueBatchDecision`).
   */
  decision?: 'single' | 'batch';
  /**
   * The case as the caller has just read it (a list reads its cases in one query), so the step does not read it
   * again; its scope is checked all the same, and a case that moved since fails on its revision as it would.
   */
  record?: CaseRecord;
  /**
   * Members a list read for a chunk of its cases in one query, by id, for a step that reads the case's member (the
   * submission's snapshot); a member not in it is read on its own.
   */
  members?: ReadonlyMap<string, MemberRecord>;
}

/** 403 for a verifier acting on a case in its subtree that another organisation verifies (SPEC §2). */
function assertActsInRole(principal: Principal, t: Transition, verifierOrgId: string | null): void {
  if (needsVerifierOrg(principal, t) && !actsInRole(principal, t, verifierOrgId)) {
    throw new ForbiddenError(
      'Hồ sơ này do công đoàn cấp trên trực tiếp khác của công đoàn cơ sở thẩm định, không phải tổ chức của bạn.',
    );
  }
}

/** What the step and its rules read, each once: the move's `reads` and the union of its rules' `needs`. */
async function loadStepData(
  t: Transition,
  record: CaseRecord,
  rules: ProgramRules,
  members?: ReadonlyMap<string, MemberRecord>,
) {
  const needs = new Set([...(t.reads ?? []), ...t.checks.flatMap((name) => CHECKS[name].needs ?? [])]);
  const memberId = String(record.memberId);
  const [member, benefits] = await Promise.all([
    needs.has('member') ? (members?.get(memberId) ?? membersRepository.findById(memberId)) : null,
    // The ledger is read only where the province caps the program per member; an approval without a cap reads
    // it when it writes its entry (reservations.ts).
    needs.has('memberBenefits') && capOfRules(rules)
      ? loadMemberBenefits(record.programCode, record.memberId)
      : undefined,
  ]);
  return { member, benefits };
}

/** A step that stood: the case as it now is, with what was read for it (the answer needs the same). */
export interface ActionResult {
  record: CaseRecord;
  rules: ProgramRules;
  verifierOrgId: string | null;
}

/**
 * One move of the workflow table (SPEC §5): the case is read once, in scope; then the revision, the move's
 * statuses and roles, its rules (with the data they declare, loaded once), its reservations, and one guarded
 * update that only the first of several racing callers can make (the reservations are given back when it does not
 * stand). Then what follows a move that stood (`followRun`): the report totals, the releases, campaign totals, the
 * audit entry and the move's own events (decision issuing).
 */
export async function runAction(
  principal: Principal,
  actor: Actor,
  id: string,
  action: CaseAction,
  body: Record<string, unknown>,
  options: ActionOptions = {},
): Promise<ActionResult> {
  const { t, record, ctx, rules, verifierOrgId } = await checkStep(principal, id, action, body, options);
  return { record: await runStep(t, record, ctx, actor, options), rules, verifierOrgId };
}

/**
 * Every single move runs under a run of its own (step-runs.ts): its run is stored before its reservations are taken
 * (under the run's mark), the case's history entry carries the mark, and what follows is written once by `followRun`.
 * A crash or an unexpected error anywhere between leaves the run, which the service finishes (interrupted-steps.ts):
 * the report totals and the audit entry of a move its case recorded are written once, and what a move that moves
 * money took and its case never recorded is given back. `stepPause` (tests only) comes before the reservations, before
 * the case's update and after it.
 */
async function runStep(
  t: Transition,
  record: CaseRecord,
  ctx: CheckContext,
  actor: Actor,
  options: ActionOptions,
): Promise<CaseRecord> {
  const id = String(record._id);
  const run = await stepRuns.begin(record, t, actor, ctx.body, options.decision ?? 'single');
  await stepPause();
  const step = { ...ctx, at: run.at };
  let taken: Taken[];
  try {
    taken = await takeReservations(t.reserves ?? [], step, actor, run._id);
  } catch (error) {
    await stepRuns.end(run);
    throw error;
  }
  await stepPause();
  const changes = stepChanges(t, step, actor, Object.assign({}, ...taken.map((r) => r.caseChanges ?? {})));
  const entry = { ...changes.entry, run: run._id };
  const revision = record.revision;
  // An update that failed may have landed all the same (its answer lost): the run is left to the round, which reads
  // the case's history before it gives anything back.
  const after = await casesRepository.transition(id, { revision, status: record.status }, changes.set, entry);
  // A request that stalled longer than `PAYMENT_FINISH_AFTER_MS` may find its run finished by a round (its record gone):
  // it then leaves the rest to what the round did. Racing a round that is at it, each write is still done once (marks).
  if (!after) {
    // Also when a round gave the run up meanwhile: each giving back is once (the funds' `<mark>:b`, the member's entry
    // of the run's time), and this request may have taken its reservations after the round looked.
    await giveBackAll(taken);
    await stepRuns.end(run);
    await explainLostRace(id, revision);
  }
  await stepPause();
  // A step that moves no money writes nothing a second time without this read: its report totals are counted once under
  // its run, its audit entry has an id made of the mark, and its claim release is idempotent.
  if (!movesMoney(t) || (await stepRuns.isKept(run))) await followRun(t, after!, record, actor, run);
  await stepRuns.end(run);
  return after!;
}

/** A step checked and ready to write: the move, the case as read, what its rules saw. */
export interface CheckedStep {
  t: Transition;
  record: CaseRecord;
  ctx: CheckContext;
  rules: ProgramRules;
  verifierOrgId: string | null;
}

/**
 * Everything a step checks before it takes anything (`runAction`'s first half): the case in scope (read, or as the
 * caller just read it), the caller's role, the revision, the move's statuses, and every rule of the move with the
 * data it declares. A list verifying, returning or approving many cases at once checks each case with it
 * (cases/steps-at-once.ts).
 */
export async function checkStep(
  principal: Principal,
  id: string,
  action: CaseAction,
  body: Record<string, unknown>,
  options: ActionOptions = {},
): Promise<CheckedStep> {
  const t = transitionOf(action);
  const record = options.record ? caseInScope(principal, options.record) : await getCaseInScope(principal, id);
  const verifierOrgId = await (options.directUpperUnion ?? directUpperUnionOf)(String(record.orgId));
  assertActsInRole(principal, t, verifierOrgId);
  const revision = body.revision;
  if (typeof revision !== 'number') {
    throw new ValidationError([
      { path: 'revision', message: 'Cần gửi revision (hoặc header If-Match) của hồ sơ đã xem' },
    ]);
  }
  if (record.revision !== revision) await explainLostRace(id, revision);
  if (!t.from.includes(record.status)) {
    // Not `status`: problem+json already uses that name for the HTTP status code.
    throw new ConflictError('INVALID_TRANSITION', `Không thể "${action}" hồ sơ đang ở trạng thái "${record.status}".`, {
      caseStatus: record.status,
    });
  }
  const context = await (options.programContext ?? programContextOf)(record);
  const ctx: CheckContext = {
    record,
    ...context,
    ...(await loadStepData(t, record, context.rules, options.members)),
    principal,
    body,
    transition: t,
  };
  for (const name of t.checks) await CHECKS[name].check(ctx);
  return { t, record, ctx, rules: context.rules, verifierOrgId };
}

/** What the step's guarded update sets (status, the move's own fields, what its reservations store) and its history entry. */
export function stepChanges(t: Transition, ctx: CheckContext, actor: Actor, reserved: Record<string, unknown>) {
  const entry = {
    action: t.action,
    from: ctx.record.status,
    to: t.to,
    by: { id: actor.userId, name: actor.name },
    at: ctx.at ?? new Date(),
    note: historyNote(ctx.body),
  };
  return { set: { status: t.to, ...changesFor(t, ctx), ...reserved }, entry };
}

/** One move, answering the case as it now stands (lists, the seed); see `runAction`. */
export async function performAction(...args: Parameters<typeof runAction>): Promise<CaseRecord> {
  return (await runAction(...args)).record;
}

/**
 * A case a list action left out, with the reason given (SPEC §5 batches): an `exclude` entry in its history and
 * in the audit log. The case itself does not move: its status stays (`from` = `to`) and so does its revision,
 * so whoever is working on it is not stopped by the note.
 */
export async function recordExclusion(
  actor: Actor,
  record: Pick<CaseRecord, '_id' | 'code' | 'orgPath'>,
  batch: { id: string; action: CaseAction },
  reason: string,
): Promise<void> {
  const id = String(record._id);
  const by = { id: actor.userId, name: actor.name };
  const note = `Không đưa vào thao tác "${batch.action}" của danh sách: ${reason}`;
  await casesRepository.appendNote(id, (status) => ({
    action: 'exclude',
    from: status,
    to: status,
    by,
    at: new Date(),
    note,
  }));
  await recordAudit({
    action: 'case.exclude',
    entity: 'case',
    entityId: id,
    actor,
    orgPath: record.orgPath,
    details: { code: record.code, batchId: batch.id, batchAction: batch.action, reason },
  });
}
