import { recordAudit } from '../audit/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js';
import { vnDay } from '../core/shared/dates.js';
import { hasRole, type Actor, type Principal } from '../core/scope.js';
import { searchKey } from '../core/search-text.js';
import { campaignsRepository } from '../campaigns/index.js';
import { commitFunds, releaseFunds } from '../funds/index.js';
import { membersRepository, type MemberRecord } from '../members/index.js';
import { directUpperUnionOf } from '../orgs/index.js';
import type { ProgramRules } from '../programs/index.js';
import { getCaseInScope, programContextOf, type ProgramContext } from './case-context.js';
import { CHECKS, type CheckContext } from './checks.js';
import { claimKeyOf, releaseClaim, releaseUnrecordedClaim, takeClaim, type TakenClaim } from './claims.js';
import { casesRepository, type CaseRecord } from './cases.repository.js';
import { emitCaseEvent } from './lifecycle-events.js';
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
    CHECKS[name](ctx);
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
function changesFor(t: Transition, ctx: CheckContext, claim: TakenClaim | null): Record<string, unknown> {
  const by = { id: ctx.principal.userId, name: ctx.principal.fullName };
  const now = new Date();
  switch (t.action) {
    case 'submit':
      // The list's search fields follow the name and CCCD of the snapshot, as memberName does.
      return {
        memberSnapshot: snapshotOf(ctx.member!),
        memberName: ctx.member!.fullName,
        memberSearchName: searchKey(ctx.member!.fullName),
        memberCitizenId: ctx.member!.citizenId,
        submittedAt: now,
        claimKey: claim?.key ?? null,
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
      return t.claim === 'release' ? { claimKey: null } : {};
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
}

/** 403 for a verifier acting on a case in its subtree that another organisation verifies (SPEC §2). */
async function assertActsInRole(
  principal: Principal,
  t: Transition,
  record: CaseRecord,
  options: ActionOptions,
): Promise<void> {
  if (!needsVerifierOrg(principal, t)) return;
  const verifierOrgId = await (options.directUpperUnion ?? directUpperUnionOf)(String(record.orgId));
  if (!actsInRole(principal, t, verifierOrgId)) {
    throw new ForbiddenError(
      'Hồ sơ này do công đoàn cấp trên trực tiếp khác của công đoàn cơ sở thẩm định, không phải tổ chức của bạn.',
    );
  }
}

/**
 * One workflow step (SPEC §5): scope, revision, allowed transition, the table's checks, the duplicate
 * claim, then one guarded update that only the first of several racing callers can make.
 */
export async function performAction(
  principal: Principal,
  actor: Actor,
  id: string,
  action: CaseAction,
  body: Record<string, unknown>,
  options: ActionOptions = {},
): Promise<CaseRecord> {
  const t = transitionOf(action);
  const record = await getCaseInScope(principal, id);
  await assertActsInRole(principal, t, record, options);
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
  const member = action === 'submit' ? await membersRepository.findById(String(record.memberId)) : null;
  const ctx: CheckContext = { record, ...context, member, principal, body, transition: t };
  for (const name of t.checks) CHECKS[name](ctx);

  const claim = t.claim === 'take' ? await takeClaim(record, claimKeyOf(record, context.rules)) : null;
  // The money is taken before the case records the approval, and given back when it does not (no transactions).
  const commitment =
    t.funds === 'commit' ? await commitFunds(record, body.fundAllocations, Number(body.approvedAmount), actor) : null;
  const changed = await casesRepository
    .guardedUpdate(
      id,
      { revision, status: record.status },
      {
        $set: { status: t.to, ...changesFor(t, ctx, claim), ...commitment?.caseChanges },
        $push: {
          history: {
            action,
            from: record.status,
            to: t.to,
            by: { id: actor.userId, name: actor.name },
            at: new Date(),
            note: historyNote(body),
          },
        },
      },
    )
    .catch(async (error: unknown) => {
      await commitment?.giveBack();
      throw error;
    });
  if (!changed) {
    await commitment?.giveBack();
    if (claim?.created) await releaseUnrecordedClaim(claim.key, record._id);
    await explainLostRace(id, revision);
  }

  // The report totals follow the transition that stood (reports subscribes); batches pass here too.
  await emitCaseEvent('case.transitioned', { caseId: id, action, before: record, actor });
  if (t.claim === 'release') await releaseClaim(record.claimKey, record._id);
  if (t.funds === 'release') await releaseFunds(record, actor);
  if (record.campaignId && action === 'approve') {
    await campaignsRepository.addApproved(String(record.campaignId), Number(body.approvedAmount), 1);
  }
  if (record.campaignId && action === 'revoke') {
    await campaignsRepository.addApproved(String(record.campaignId), -(record.approvedAmount ?? 0), -1);
  }
  await recordAudit({
    action: `case.${action}`,
    entity: 'case',
    entityId: id,
    actor,
    orgPath: record.orgPath,
    details: { from: record.status, to: t.to, code: record.code },
  });
  // The decision follows the case (SPEC §6): issued once the approval stands, revoked with it (decisions
  // subscribes). Neither undoes the step when it fails; POST /cases/:id/decision completes it later.
  if (action === 'approve')
    await emitCaseEvent('case.approved', { caseId: id, actor, body, decision: options.decision ?? 'single' });
  if (action === 'revoke') await emitCaseEvent('case.revoked', { caseId: id, actor, reason: String(body.reason) });
  return (await casesRepository.findById(id))!;
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
