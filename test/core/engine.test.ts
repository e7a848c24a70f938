/**
 * What our code relies on from the database, proved through mongoose on the embedded engine that the
 * tests run against (ENGINE-NOTES.md). If one of these fails, the engine (or a driver upgrade) broke
 * an assumption that money, sequences or duplicate checks rest on.
 */
import { expect } from 'chai';
import { Schema, Types } from 'mongoose';
import { prepareCollections } from '../../src/core/db/connection.js';
import { currentSequence, nextSequence } from '../../src/core/db/counters.js';
import { defineModel } from '../../src/core/db/model.js';
import { isDuplicateKeyError } from '../../src/core/db/mongo-errors.js';
import { findPage } from '../../src/core/db/paging.js';
import { unique } from '../support/factory.js';

interface ProbeKey {
  key: string;
}
const ProbeUnique = defineModel(
  'EngineProbeUnique',
  new Schema<ProbeKey>({ key: { type: String, required: true, unique: true } }, { collection: 'engine_probe_unique' }),
);

interface ProbeFund {
  code: string;
  available: number;
  revision: number;
}
const ProbeFund = defineModel(
  'EngineProbeFund',
  new Schema<ProbeFund>(
    {
      code: { type: String, required: true },
      available: { type: Number, required: true },
      revision: { type: Number, default: 0 },
    },
    { collection: 'engine_probe_funds' },
  ),
);

interface ProbeEntry {
  batch: string;
  group: string;
  amount: number;
  rank: number;
}
const ProbeEntry = defineModel(
  'EngineProbeEntry',
  new Schema<ProbeEntry>(
    { batch: String, group: String, amount: Number, rank: Number },
    { collection: 'engine_probe_entries', timestamps: true },
  ),
);

describe('embedded engine (what the code relies on)', () => {
  before(async () => {
    // Each collection made first, then its indexes (connection.ts): a model starts creating its collection as soon as it
    // is defined, and a `createIndexes` racing that create may leave the unique index out on the embedded engine.
    await prepareCollections([ProbeUnique, ProbeFund, ProbeEntry]);
  });

  it('when a unique index is violated, then the write fails with code 11000 and only one document exists', async () => {
    const key = unique('K');
    await ProbeUnique.create({ key });
    let caught: unknown;
    try {
      await ProbeUnique.create({ key });
    } catch (error) {
      caught = error;
    }
    expect(caught, 'second insert of the same key must fail').to.exist;
    expect((caught as { code?: number }).code).to.equal(11000);
    expect(isDuplicateKeyError(caught)).to.equal(true);
    expect(await ProbeUnique.countDocuments({ key })).to.equal(1);
  });

  it('when 50 conditional decrements of 25 race on a balance of 60, then exactly 2 succeed and 10 remain', async () => {
    const fund = await ProbeFund.create({ code: unique('F'), available: 60 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        ProbeFund.findOneAndUpdate(
          { _id: fund._id, available: { $gte: 25 } },
          { $inc: { available: -25 } },
          { returnDocument: 'before' },
        ).lean(),
      ),
    );
    const winners = results.filter((doc) => doc !== null);
    expect(winners).to.have.length(2);
    // The *before* documents are exact on the engine (ENGINE-NOTES.md): one saw 60, the other 35.
    expect(winners.map((doc) => doc!.available).sort((a, b) => a - b)).to.deep.equal([35, 60]);
    const stored = await ProbeFund.findById(fund._id).lean();
    expect(stored?.available).to.equal(10);
  });

  it('when 10 updates race on the same revision, then exactly one succeeds', async () => {
    const fund = await ProbeFund.create({ code: unique('R'), available: 0, revision: 3 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ProbeFund.updateOne({ _id: fund._id, revision: 3 }, { $set: { available: i + 1 }, $inc: { revision: 1 } }),
      ),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).to.have.length(1);
    const stored = await ProbeFund.findById(fund._id).lean();
    expect(stored?.revision).to.equal(4);
  });

  describe('queries over a batch of entries', () => {
    const batch = unique('B');
    const groups = ['a', 'b', 'c'];
    // 25 entries: group by index mod 3, amount 1000 × (i + 1), rank in 5 ties of 5 so that paging needs the _id tie-break.
    const entries = Array.from({ length: 25 }, (_, i) => ({
      batch,
      group: groups[i % 3]!,
      amount: 1000 * (i + 1),
      rank: i % 5,
    }));

    before(async () => {
      await ProbeEntry.insertMany(entries);
      // Noise of another batch that every query must leave out.
      await ProbeEntry.insertMany([{ batch: unique('N'), group: 'a', amount: 7, rank: 0 }]);
    });

    it('when counting with a filter, then countDocuments answers the exact number', async () => {
      expect(await ProbeEntry.countDocuments({ batch })).to.equal(25);
      expect(await ProbeEntry.countDocuments({ batch, group: 'a' })).to.equal(9);
      expect(await ProbeEntry.countDocuments({ batch, amount: { $gt: 20_000 } })).to.equal(5);
    });

    it('when aggregating with $match and $group, then counts and sums per group are exact', async () => {
      const rows = await ProbeEntry.aggregate<{ _id: string; count: number; total: number }>([
        { $match: { batch } },
        { $group: { _id: '$group', count: { $sum: 1 }, total: { $sum: '$amount' } } },
        { $sort: { _id: 1 } },
      ]);
      const expected = groups.map((group) => {
        const mine = entries.filter((e) => e.group === group);
        return { _id: group, count: mine.length, total: mine.reduce((sum, e) => sum + e.amount, 0) };
      });
      expect(rows).to.deep.equal(expected);
    });

    it('when paging with sort, skip and limit, then pages are ordered, disjoint and cover every entry', async () => {
      const seen: string[] = [];
      const ranks: number[] = [];
      for (let page = 1; page <= 3; page += 1) {
        const result = await findPage(ProbeEntry, { batch }, { page, limit: 10, sort: 'rank' }, (doc) => doc.toJSON());
        expect(result.total).to.equal(25);
        expect(result.items).to.have.length(page < 3 ? 10 : 5);
        for (const item of result.items as { id: string; rank: number }[]) {
          seen.push(item.id);
          ranks.push(item.rank);
        }
      }
      expect(new Set(seen).size).to.equal(25);
      expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));

      const raw = await ProbeEntry.find({ batch }).sort({ amount: -1 }).skip(20).limit(10).lean();
      expect(raw.map((e) => e.amount)).to.deep.equal([5000, 4000, 3000, 2000, 1000]);
    });
  });

  it('when nextSequence is called 100 times in parallel, then it answers exactly 1..100 with no duplicates', async () => {
    const name = unique('engine-probe-seq-');
    const values = await Promise.all(Array.from({ length: 100 }, () => nextSequence(name)));
    expect(new Set(values).size).to.equal(100);
    expect([...values].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await currentSequence(name)).to.equal(100);
    expect(await nextSequence(name)).to.equal(101);
  });

  it('when a filter names an _id beside other conditions, then exactly the documents matching all of them are found, updated or deleted', async () => {
    // The launcher answers such filters from the _id index (docs/engine.md); the answers must be MongoDB's.
    const probe = ProbeFund.collection;
    const ids = Array.from({ length: 6 }, () => new Types.ObjectId());
    await probe.insertMany(ids.map((_id, i) => ({ _id, code: unique('ID'), available: i, revision: i % 2 })));
    expect(await probe.findOne({ _id: ids[2]!, revision: 0 })).to.include({ available: 2 });
    expect(await probe.findOne({ _id: ids[2]!, revision: 1 })).to.equal(null);
    expect(await probe.findOne({ _id: new Types.ObjectId(), revision: 0 })).to.equal(null);
    const some = await probe
      .find({ _id: { $in: [ids[0]!, ids[1]!, ids[3]!, ids[4]!] }, revision: 1 })
      .sort({ available: -1 })
      .toArray();
    expect(some.map((d) => d.available)).to.deep.equal([3, 1]);
    expect(await probe.countDocuments({ _id: { $in: ids }, available: { $gte: 3 } })).to.equal(3);
    const missed = await probe.updateOne({ _id: ids[4]!, revision: 1 }, { $inc: { available: 100 } });
    expect(missed.matchedCount).to.equal(0);
    const hit = await probe.findOneAndUpdate(
      { _id: ids[4]!, revision: 0, available: { $lt: 10 } },
      { $inc: { available: 100 } },
      { returnDocument: 'before' },
    );
    expect(hit?.available).to.equal(4);
    expect((await probe.findOne({ _id: ids[4]! }))?.available).to.equal(104);
    expect((await probe.deleteOne({ _id: ids[5]!, revision: 0 })).deletedCount).to.equal(0);
    expect((await probe.deleteOne({ _id: ids[5]!, revision: 1 })).deletedCount).to.equal(1);
    expect(await probe.countDocuments({ _id: { $in: ids } })).to.equal(5);
  });
});
