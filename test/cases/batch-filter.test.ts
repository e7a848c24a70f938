/**
 * GET /api/v1/cases?batchId=… (the accountant's Chi trả filters the cases waiting for payment by list):
 * only the cases imported from that list, combined with the other filters, never outside the caller's subtree.
 */
import { expect } from 'chai';
import { arrange, type Session } from '../support/api.js';
import { expectValidation } from '../support/problems.js';
import { batchAction, importTet, listRow } from '../batches/batch-fixtures.js';
import { caseAt, caseWorld, type CaseWorld } from './case-fixtures.js';

interface Page {
  items: { id: string; batchId: string | null; status: string }[];
  total: number;
}

async function list(session: Session, query: string): Promise<Page> {
  return arrange<Page>(session.get(`/api/v1/cases?${query}`), 200);
}

describe('cases: the list filtered by the list (batch) the cases came from', function () {
  this.timeout(30_000);
  let world: CaseWorld;
  let first: { batchId: string; caseIds: string[] };
  let second: { batchId: string; caseIds: string[] };

  before(async () => {
    world = await caseWorld();
    const [a, b] = await Promise.all([
      importTet(world, [listRow(), listRow(), listRow()]),
      importTet(world, [listRow(), listRow()]),
      caseAt(world, 'draft', 'tet_gift'),
    ]);
    first = { batchId: a.batch.id, caseIds: a.caseIds };
    second = { batchId: b.batch.id, caseIds: b.caseIds };
    await batchAction(world.sessions.officer, first.batchId, 'submit', {
      exclude: [{ caseId: a.caseIds[0], reason: 'Chờ bổ sung hoàn cảnh' }],
    });
  });

  it("when the accountant filters by a batch, then only that list's cases come back, also combined with a status", async () => {
    const accountant = world.sessions.accountant;
    const all = await list(accountant, `batchId=${first.batchId}&limit=100`);
    expect(all.items.map((c) => c.id)).to.have.members(first.caseIds);
    expect(all.total).to.equal(3);
    expect(all.items.every((c) => c.batchId === first.batchId)).to.equal(true);

    const submitted = await list(accountant, `batchId=${first.batchId}&status=submitted`);
    expect(submitted.items.map((c) => c.id)).to.have.members(first.caseIds.slice(1));
    expect((await list(accountant, `batchId=${second.batchId}`)).items.map((c) => c.id)).to.have.members(
      second.caseIds,
    );
  });

  it("when the batch belongs to another province's union, or to a sibling union, then nothing comes back", async () => {
    const foreign = await caseWorld();
    const theirs = await importTet(foreign, [listRow()]);
    expect(await list(world.sessions.accountant, `batchId=${theirs.batch.id}`)).to.include({ total: 0 });
    expect(await list(world.sessions.siblingOfficer, `batchId=${first.batchId}`)).to.include({ total: 0 });
  });

  it('when the batch id is not an id, then 400 problem+json names batchId in Vietnamese', async () => {
    const res = await world.sessions.accountant.get('/api/v1/cases?batchId=danh-sach-1');
    expectValidation(res, 'batchId');
  });
});
