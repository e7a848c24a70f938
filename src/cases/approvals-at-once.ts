import { recordAuditsOnce } from '../audit/index.js';
import { campaignsRepository } from '../campaigns/index.js';
import type { Actor, Principal } from '../core/scope.js';
import { casesRepository, type CaseHistoryEntry, type CaseRecord } from './cases.repository.js';
import { emitCaseEvent } from './lifecycle-events.js';
import { recordBenefitsAtOnce } from './rules/member-cap.js';
import { checkStep, stepChanges, type ActionOptions } from './transitions.service.js';

/**
 * The approval of many cases at once (a list approval's chunk, batches/list-approval.ts), each case changed exactly
 * as the single step changes it (transitions.service.ts `runAction`): checked by the same `checkStep`, the same
 * guarded update (`casesRepository.transition`'s filter, `$set` and history entry) in one bulk write, and what
 * `followMove` does for an approval done once per chunk. The chunk's `mark` goes into each case's `approve` history
 * entry (`run`), so that one read of the cases tells which updates took, also after a crash.
 */

/** A case checked as the single approval checks it, with the update it makes (its fund allocations come apart). */
export interface PlannedApproval {
  record: CaseRecord;
  set: Record<string, unknown>;
  entry: CaseHistoryEntry;
}

/** Throws the refusal the single step would answer (same code and detail). */
export async function planApproval(
  principal: Principal,
  actor: Actor,
  record: CaseRecord,
  body: Record<string, unknown>,
  options: ActionOptions,
): Promise<PlannedApproval> {
  const checked = await checkStep(principal, String(record._id), 'approve', body, { ...options, record });
  const { set, entry } = stepChanges(checked.t, checked.ctx, actor, {});
  return { record, set, entry };
}

/** The chunk's approval entry of a case, when its update took. */
export function approvalOf(record: CaseRecord, mark: string): CaseHistoryEntry | undefined {
  return record.history?.find((h) => h.action === 'approve' && h.run === mark);
}

/**
 * Every case's guarded update in one bulk write, each with what its commitment stores (`fundAllocations`); answers
 * the cases as they are afterwards (one read).
 */
export async function applyApprovalsAtOnce(
  approvals: readonly (PlannedApproval & { fundAllocations: unknown[] })[],
  mark: string,
): Promise<Map<string, CaseRecord>> {
  await casesRepository.transitionMany(
    approvals.map(({ record, set, entry, fundAllocations }) => ({
      id: String(record._id),
      seen: { revision: record.revision, status: record.status },
      set: { ...set, fundAllocations },
      entry: { ...entry, run: mark },
    })),
  );
  return new Map((await casesRepository.findByIds(approvals.map((a) => a.record._id))).map((c) => [String(c._id), c]));
}

/**
 * For a chunk whose outcome is unknown (left by an instance that died or lost its job): each case read whose history
 * does not hold the chunk's entry gets a new revision (guarded by the revision and status read), so that the chunk's
 * update, if it is still on its way, can no longer take. Then the cases' history tells for good which took.
 */
export async function fenceApprovals(records: readonly CaseRecord[], mark: string): Promise<void> {
  await casesRepository.updateManyIf(
    records
      .filter((r) => !approvalOf(r, mark))
      .map((r) => ({
        id: String(r._id),
        filter: { revision: r.revision, status: r.status },
        update: { $inc: { revision: 1 } },
      })),
  );
}

/**
 * What follows the chunk's approvals that stood, each write done once for the chunk whatever crash comes between:
 * the report totals (`cases.approved`, counted once per mark), one audit entry per case (looked up first when the
 * chunk may have been audited: `again`), then the campaign totals (one `$inc` per campaign, marked), the members'
 * benefit ledgers, and `case.approved` for each with `decision: 'batch'` (the list issues one decision at its end).
 * `pause` comes between the audit and the campaign totals (tests stop an instance there).
 */
export async function followApprovalsAtOnce(
  approved: readonly CaseRecord[],
  mark: string,
  actor: Actor,
  { again, pause }: { again: boolean; pause: () => Promise<void> },
): Promise<void> {
  if (!approved.length) return;
  await emitCaseEvent('cases.approved', { mark, approvals: [...approved] });
  await recordAuditsOnce(
    approved.map((c) => ({
      action: 'case.approve',
      entity: 'case',
      entityId: String(c._id),
      actor,
      orgPath: c.orgPath,
      details: { from: approvalOf(c, mark)!.from, to: 'approved', code: c.code },
    })),
    again,
  );
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
        at: approvalOf(record, mark)!.at,
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
