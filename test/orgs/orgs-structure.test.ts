/**
 * The structure since 1 July 2025 (SPEC §2): commune unions under the province, grassroots unions under an
 * upper union, a commune union or the province itself; `kind` at province level only; `delegations: ["verify"]`
 * at commune level only.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { arrange, loginAdmin, type Session } from '../support/api.js';
import { createOrg, orgBody, type Org } from '../support/factory.js';
import { expectValidation, expectVietnamese } from '../support/problems.js';
import { sharedProvince } from '../support/provinces.js';

interface OrgView extends Org {
  kind: string | null;
  delegations: string[];
  parentId: string;
}

describe('orgs: levels, kinds and delegations', () => {
  let root: Session;
  let rootOrgId: string;
  let province: Org;
  let upper: Org;
  let grassroots: Org;

  before(async () => {
    root = await loginAdmin();
    rootOrgId = root.user.orgId;
    ({ province, upper, grassroots } = await sharedProvince());
  });

  const post = (body: Record<string, unknown>) => root.post('/api/v1/orgs', body);

  it('when a commune union is created under the province, and grassroots unions under it and directly under the province, then each is stored with its chain', async () => {
    const commune = await arrange<OrgView>(post(orgBody(province.id, 'commune', 'Công đoàn xã Cẩm Bình')));
    const underCommune = await arrange<OrgView>(
      post(orgBody(commune.id, 'grassroots', 'Công đoàn cơ sở Trường Mầm non')),
    );
    const direct = await arrange<OrgView>(post(orgBody(province.id, 'grassroots', 'Công đoàn cơ sở Bệnh viện tỉnh')));

    expect(commune).to.include({ level: 'commune', parentId: province.id, kind: null });
    expect(commune.delegations).to.deep.equal([]);
    expect(underCommune.orgPath).to.deep.equal([...province.orgPath, commune.id, underCommune.id]);
    expect(direct.orgPath).to.deep.equal([...province.orgPath, direct.id]);
    const stored = await OrgModel.find({ _id: { $in: [commune.id, underCommune.id, direct.id] } }).lean();
    expect(stored.map((o) => [o.level, String(o.parentId)]).sort()).to.deep.equal(
      [
        ['commune', province.id],
        ['grassroots', commune.id],
        ['grassroots', province.id],
      ].sort(),
    );
  });

  const misplaced: [string, string, () => string][] = [
    ['commune', 'the national body', () => rootOrgId],
    ['commune', 'an upper union', () => upper.id],
    ['commune', 'a grassroots union', () => grassroots.id],
    ['upper', 'a commune union', () => 'commune'],
    ['commune', 'a commune union', () => 'commune'],
  ];
  for (const [level, parentName, parentOf] of misplaced) {
    it(`when a ${level} union is created under ${parentName}, then 400 on level in Vietnamese and nothing is stored`, async () => {
      let parentId = parentOf();
      if (parentId === 'commune') parentId = (await createOrg(root, province.id, 'commune', 'Công đoàn phường')).id;
      const body = orgBody(parentId, level, 'Tổ chức đặt sai cấp');
      const res = await post(body);
      expectValidation(res, 'level');
      expectVietnamese(res.body.errors[0].message);
      expect(await OrgModel.countDocuments({ code: body.code })).to.equal(0);
    });
  }

  it('when a province-level org is created without a kind, or as a central sector union, then kind is stored and answered', async () => {
    const federation = await arrange<OrgView>(
      post(orgBody(rootOrgId, 'province', 'Liên đoàn Lao động tỉnh Quảng Trị')),
    );
    const sector = await arrange<OrgView>(
      post({ ...orgBody(rootOrgId, 'province', 'Công đoàn Công Thương Việt Nam'), kind: 'central_sector_union' }),
    );
    expect(federation.kind).to.equal('provincial_federation');
    expect(sector.kind).to.equal('central_sector_union');
    expect((await OrgModel.findById(sector.id).lean())?.kind).to.equal('central_sector_union');
    // Upper unions and grassroots unions sit under a central sector union as under a federation.
    const corporation = await arrange<OrgView>(post(orgBody(sector.id, 'upper', 'Công đoàn Tổng công ty Thép')));
    await arrange(post(orgBody(corporation.id, 'grassroots', 'Công đoàn cơ sở Nhà máy Cán thép')));
  });

  it('when a province stored before kinds existed is read, then it reads as a provincial federation', async () => {
    const old = await createOrg(root, rootOrgId, 'province', 'Liên đoàn Lao động tỉnh cũ');
    await OrgModel.collection.updateOne({ _id: new Types.ObjectId(old.id) }, { $unset: { kind: '', delegations: '' } });
    const read = await arrange<OrgView>(root.get(`/api/v1/orgs/${old.id}`), 200);
    expect(read.kind).to.equal('provincial_federation');
    expect(read.delegations).to.deep.equal([]);
  });

  it('when kind is given below the province or delegations outside a commune union, then 400 on that field and nothing is stored', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...orgBody(province.id, 'upper', 'Công đoàn KCN'), kind: 'central_sector_union' }, 'kind'],
      [{ ...orgBody(province.id, 'commune', 'Công đoàn xã'), kind: 'provincial_federation' }, 'kind'],
      [{ ...orgBody(province.id, 'upper', 'Công đoàn KCN'), delegations: ['verify'] }, 'delegations'],
      [{ ...orgBody(rootOrgId, 'province', 'LĐLĐ tỉnh'), delegations: ['verify'] }, 'delegations'],
      [{ ...orgBody(province.id, 'grassroots', 'CĐCS'), delegations: ['verify'] }, 'delegations'],
      [{ ...orgBody(province.id, 'commune', 'Công đoàn xã'), delegations: ['approve'] }, 'delegations.0'],
      [{ ...orgBody(rootOrgId, 'province', 'LĐLĐ tỉnh'), kind: 'ministry' }, 'kind'],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      expectValidation(res, path);
      expect(await OrgModel.countDocuments({ code: String(body.code) }), path).to.equal(0);
    }
  });

  it('when an admin gives a commune union verify and takes it back, then it is stored; on other levels the same change is 400 and nothing changes', async () => {
    const commune = await arrange<OrgView>(
      post({ ...orgBody(province.id, 'commune', 'Công đoàn xã Thạch Hà'), delegations: ['verify'] }),
    );
    expect(commune.delegations).to.deep.equal(['verify']);
    const taken = await arrange<OrgView>(root.patch(`/api/v1/orgs/${commune.id}`, { delegations: [] }), 200);
    expect(taken.delegations).to.deep.equal([]);
    const given = await arrange<OrgView>(root.patch(`/api/v1/orgs/${commune.id}`, { delegations: ['verify'] }), 200);
    expect(given.delegations).to.deep.equal(['verify']);
    expect((await OrgModel.findById(commune.id).lean())?.delegations).to.deep.equal(['verify']);

    const before = await OrgModel.find({ _id: { $in: [upper.id, grassroots.id, province.id] } }).lean();
    expectValidation(await root.patch(`/api/v1/orgs/${upper.id}`, { delegations: ['verify'] }), 'delegations');
    expectValidation(await root.patch(`/api/v1/orgs/${grassroots.id}`, { kind: 'central_sector_union' }), 'kind');
    expectValidation(await root.patch(`/api/v1/orgs/${commune.id}`, { kind: 'provincial_federation' }), 'kind');
    expect(await OrgModel.find({ _id: { $in: [upper.id, grassroots.id, province.id] } }).lean()).to.deep.equal(before);
  });
});
