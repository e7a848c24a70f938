import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import type { HydratedDocument, QueryFilter, Model } from 'mongoose';
import type { ListQuery, Page } from '../http/common-schemas.js';

/** One page of a filtered, sorted list with its total; `_id` breaks ties so pages never overlap. */
export async function findPage(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any, any, any, any, any, any, any>,
  filter: QueryFilter<unknown>,
  query: ListQuery,
  toItem: (doc: HydratedDocument<unknown>) => unknown = (doc) => doc.toJSON(),
  projection: Record<string, 0 | 1> | null = null,
): Promise<Page<unknown>> {
  const direction = query.sort.startsWith('-') ? -1 : 1;
  const field = query.sort.replace(/^-/, '');
  const [docs, total] = await Promise.all([
    model
      .find(filter, projection)
      .sort({ [field]: direction, _id: direction })
      .skip((query.page - 1) * query.limit)
      .limit(query.limit),
    model.countDocuments(filter),
  ]);
  return {
    items: docs.map((doc: HydratedDocument<unknown>) => toItem(doc)),
    total,
    page: query.page,
    limit: query.limit,
  };
}

/**
 * The batch size of a cursor that reads through many documents (a report rebuild's every case and every settled
 * payment, a backfill): asked for, on MongoDB as usual, and on the embedded H2 engine so that the cursor reads a batch
 * at a time by key, where a cursor that asks for no batch size is every match read into the engine's memory before
 * the first (tools/embedded-mongo/EmbeddedMongo.java `KeyedCursor`; docs/engine.md).
 */
export const SCAN_BATCH = 1_000;

/** Reads the ids of what `filter` matches in batches and hands them on a slice of `SCAN_BATCH` at a time. */
async function inSlices<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  each: (ids: unknown[]) => Promise<unknown>,
): Promise<void> {
  let ids: unknown[] = [];
  const flush = async () => {
    if (ids.length) await each(ids);
    ids = [];
  };
  for await (const { _id } of collection.find(filter, { projection: { _id: 1 }, batchSize: SCAN_BATCH })) {
    ids.push(_id);
    if (ids.length === SCAN_BATCH) await flush();
  }
  await flush();
}

/**
 * Deletes what `filter` matches a slice of `SCAN_BATCH` documents at a time, the ids read in batches. The embedded engine
 * reads every match of one command into its memory and keeps every change until the command's commit: one
 * `deleteMany` of 660,090 people-paid markers ran its 2 GB heap out (docs/operations.md). On MongoDB it is the usual
 * way to delete many documents without one long command. Not atomic: a crash leaves the rest, which the caller's
 * next run deletes.
 */
export function deleteInSlices<T extends Document>(collection: Collection<T>, filter: Filter<T>): Promise<void> {
  // A `deleteOne` per document, as `updateInSlices` updates (the engine would compare each with every id of an `$in`).
  return inSlices(collection, filter, (ids) =>
    collection.bulkWrite(
      ids.map((_id) => ({ deleteOne: { filter: { ...filter, _id } as Filter<T> } })),
      { ordered: false },
    ),
  );
}

/**
 * `updateMany(filter, update)` a slice of `SCAN_BATCH` documents at a time, for the same reason as `deleteInSlices`:
 * one `updateMany` of every document of a collection larger than the engine's heap ended the engine. Each slice is
 * one bulk write of an `updateOne` per document, filtered by its `_id` and by `filter` (a document changed meanwhile
 * is left as `updateMany` would leave it): the engine matches an update's document against its whole filter again,
 * so an `_id: {$in: [1,000 ids]}` cost it every id for every document (a union's move took twice as long, 10,000 ids
 * six times). Not atomic, as `updateMany` is not either; the update must be one that may be run again. Answers how
 * many documents changed.
 */
export async function updateInSlices<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  update: UpdateFilter<T>,
): Promise<number> {
  let modified = 0;
  await inSlices(collection, filter, async (ids) => {
    const operations = ids.map((_id) => ({ updateOne: { filter: { ...filter, _id } as Filter<T>, update } }));
    modified += (await collection.bulkWrite(operations, { ordered: false })).modifiedCount;
  });
  return modified;
}
