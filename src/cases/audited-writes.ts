import { Types } from 'mongoose';
import { recordAuditsOnce, type AuditInput } from '../audit/index.js';
import type { Actor } from '../core/scope.js';
import { stepPause } from '../core/shared/step-pause.js';
import { casesRepository, type CaseRecord } from './cases.repository.js';
import { stepRuns, type StepRunRecord } from './step-runs.js';

/**
 * The writes of a case that are no workflow step but are audited all the same: an edit, a document added or removed.
 * Each is one write of the case and then its audit entry. Like a step (step-runs.ts), each runs under a run of
 * `step_runs`, stored before the write with the audit entry it owes: the case's history entry carries the run's mark
 * (`run`) and the audit entry's id is made of it. A crash between the write and the audit entry leaves the run, and the
 * round of interrupted-steps.ts writes the entry once if the case recorded the write (`finishAuditedWrite`). A case's
 * creation goes without (cases.service.ts `createCase`: the run's two commands cost it about a fifth of its throughput).
 */
export const AUDITED_WRITES = ['update', 'document_add', 'document_remove'] as const;
export type AuditedWrite = (typeof AUDITED_WRITES)[number];

export function isAuditedWrite(action: string): action is AuditedWrite {
  return (AUDITED_WRITES as readonly string[]).includes(action);
}

/** The audit entry a write owes, without its author (the run's actor). */
export type OwedAudit = Omit<AuditInput, 'actor'>;

/** The run of a write about to be made, stored first. The write's filter takes `unfenced(run)`, its history entry `run`. */
export async function beginAuditedWrite(
  caseId: Types.ObjectId | string,
  action: AuditedWrite,
  actor: Actor,
  audit: OwedAudit,
): Promise<StepRunRecord> {
  return stepRuns.beginWrite(new Types.ObjectId(String(caseId)), action, actor, { audit });
}

/** What the write's filter adds: the round has not fenced the run off (it decided that the write never came). */
export const unfenced = (run: Pick<StepRunRecord, '_id'>) => ({
  fencedEntries: { $ne: new Types.ObjectId(run._id) },
});

/** The entry the run owes, by `actor` (the request's own, or the run's author when a round writes it). */
const auditOf = (run: StepRunRecord, actor: AuditInput['actor']): AuditInput => ({
  ...(run.body.audit as OwedAudit),
  actor,
});

/** The write stood: its audit entry (once, by the run's mark), then the run goes. */
export async function endAuditedWrite(run: StepRunRecord, actor: Actor): Promise<void> {
  await stepPause();
  await recordAuditsOnce([auditOf(run, actor)], { chunk: run._id, lookFirst: false });
  await stepRuns.end(run);
}

/** The write did not take (a guarded update that matched nothing): nothing is owed. */
export async function dropAuditedWrite(run: Pick<StepRunRecord, '_id'>): Promise<void> {
  await stepRuns.end(run);
}

const recorded = (record: CaseRecord, run: Pick<StepRunRecord, '_id' | 'action'>) =>
  record.history.some((h) => h.action === run.action && h.run === run._id);

/**
 * A round's part (interrupted-steps.ts): the write's run left by a crash or an error. The case is fenced first unless
 * its history holds the write (the run's mark in `fencedEntries`: a write still on its way can no longer take), so that
 * its history tells for good whether the write stood; if it did, its audit entry is written once. True when it stood.
 */
export async function finishAuditedWrite(run: StepRunRecord): Promise<boolean> {
  const id = String(run.caseId);
  const seen = await casesRepository.findById(id);
  if (seen && !recorded(seen, run))
    await casesRepository.updateManyIf([
      {
        id,
        filter: { 'history.run': { $ne: run._id } },
        update: { $inc: { revision: 1 }, $addToSet: { fencedEntries: new Types.ObjectId(run._id) } },
      },
    ]);
  const after = seen && (recorded(seen, run) ? seen : await casesRepository.findById(id));
  const stood = Boolean(after && recorded(after, run));
  const author = { userId: run.actor.userId, name: run.actor.name, requestId: 'write-finish' };
  if (stood) await recordAuditsOnce([auditOf(run, author)], { chunk: run._id, lookFirst: false });
  await stepRuns.end(run);
  return stood;
}
