import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import type { Collection } from 'mongodb';
import mongoose, { type Schema } from 'mongoose';

/** One guarded update of one document, its values already of the types the schema stores. */
export interface StoredUpdate {
  filter: Record<string, unknown>;
  update: Record<string, unknown>;
}

/** What is used of a model here. */
interface StoredModel {
  modelName: string;
  schema: Schema;
  collection: Pick<Collection, 'bulkWrite'>;
}

type CastUpdateOne = (
  model: StoredModel,
  op: { filter: object; update: object; timestamps?: boolean },
  options: object,
  now: Date,
) => void;

// mongoose's own cast of one `updateOne` of a bulk write, as `Model.bulkWrite` runs it on every op (pinned in
// package-lock.json; a mongoose that moves it fails the first call here, and every list step's test with it).
const { castUpdateOne } = createRequire(import.meta.url)('mongoose/lib/helpers/model/castBulkWrite.js') as {
  castUpdateOne: CastUpdateOne;
};

const { BSON } = mongoose.mongo;

/**
 * Updates of a bulk write (one `updateOne` each, unordered) sent to the driver as they are, without mongoose casting
 * each one: `Model.bulkWrite` builds, clones and casts every op, about 0.1 ms a case in a list's chunk of 250
 * (measured on the embedded engine, 3,000 updates: 0.6–1.0 s through mongoose, 0.25–0.7 s through the driver,
 * docs/benchmarks.md). The updates come typed from our own code with the stored types (ObjectIds, dates, whole
 * subdocuments). The first update of each shape (its operators and fields) is cast by mongoose as `bulkWrite` would
 * cast it, timestamps included, and must come out the same, so that a builder that drifts from the schema (a string
 * where an ObjectId is stored, a field the schema refuses or a default it adds) fails loudly instead of storing what
 * mongoose would not have stored. As with `Model.bulkWrite`, `updatedAt` is set when the schema keeps timestamps,
 * unless `timestamps: false` (the caller sets its own). Answers how many updates matched and the `updatedAt` written.
 */
export async function bulkUpdateStored(
  model: StoredModel,
  updates: readonly StoredUpdate[],
  { timestamps = true }: { timestamps?: boolean } = {},
): Promise<{ matched: number; updatedAt: Date }> {
  const updatedAt = new Date();
  if (!updates.length) return { matched: 0, updatedAt };
  const stamped = timestamps && model.schema.get('timestamps');
  const ops = updates.map(({ filter, update }) => ({
    filter,
    update: stamped ? { ...update, $set: { ...(update.$set as object), updatedAt } } : update,
  }));
  const checked = new Set<string>();
  ops.forEach((op, i) => {
    const shape = shapeOf(op);
    if (checked.has(shape)) return;
    checked.add(shape);
    assertStoredAsMongooseWould(model, op, updates[i]!, timestamps, updatedAt);
  });
  // A field whose value is `undefined` is left out, as mongoose leaves it out (the driver would store null).
  const result = await model.collection.bulkWrite(
    ops.map((op) => ({ updateOne: op })),
    { ordered: false, ignoreUndefined: true },
  );
  return { matched: result.matchedCount, updatedAt };
}

/** The operators and field names of an update and its filter (not their values). */
function shapeOf({ filter, update }: StoredUpdate): string {
  const fields = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value).join(',') : '');
  return `${Object.keys(filter).join(',')}|${Object.entries(update)
    .map(([operator, value]) => `${operator}:${fields(value)}`)
    .join(';')}`;
}

function assertStoredAsMongooseWould(
  model: StoredModel,
  sent: StoredUpdate,
  given: StoredUpdate,
  timestamps: boolean,
  now: Date,
): void {
  const probe = { filter: { ...given.filter }, update: given.update, timestamps };
  castUpdateOne(model, probe, {}, now);
  const asStored = (value: object) =>
    BSON.deserialize(BSON.serialize(value, { ignoreUndefined: true })) as Record<string, unknown>;
  const differing = [
    ...differingFields('filter', asStored(probe.filter), asStored(sent.filter)),
    ...differingFields('update', asStored(probe.update), asStored(sent.update)),
  ];
  // Names only: the values may be personal data (a member's snapshot), which no log line carries.
  if (differing.length)
    throw new Error(
      `bulkUpdateStored: an update of ${model.modelName} is not what mongoose would send (${differing.join(', ')})`,
    );
}

/** The fields (operator and field, for an update) whose values differ between two objects. */
function differingFields(name: string, cast: Record<string, unknown>, sent: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(cast), ...Object.keys(sent)]);
  return [...keys].flatMap((key) => {
    const [a, b] = [cast[key], sent[key]];
    if (isDeepStrictEqual(a, b)) return [];
    if (key.startsWith('$') && a && b && typeof a === 'object' && typeof b === 'object')
      return differingFields(`${name}.${key}`, a as Record<string, unknown>, b as Record<string, unknown>);
    return [`${name}.${key}`];
  });
}
