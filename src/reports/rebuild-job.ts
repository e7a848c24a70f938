import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { Types } from 'mongoose';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { ConflictError } from '../core/errors.js';
import { jobsRepository, registerJobKind, type JobContext, type JobRecord } from '../jobs/index.js';
import { caseEvents, entryEvent, mergedByBucket, reportedCase, type ReportCase, type ReportEvent } from './events.js';
import { caseMark, dropMarks, entryMark, markSeen, unseenMarks, type MarkedPart } from './marks.js';
import { keptRepository } from './kept.repository.js';
import { payeeGroups } from './payees.js';
import { reportsRepository, type RawEntry } from './reports.repository.js';
import {
  beginGeneration,
  dropGeneration,
  dropStaleGenerations,
  endBuild,
  retiredGeneration,
  storeOf,
  switchTo,
  totalsState,
  type TotalsStore,
} from './store.js';

/**
 * Rebuilding the report figures while the service serves (SPEC §14), as the job `reports.rebuild`:
 * 1. a new generation (store.ts) is begun; from then on live events also reach it, through the marks;
 * 2. every submitted case and every settled entry is read and counted into it, a chunk at a time, each one
 *    marked as seen (marks.ts decides which live changes are in the read and which are added);
 * 3. what live changes marked but the scan never met (a case submitted after the scan went past it) is read
 *    and counted the same way;
 * 4. one update of `report_state` makes the new generation the current one for every reader;
 * 5. after the drain, the marks are swept once more, the build ends, and the old generation and the marks
 *    are dropped.
 * The drain (`REPORT_REBUILD_DRAIN_MS`) waits out live events that read the state just before it changed; a
 * live event takes milliseconds from its change to its update.
 *
 * Taken over after a crash before step 4, the rebuild starts a fresh generation (the half-built one is dropped,
 * never read): a count interrupted in the middle of a chunk cannot tell what it already added. After step 4
 * it goes on with step 5, unless it died in the middle of a chunk of that sweep (the job's state says so):
 * then the current generation may lack part of that chunk, so it stays current while a fresh one is built. Taken
 * over after that last sweep (the job's state holds `ending`), it only ends the build and drops what is left.
 * Cancelled before step 4, nothing changes for readers.
 */
export const REBUILD_JOB = 'reports.rebuild';
/** A chunk's writes in flight at once (different buckets, year documents and markers). */
const WRITES_AT_ONCE = 16;

export interface RebuildOptions {
  drainMs: number;
  /** Cases or entries read and counted at a time. */
  chunk: number;
  /**
   * Tests only: a pause before each chunk, so that a rebuild can be caught half-way, and in the sweep after the
   * switch between marking a chunk seen and counting it.
   */
  chunkDelayMs: number;
}

export interface RebuildResult {
  generation: number;
  cases: number;
  entries: number;
  buckets: number;
  cancelled: boolean;
}

/**
 * A rebuild queued on behalf of the national administrator (the users collection's first active admin of the root
 * organisation), for `npm run reports:rebuild` and the repair of partly counted chunks (report-runs.ts). The same
 * `requestKey` never queues two: the job it queued is answered. Null when there is no such administrator.
 */
export async function queueRebuild(input: Record<string, unknown>, requestKey?: string): Promise<JobRecord | null> {
  const admin = await mongoose.connection
    .db!.collection<{ _id: Types.ObjectId; fullName: string; orgPath: Types.ObjectId[] }>('users')
    .findOne({ roles: 'admin', active: true, orgPath: { $size: 1 } });
  if (!admin) return null;
  const job = {
    kind: REBUILD_JOB,
    createdBy: { id: String(admin._id), name: admin.fullName },
    orgPath: admin.orgPath,
    input,
    itemKeys: ['rebuild'],
    ...(requestKey ? { requestKey } : {}),
  };
  try {
    return (await jobsRepository.insert(job)).job;
  } catch (error) {
    if (!requestKey || !isDuplicateKeyError(error)) throw error;
    return jobsRepository.findByRequestKey(requestKey);
  }
}

/** Whether a rebuild is making a generation now (a reorganisation must wait: it rewrites the buckets in place). */
export async function rebuildInProgress(): Promise<boolean> {
  return Boolean((await totalsState()).building);
}

function conflict(detail: string): ConflictError {
  return new ConflictError('CONFLICT', detail);
}

/** Case events and settled entries with the pending live changes of their marks, added to the store at once. */
async function countChunk(
  store: TotalsStore,
  items: { markId: string; seen: number; events: ReportEvent[]; payees: RawEntry[] }[],
  guard?: SweepGuard,
): Promise<number> {
  await guard?.before();
  const pending = await markSeen(
    store.generation,
    items.map(({ markId, seen }) => ({ markId, seen })),
  );
  await guard?.seen();
  const events: ReportEvent[] = [];
  const payees: RawEntry[] = [];
  let counted = 0;
  for (const item of items) {
    const live = pending.get(item.markId);
    if (live === null) continue;
    counted += 1;
    events.push(...item.events, ...(live ?? []).flatMap((p: MarkedPart) => p.events));
    payees.push(...item.payees, ...((live ?? []).flatMap((p) => p.payees) as RawEntry[]));
  }
  // The same three parts as a live change's (applyToStore), each written in as few commands as it allows.
  const merged = mergedByBucket(events);
  await reportsRepository.addEventsAtOnce(merged, store);
  await keptRepository.addToYears(merged, store);
  await keptRepository.addPayeesAtOnce(payeeGroups(payees), store, WRITES_AT_ONCE);
  await guard?.after();
  return counted;
}

const caseItem = (generation: number, c: ReportCase) => ({
  markId: caseMark(generation, String(c._id)),
  seen: (c.history ?? []).length,
  events: caseEvents(reportedCase(c)),
  payees: [],
});

/** Entries with their case (the events carry the case's dimensions, as the live side writes them). */
async function entryItems(generation: number, entries: readonly RawEntry[]) {
  const ids = [...new Set(entries.map((e) => String(e.caseId)))].map((id) => new Types.ObjectId(id));
  const cases = new Map((await reportsRepository.casesByIds(ids)).map((c) => [String(c._id), c]));
  return entries.flatMap((entry) => {
    const c = cases.get(String(entry.caseId));
    const event = c ? entryEvent(reportedCase(c), entry) : null;
    return event
      ? [{ markId: entryMark(generation, String(entry._id)), seen: 1, events: [event], payees: [entry] }]
      : [];
  });
}

async function* chunks<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of source) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/**
 * Around each chunk of the sweep after the switch, when the generation is already the one readers read: a chunk
 * marked seen but not (wholly) counted cannot be counted again, so the job records that one is in flight (see
 * `rebuild`). `seen` is the tests' pause between the two.
 */
interface SweepGuard {
  before(): Promise<void>;
  seen(): Promise<void>;
  after(): Promise<void>;
}

/** The marks live changes made that the scan never met: read now and counted like the scan counts. */
async function sweep(store: TotalsStore, size: number, guard?: SweepGuard): Promise<number> {
  let counted = 0;
  for (;;) {
    const ids = await unseenMarks(store.generation, size);
    if (!ids.length) return counted;
    const caseIds = ids.filter((id) => id.includes('|c|')).map((id) => new Types.ObjectId(id.split('|')[2]));
    const entryIds = ids.filter((id) => id.includes('|e|')).map((id) => new Types.ObjectId(id.split('|')[2]));
    const cases = await reportsRepository.casesByIds(caseIds);
    const settled = await reportsRepository.settledEntriesByIds(entryIds);
    const items = [
      ...cases.map((c) => caseItem(store.generation, c)),
      ...(await entryItems(store.generation, settled)),
    ];
    // A mark whose case or entry is gone or not settled is seen with nothing of its own: its live changes count.
    const found = new Set(items.map((i) => i.markId));
    for (const id of ids) if (!found.has(id)) items.push({ markId: id, seen: 0, events: [], payees: [] });
    counted += await countChunk(store, items, guard);
  }
}

async function build(
  ctx: JobContext,
  generation: number,
  options: RebuildOptions,
): Promise<{ cases: number; entries: number } | null> {
  const store = storeOf(generation);
  await store.buckets.createIndexes();
  const [caseTotal, entryTotal] = await Promise.all([
    reportsRepository.countSubmittedCases(),
    reportsRepository.countSettledEntries(),
  ]);
  const total = caseTotal + entryTotal;
  let done = 0;
  let cases = 0;
  let entries = 0;
  const step = async () => {
    if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
    return !ctx.halted();
  };
  for await (const chunk of chunks(reportsRepository.casesOf(null), options.chunk)) {
    if (!(await step())) return null;
    cases += await countChunk(
      store,
      chunk.map((c) => caseItem(generation, c)),
    );
    done += chunk.length;
    await ctx.reportProgress(Math.min(done, total), total);
  }
  for await (const chunk of chunks(reportsRepository.settledEntries({ orgIds: null }), options.chunk)) {
    if (!(await step())) return null;
    entries += await countChunk(store, await entryItems(generation, chunk));
    done += chunk.length;
    await ctx.reportProgress(Math.min(done, total), total);
  }
  await sweep(store, options.chunk);
  return { cases, entries };
}

/**
 * The end of a switched-in generation's build: no more marks from live changes (after the drain, none is in flight),
 * then its marks and the generation it replaced (nobody has read that one since the drain) are dropped. Each step
 * may run again after a crash.
 */
async function endSwitched(generation: number, retired: number | null, options: RebuildOptions): Promise<void> {
  await endBuild(generation);
  await sleep(options.drainMs);
  await dropMarks(generation);
  if (retired !== null && retired !== generation) await dropGeneration(retired);
}

async function rebuild(ctx: JobContext, options: RebuildOptions): Promise<RebuildResult> {
  const jobId = String(ctx.job._id);
  const saved = (ctx.job.state ?? {}) as {
    cases?: number;
    entries?: number;
    retired?: number | null;
    sweepInFlight?: boolean;
    ending?: number;
  };
  if (saved.ending !== undefined) {
    // Killed after the last sweep, while its generation was already the current one: only the clean-up is left
    // (ending the build again is harmless), not a fresh build of every case.
    await endSwitched(saved.ending, saved.retired ?? null, options);
    const buckets = await storeOf(saved.ending).buckets.estimatedDocumentCount();
    return {
      generation: saved.ending,
      cases: saved.cases ?? 0,
      entries: saved.entries ?? 0,
      buckets,
      cancelled: false,
    };
  }
  let state = await totalsState();
  let generation: number;
  let counts = { cases: saved.cases ?? 0, entries: saved.entries ?? 0 };
  let switched = state.building?.jobId === jobId && state.building.phase === 'switching';
  if (switched && saved.sweepInFlight) {
    // The instance died in the last sweep between marking a chunk seen and counting it: the switched-in
    // generation may lack that chunk, and nothing tells how much of it was added. It stays current while a
    // fresh one is built; the generation it replaced goes now (nobody has read it since the drain).
    const current = state.building!.generation;
    await endSwitched(current, saved.retired ?? (await retiredGeneration()), options);
    await ctx.saveState({ sweepInFlight: false });
    saved.retired = undefined;
    state = await totalsState();
    switched = false;
  }
  if (switched) {
    generation = state.building!.generation;
  } else {
    if (await jobsRepository.anyActive('org.'))
      throw conflict('Đang có thao tác tổ chức lại chưa xong; hãy tính lại tổng báo cáo sau khi thao tác đó kết thúc.');
    const begun = await beginGeneration(jobId);
    if (!begun) throw conflict('Đang có một lần tính lại tổng báo cáo khác chạy.');
    generation = begun.generation;
    if (begun.abandoned !== null) {
      await sleep(options.drainMs);
      await dropMarks(begun.abandoned);
    }
    await dropStaleGenerations([state.generation, generation]);
    const built = await build(ctx, generation, options);
    if (!built || ctx.cancelled()) {
      if (ctx.cancelled()) {
        // Nothing was switched: readers never saw this generation.
        await endBuild(generation);
        await sleep(options.drainMs);
        await Promise.all([dropGeneration(generation), dropMarks(generation)]);
      }
      return { generation: state.generation, cases: 0, entries: 0, buckets: 0, cancelled: true };
    }
    counts = built;
    const retired = await switchTo(generation);
    // Only this job moves its generation on: anything else means the state was changed under it.
    if (retired === null) throw new Error(`report generation ${generation} could not be switched in`);
    await ctx.saveState({ ...counts, retired });
    saved.retired = retired;
  }
  await sleep(options.drainMs);
  const inFlight = (on: boolean) => ctx.saveState({ ...counts, retired: saved.retired ?? null, sweepInFlight: on });
  await sweep(storeOf(generation), options.chunk, {
    before: () => inFlight(true),
    seen: async () => {
      if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
    },
    after: () => inFlight(false),
  });
  const retired = saved.retired ?? (await retiredGeneration());
  // From here a takeover only cleans up (see the top of `rebuild`): every mark is counted.
  await ctx.saveState({ ...counts, retired, sweepInFlight: false, ending: generation });
  await endSwitched(generation, retired, options);
  const buckets = await storeOf(generation).buckets.estimatedDocumentCount();
  return { generation, ...counts, buckets, cancelled: false };
}

export function registerRebuildJob(options: RebuildOptions): void {
  registerJobKind({
    kind: REBUILD_JOB,
    concurrency: 1,
    runItem: (ctx) => rebuild(ctx, options),
    async finish(_ctx, outcomes) {
      return outcomes[0] ?? null;
    },
    // A rebuild that failed must not hold the state (every later rebuild and reorganisation would get 409).
    async failed(job) {
      const { building, generation } = await totalsState();
      const saved = (job.state ?? {}) as { ending?: number; retired?: number | null };
      if (building?.jobId !== String(job._id)) {
        // Failed after its build ended (`ending`): its generation is current and complete; what is left is the
        // clean-up a takeover would have done, the marks and the generation it replaced (never the current one).
        if (saved.ending === undefined) return;
        await sleep(options.drainMs);
        await dropMarks(saved.ending);
        const retired = saved.retired ?? null;
        if (retired !== null && retired !== generation && retired !== building?.generation)
          await dropGeneration(retired);
        return;
      }
      await endBuild(building.generation);
      await sleep(options.drainMs);
      // Before the switch nobody read the new generation; after it, the new one is current and complete but for
      // the last sweep, which `npm run reconcile` would show.
      if (building.phase === 'building') await dropGeneration(building.generation);
      await dropMarks(building.generation);
    },
  });
}
