import type { Schema } from 'mongoose';

/** What is used of a model here: its schema, and a document built from a record. */
interface DocumentModel {
  schema: Schema;
  new (record?: object): { validate(): Promise<void>; toObject(options?: object): object };
}

/**
 * Documents of a bulk insert as mongoose would have stored them, without building a mongoose document for each
 * (for a list of 50,000 rows, building, casting and validating each document took most of the import's time):
 * every schema default the record leaves out, `createdAt`/`updatedAt` of the schema's timestamps, the version key
 * at 0, and no field whose value is `undefined` (mongoose leaves those out; the driver would store them as null,
 * which a sparse unique index counts). The records come typed from our own code, so nothing needs casting: the
 * first of each call is validated by the schema, so that a schema that has come to require more fails loudly
 * instead of storing documents it refuses. Insert the answer with `insertMany(docs, { lean: true })`.
 */
export async function leanDocuments<T extends object>(
  model: DocumentModel,
  records: readonly T[],
  now: Date = new Date(),
): Promise<(T & { createdAt?: Date; updatedAt?: Date })[]> {
  if (!records.length) return [];
  const defaults = defaultsOf(model);
  const versionKey = model.schema.get('versionKey');
  const stamps = {
    ...timestampsOf(model.schema.get('timestamps'), now),
    ...(typeof versionKey === 'string' ? { [versionKey]: 0 } : {}),
  };
  const stamped = records.map((record) => Object.assign(merged(defaults, record) as T, stamps));
  await new model(records[0]!).validate();
  return stamped as (T & { createdAt?: Date; updatedAt?: Date })[];
}

type TimestampsOption = boolean | { createdAt?: boolean | string; updatedAt?: boolean | string } | undefined;

/**
 * The times a new document gets from the schema's `timestamps`, as mongoose sets them: both under their usual names
 * (`true`), or each as the option says (left out when `false`, under another name when a string), so that a schema
 * keeping only `createdAt` (`job_items`) gets no `updatedAt`.
 */
function timestampsOf(option: TimestampsOption, now: Date): Record<string, Date> {
  if (!option) return {};
  if (option === true) return { createdAt: now, updatedAt: now };
  const stamps: Record<string, Date> = {};
  for (const usual of ['createdAt', 'updatedAt'] as const) {
    const named = option[usual];
    if (named === false) continue;
    stamps[typeof named === 'string' ? named : usual] = now;
  }
  return stamps;
}

/**
 * The values a new document of the model gets without being given any (its `_id` aside), taken at each call so
 * that a default computed when a document is made (a date) is that of this insert.
 */
function defaultsOf(model: DocumentModel): Record<string, unknown> {
  const { _id: _ignored, ...defaults } = new model({}).toObject({ depopulate: true }) as Record<string, unknown>;
  return defaults;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * The record over the defaults, nested objects field by field (a default the record's object leaves out is kept),
 * fields that are `undefined` left out. Default values are copied, never shared between documents.
 */
function merged(defaults: unknown, record: unknown): unknown {
  if (record === undefined) return copyOf(defaults);
  if (Array.isArray(record)) return record.map((item) => merged(undefined, item));
  if (!isPlain(record)) return record;
  const base = isPlain(defaults) ? defaults : undefined;
  const kept: Record<string, unknown> = {};
  if (base) {
    for (const key in base) if (record[key] === undefined && base[key] !== undefined) kept[key] = copyOf(base[key]);
  }
  for (const key in record) {
    const value = record[key];
    if (value !== undefined)
      kept[key] = typeof value === 'object' && value !== null ? merged(base?.[key], value) : value;
  }
  return kept;
}

function copyOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Array.isArray(value) && !value.length ? [] : structuredClone(value);
}
