import { recordAudit } from '../audit/index.js';
import { AppError, NotFoundError, ValidationError } from '../core/errors.js';
import { assertInScope, type Actor, type Principal } from '../core/scope.js';
import {
  casesRepository,
  performAction,
  programContextOf,
  recordExclusion,
  standsAtStep,
  STATUS_NAMES,
  type CaseAction,
  type CaseRecord,
  type ProgramContext,
} from '../cases/index.js';
import { issueBatchDecision, type DecisionRecord } from '../decisions/index.js';
import { fundsRepository } from '../funds/index.js';
import type { MemberRecord } from '../members/index.js';
import { directUpperUnionOf } from '../orgs/index.js';
import { provinceIdOf } from '../programs/index.js';
import { batchesRepository, type BatchRecord } from './batches.repository.js';
import { mapLimit } from '../core/shared/map-limit.js';

export const BATCH_ACTIONS = ['submit', 'verify', 'return', 'reject', 'approve'] as const;
export type BatchActionName = (typeof BATCH_ACTIONS)[number] & CaseAction;

/** Cases are acted on a few at a time; each is still one guarded update of its own. */
export const ACTION_CONCURRENCY = 8;

export interface BatchActionBody {
  exclude?: { caseId: string; reason: string }[];
  /** verify: recommended, approve: approved amount per case; the default below otherwise. */
  amounts?: { caseId: string; amount: number }[];
  /** verify: one recommended amount for every case (default: each case's requested amount). */
  recommendedAmount?: number;
  note?: string;
  reason?: string;
  amountReason?: string;
  fundId?: string;
  fundShares?: { fundId: string; percent: number }[];
  signerName?: string;
  signerTitle?: string;
  decisionDate?: string;
}

export interface CaseOutcome {
  caseId: string;
  code: string;
  memberName: string;
  /** skipped: the case did not stand at the step this action starts from (left out at an earlier step, or already past it). */
  outcome: 'ok' | 'failed' | 'excluded' | 'skipped';
  status: string;
  problem?: { code: string; detail: string };
  reason?: string;
}

export async function getBatchInScope(principal: Principal, id: string): Promise<BatchRecord> {
  const batch = await batchesRepository.findById(id);
  // An `incomplete` list (its import stopped) is a list like any other for its cases; an `importing` one is not yet.
  if (!batch || batch.status === 'importing') throw new NotFoundError('danh sách');
  assertInScope(principal, batch.orgPath.map(String), 'danh sách');
  return batch;
}

/**
 * How an approval draws on funds, applied to each case alike: all from `fundId`, or split by `fundShares`
 * (whole percents adding up to 100; each part rounded down, the last takes the rest so the parts add up).
 */
export function allocationsOf(body: BatchActionBody, amount: number): { fundId: string; amount: number }[] {
  if (body.fundId) return [{ fundId: body.fundId, amount }];
  const shares = body.fundShares ?? [];
  const parts = shares.map((s) => ({ fundId: s.fundId, amount: Math.floor((amount * s.percent) / 100) }));
  const rest = amount - parts.reduce((sum, p) => sum + p.amount, 0);
  if (parts.length) parts[parts.length - 1]!.amount += rest;
  return parts.filter((p) => p.amount > 0);
}

/** The funds named must be the province's own, checked once before any case moves (like a single approval's 400). */
async function checkFunds(batch: BatchRecord, body: BatchActionBody): Promise<void> {
  const named = body.fundId
    ? [{ fundId: body.fundId, path: 'fundId' }]
    : (body.fundShares ?? []).map((s, i) => ({ fundId: s.fundId, path: `fundShares.${i}.fundId` }));
  const found = new Map((await fundsRepository.findByIds(named.map((n) => n.fundId))).map((f) => [String(f._id), f]));
  const provinceId = provinceIdOf(batch.orgPath);
  const errors = named
    .filter((n) => String(found.get(n.fundId)?.orgId ?? '') !== provinceId)
    .map((n) => ({ path: n.path, message: 'Nguồn kinh phí không tồn tại hoặc không thuộc LĐLĐ tỉnh của danh sách' }));
  if (errors.length) throw new ValidationError(errors, 'Danh sách chỉ được phân bổ vào nguồn kinh phí của tỉnh mình.');
}

/** The body of the single-case action for one case of the list. */
export function caseBody(
  action: BatchActionName,
  body: BatchActionBody,
  record: CaseRecord,
  amounts: Map<string, number>,
): Record<string, unknown> {
  const own = amounts.get(String(record._id));
  const note = body.note ? { note: body.note } : {};
  switch (action) {
    case 'verify':
      return { recommendedAmount: own ?? body.recommendedAmount ?? record.requestedAmount, ...note };
    case 'approve': {
      const approvedAmount = own ?? record.recommendedAmount ?? record.requestedAmount;
      return {
        approvedAmount,
        fundAllocations: allocationsOf(body, approvedAmount),
        ...note,
        ...(body.amountReason ? { amountReason: body.amountReason } : {}),
        // The cases' approval day is the decision's date, as for a single approval (reports count it on that day).
        ...(body.decisionDate ? { decisionDate: body.decisionDate } : {}),
      };
    }
    case 'return':
    case 'reject':
      return { reason: body.reason };
    default:
      return note;
  }
}

/**
 * The program, province rules and campaign of the list's cases, read once per program, province and campaign
 * for the whole action instead of once per case (a case edited as a draft may name another campaign).
 */
export function sharedProgramContext(): (record: CaseRecord) => Promise<ProgramContext> {
  const read = new Map<string, Promise<ProgramContext>>();
  return (record) => {
    const key = `${record.programCode}:${provinceIdOf(record.orgPath)}:${String(record.campaignId)}`;
    const context = read.get(key) ?? programContextOf(record);
    read.set(key, context);
    return context;
  };
}

/** Who verifies the list's cases, asked once per union (a list is one union's, but a draft may have changed member). */
export function sharedDirectUpperUnion(): (orgId: string) => Promise<string | null> {
  const read = new Map<string, Promise<string | null>>();
  return (orgId) => {
    const answer = read.get(orgId) ?? directUpperUnionOf(orgId);
    read.set(orgId, answer);
    return answer;
  };
}

function checkListed(batch: BatchRecord, entries: readonly { caseId: string }[] | undefined, field: string): void {
  const listed = new Set(batch.caseIds.map(String));
  const errors = (entries ?? []).flatMap((e, i) =>
    listed.has(e.caseId) ? [] : [{ path: `${field}.${i}.caseId`, message: 'Hồ sơ không thuộc danh sách này' }],
  );
  if (errors.length) throw new ValidationError(errors);
}

/** Checks a list action before anything moves (scope, listed cases, funds): its errors answer the request. */
export async function prepareBatchAction(
  principal: Principal,
  id: string,
  action: BatchActionName,
  body: BatchActionBody,
): Promise<BatchRecord> {
  const batch = await getBatchInScope(principal, id);
  checkListed(batch, body.exclude, 'exclude');
  checkListed(batch, body.amounts, 'amounts');
  if (action === 'approve') await checkFunds(batch, body);
  return batch;
}

export interface StepOptions {
  programContext?: (record: CaseRecord) => Promise<ProgramContext>;
  /** Who verifies a union's cases, asked once per union for a whole list (orgs' `directUpperUnionOf`). */
  directUpperUnion?: (orgId: string) => Promise<string | null>;
  /**
   * A job taken up again after a crash: a case whose history shows this action (or the exclusion) by the same
   * user since the job began was done by it before the crash and is reported as done, not acted on again.
   */
  resumedSince?: Date;
  /**
   * The record is the whole case, just read by id (a list job reads each case as it comes to it): the step uses it
   * instead of reading it again. The list's own query leaves out history and documents, which the steps need.
   */
  wholeRecord?: boolean;
  /** Members read at once for a chunk of cases (cases' `ActionOptions.members`). */
  members?: ReadonlyMap<string, MemberRecord>;
}

/** The body's per-case entries as maps, made once per body (a list of 50,000 cases must not search arrays per case). */
const lookups = new WeakMap<BatchActionBody, { excluded: Map<string, string>; amounts: Map<string, number> }>();
export function lookupsOf(body: BatchActionBody) {
  let found = lookups.get(body);
  if (!found) {
    found = {
      excluded: new Map((body.exclude ?? []).map((e) => [e.caseId, e.reason])),
      amounts: new Map((body.amounts ?? []).map((a) => [a.caseId, a.amount])),
    };
    lookups.set(body, found);
  }
  return found;
}

function actedSince(record: CaseRecord, action: string, userId: string, since: Date): boolean {
  return (record.history ?? []).some((h) => h.action === action && h.by?.id === userId && h.at >= since);
}

/**
 * A case of a list action that needs no step, as the list answers it: excluded (the exclusion noted once), done
 * already by this job before it was taken up again, or not standing at the step (skipped). Null: the step is due.
 */
export async function answerWithoutStep(
  actor: Actor,
  batchId: string,
  action: BatchActionName,
  body: BatchActionBody,
  record: CaseRecord,
  options: StepOptions = {},
): Promise<CaseOutcome | null> {
  const caseId = String(record._id);
  const base = { caseId, code: record.code, memberName: record.memberName };
  const { excluded } = lookupsOf(body);
  const reason = excluded.get(caseId);
  const since = options.resumedSince;
  if (reason !== undefined) {
    if (!since || !actedSince(record, 'exclude', actor.userId, since))
      await recordExclusion(actor, record, { id: batchId, action }, reason);
    return { ...base, outcome: 'excluded', status: record.status, reason };
  }
  if (since && actedSince(record, action, actor.userId, since))
    return { ...base, outcome: 'ok', status: record.status };
  if (!standsAtStep(action, record, (await (options.programContext ?? programContextOf)(record)).rules)) {
    const reason = `Hồ sơ đang ở trạng thái “${STATUS_NAMES[record.status]}”, không ở bước của thao tác này nên không được xét.`;
    return { ...base, outcome: 'skipped', status: record.status, reason };
  }
  return null;
}

/**
 * One case of a list action: the single-case step (`performAction`, with all its rules, claims and fund
 * commitments) with the revision the case has now, or the exclusion. A case that someone moved meanwhile is
 * reported, not forced: its own guarded update decides, so a list and a single-case action racing on a case
 * change it once.
 */
export async function actOnListedCase(
  principal: Principal,
  actor: Actor,
  batchId: string,
  action: BatchActionName,
  body: BatchActionBody,
  record: CaseRecord,
  options: StepOptions = {},
): Promise<CaseOutcome> {
  const answered = await answerWithoutStep(actor, batchId, action, body, record, options);
  if (answered) return answered;
  const caseId = String(record._id);
  const base = { caseId, code: record.code, memberName: record.memberName };
  const programContext = options.programContext ?? programContextOf;
  const { amounts } = lookupsOf(body);
  try {
    const after = await performAction(
      principal,
      actor,
      caseId,
      action,
      { ...caseBody(action, body, record, amounts), revision: record.revision },
      {
        programContext,
        directUpperUnion: options.directUpperUnion,
        // The list issues one decision for all the cases it approved (issueBatchDecision), not one per case.
        decision: 'batch',
        // Read whole by the list job just before: the step does not read it again.
        ...(options.wholeRecord ? { record } : {}),
      },
    );
    return { ...base, outcome: 'ok', status: after.status };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const now = await casesRepository.findById(caseId);
    return {
      ...base,
      outcome: 'failed',
      status: now?.status ?? record.status,
      problem: { code: error.code, detail: error.detail },
    };
  }
}

export type DecisionIssuer = (actor: Actor, caseIds: string[], body: BatchActionBody) => Promise<DecisionRecord>;

/**
 * After the cases: an approval issues one decision for every case it approved, with the list as annex; the
 * list records the action, and the answer (also a list job's `result`) reports every case.
 */
export async function concludeBatchAction(
  actor: Actor,
  batch: BatchRecord,
  action: BatchActionName,
  body: BatchActionBody,
  results: CaseOutcome[],
  issue: DecisionIssuer = issueOnce,
) {
  const id = String(batch._id);
  const approved = action === 'approve' ? results.filter((r) => r.outcome === 'ok').map((r) => r.caseId) : [];
  const { decision, decisionProblem } = approved.length
    ? await issueFor(actor, approved, body, issue)
    : { decision: null, decisionProblem: null };
  const counts = {
    ok: results.filter((r) => r.outcome === 'ok').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    excluded: results.filter((r) => r.outcome === 'excluded').length,
    skipped: results.filter((r) => r.outcome === 'skipped').length,
  };
  await batchesRepository.recordAction(batch._id, {
    action,
    by: { id: actor.userId, name: actor.name },
    at: new Date(),
    ...counts,
    decisionId: decision?._id ?? null,
  });
  await recordAudit({
    action: `batch.${action}`,
    entity: 'batch',
    entityId: id,
    actor,
    orgPath: batch.orgPath,
    details: { ...counts, decisionId: decision ? String(decision._id) : null },
  });
  return {
    batchId: id,
    action,
    counts,
    results,
    decision: decision
      ? {
          id: String(decision._id),
          number: decision.number,
          issuedAt: decision.issuedAt,
          caseCount: decision.caseIds.length,
          totalAmount: decision.totalAmount,
        }
      : null,
    ...(decisionProblem ? { decisionProblem } : {}),
  };
}

export type BatchActionResult = Awaited<ReturnType<typeof concludeBatchAction>>;

/** POST /batches/:id/ACTION (SPEC §5) in one go, as the seed uses it; the API runs the same steps as a job. */
export async function actOnBatch(
  principal: Principal,
  actor: Actor,
  id: string,
  action: BatchActionName,
  body: BatchActionBody,
): Promise<BatchActionResult> {
  const batch = await prepareBatchAction(principal, id, action, body);
  const cases = await casesRepository.ofBatch(batch._id);
  const options = { programContext: sharedProgramContext(), directUpperUnion: sharedDirectUpperUnion() };
  const results = await mapLimit(cases, ACTION_CONCURRENCY, (record) =>
    actOnListedCase(principal, actor, id, action, body, record, options),
  );
  return concludeBatchAction(actor, batch, action, body, results);
}

const issueOnce: DecisionIssuer = (actor, caseIds, { signerName, signerTitle, decisionDate }) =>
  issueBatchDecision(actor, caseIds, { signerName, signerTitle, decisionDate });

/**
 * One decision for the cases approved in this call. The approvals stand if it fails (as for a single case):
 * the answer says so, and the cases keep `decisionId: null` for the repair route to find.
 */
async function issueFor(
  actor: Actor,
  caseIds: string[],
  body: BatchActionBody,
  issue: DecisionIssuer,
): Promise<{ decision: DecisionRecord | null; decisionProblem: { code: string; detail: string } | null }> {
  try {
    return { decision: await issue(actor, caseIds, body), decisionProblem: null };
  } catch (error) {
    await recordAudit({
      action: 'decision.issue_failed',
      entity: 'batch',
      entityId: caseIds[0] ?? '',
      actor,
      details: { message: String(error) },
    }).catch(() => undefined);
    const known = error instanceof AppError ? error : null;
    return {
      decision: null,
      decisionProblem: {
        code: known?.code ?? 'INTERNAL_ERROR',
        detail:
          known?.detail ??
          'Chưa ban hành được quyết định cho các hồ sơ đã phê duyệt; hãy thử lại bằng POST /api/v1/cases/:id/decision.',
      },
    };
  }
}
