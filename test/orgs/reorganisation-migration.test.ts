import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { orgStatus } from '../../src/orgs/migrations/2026-12-org-status.js';

describe('orgs: migration to status and history', () => {
  it('when organisations written before reorganisation are migrated (twice), then each has status from active and an empty history, and others are untouched', async () => {
    const db = mongoose.connection.db!;
    const orgs = db.collection('orgs');
    const [active, inactive, dissolved] = [new Types.ObjectId(), new Types.ObjectId(), new Types.ObjectId()];
    const base = (id: Types.ObjectId, code: string) => ({
      _id: id,
      code,
      name: code,
      shortName: code,
      level: 'grassroots',
      parentId: null,
      orgPath: [id],
      searchKey: code.toLowerCase(),
    });
    await orgs.insertMany([
      { ...base(active, `MIG-A-${active}`), active: true },
      { ...base(inactive, `MIG-I-${inactive}`), active: false },
      {
        ...base(dissolved, `MIG-D-${dissolved}`),
        active: false,
        status: 'dissolved',
        history: [{ event: 'dissolved' }],
      },
    ]);
    await orgStatus.up(db);
    await orgStatus.up(db);
    const stored = async (id: Types.ObjectId) => orgs.findOne({ _id: id });
    expect(await stored(active)).to.deep.include({ status: 'active', history: [] });
    expect(await stored(inactive)).to.deep.include({ status: 'dissolved', history: [] });
    expect(await stored(dissolved)).to.deep.include({ status: 'dissolved', history: [{ event: 'dissolved' }] });
  });
});
