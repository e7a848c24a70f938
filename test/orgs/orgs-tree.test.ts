import { expect } from 'chai';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { arrange, expectProblem, loginAdmin, type Session } from '../support/api.js';
import { createProvinceTree, orgBody, unique, type Org, type ProvinceTree } from '../support/factory.js';
import { expectNoPrivateFields, expectValidation, expectVietnamese } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';

/** One province for both parts of this file; each test still makes the orgs it counts. */
let fileTree: Promise<ProvinceTree> | undefined;
const provinceOfThisFile = () => (fileTree ??= createProvinceTree());

describe('orgs: the tree', () => {
  let root: Session;
  let tree: ProvinceTree;
  let rootOrg: Org;

  before(async () => {
    [root, tree] = await Promise.all([loginAdmin(), provinceOfThisFile()]);
    rootOrg = await arrange<Org>(root.get(`/api/v1/orgs/${root.user.orgId}`), 200);
  });

  it('when each level is created under the level directly above, then 201 and orgPath runs from the root to the org itself', async () => {
    const province = await arrange<Org & Record<string, unknown>>(
      root.post('/api/v1/orgs', {
        ...orgBody(rootOrg.id, 'province', 'Liên đoàn Lao động tỉnh Quảng Bình'),
        place: 'Quảng Bình',
        address: '',
      }),
    );
    const upper = await arrange<Org & Record<string, unknown>>(
      root.post('/api/v1/orgs', { ...orgBody(province.id, 'upper', 'Công đoàn Khu công nghiệp'), place: undefined }),
    );
    const grassroots = await arrange<Org & Record<string, unknown>>(
      root.post('/api/v1/orgs', orgBody(upper.id, 'grassroots', 'Công đoàn cơ sở Công ty May')),
    );

    expect(province).to.include({ level: 'province', parentId: rootOrg.id, parentName: rootOrg.name, active: true });
    expect(province.orgPath).to.deep.equal([rootOrg.id, province.id]);
    expect(upper.orgPath).to.deep.equal([rootOrg.id, province.id, upper.id]);
    // Without its own place, an org prints its parent's place on documents.
    expect(upper).to.include({ parentId: province.id, place: 'Quảng Bình', parentName: province.name });
    expect(grassroots.orgPath).to.deep.equal([rootOrg.id, province.id, upper.id, grassroots.id]);
    for (const org of [province, upper, grassroots]) {
      expectNoPrivateFields(org);
      expect(org.createdAt).to.be.a('string');
    }

    const stored = await OrgModel.findById(grassroots.id).lean();
    expect(stored?.orgPath.map(String)).to.deep.equal([rootOrg.id, province.id, upper.id, grassroots.id]);
    expect(String(stored?.parentId)).to.equal(upper.id);
    expect(stored?.level).to.equal('grassroots');
  });

  it('when the national admin reads a subtree with one query on orgPath, then it finds exactly that subtree', async () => {
    const stored = await OrgModel.find({ orgPath: tree.upper.id }).lean();
    expect(stored.map((o) => String(o._id))).to.have.members([tree.upper.id, tree.grassroots.id, tree.sibling.id]);
  });

  const misplaced: [string, string, keyof ProvinceTree | 'root'][] = [
    ['province', 'a province', 'province'],
    ['province', 'an upper union', 'upper'],
    ['upper', 'the national body', 'root'],
    ['upper', 'an upper union', 'upper'],
    ['upper', 'a grassroots union', 'grassroots'],
    ['grassroots', 'the national body', 'root'],
    ['grassroots', 'a grassroots union', 'grassroots'],
  ];
  for (const [level, parentName, parent] of misplaced) {
    it(`when a ${level} org is created under ${parentName}, then 400 on level and nothing is stored`, async () => {
      const parentId = parent === 'root' ? rootOrg.id : (tree[parent] as Org).id;
      const body = orgBody(parentId, level, 'Tổ chức đặt sai cấp');
      const res = await root.post('/api/v1/orgs', body);
      expectValidation(res, 'level');
      expect(await OrgModel.countDocuments({ code: body.code })).to.equal(0);
    });
  }

  it('when a national org is created, then 400: there is only one root and the service made it', async () => {
    const body = orgBody(rootOrg.id, 'national', 'Tổng Liên đoàn thứ hai');
    expectValidation(await root.post('/api/v1/orgs', body), 'level');
    expect(await OrgModel.countDocuments({ code: body.code })).to.equal(0);
  });

  it('when a code is reused, also in other letter case and by another province, then 409 in Vietnamese and one org stays', async () => {
    const first = await arrange<Org>(
      tree.sessions.admin.post('/api/v1/orgs', orgBody(tree.upper.id, 'grassroots', 'Công đoàn cơ sở Bệnh viện')),
    );
    const other = await foreignProvince();
    const again = [
      await tree.sessions.admin.post('/api/v1/orgs', {
        ...orgBody(tree.upper.id, 'grassroots', 'Bản sao'),
        code: first.code,
      }),
      await tree.sessions.upperAdmin.post('/api/v1/orgs', {
        ...orgBody(tree.upper.id, 'grassroots', 'Bản sao'),
        code: first.code.toLowerCase(),
      }),
      await other.sessions.admin.post('/api/v1/orgs', {
        ...orgBody(other.upper.id, 'grassroots', 'Bản sao'),
        code: ` ${first.code} `,
      }),
    ];
    for (const res of again) {
      expectProblem(res, 409, 'CONFLICT');
      expectVietnamese(res.body.detail);
      expect(res.body.errors).to.deep.equal([{ path: 'code', message: 'Mã tổ chức đã tồn tại' }]);
    }
    const stored = await OrgModel.find({ code: first.code }).lean();
    expect(stored).to.have.length(1);
    expect(String(stored[0]?._id)).to.equal(first.id);
  });

  it('when the same code is created five times at once, then exactly one succeeds and the others answer 409', async () => {
    const code = unique('DUP');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        root.post('/api/v1/orgs', { ...orgBody(tree.upper.id, 'grassroots', 'Công đoàn đồng thời'), code }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
    expect(await OrgModel.countDocuments({ code })).to.equal(1);
  });

  it('when a code is sent in lower case with spaces, then it is stored trimmed in capitals', async () => {
    const code = unique('ht-kcn-').toLowerCase();
    const org = await arrange<Org>(
      root.post('/api/v1/orgs', { ...orgBody(tree.upper.id, 'grassroots', 'Công đoàn cơ sở'), code: `  ${code} ` }),
    );
    expect(org.code).to.equal(code.toUpperCase());
    expect((await OrgModel.findById(org.id).lean())?.code).to.equal(code.toUpperCase());
  });
});

describe('orgs: search, filters, paging and sort', () => {
  let tree: ProvinceTree;
  let upper: Org;
  let children: Org[];
  const tag = unique('T').toLowerCase();
  const names = [
    `Công đoàn cơ sở Trường Tiểu học Đức Thọ ${tag}`,
    `Công đoàn cơ sở Bệnh viện Đa khoa ${tag}`,
    `Công đoàn cơ sở Công ty Thép Hà Tĩnh ${tag}`,
    `Công đoàn cơ sở Nhà máy Gạch Cẩm Xuyên ${tag}`,
    `Công đoàn cơ sở Ủy ban nhân dân xã Kỳ Anh ${tag}`,
  ];

  before(async () => {
    tree = await provinceOfThisFile();
    const admin = tree.sessions.admin;
    upper = await arrange<Org>(
      admin.post('/api/v1/orgs', orgBody(tree.province.id, 'upper', 'Công đoàn ngành Giáo dục')),
    );
    children = await Promise.all(
      names.map((name) =>
        arrange<Org>(
          admin.post('/api/v1/orgs', { ...orgBody(upper.id, 'grassroots', 'x'), name, shortName: name.slice(0, 40) }),
        ),
      ),
    );
  });

  const search = async (q: string) => {
    const res = await tree.sessions.admin.get(`/api/v1/orgs?q=${encodeURIComponent(q)}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return (res.body.items as Org[]).map((o) => o.name);
  };

  it('when q is typed without diacritics or in other case, then the org is found', async () => {
    expect(await search(`truong tieu hoc duc tho ${tag}`)).to.deep.equal([names[0]]);
    expect(await search(`TRƯỜNG TIỂU HỌC đức thọ ${tag}`)).to.deep.equal([names[0]]);
    expect(await search(`uy ban nhan dan xa ky anh ${tag}`)).to.deep.equal([names[4]]);
    expect(await search(`  cong   ty thep   ha  tinh ${tag}`)).to.deep.equal([names[2]]);
    expect(await search(tag)).to.have.members(names);
  });

  it('when q is an org code in lower case, then that org is found', async () => {
    expect(await search(children[1]!.code.toLowerCase())).to.deep.equal([names[1]]);
  });

  it('when q holds regular-expression characters, then they match literally and find nothing', async () => {
    expect(await search('.*')).to.deep.equal([]);
    expect(await search(`${tag}|cong`)).to.deep.equal([]);
  });

  it('when filtered by parentId and level, then only matching orgs of the subtree come back with the right total', async () => {
    const byParent = await tree.sessions.admin.get(`/api/v1/orgs?parentId=${upper.id}&limit=100`);
    expect(byParent.body.total).to.equal(5);
    expect(byParent.body.items.map((o: Org) => o.id)).to.have.members(children.map((c) => c.id));

    const byLevel = await tree.sessions.admin.get('/api/v1/orgs?level=upper&limit=100');
    expect(byLevel.body.items.map((o: Org) => o.id)).to.have.members([tree.upper.id, upper.id]);
    expect(byLevel.body.total).to.equal(2);

    const both = await tree.sessions.admin.get(`/api/v1/orgs?level=upper&parentId=${upper.id}`);
    expect(both.body).to.deep.include({ total: 0, items: [] });
  });

  it('when paged two at a time, then pages are disjoint, cover all five, and carry total, page and limit', async () => {
    const pages = await Promise.all(
      [1, 2, 3, 4].map((page) =>
        tree.sessions.admin.get(`/api/v1/orgs?parentId=${upper.id}&sort=code&limit=2&page=${page}`),
      ),
    );
    expect(pages.map((p) => p.body.items.length)).to.deep.equal([2, 2, 1, 0]);
    pages.forEach((p, i) => expect(p.body).to.include({ total: 5, page: i + 1, limit: 2 }));
    const ids = pages.flatMap((p) => p.body.items.map((o: Org) => o.id));
    expect(ids).to.have.members(children.map((c) => c.id));
  });

  it('when sorted by code or name, ascending or descending, then the order follows', async () => {
    const codes = children.map((c) => c.code).sort();
    const [asc, desc, byName, defaultList] = await Promise.all([
      tree.sessions.admin.get(`/api/v1/orgs?parentId=${upper.id}&sort=code`),
      tree.sessions.admin.get(`/api/v1/orgs?parentId=${upper.id}&sort=-code`),
      tree.sessions.admin.get(`/api/v1/orgs?parentId=${upper.id}&sort=name`),
      tree.sessions.admin.get(`/api/v1/orgs?parentId=${upper.id}`),
    ]);
    expect(asc.body.items.map((o: Org) => o.code)).to.deep.equal(codes);
    expect(desc.body.items.map((o: Org) => o.code)).to.deep.equal([...codes].reverse());
    const sortedNames = byName.body.items.map((o: Org) => o.name);
    expect(sortedNames).to.deep.equal([...sortedNames].sort());
    expect(defaultList.body).to.include({ total: 5, page: 1, limit: 20 });
  });
});
