/**
 * GET /api/v1/cases (SPEC §10): filters, Vietnam-day date ranges, paging with total, sort, search by case
 * code, full CCCD or name without diacritics; lists carry no personal data or heavy parts, and never leave
 * the caller's subtree.
 */
import { expect } from 'chai';
import { Types } from 'mongoose';
import { arrange, type Session } from '../support/api.js';
import { expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { Case } from '../../src/cases/cases.model.js';
import {
  caseAt,
  caseWorld,
  createCampaign,
  newCase,
  type Campaign,
  type CaseView,
  type CaseWorld,
  type Member,
} from './case-fixtures.js';

interface ListItem extends Record<string, unknown> {
  id: string;
  code: string;
  status: string;
  orgId: string;
  requestedAmount: number;
}
interface Page {
  items: ListItem[];
  total: number;
  page: number;
  limit: number;
}

async function list(session: Session, query = ''): Promise<Page> {
  return arrange<Page>(session.get(`/api/v1/cases${query ? `?${query}` : ''}`), 200);
}

describe('cases: lists, filters and search', function () {
  this.timeout(30_000);
  let world: CaseWorld;
  let secondTet: Campaign;
  let hoa: Member;
  /** c1 union_house draft (Đặng Thị Hòa), c2 union_house submitted, c3 Tết draft, c4 Tết verified, c5 relief submitted (sibling union), c6 Tết draft in a second campaign (sibling union). */
  let c: CaseView[];

  const ids = (page: Page) => page.items.map((item) => item.id);
  const idsOf = (...which: number[]) => which.map((n) => c[n - 1]!.id);

  before(async () => {
    world = await caseWorld();
    secondTet = await createCampaign(world.sessions.approver, 'tet_gift');
    const sibling = { officer: world.sessions.siblingOfficer, orgId: world.sibling.id };
    const first = await newCase(world, 'union_house', { member: { fullName: 'Đặng Thị Hòa' } });
    hoa = first.member;
    c = [
      first.view,
      ...(await Promise.all([
        caseAt(world, 'submitted', 'union_house', { body: { subtype: 'repair', requestedAmount: 20_000_000 } }),
        caseAt(world, 'draft', 'tet_gift', { body: { requestedAmount: 700_000 } }),
        caseAt(world, 'verified', 'tet_gift', { body: { requestedAmount: 800_000 } }),
        caseAt(world, 'submitted', 'disaster_relief', sibling),
        caseAt(world, 'draft', 'tet_gift', {
          ...sibling,
          body: { campaignId: secondTet.id, requestedAmount: 600_000 },
        }),
      ])),
    ];
    // Creation instants around Vietnamese midnights (UTC+7), written directly: the API sets createdAt itself.
    const instants: [number, string][] = [
      [0, '2025-03-10T17:30:00.000Z'], // 11/03 00:30 in Vietnam
      [1, '2025-03-11T16:59:59.000Z'], // 11/03 23:59:59
      [2, '2025-03-11T17:00:00.000Z'], // 12/03 00:00
      [3, '2025-03-10T16:59:59.000Z'], // 10/03 23:59:59
    ];
    await Promise.all(
      instants.map(([i, at]) =>
        Case.collection.updateOne({ _id: new Types.ObjectId(c[i]!.id) }, { $set: { createdAt: new Date(at) } }),
      ),
    );
  });

  it("when the approver lists without filters, then the page holds the province's six cases and total says so", async () => {
    const page = await list(world.sessions.approver, 'limit=100');
    expect(page.total).to.equal(6);
    expect(ids(page)).to.have.members(idsOf(1, 2, 3, 4, 5, 6));
    expect(page).to.include({ page: 1, limit: 100 });
  });

  it('when filtered by one status, by a comma list or by a repeated parameter, then only those statuses come back', async () => {
    const approver = world.sessions.approver;
    expect(ids(await list(approver, 'status=submitted'))).to.have.members(idsOf(2, 5));
    const comma = await list(approver, 'status=draft,verified');
    expect(ids(comma)).to.have.members(idsOf(1, 3, 4, 6));
    expect(comma.total).to.equal(4);
    expect(ids(await list(approver, 'status=draft&status=verified'))).to.have.members(idsOf(1, 3, 4, 6));
    expect((await list(approver, 'status=approved')).total).to.equal(0);
    expectValidation(await approver.get('/api/v1/cases?status=draft,bogus'), 'status');
  });

  it('when filtered by programCode or campaignId, then only matching cases come back', async () => {
    const approver = world.sessions.approver;
    expect(ids(await list(approver, 'programCode=tet_gift'))).to.have.members(idsOf(3, 4, 6));
    expect(ids(await list(approver, 'programCode=union_house'))).to.have.members(idsOf(1, 2));
    expect(ids(await list(approver, `campaignId=${world.campaigns.tet.id}`))).to.have.members(idsOf(3, 4));
    expect(ids(await list(approver, `campaignId=${secondTet.id}`))).to.have.members(idsOf(6));
    expect(ids(await list(approver, `campaignId=${world.campaigns.relief.id}&status=submitted`))).to.have.members(
      idsOf(5),
    );
  });

  it('when filtered by orgId, then the subtree of that organisation is listed, and an organisation outside scope lists nothing', async () => {
    const approver = world.sessions.approver;
    expect(ids(await list(approver, `orgId=${world.sibling.id}`))).to.have.members(idsOf(5, 6));
    expect(ids(await list(approver, `orgId=${world.grassroots.id}`))).to.have.members(idsOf(1, 2, 3, 4));
    expect((await list(approver, `orgId=${world.upper.id}`)).total).to.equal(6);
    const foreign = await foreignProvince();
    expect(await list(approver, `orgId=${foreign.grassroots.id}`)).to.include({ total: 0 });
  });

  it('when filtered by from/to, then whole Vietnamese days are matched, both ends inclusive', async () => {
    const approver = world.sessions.approver;
    expect(ids(await list(approver, 'from=2025-03-11&to=2025-03-11'))).to.have.members(idsOf(1, 2));
    expect(ids(await list(approver, 'to=2025-03-10'))).to.have.members(idsOf(4));
    expect(ids(await list(approver, 'from=2025-03-12&to=2025-03-12'))).to.have.members(idsOf(3));
    expect(ids(await list(approver, 'from=2025-03-10&to=2025-03-12'))).to.have.members(idsOf(1, 2, 3, 4));
    expect(ids(await list(approver, 'from=2025-03-13'))).to.have.members(idsOf(5, 6));
    expectValidation(await approver.get('/api/v1/cases?from=2025-02-30'), 'from');
  });

  it('when paging with sort=code, then pages follow one order without overlap and carry the total', async () => {
    const approver = world.sessions.approver;
    const all = await list(approver, 'sort=code&limit=100');
    const codes = all.items.map((item) => item.code);
    expect(codes).to.deep.equal([...codes].sort());

    const pages = await Promise.all([1, 2, 3].map((page) => list(approver, `sort=code&limit=4&page=${page}`)));

    expect(pages.map((p) => p.items.length)).to.deep.equal([4, 2, 0]);
    expect(pages.map((p) => p.total)).to.deep.equal([6, 6, 6]);
    expect(pages.flatMap(ids)).to.deep.equal(ids(all));
    const descending = await list(approver, 'sort=-code&limit=100');
    expect(ids(descending)).to.deep.equal([...ids(all)].reverse());
  });

  it('when sorted by requestedAmount, then amounts ascend; an unknown sort field answers 400', async () => {
    const page = await list(world.sessions.approver, 'sort=requestedAmount&limit=100');
    const amounts = page.items.map((item) => item.requestedAmount);
    expect(amounts).to.deep.equal([...amounts].sort((a, b) => a - b));
    expect(amounts[0]).to.equal(600_000);
    expectValidation(await world.sessions.approver.get('/api/v1/cases?sort=memberCitizenId'), 'sort');
  });

  it('when searching by case code (any case), then exactly that case is found', async () => {
    const approver = world.sessions.approver;
    expect(ids(await list(approver, `q=${c[3]!.code}`))).to.deep.equal(idsOf(4));
    expect(ids(await list(approver, `q=${c[3]!.code.toLowerCase()}`))).to.deep.equal(idsOf(4));
  });

  it("when searching by the member's full CCCD, then their case is found; a partial CCCD finds nothing", async () => {
    const approver = world.sessions.approver;
    expect(ids(await list(approver, `q=${hoa.citizenId}`))).to.deep.equal(idsOf(1));
    expect((await list(approver, `q=${hoa.citizenId.slice(0, 11)}`)).total).to.equal(0);
  });

  it('when searching by name without diacritics or in capitals, then "Đặng Thị Hòa" is found', async () => {
    const approver = world.sessions.approver;
    for (const q of ['dang thi hoa', 'DANG THI HOA', 'Đặng Thị', 'thi hoa']) {
      expect(ids(await list(approver, `q=${encodeURIComponent(q)}`)), q).to.deep.equal(idsOf(1));
    }
    expect((await list(approver, 'q=tran')).total).to.equal(0);
  });

  it('when any list is read, then no item carries memberSnapshot, history, documents, details or private fields', async () => {
    const page = await list(world.sessions.approver, 'limit=100');
    const submitted = page.items.find((item) => item.id === c[1]!.id)!;
    expect(submitted.memberName, 'the name stays').to.be.a('string');
    for (const item of page.items) {
      for (const field of [
        'memberSnapshot',
        'history',
        'documents',
        'details',
        'memberCitizenId',
        'memberSearchName',
        'claimKey',
        '_id',
        '__v',
      ]) {
        expect(item, `${item.code} ${field}`).to.not.have.property(field);
      }
    }
    expect(JSON.stringify(page)).to.not.include(hoa.citizenId);
  });

  it("when an officer lists, then only their own union's cases appear, never the sibling union's, even when asked by orgId", async () => {
    const mine = await list(world.sessions.officer, 'limit=100');
    expect(ids(mine)).to.have.members(idsOf(1, 2, 3, 4));
    expect(mine.items.every((item) => item.orgId === world.grassroots.id)).to.equal(true);
    expect((await list(world.sessions.officer, `orgId=${world.sibling.id}`)).total).to.equal(0);
    expect(ids(await list(world.sessions.siblingOfficer, 'limit=100'))).to.have.members(idsOf(5, 6));
    await world.sessions.officer.get(`/api/v1/cases/${c[4]!.id}`).expect(404);
  });
});
