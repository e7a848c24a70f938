import { recordAuditsOnce } from '../audit/index.js';
import { campaignsRepository } from '../campaigns/index.js';
import type { Actor, Principal } from '../core/scope.js';
import { casesRepository, type CaseHistoryEntry, type CaseRecord } from './cases.repository.js';
import { releaseClaimsAtOnce } from './claims.js';
import { emitCaseEvent } from './lifecycle-events.js';
import { recordBenefitsAtOnce } from './rules/member-cap.js';
import { checkStep, stepChanges, type ActionOptions } from './transitions.service.js';
import { transitionOf, type CaseAction } from './workflow.js';

/**
 * One step of many cases at once (a list job's chunk: batches/list-chunks.ts), each case changed exactly as the
 * single step changes it (transitions.service.ts `runAction`): checked by the same `checkStep`, the same guarded
 * update (`casesRepository.transition`'s filter, `$set` and history entry) in one bulk write, and what `followRun`
 * does for the step done once per chunk. The chunk's `mark` goes into each case's history entry of the step
 * (`run`), so that one read of the cases tells which updates took, also after a crash.
 */

/** A case checked as the single step checks it, with the update it makes. */
export interface PlannedStep {
  record: CaseRecord;
  set: Record<string, unknown>;
  entry: CaseHistoryEntry;
}

/**
 * Whether the step can be taken many cases at once by `applyStepsAtOnce` and `followStepsAtOnce` alone: it takes
 * nothing before the case changes, gives back at most its duplicate claim and moves no campaign totals (verify,
 * return, reject). An approval has its own chunk (its funds, campaign totals and ledgers: `followApprovalsAtOnce`).
 */
export function stepsAtOnce(action: CaseAction): boolean {
  const t = transitionOf(action);
  return (
    !t.reserves?.length &&
    (t.releases ?? []).every((name) => name === 'duplicateClaim') &&
    !t.campaignTotals &&
    !t.emits?.length
  );
}

/**
 * The duplicate claims a chunk's step gives back, by case, as the cases held them before (the step's update clears
 * `claimKey`, so a chunk finished after a crash reads them from the chunk's state, not from the cases). Empty for a
 * step that gives none back.
 */
export function claimsGivenBack(action: CaseAction, records: readonly CaseRecord[]): Record<string, string> {
  if (!transitionOf(action).releases?.includes('duplicateClaim')) return {};
  return Object.fromEntries(records.flatMap((r) => (r.claimKey ? [[String(r._id), r.claimKey]] : [])));
}

/** Throws the refusal the single step would answer (same code and detail). */
export async function planStep(
  principal: Principal,
  actor: Actor,
  record: CaseRecord,
  action: CaseAction,
  body: Record<string, unknown>,
  options: ActionOptions,
): Promise<PlannedStep> {
  const checked = await checkStep(principal, String(record._id), action, body, { ...options, record });
  const { set, entry } = stepChanges(checked.t, checked.ctx, actor, {});
  return { record, set, entry };
}

/** The chunk's history entry of a case for the step, when its update took. */
export function stepOf(record: CaseRecord, action: CaseAction, mark: string): CaseHistoryEntry | undefined {
  return record.history?.find((h) => h.action === action && h.run === mark);
}

/**
 * Every case's guarded update in one bulk write; answers the cases as they are afterwards. When every update took
 * (each matched the revision and status read, so each case was exactly `record` before it), the cases are the
 * records with the step's changes applied, as the single step's `casesRepository.transition` makes its answer;
 * otherwise they are read again (one read).
 */
export async function applyStepsAtOnce(steps: readonly PlannedStep[], mark: string): Promise<Map<string, CaseRecord>> {
  const marked = steps.map((s) => ({ ...s, entry: { ...s.entry, run: mark } }));
  const { matched, updatedAt } = await casesRepository.transitionMany(
    marked.map(({ record, set, entry }) => ({
      id: String(record._id),
      seen: { revision: record.revision, status: record.status },
      set,
      entry,
    })),
  );
  if (matched === steps.length)
    return new Map(
      marked.map(({ record, set, entry }) => [
        String(record._id),
        {
          ...record,
          ...(set as Partial<CaseRecord>),
          updatedAt,
          history: [...(record.history ?? []), entry],
          revision: record.revision + 1,
        },
      ]),
    );
  return new Map((await casesRepository.findByIds(steps.map((s) => s.record._id))).map((c) => [String(c._id), c]));
}

/**
 * For a chunk whose outcome is unknown (left by an instance that died or lost its job): each case read whose history
 * does not hold the chunk's entry gets a new revision (guarded by the revision and status read), so that the chunk's
 * update, if it is still on its way, can no longer take. Then the cases' history tells for good which took.
 */
export async function fenceSteps(records: readonly CaseRecord[], action: CaseAction, mark: string): Promise<void> {
  await casesRepository.updateManyIf(
    records
      .filter((r) => !stepOf(r, action, mark))
      .map((r) => ({
        id: String(r._id),
        filter: { revision: r.revision, status: r.status },
        update: { $inc: { revision: 1 } },
      })),
  );
}

/**
 * What follows the chunk's steps that stood, as `followRun` does for each, every write done once for the chunk
 * whatever crash comes between: the report totals (`cases.transitioned`, counted once per mark), the duplicate
 * claims given back (`claimKeys`, from `claimsGivenBack`) and one audit entry per case (looked up first when the
 * chunk may have been audited: `again`). All that follows a step that `stepsAtOnce` admits.
 */
export async function followStepsAtOnce(
  moved: readonly CaseRecord[],
  action: CaseAction,
  mark: string,
  actor: Actor,
  again: boolean,
  claimKeys: Readonly<Record<string, string>> = {},
): Promise<void> {
  if (!moved.length) return;
  await emitCaseEvent('cases.transitioned', { action, mark, cases: [...moved] });
  await releaseClaimsAtOnce(
    moved.flatMap((c) => {
      const key = claimKeys[String(c._id)];
      return key ? [{ key, caseId: c._id }] : [];
    }),
  );
  const to = transitionOf(action).to;
  await recordAuditsOnce(
    moved.map((c) => ({
      action: `case.${action}`,
      entity: 'case',
      entityId: String(c._id),
      actor,
      orgPath: c.orgPath,
      details: { from: stepOf(c, action, mark)!.from, to, code: c.code },
    })),
    { chunk: mark, lookFirst: again },
  );
}

/**
 * What follows the chunk's approvals that stood, each write done once for the chunk whatever crash comes between:
 * the report totals and audit entries (`followStepsAtOnce`), then the campaign totals (one `$inc` per campaign,
 * marked), the members' benefit ledgers, and `case.approved` for each with `decision: 'batch'` (the list issues one
 * decision at its end). `pause` comes between the audit and the campaign totals (tests stop an instance there).
 */
export async function followApprovalsAtOnce(
  approved: readonly CaseRecord[],
  mark: string,
  actor: Actor,
  { again, pause }: { again: boolean; pause: () => Promise<void> },
): Promise<void> {
  if (!approved.length) return;
  await followStepsAtOnce(approved, 'approve', mark, actor, again);
  await pause();
  const campaigns = new Map<string, { amount: number; count: number }>();
  for (const c of approved) {
    if (!c.campaignId) continue;
    const totals = campaigns.get(String(c.campaignId)) ?? { amount: 0, count: 0 };
    totals.amount += c.approvedAmount ?? 0;
    totals.count += 1;
    campaigns.set(String(c.campaignId), totals);
  }
  for (const [campaignId, { amount, count }] of campaigns)
    await campaignsRepository.addApprovedOnce(campaignId, amount, count, mark);
  await recordBenefitsAtOnce(
    approved.map((record) => ({
      record,
      entry: {
        caseId: record._id,
        caseCode: record.code,
        amount: record.approvedAmount ?? 0,
        day: record.approvedDay!,
        at: stepOf(record, 'approve', mark)!.at,
      },
    })),
  );
  for (const record of approved)
    await emitCaseEvent('case.approved', {
      caseId: String(record._id),
      record,
      actor,
      body: { approvedAmount: record.approvedAmount },
      decision: 'batch',
    });
}
