import type { Actor, Principal } from '../core/scope.js';
import type { JobRecord } from './jobs.model.js';

/** What a kind's code gets while it runs one job. */
export interface JobContext {
  job: JobRecord;
  /** The starter as they are now (re-read when the job is taken up): a disabled user's job stops. */
  principal: Principal;
  actor: Actor;
  /** What the kind keeps between attempts (read `job.state`); written under the lease. */
  saveState(state: Record<string, unknown>): Promise<void>;
  /**
   * Keeps what the chunk in hand needs for a takeover (`state.runs.<slot>`), written alone under the lease so that
   * chunks running at once (`chunksAtOnce`) never write over each other's; `runsInHand` reads them all back.
   */
  keepRun(slot: string, run: unknown): Promise<void>;
  /** Adds values to a list in the job's state (`state.<field>`) that chunks running at once may each add to. */
  addToState(field: string, values: readonly string[]): Promise<void>;
  /**
   * For a kind whose items are few and long (a reorganisation is one item moving thousands of documents): the
   * job's progress in the kind's own units. Once called, the runner no longer counts items as progress.
   */
  reportProgress(done: number, total: number): Promise<void>;
  /**
   * For a kind with one long item: whether it should stop at its next safe point. `cancelled` once the starter
   * asked; `halted` also when the lease was lost or the instance is stopping. An item that returns while
   * halted and not cancelled is not recorded: it runs again, from its start, where the job is taken up.
   */
  cancelled(): boolean;
  halted(): boolean;
  /**
   * Only for tests that kill an instance in the middle of a step (JOB_ITEM_DELAY_MS): a pause at the kind's own
   * points between writes. Resolves at once otherwise.
   */
  pause(): Promise<void>;
}

/**
 * One kind of job. `runItem` must be idempotent: after a crash, the item that was in hand when the instance
 * died is run again, and must then report what was done instead of doing it twice. `finish` likewise (it
 * runs again if the instance died during it); it gets the outcomes of the items done, in item order.
 */
export interface JobKind {
  kind: string;
  /** Items run at once within one job. */
  concurrency: number;
  /** false: `POST /jobs/:id/cancel` is refused (409), e.g. a reorganisation must not stop half-way. Default true. */
  cancellable?: boolean;
  runItem(ctx: JobContext, key: string): Promise<unknown>;
  /**
   * Optional: items handed over a chunk at a time (`chunk` keys, in item order; `chunksAtOnce` chunks at once);
   * answers one outcome per key, in the keys' order, and the runner records the chunk's outcomes with one write.
   * Idempotent like `runItem`: after a crash the chunk in hand is handed over again (maybe cut differently) and
   * must report what was done instead of doing it twice. `runItem` is then used by nobody but the kind itself.
   */
  runItems?(ctx: JobContext, keys: string[], slot: string): Promise<unknown[]>;
  /** Keys per `runItems` call (default 250). */
  chunk?: number;
  /**
   * Chunks run at once (default 1), each under a slot of its own (`slot`: "c0", "c1", …) for `keepRun`: while one
   * chunk waits for the database, the next one's planning uses the processor.
   */
  chunksAtOnce?: number;
  /**
   * Optional: finishes what an earlier attempt left in hand (a chunk kept in the job's state whose writes may have
   * stopped half-way), from wherever it stands, each write once. The runner calls it when the job is taken up again
   * (after a crash, a lost lease or an unexpected error), before any item, even if a cancel was asked; and when the
   * job fails, before `failed`, with the chunk that was in hand. Idempotent: it may find the chunk finished.
   */
  recover?(ctx: JobContext): Promise<void>;
  finish(ctx: JobContext, outcomes: unknown[], cancelled: boolean): Promise<unknown>;
  /**
   * Called when the job fails, before it is stored as failed, whatever failed it (an item, `finish`, or the job
   * before its first item: a disabled starter), with the outcomes recorded so far, so that the kind leaves what
   * it holds in a state users can act on. Idempotent: an instance that dies during it leaves the job to be taken
   * over and failed again. An error here is logged; the job is failed all the same.
   */
  failed?(job: JobRecord, outcomes: ReadonlyMap<string, unknown>, error: JobProblem): Promise<void>;
}

/**
 * Every run a job's chunks kept (`keepRun`), in no particular order, and `run`, the one chunk in hand kept by a job
 * of an earlier version (one chunk at a time): what a take-up finishes first. A slot holds its latest chunk only; a
 * finished one found there is finished again, which changes nothing.
 */
export function runsInHand<R>(state: Record<string, unknown> | null | undefined): R[] {
  const kept = (state as { runs?: Record<string, R>; run?: R } | null) ?? {};
  return [...Object.values(kept.runs ?? {}), ...(kept.run === undefined ? [] : [kept.run])];
}

/** A failed job's `error`, as `GET /jobs/:id` answers it. */
export interface JobProblem {
  code: string;
  detail: string;
}

const kinds = new Map<string, JobKind>();

/** Features register their kinds when the app is built (their routes module), so every instance knows them. */
export function registerJobKind(kind: JobKind): void {
  kinds.set(kind.kind, kind);
}

export function jobKind(name: string): JobKind | undefined {
  return kinds.get(name);
}
