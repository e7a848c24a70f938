import { registerJobKind } from '../jobs/index.js';
import type { ExecutorOptions } from './executor.js';
import { progressOf, runOperation } from './executor.js';
import { operationJSON } from './operation-json.js';
import { OrgOperation, OPERATION_KINDS, type OperationDoc, type OperationKind } from './reorganisation.model.js';

/** The job kinds of SPEC §13 reorganisations run on the job runner of §14. */
export const reorganisationJobKind = (kind: OperationKind) => `org.${kind}`;

export interface ReorganisationJobInput {
  operationId: string;
  orgId: string;
  params: Record<string, unknown>;
}

/**
 * A reorganisation as a job: its one item is the stored operation, run by the resumable executor
 * (`runOperation`), which reports the items moved as the job's progress. A job taken over after kill -9 runs
 * the operation again from its first unfinished step. It cannot be cancelled: a subtree half moved must be
 * finished, not left.
 */
export function registerReorganisationJobs(options: Pick<ExecutorOptions, 'stepDelayMs' | 'logger'>): void {
  for (const kind of OPERATION_KINDS) {
    registerJobKind({
      kind: reorganisationJobKind(kind),
      concurrency: 1,
      cancellable: false,
      async runItem(ctx, operationId) {
        await runOperation(operationId, {
          ...options,
          onProgress: ({ done, total }) => ctx.reportProgress(done, total),
        });
        // An operation already finished (the instance died between its last step and the job's end) reports nothing above.
        const op = await OrgOperation.findById(operationId).lean<OperationDoc>();
        if (op) {
          const { done, total } = progressOf(op);
          await ctx.reportProgress(done, total);
        }
        return { operationId };
      },
      async finish(ctx) {
        const { operationId } = ctx.job.input as ReorganisationJobInput;
        const op = await OrgOperation.findById(operationId).lean<OperationDoc>();
        return op ? operationJSON(op) : null;
      },
    });
  }
}
