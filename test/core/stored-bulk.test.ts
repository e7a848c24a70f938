/**
 * Issue 18: a bulk write's updates sent to the driver as they are (core/db/stored-bulk.ts) store what
 * `Model.bulkWrite` would have stored, field by field, and an update that mongoose would have cast or refused is
 * refused before anything is written.
 */
import { expect } from 'chai';
import { Schema, Types } from 'mongoose';
import { defineModel } from '../../src/core/db/model.js';
import { bulkUpdateStored } from '../../src/core/db/stored-bulk.js';

interface ProbeEntry {
  action: string;
  by: { id: string; name: string };
  at: Date;
  note: string;
  entryId?: Types.ObjectId;
}
interface Probe {
  status: string;
  ownerId: Types.ObjectId;
  snapshot: { name?: string; cardNo?: string; orgId?: string } | null;
  paid: number;
  entries: ProbeEntry[];
  revision: number;
}
const entrySchema = new Schema<ProbeEntry>(
  {
    action: { type: String, required: true },
    by: { id: String, name: String },
    at: { type: Date, required: true },
    note: { type: String, default: '' },
    entryId: { type: Schema.Types.ObjectId },
  },
  { _id: false },
);
const ProbeCase = defineModel(
  'StoredBulkProbe',
  new Schema<Probe>(
    {
      status: { type: String, required: true },
      ownerId: { type: Schema.Types.ObjectId, required: true },
      snapshot: {
        type: new Schema({ name: String, cardNo: String, orgId: String }, { _id: false }),
        default: null,
      },
      paid: { type: Number, default: 0 },
      entries: { type: [entrySchema], default: [] },
      revision: { type: Number, required: true },
    },
    { timestamps: true, collection: 'stored_bulk_probe', minimize: false },
  ),
);

const stored = (id: Types.ObjectId) =>
  ProbeCase.collection.findOne({ _id: id }).then((doc) => {
    const { _id, createdAt, updatedAt, ...rest } = doc!;
    return { rest, updatedAt: updatedAt as Date };
  });

async function twins(): Promise<[Types.ObjectId, Types.ObjectId]> {
  const ownerId = new Types.ObjectId();
  const [a, b] = await ProbeCase.create([
    { status: 'approved', ownerId, revision: 1 },
    { status: 'approved', ownerId, revision: 1 },
  ]);
  return [a!._id, b!._id];
}

describe('core: bulk updates sent as they are', () => {
  it('when a guarded update with a pushed entry, a whole subdocument, an increment and a field left undefined is sent, then it stores what Model.bulkWrite stores', async () => {
    const [viaMongoose, asIs] = await twins();
    const entryId = new Types.ObjectId();
    const at = new Date();
    const update = (filterId: Types.ObjectId) => ({
      filter: { _id: filterId, revision: 1, status: 'approved', paid: { $lte: 0 } },
      update: {
        $set: { status: 'disbursed', snapshot: { name: 'Nguyễn Thị Hoa', cardNo: undefined, orgId: 'org-1' } },
        $inc: { paid: 500_000, revision: 1 },
        $push: { entries: { action: 'disburse', by: { id: 'u1', name: 'Kế toán' }, at, note: '', entryId } },
      },
    });
    const before = new Date();
    const { filter, update: change } = update(viaMongoose);
    const viaBulk = await ProbeCase.bulkWrite([{ updateOne: { filter, update: change } }]);
    const sent = await bulkUpdateStored(ProbeCase, [update(asIs)]);
    expect(viaBulk.matchedCount).to.equal(1);
    expect(sent.matched).to.equal(1);
    const [a, b] = await Promise.all([stored(viaMongoose), stored(asIs)]);
    expect(b.rest).to.deep.equal(a.rest);
    expect(b.rest.snapshot).to.not.have.property('cardNo');
    // The schema keeps timestamps: updatedAt is written, and answered.
    expect(+b.updatedAt).to.equal(+sent.updatedAt);
    expect(+b.updatedAt).to.be.at.least(+before);
  });

  it('when an update does not match its filter, then it is counted out and changes nothing', async () => {
    const [id] = await twins();
    const before = await stored(id);
    const sent = await bulkUpdateStored(ProbeCase, [
      { filter: { _id: id, revision: 7, status: 'approved' }, update: { $inc: { revision: 1 } } },
    ]);
    expect(sent.matched).to.equal(0);
    expect(await stored(id)).to.deep.equal(before);
  });

  it('when an update (here the second of its bulk write, of another shape than the first) holds a string where the schema stores an ObjectId, a field the schema does not have, a value it would cast or an entry missing a default, then nothing is written and the error names the field, never its value', async () => {
    const [id, other] = await twins();
    const before = [await stored(id), await stored(other)];
    const wrongs = [
      { $set: { ownerId: String(new Types.ObjectId()) } },
      { $set: { unknownField: 1 } },
      { $set: { paid: '12' } },
      { $push: { entries: { action: 'disburse', by: { id: 'u1', name: 'Kế toán' }, at: new Date() } } },
    ];
    for (const update of wrongs) {
      const error = await bulkUpdateStored(ProbeCase, [
        { filter: { _id: other }, update: { $inc: { revision: 1 } } },
        { filter: { _id: id }, update },
      ]).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error, JSON.stringify(update)).to.be.instanceOf(Error);
      expect(error!.message).to.not.include('Kế toán');
    }
    const refused = await bulkUpdateStored(ProbeCase, [
      { filter: { _id: id }, update: { $set: { snapshot: { name: 'Nguyễn Thị Hoa', orgId: new Types.ObjectId() } } } },
    ]).catch((e: Error) => e);
    expect(String(refused)).to.include('update.$set.snapshot').and.not.include('Nguyễn');
    expect([await stored(id), await stored(other)]).to.deep.equal(before);
  });
});
