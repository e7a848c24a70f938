import { createHash } from 'node:crypto';
import mongoose from 'mongoose';

/** The `prevHash` of the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

interface BsonValue {
  _bsontype: string;
  toHexString?: () => string;
  toString(encoding?: string): string;
}

/**
 * One JSON text per value, whatever the engine or the key order it stored: keys sorted, dates as ISO strings,
 * ObjectIds as hex, other BSON types by their text; `undefined` keys left out (the driver never stores them).
 */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value !== 'object') return JSON.stringify(value);
  const bson = value as BsonValue;
  if (typeof bson._bsontype === 'string') {
    if (bson.toHexString) return JSON.stringify(bson.toHexString());
    if (bson._bsontype === 'Binary') return JSON.stringify(bson.toString('base64'));
    return JSON.stringify(bson.toString());
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
}

export { canonical as canonicalJson };

/**
 * The value as the database will give it back (numbers, nested dates, buffers), so that the hash taken before
 * the insert is the hash recomputed from the stored entry.
 */
export function asStored<T extends Record<string, unknown>>(value: T): T {
  const { BSON } = mongoose.mongo;
  return BSON.deserialize(BSON.serialize(value)) as T;
}

/** SHA-256 over every stored field of the entry except `hash` itself (`prevHash` and `seq` included). */
export function entryHash(entry: Record<string, unknown>): string {
  const { hash: _hash, ...content } = entry;
  return createHash('sha256').update(canonical(content), 'utf8').digest('hex');
}
