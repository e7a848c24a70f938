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
