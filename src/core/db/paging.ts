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
