import type { Collection, Document } from 'mongodb';

/** A lease in `field` that is free to take: never taken, or run out before `now`. */
export const leaseFree = (field: string, now: Date) => ({ $or: [{ [field]: null }, { [field]: { $lt: now } }] });

/**
 * Takes the lease in `field` of the record `filter` names for `ms`: false when another instance holds it. A round that
 * fails leaves the record to the next once `ms` has passed.
 */
export async function takeLease(
  collection: Collection<Document>,
  filter: Record<string, unknown>,
  field: string,
  ms: number,
): Promise<boolean> {
  const now = new Date();
  const result = await collection.updateOne(
    { ...filter, ...leaseFree(field, now) },
    { $set: { [field]: new Date(now.getTime() + ms) } },
  );
  return result.modifiedCount === 1;
}
