import { Types } from 'mongoose';
import { registerJobKind, type JobContext } from '../jobs/index.js';
import { batchJSON } from './batches.service.js';
import { concludeImport, importRows, stopImport, type ImportPart, type ImportResult } from './import.service.js';
import { listContextOf, type ImportInput, type ListContext } from './list-context.js';
import { IMPORT_CHUNK_ROWS, ListEntries } from './list-entries.js';
import { listStore } from './list-store.js';

export const IMPORT_JOB = 'batch.import';

// A type (not an interface), so that it is a job's `input` (a plain record) as it stands.
export type ImportJobInput = Pick<ImportInput, 'programCode' | 'campaignId' | 'subtype'> & {
  /** The batch taken for the file when the upload was answered (status `importing` until the job ends). */
  batchId: string;
  /** The batch's `importRun` this job imports (absent on jobs queued before runs were kept). */
  importRun?: string;
  /** The uploaded file in GridFS (list-store.ts), removed when the job ends. */
  fileId: string;
  fileName: string;
  rows: number;
};

/** The job's items: the chunks of the list, in the file's order. */
export function importItemKeys(rows: number): string[] {
  return Array.from({ length: Math.ceil(rows / IMPORT_CHUNK_ROWS) }, (_, i) => String(i));
}

/** The answer of POST /batches/import (201), which is also the job's `result`. */
export function importAnswer(result: ImportResult) {
  return { ...result, batch: batchJSON(result.batch) };
}

interface Prepared {
  entries: ListEntries;
  list: ListContext;
}

/**
 * The file is streamed from GridFS once per run of the job (by whichever instance runs it), and each chunk
 * (run in order, concurrency 1) takes its rows as they come: only the chunk's rows are held, and a key per
 * row read so far, so that the same CCCD twice in the file is found across chunks. A resumed run reads past
 * the chunks already done, checking their rows for that only.
 */
const prepared = new WeakMap<JobContext, Promise<Prepared>>();
function prepare(ctx: JobContext): Promise<Prepared> {
  let read = prepared.get(ctx);
  if (!read) {
    const input = ctx.job.input as ImportJobInput;
    read = (async () => ({
      entries: new ListEntries(() => listStore.open(input.fileId)),
      list: await listContextOf(ctx.principal, input),
    }))();
    prepared.set(ctx, read);
  }
  return read;
}

async function release(ctx: JobContext): Promise<void> {
  const read = prepared.get(ctx);
  prepared.delete(ctx);
  await read?.then(({ entries }) => entries.close()).catch(() => undefined);
}

/**
 * POST /batches/import as a job (SPEC §14). One item per chunk of rows, run in order; each chunk is idempotent
 * per row (import.service.ts `importRows`: a row's case has an id made of the batch and the row, so a chunk run
 * again after a crash finds the cases it made and does not make them twice; members are unique by CCCD). The
 * progress counts rows. `finish` gives the batch its cases and answers what the synchronous import answers; a
 * list with no valid row fails the job with the synchronous 400's code and detail, and leaves no batch. An
 * import is not cancellable: it runs to the end, as a list in Excel is not imported half. A job that fails
 * otherwise (an item, `finish`, or a starter disabled before a takeover) leaves the list `incomplete` with the
 * cases made, or no list if none was (`stopImport`); its file goes either way.
 */
export function registerImportJob(): void {
  registerJobKind({
    kind: IMPORT_JOB,
    concurrency: 1,
    cancellable: false,
    async runItem(ctx, key): Promise<ImportPart> {
      const input = ctx.job.input as ImportJobInput;
      try {
        const { entries, list } = await prepare(ctx);
        const from = Number(key) * IMPORT_CHUNK_ROWS;
        const to = Math.min(from + IMPORT_CHUNK_ROWS, input.rows);
        const part = await importRows(
          ctx.principal,
          ctx.actor,
          list,
          new Types.ObjectId(input.batchId),
          await entries.part(from, to),
        );
        await ctx.reportProgress(to, input.rows);
        return part;
      } catch (error) {
        // The job fails with this error (the runner does not retry an item that threw): `failed` below follows.
        await release(ctx);
        throw error;
      }
    },
    async failed(job, outcomes, error) {
      const input = job.input as ImportJobInput;
      const parts = importItemKeys(input.rows).flatMap((key) =>
        outcomes.has(key) ? [outcomes.get(key) as ImportPart] : [],
      );
      await stopImport(
        { userId: job.createdBy.id, name: job.createdBy.name, requestId: `job:${String(job._id)}` },
        {
          batchId: new Types.ObjectId(input.batchId),
          run: input.importRun ? new Types.ObjectId(input.importRun) : null,
          rows: input.rows,
          // Chunks run in order, one at a time: those done are the first ones.
          rowsRead: Math.min(input.rows, parts.length * IMPORT_CHUNK_ROWS),
          parts,
          error,
        },
      );
      await listStore.remove(input.fileId);
    },
    async finish(ctx, outcomes) {
      const input = ctx.job.input as ImportJobInput;
      try {
        return importAnswer(
          await concludeImport(ctx.actor, new Types.ObjectId(input.batchId), input.rows, outcomes as ImportPart[]),
        );
      } finally {
        await release(ctx);
        await listStore.remove(input.fileId);
      }
    },
  });
}
