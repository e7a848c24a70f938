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

/**
 * Per delete or update command of the probe collection sent while `work` ran: how many statements it held, each
 * naming one `_id`.
 */
async function statementsPer(name: 'delete' | 'update', work: () => Promise<unknown>): Promise<number[]> {
  const client = mongoose.connection.getClient();
  const sizes: number[] = [];
  const listener = (event: CommandStartedEvent) => {
    if (event.commandName !== name || event.command[name] !== 'in_slices_probes') return;
    const statements = event.command[name === 'delete' ? 'deletes' : 'updates'] as { q: { _id?: unknown } }[];
    expect(statements.every((d) => typeof d.q._id === 'string')).to.equal(true);
    sizes.push(statements.length);
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

  it('when 2,500 of 2,510 documents match, then exactly those go, in bulk writes of at most SCAN_BATCH deletes of one document each', async () => {
    const docs = Array.from({ length: 2_510 }, (_, i) => ({
      _id: `p${String(i).padStart(5, '0')}`,
      generation: i < 2_500 ? 7 : 8,
    }));
    await probes().insertMany(docs);

    const sizes = await statementsPer('delete', () => deleteInSlices(probes(), { generation: 7 }));

    // The driver may split a bulk write in more commands, never fewer.
    expect(Math.max(...sizes)).to.be.at.most(SCAN_BATCH);
    expect(sizes.reduce((sum, n) => sum + n, 0)).to.equal(2_500);
    expect(await probes().countDocuments({ generation: 7 })).to.equal(0);
    const left = await probes().find({}).sort({ _id: 1 }).toArray();
    expect(left.map((d) => d._id)).to.deep.equal(docs.slice(2_500).map((d) => d._id));
  });

  it('when nothing matches, then no delete is sent and nothing changes', async () => {
    await probes().insertMany([{ _id: 'a', generation: 1 }]);

    const sizes = await statementsPer('delete', () => deleteInSlices(probes(), { generation: 2 }));

    expect(sizes).to.deep.equal([]);
    expect(await probes().countDocuments({})).to.equal(1);
  });

  it('when 2,500 of 2,510 documents match an update, then exactly those change, in bulk writes of at most SCAN_BATCH updates of one document each', async () => {
    const docs = Array.from({ length: 2_510 }, (_, i) => ({
      _id: `u${String(i).padStart(5, '0')}`,
      generation: 1,
      orgPath: i < 2_500 ? ['province', 'district', 'union'] : ['province', 'other'],
    }));
    await probes().insertMany(docs);

    let modified = 0;
    const sizes = await statementsPer('update', async () => {
      modified = await updateInSlices(
        probes(),
        { $and: [{ orgPath: 'district' }, { orgPath: 'union' }] },
        { $pullAll: { orgPath: ['district'] } },
      );
    });

    // The driver may split a bulk write in more commands (999 and 1 here), never fewer.
    expect(Math.max(...sizes)).to.be.at.most(SCAN_BATCH);
    expect(sizes.reduce((sum, n) => sum + n, 0)).to.equal(2_500);
    expect(modified).to.equal(2_500);
    expect(await probes().countDocuments({ orgPath: ['province', 'union'] })).to.equal(2_500);
    expect(await probes().countDocuments({ orgPath: ['province', 'other'] })).to.equal(10);
    // Run again (a step taken up after a crash): nothing left to change.
    expect(await updateInSlices(probes(), { orgPath: 'district' }, { $pullAll: { orgPath: ['district'] } })).to.equal(
      0,
    );
  });
});
