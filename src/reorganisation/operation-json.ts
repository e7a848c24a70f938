import type { OperationDoc } from './reorganisation.model.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The operation as the API shows it: the plan's steps without their internal data, and a progress count. */
export function operationJSON(op: OperationDoc) {
  return {
    id: String(op._id),
    kind: op.kind,
    orgId: String(op.orgId),
    params: op.params,
    status: op.status,
    progress: { done: op.steps.filter((s) => s.done).length, total: op.steps.length },
    steps: op.steps.map((s) => ({ kind: s.kind, collection: s.collectionName ?? null, done: s.done, modified: s.modified })),
    createdBy: op.createdBy,
    createdAt: iso(op.createdAt),
    startedAt: iso(op.startedAt),
    finishedAt: iso(op.finishedAt),
    error: op.error ?? null,
  };
}
