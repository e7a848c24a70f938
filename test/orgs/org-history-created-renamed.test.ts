/**
 * SPEC §13: each organisation keeps its own history, `created` and `renamed` included, written by
 * `POST /orgs` and `PATCH /orgs/:id` with the names of the time.
 */
import { expect } from 'chai';
import { vnDay } from '../../src/core/shared/dates.js';
import { arrange, loginAdmin } from '../support/api.js';
import { createOrg, createProvinceTree, type ProvinceTree } from '../support/factory.js';

interface HistoryItem {
  event: string;
  from: { id: string | null; name: string } | null;
  to: { id: string | null; name: string } | null;
  effectiveDate: string;
  by: { userId: string | null; name: string };
  reason: string;
}

describe('orgs: created and renamed in the history', function () {
  this.timeout(60_000);
  let tree: ProvinceTree;

  before(async () => {
    tree = await createProvinceTree();
  });

  it('when an admin creates a union and renames it, then its history lists created then renamed, with the names of the time and who; other changes add nothing', async () => {
    const admin = tree.sessions.admin;
    const union = await createOrg(admin, tree.upper.id, 'grassroots', 'Công đoàn cơ sở Trường Tiểu học');
    const history = async () =>
      (await arrange<{ items: HistoryItem[] }>(admin.get(`/api/v1/orgs/${union.id}/history`), 200)).items;

    const created = await history();
    expect(created).to.have.length(1);
    expect(created[0]).to.deep.include({
      event: 'created',
      from: null,
      to: { id: union.id, name: union.name },
      effectiveDate: vnDay(),
      reason: '',
    });
    expect(created[0]!.by.userId).to.equal(admin.user.id);

    const newName = `${union.name} (đổi tên)`;
    await arrange(admin.patch(`/api/v1/orgs/${union.id}`, { name: newName }), 200);
    await arrange(admin.patch(`/api/v1/orgs/${union.id}`, { name: newName, address: 'Thôn 3' }), 200);
    const after = await history();
    expect(after.map((h) => h.event)).to.deep.equal(['created', 'renamed']);
    expect(after[1]).to.deep.include({ from: { id: union.id, name: union.name }, to: { id: union.id, name: newName } });
    expect(after[1]!.by.userId).to.equal(admin.user.id);
  });

  it('when the national admin creates a province, then its history starts with created by them', async () => {
    const root = await loginAdmin();
    const province = await createOrg(root, root.user.orgId, 'province', 'Liên đoàn Lao động tỉnh Quảng Trị');
    const items = (await arrange<{ items: HistoryItem[] }>(root.get(`/api/v1/orgs/${province.id}/history`), 200)).items;
    expect(items.map((h) => [h.event, h.to?.name, h.by.userId])).to.deep.equal([
      ['created', province.name, root.user.id],
    ]);
  });
});
