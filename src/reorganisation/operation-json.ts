import { progressOf } from './executor.js';
import type { OperationDoc } from './reorganisation.model.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * The operation as the API shows it: the plan's steps without their internal data, and its progress in items
 * (the subtree's documents whose chain was rewritten, plus one for every other step), as its job shows it.
 */
export function operationJSON(op: OperationDoc) {
  return {
    id: String(op._id),
    kind: op.kind,
    orgId: String(op.orgId),
    params: op.params,
    status: op.status,
    progress: progressOf(op),
    steps: op.steps.map((s) => ({
      kind: s.kind,
      collection: s.collectionName ?? null,
      done: s.done,
      modified: s.modified,
    })),
    createdBy: op.createdBy,
    createdAt: iso(op.createdAt),
    startedAt: iso(op.startedAt),
    finishedAt: iso(op.finishedAt),
    error: op.error ?? null,
  };
}
