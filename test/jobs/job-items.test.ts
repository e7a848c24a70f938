/**
 * A chunk's outcomes are inserted as they are (jobs.repository.ts `recordItems`, `lean`): stored as the document
 * mongoose makes for one outcome (`recordItem`, `JobItem.create`) would be, so that `GET /jobs/:id` answers the same.
 */
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { JobItem } from '../../src/jobs/jobs.model.js';
import { jobsRepository } from '../../src/jobs/index.js';

describe('jobs: outcomes recorded a chunk at a time', () => {
  it("when a chunk's outcomes are recorded at once, then each is stored as the one-by-one way stores it, and one recorded before stands", async () => {
    const jobId = new Types.ObjectId();
    const outcome = {
      caseId: 'c1',
      outcome: 'failed',
      problem: { code: 'STALE_REVISION', detail: 'Hồ sơ đã thay đổi.' },
      skipped: undefined,
      payment: { id: new Types.ObjectId(), at: new Date('2026-01-02T03:04:05Z'), vietQr: null, note: undefined },
      list: [1, 'hai'],
      empty: {},
    };
    await jobsRepository.recordItem(jobId, 'one', outcome);
    await jobsRepository.recordItems(jobId, [
      { key: 'one', outcome: { other: true } },
      { key: 'two', outcome },
    ]);

    const raw = await mongoose.connection.db!.collection('job_items').find({ jobId }).sort({ _id: 1 }).toArray();
    expect(raw.map((r) => r._id)).to.deep.equal([`${String(jobId)}:one`, `${String(jobId)}:two`]);
    const [single, chunk] = raw.map(({ _id, createdAt, ...rest }) => {
      expect(createdAt).to.be.instanceOf(Date);
      return rest;
    });
    // The first record of `one` stands; `two` is stored field for field as `one` was (no `undefined` kept, ids and
    // dates as BSON, no `updatedAt`: the schema keeps only `createdAt`).
    expect(chunk).to.deep.equal(single);
    expect(Object.keys(chunk!.outcome as object)).to.deep.equal([
      'caseId',
      'outcome',
      'problem',
      'payment',
      'list',
      'empty',
    ]);
    expect((chunk!.outcome as { payment: object }).payment).to.deep.equal({
      id: outcome.payment.id,
      at: outcome.payment.at,
      vietQr: null,
    });
    expect(await JobItem.countDocuments({ jobId })).to.equal(2);
  });
});
