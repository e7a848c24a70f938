import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import { arrange, type Session } from '../support/api.js';
import { caseAt, caseWorld, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  paymentBody,
  payOk,
  secondAccountant,
  today,
  type FundJson,
} from '../funds/fixtures.js';
import { checkReportTotals, rebuildReportTotals } from '../../src/reports/index.js';
import { keptRepository } from '../../src/reports/kept.repository.js';
import { collectionNames, currentStore, totalsState } from '../../src/reports/store.js';

/**
 * What the yearly summary reads instead of adding up buckets and entries: the year figures of every
 * organisation on a case's chain (report_years) and the people-paid markers and counters (report_payees,
 * report_payee_counts), checked as stored.
 */
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** By the collection's plain name, read in the generation read now (a rebuild job may have made a new one). */
const KINDS = { report_years: 'years', report_payees: 'payees', report_payee_counts: 'payeeCounts' } as const;
const stored = async (collection: keyof typeof KINDS, id: string) =>
  mongoose.connection
    .db!.collection<{ _id: string }>(collectionNames((await totalsState()).generation)[KINDS[collection]])
    .findOne({ _id: id }) as Promise<Doc | null>;
const v = (value: string) => `v${value}`;

describe('reports: year figures and people paid kept as events arrive', function () {
  this.timeout(60_000);
  let world: CaseWorld;
  let fund: FundJson;
  let checker: Session;
  let house: CaseView;
  const year = today().slice(0, 4);

  const summary = async (query: string) =>
    arrange<Doc>(world.sessions.accountant.get(`/api/v1/reports/summary?${query}`), 200);
  const counter = async (orgId: string) => (await stored('report_payee_counts', `${year}|${orgId}`))?.c ?? {};
  /** A settled Tết gift of a member, in June, on a chain of two organisations of its own. */
  const payeeEntry = (provinceId: string, unionId: string, memberId: Types.ObjectId, amount: number) => ({
    memberId,
    paidAt: `${year}-06-01`,
    orgPath: [provinceId, unionId],
    programCode: 'tet_gift',
    subtype: 'gift',
    fundId: fund.id,
    amount,
  });

  before(async () => {
    world = await caseWorld();
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    checker = await secondAccountant(world);
    house = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    await caseAt(world, 'submitted', 'tet_gift');
  });

  it('when a member is paid, the payment reversed and paid again, then the marker holds the net per organisation and each counter counts them once', async function () {
    const first = await payOk(world.sessions.accountant, house.id, paymentBody(fund.id));
    const marker = await stored('report_payees', `${year}|${house.memberId}`);
    expect(marker?.n[world.province.id]).to.deep.include({ total: 25_000_000 });
    expect(marker?.n[world.province.id].org).to.deep.equal({ [v(world.upper.id)]: 25_000_000 });
    expect(marker?.n[world.grassroots.id].org).to.deep.equal({ [v(world.grassroots.id)]: 25_000_000 });
    expect(await counter(world.province.id)).to.deep.include({ total: 1, program: { vunion_house: 1 } });
    expect((await counter(world.upper.id)).org).to.deep.equal({ [v(world.grassroots.id)]: 1 });

    await arrange(checker.post(`/api/v1/disbursements/${first.id}/reverse`, { reason: 'Chi nhầm số tài khoản' }));
    expect((await stored('report_payees', `${year}|${house.memberId}`))?.n[world.province.id].total).to.equal(0);
    expect(await counter(world.province.id)).to.deep.include({ total: 0, program: { vunion_house: 0 } });

    await payOk(world.sessions.accountant, house.id, paymentBody(fund.id));
    expect(await counter(world.province.id)).to.deep.include({ total: 1, program: { vunion_house: 1 } });
    expect((await summary(`period=${year}&orgId=${world.province.id}`)).total.beneficiariesPaid).to.equal(1);
  });

  it('when cases move, then the year figures of every organisation on the chain hold them in total and per grouping, and the year is listed', async function () {
    const province = await stored('report_years', `${world.province.id}|${year}`);
    expect(province?.g.total).to.deep.include({ received: 2, approvedCount: 1, approvedAmount: 50_000_000 });
    expect(province?.g.total).to.deep.include({ disbursedCount: 1, disbursedAmount: 25_000_000 });
    expect(province?.g.total.open).to.deep.include({ submitted: 1, partially_disbursed: 1, verified: 0 });
    expect(province?.g.org[v(world.upper.id)]).to.deep.include({ received: 2 });
    expect(province?.g.program.vunion_house).to.deep.include({ received: 1, approvedCount: 1 });
    expect(province?.g.fund[v(fund.id)]).to.deep.include({ fundApprovedAmount: 50_000_000 });
    expect(province?.g.fund['~']).to.deep.include({ received: 2 });
    const union = await stored('report_years', `${world.grassroots.id}|${year}`);
    expect(union?.g.org[v(world.grassroots.id)]).to.deep.include({ received: 2 });
    expect((await stored('report_years', world.province.id))?.years).to.deep.equal([year]);
  });

  it('when the year is grouped by one kept grouping, then it answers exactly what the raw records answer', async function () {
    // The raw records answer a range that is not whole months: from the last day of the year before (this world has
    // nothing then) to the last of this year, so that it also holds what happens on 31 December.
    const raw = `from=${Number(year) - 1}-12-31&to=${year}-12-31`;
    for (const groupBy of ['', 'program', 'subtype', 'org', 'fund', 'campaign']) {
      const query = `orgId=${world.province.id}${groupBy ? `&groupBy=${groupBy}` : ''}`;
      const [kept, records] = [await summary(`period=${year}&${query}`), await summary(`${raw}&${query}`)];
      expect([kept.source, records.source]).to.deep.equal(['totals', 'records']);
      expect(kept.rows, groupBy).to.deep.equal(records.rows);
      expect(kept.total, groupBy).to.deep.equal(records.total);
    }
  });

  it('when payments and reversals of one member race, then the counters move exactly once each way', async function () {
    const [provinceId, unionId] = [new Types.ObjectId().toString(), new Types.ObjectId().toString()];
    const entry = (amount: number) => payeeEntry(provinceId, unionId, new Types.ObjectId(house.memberId), amount);
    await Promise.all(Array.from({ length: 12 }, () => keptRepository.addPayees([entry(1_000_000)])));
    expect((await stored('report_payees', `${year}|${house.memberId}`))?.n[provinceId].total).to.equal(12_000_000);
    expect(await counter(provinceId)).to.deep.include({ total: 1, org: { [v(unionId)]: 1 } });
    await Promise.all(Array.from({ length: 12 }, () => keptRepository.addPayees([entry(-1_000_000)])));
    expect(await counter(provinceId)).to.deep.include({ total: 0, org: { [v(unionId)]: 0 } });
  });

  it('when a chunk of markers, some new and some kept, races single payments and reversals of the same members, then every counter counts exactly the positive nets', async function () {
    const [provinceId, unionId] = [new Types.ObjectId().toString(), new Types.ObjectId().toString()];
    const members = Array.from({ length: 10 }, () => new Types.ObjectId());
    const entry = (memberId: Types.ObjectId, amount: number) => payeeEntry(provinceId, unionId, memberId, amount);
    // The first five were paid before: their markers are kept; the other five are new to the chunk.
    for (const memberId of members.slice(0, 5)) await keptRepository.addPayees([entry(memberId, 1_000_000)]);
    await Promise.all([
      keptRepository.addPayeesAtOnce(
        members.map((m) => [entry(m, 2_000_000)]),
        await currentStore(),
        4,
      ),
      ...members.map((m) => keptRepository.addPayees([entry(m, -2_000_000)])),
    ]);
    const nets = await Promise.all(
      members.map(async (m) => (await stored('report_payees', `${year}|${String(m)}`))?.n[provinceId].total),
    );
    expect(nets).to.deep.equal([...Array(5).fill(1_000_000), ...Array(5).fill(0)]);
    expect(await counter(provinceId)).to.deep.include({ total: 5, org: { [v(unionId)]: 5 } });
  });

  it('when events of a new organisation and year race, then its year document holds every one and the year is listed once', async function () {
    const orgId = new Types.ObjectId().toString();
    const dims = { orgId, orgPath: [orgId], programCode: 'tet_gift', subtype: 'gift', campaignId: null, fundId: null };
    await Promise.all(
      Array.from({ length: 12 }, () =>
        keptRepository.addToYears([{ day: '2031-02-03', dims, counters: { received: 1 } }]),
      ),
    );
    expect((await stored('report_years', `${orgId}|2031`))?.g.total).to.deep.equal({ received: 12 });
    expect((await stored('report_years', orgId))?.years).to.deep.equal(['2031']);
  });

  it('when the year figures are lost, then the rebuild of the province makes them again and the check finds no difference', async function () {
    const before = await summary(`period=${year}&orgId=${world.province.id}&groupBy=org`);
    const chain = [world.province.id, world.upper.id, world.grassroots.id];
    await mongoose.connection
      .db!.collection(collectionNames((await totalsState()).generation).years)
      .deleteMany({ orgId: { $in: chain } });
    expect((await summary(`period=${year}&orgId=${world.province.id}&groupBy=org`)).total.received.count).to.equal(0);
    await rebuildReportTotals(world.province.id);
    expect((await checkReportTotals(world.province.id)).differences).to.deep.equal([]);
    expect(await stored('report_years', `${world.province.id}|${year}`)).to.not.equal(null);
    expect(await summary(`period=${year}&orgId=${world.province.id}&groupBy=org`)).to.deep.equal(before);
  });
});
