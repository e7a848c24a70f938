/**
 * Issue 18: a delete or an update of many documents goes a slice of ids at a time (core/db/paging.ts
 * `deleteInSlices`, `updateInSlices`), so that the embedded engine never holds one command's hundreds of thousands
 * of matches (the report rebuild's marks, the people-paid markers, a province's cases re-chained by a merger).
 * Checked on the real engine: what the filter matches is deleted or changed, the rest is not, and no command the
 * driver sent names more than `SCAN_BATCH` ids.
 */
import { expect } from 'chai';
import type { CommandStartedEvent } from 'mongodb';
import mongoose from 'mongoose';
import { deleteInSlices, SCAN_BATCH, updateInSlices } from '../../src/core/db/paging.js';

interface Probe {
  _id: string;
  generation: number;
  orgPath?: string[];
}

const probes = () => mongoose.connection.db!.collection<Probe>('in_slices_probes');

/** The number of ids each delete (or update) command of the probe collection named while `work` ran. */
async function idsPerCommand(work: () => Promise<unknown>, command: 'delete' | 'update' = 'delete'): Promise<number[]> {
  const sizes: number[] = [];
  const client = mongoose.connection.getClient();
  const listener = (event: CommandStartedEvent) => {
    if (event.commandName !== command || event.command[command] !== 'in_slices_probes') return;
    const statements = event.command[command === 'delete' ? 'deletes' : 'updates'] as {
      q: { _id?: { $in?: unknown[] } };
    }[];
    for (const d of statements) sizes.push(d.q._id?.$in?.length ?? Infinity);
  };
  client.on('commandStarted', listener);
  try {
    await work();
  } finally {
    client.off('commandStarted', listener);
  }
  return sizes;
}

describe('deleting and updating many documents a slice at a time', () => {
  beforeEach(async () => {
    await probes().deleteMany({});
  });

  it('when 2,500 of 2,510 documents match, then exactly those go, in deletes of at most SCAN_BATCH ids each', async () => {
    const docs = Array.from({ length: 2_510 }, (_, i) => ({
      _id: `p${String(i).padStart(5, '0')}`,
      generation: i < 2_500 ? 7 : 8,
    }));
    await probes().insertMany(docs);

    const sizes = await idsPerCommand(() => deleteInSlices(probes(), { generation: 7 }));

    expect(sizes).to.deep.equal([SCAN_BATCH, SCAN_BATCH, 500]);
    expect(await probes().countDocuments({ generation: 7 })).to.equal(0);
    const left = await probes().find({}).sort({ _id: 1 }).toArray();
    expect(left.map((d) => d._id)).to.deep.equal(docs.slice(2_500).map((d) => d._id));
  });

  it('when nothing matches, then no delete is sent and nothing changes', async () => {
    await probes().insertMany([{ _id: 'a', generation: 1 }]);

    const sizes = await idsPerCommand(() => deleteInSlices(probes(), { generation: 2 }));

    expect(sizes).to.deep.equal([]);
    expect(await probes().countDocuments({})).to.equal(1);
  });

  it('when 2,500 of 2,510 documents match an update, then exactly those change, in updates of at most SCAN_BATCH ids each', async () => {
    const docs = Array.from({ length: 2_510 }, (_, i) => ({
      _id: `u${String(i).padStart(5, '0')}`,
      generation: 1,
      orgPath: i < 2_500 ? ['province', 'district', 'union'] : ['province', 'other'],
    }));
    await probes().insertMany(docs);

    let modified = 0;
    const sizes = await idsPerCommand(async () => {
      modified = await updateInSlices(
        probes(),
        { $and: [{ orgPath: 'district' }, { orgPath: 'union' }] },
        { $pullAll: { orgPath: ['district'] } },
      );
    }, 'update');

    expect(sizes).to.deep.equal([SCAN_BATCH, SCAN_BATCH, 500]);
    expect(modified).to.equal(2_500);
    expect(await probes().countDocuments({ orgPath: ['province', 'union'] })).to.equal(2_500);
    expect(await probes().countDocuments({ orgPath: ['province', 'other'] })).to.equal(10);
    // Run again (a step taken up after a crash): nothing left to change.
    expect(await updateInSlices(probes(), { orgPath: 'district' }, { $pullAll: { orgPath: ['district'] } })).to.equal(
      0,
    );
  });
});
