import mongoose, { type Model } from 'mongoose';
import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../core/db/mongo-errors.js';
import { ReportTotal, type ReportTotalDoc } from './reports.model.js';

/**
 * The kept report figures live in one **generation** of four collections: the monthly buckets, the year
 * figures, the people-paid markers and their counters. Generation 0 is the collections' plain names
 * (`report_totals` …); generation n is the same names with `_g<n>`. One document, `report_state`, names the
 * generation that is read and written now and, while a rebuild job (rebuild-job.ts) makes the next one, that
 * one and how far it is:
 * - `building`: live events go to the current generation and, through the marks, to the one being built;
 * - `switching`: the built one is current already, and live events still go through the marks until the
 *   rebuild has swept the cases its scan could not have seen.
 * A swap is one update of this document, so every reader moves to the new figures at once.
 */
export type BuildPhase = 'building' | 'switching';

export interface TotalsState {
  generation: number;
  building: { generation: number; phase: BuildPhase; jobId: string } | null;
}

interface StateDoc extends TotalsState {
  _id: string;
  /** The highest generation ever handed out: an abandoned one is never reused. */
  lastGeneration: number;
}

const STATE_ID = 'totals';
const BASE = {
  buckets: 'report_totals',
  years: 'report_years',
  payees: 'report_payees',
  payeeCounts: 'report_payee_counts',
};

const db = () => {
  const connected = mongoose.connection.db;
  if (!connected) throw new Error('database not connected');
  return connected;
};
const stateCollection = () => db().collection<StateDoc>('report_state');

export interface TotalsStore {
  generation: number;
  buckets: Model<ReportTotalDoc>;
  years: Collection;
  payees: Collection;
  payeeCounts: Collection;
}

export function collectionNames(generation: number): typeof BASE {
  const suffix = generation === 0 ? '' : `_g${generation}`;
  return {
    buckets: `${BASE.buckets}${suffix}`,
    years: `${BASE.years}${suffix}`,
    payees: `${BASE.payees}${suffix}`,
    payeeCounts: `${BASE.payeeCounts}${suffix}`,
  };
}

const bucketModels = new Map<number, Model<ReportTotalDoc>>();

/**
 * The buckets' schema for a generation's model, which never creates its collection or indexes by itself: mongoose
 * would do it in the background when the model is made, and could so bring back a generation just dropped. The
 * rebuild makes the indexes when it begins the generation.
 */
function generationSchema() {
  const schema = ReportTotal.schema.clone();
  schema.set('autoIndex', false);
  schema.set('autoCreate', false);
  return schema;
}

/** The collections of one generation; the buckets through a model of the same schema, so values are cast alike. */
export function storeOf(generation: number): TotalsStore {
  const names = collectionNames(generation);
  let buckets = bucketModels.get(generation);
  if (!buckets) {
    buckets =
      generation === 0
        ? (ReportTotal as unknown as Model<ReportTotalDoc>)
        : ((mongoose.models[`ReportTotal_g${generation}`] as Model<ReportTotalDoc> | undefined) ??
          (mongoose.model(
            `ReportTotal_g${generation}`,
            generationSchema(),
            names.buckets,
          ) as unknown as Model<ReportTotalDoc>));
    bucketModels.set(generation, buckets);
  }
  return {
    generation,
    buckets,
    years: db().collection(names.years),
    payees: db().collection(names.payees),
    payeeCounts: db().collection(names.payeeCounts),
  };
}

/** Read on every use (one lookup by `_id`): a swap must reach every instance at once. */
export async function totalsState(): Promise<TotalsState> {
  const doc = await stateCollection().findOne({ _id: STATE_ID });
  return { generation: doc?.generation ?? 0, building: doc?.building ?? null };
}

export async function currentStore(): Promise<TotalsStore> {
  return storeOf((await totalsState()).generation);
}

/** The name the current generation's buckets have (a reorganisation rewrites their chains in place). */
export async function currentBucketCollection(): Promise<string> {
  return collectionNames((await totalsState()).generation).buckets;
}

/**
 * Starts building a new generation for a job, unless another job is building one (answers null then). A
 * generation left `building` by this same job (taken over after a crash) is abandoned: answered in `abandoned`
 * so the caller drops it, and a new one is handed out.
 */
export async function beginGeneration(jobId: string): Promise<{ generation: number; abandoned: number | null } | null> {
  await stateCollection()
    .insertOne({ _id: STATE_ID, generation: 0, building: null, lastGeneration: 0 })
    .catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
  const state = (await stateCollection().findOne({ _id: STATE_ID }))!;
  if (state.building && state.building.jobId !== jobId) return null;
  const abandoned = state.building?.phase === 'building' ? state.building.generation : null;
  const generation = state.lastGeneration + 1;
  const res = await stateCollection().updateOne(
    { _id: STATE_ID, lastGeneration: state.lastGeneration, 'building.generation': state.building?.generation ?? null },
    { $set: { lastGeneration: generation, building: { generation, phase: 'building', jobId } } },
  );
  if (res.modifiedCount !== 1) return null;
  return { generation, abandoned };
}

/** The built generation becomes the current one; answers the generation it replaced (null: already switched). */
export async function switchTo(generation: number): Promise<number | null> {
  const state = (await stateCollection().findOne({ _id: STATE_ID }))!;
  if (state.building?.generation !== generation || state.building.phase !== 'building') return null;
  const res = await stateCollection().updateOne(
    { _id: STATE_ID, generation: state.generation, 'building.generation': generation, 'building.phase': 'building' },
    { $set: { generation, 'building.phase': 'switching', retired: state.generation } },
  );
  return res.modifiedCount === 1 ? state.generation : null;
}

/** The generation the last switch replaced (its collections are dropped when the rebuild ends). */
export async function retiredGeneration(): Promise<number | null> {
  const doc = await stateCollection().findOne({ _id: STATE_ID });
  return (doc as (StateDoc & { retired?: number }) | null)?.retired ?? null;
}

/** No build any more (done, or cancelled before its switch). */
export async function endBuild(generation: number): Promise<void> {
  await stateCollection().updateOne(
    { _id: STATE_ID, 'building.generation': generation },
    { $set: { building: null }, $unset: { retired: '' } },
  );
}

/**
 * Collections of generations that are neither current nor being built: what a live update left behind when it
 * outlasted the drain and wrote to a generation already dropped (it is never read). Dropped when a rebuild begins.
 */
export async function dropStaleGenerations(keep: readonly number[]): Promise<void> {
  const names = await db().listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of names) {
    const match = /^report_(?:totals|years|payees|payee_counts)_g(\d+)$/.exec(name);
    if (match && !keep.includes(Number(match[1])))
      await db()
        .collection(name)
        .drop()
        .catch(() => undefined);
  }
}

export async function dropGeneration(generation: number): Promise<void> {
  for (const name of Object.values(collectionNames(generation))) {
    await db()
      .collection(name)
      .drop()
      .catch(() => undefined);
  }
}
