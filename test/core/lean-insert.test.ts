/**
 * `leanDocuments` (src/core/db/lean-insert.ts) stamps a bulk insert's documents with the times mongoose itself would
 * give them, whatever the schema's `timestamps` say: a schema keeping only `createdAt` (as `job_items` does) gets no
 * `updatedAt`, a renamed time its own name. Compared with what mongoose stores for the same schema.
 */
import { expect } from 'chai';
import mongoose, { Schema } from 'mongoose';
import { leanDocuments } from '../../src/core/db/lean-insert.js';

const fields = { name: { type: String, required: true } };
const schemas: Record<string, Schema> = {
  both: new Schema(fields, { timestamps: true }),
  createdOnly: new Schema(fields, { timestamps: { createdAt: true, updatedAt: false } }),
  renamed: new Schema(fields, { timestamps: { createdAt: 'madeAt', updatedAt: false } }),
  none: new Schema(fields),
};

/** The time fields of a document as mongoose stores it (`create`, read back). */
async function storedTimes(model: mongoose.Model<{ name: string }>): Promise<string[]> {
  const created = await model.create({ name: 'Trần Thị Bình' });
  const stored = (await model.findById(created._id).lean()) as Record<string, unknown>;
  return Object.keys(stored).filter((key) => stored[key] instanceof Date);
}

describe('core: lean documents of a bulk insert', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`when the schema's timestamps are ${name}, then the documents carry the times mongoose would give, and no other`, async () => {
      const model = mongoose.model<{ name: string }>(`LeanInsert_${name}`, schema);
      const now = new Date('2026-12-06T08:00:00Z');
      const [doc] = await leanDocuments(model, [{ name: 'Nguyễn Văn An' }], now);
      const times = Object.keys(doc!).filter((key) => (doc as Record<string, unknown>)[key] instanceof Date);
      expect(times.sort()).to.deep.equal((await storedTimes(model)).sort());
      for (const key of times) expect((doc as Record<string, unknown>)[key]).to.equal(now);
    });
  }
});
