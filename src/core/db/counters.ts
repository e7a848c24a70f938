import { defineModel } from './model.js';
import { Schema } from 'mongoose';
import { isDuplicateKeyError } from './mongo-errors.js';

interface CounterDoc {
  _id: string;
  value: number;
}

const Counter = defineModel(
  'Counter',
  new Schema<CounterDoc>(
    { _id: { type: String, required: true }, value: { type: Number, required: true } },
    { versionKey: false, collection: 'counters' },
  ),
);

/**
 * Counters this process has incremented: they exist, so the next reservation skips the insert that creates a
 * missing one (a round trip answered by a duplicate-key error on every case created). Counters are never removed.
 */
const existing = new Set<string>();

/**
 * The next value of a named sequence (case codes, decision numbers): 1, 2, 3, … with no gaps and no reuse,
 * also with several app instances racing.
 */
export async function nextSequence(name: string): Promise<number> {
  return reserveSequence(name, 1);
}

/**
 * Reserves `count` consecutive values of a named sequence at once (a list of cases imported together) and
 * answers the first; the reservation is one `$inc`, so racing reservations never overlap.
 *
 * Two engine defects shape this (ENGINE-NOTES.md): concurrent upserts of a missing document may both
 * insert, so the counter is created first with an insert that tolerates a duplicate key; and the
 * *after* document of a concurrent `$inc` is sometimes another caller's, so we read the *before*
 * document and add. Both forms are equally correct on real MongoDB.
 */
export async function reserveSequence(name: string, count: number): Promise<number> {
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`cannot reserve ${count} values of ${name}`);
  if (!existing.has(name)) {
    try {
      await Counter.create({ _id: name, value: 0 });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  const before = await Counter.findOneAndUpdate(
    { _id: name },
    { $inc: { value: count } },
    { returnDocument: 'before' },
  ).lean();
  if (!before) {
    existing.delete(name);
    throw new Error(`counter ${name} vanished`);
  }
  existing.add(name);
  return before.value + 1;
}

export async function currentSequence(name: string): Promise<number> {
  const doc = await Counter.findById(name).lean();
  return doc?.value ?? 0;
}
