/**
 * Approval commits the approved amount to the province's funds (SPEC §7): the allocations must add up to
 * the approved amount and name funds of the case's own province; a fund never commits more than it has
 * available, also under concurrent approvals; whatever a failed approval took is given back; revocation
 * releases the commitment.
 */
import { expect } from 'chai';
import type request from 'supertest';
import { expectProblem } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { FundEntry } from '../../src/funds/funds.model.js';
import {
  act,
  actOk,
  caseWorld,
  expectUnchanged,
  stateOf,
  storedCase,
  type CaseView,
  type CaseWorld,
} from '../cases/case-fixtures.js';
import { approveBody, createFund, expectReconciled, fundState, fundTotals, verifiedCase } from './fixtures.js';

describe('funds: commitments on approval', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
  });

  async function refusedWithNothingCommitted(
    view: CaseView,
    fundIds: string[],
    send: () => Promise<request.Response>,
  ): Promise<request.Response> {
    const [caseBefore, ...fundsBefore] = await Promise.all([stateOf(view.id), ...fundIds.map(fundState)]);
    const res = await send();
    await expectUnchanged(view.id, caseBefore);
    expect(await Promise.all(fundIds.map(fundState))).to.deep.equal(fundsBefore);
    return res;
  }

  it('when a union house of 50,000,000 is approved from two funds (30,000,000 + 20,000,000), then each fund commits its part, the case keeps the allocations, and revoking gives both back', async () => {
    const [a, b] = await Promise.all([
      createFund(world.sessions.accountant, { allocated: 40_000_000 }),
      createFund(world.sessions.approver, { allocated: 20_000_000 }),
    ]);
    const view = await verifiedCase(world, 'union_house');

    const approved = await actOk(
      world.sessions.approver,
      view.id,
      'approve',
      approveBody(view, [
        { fundId: a.id, amount: 30_000_000 },
        { fundId: b.id, amount: 20_000_000 },
      ]),
    );

    expect(approved).to.include({ status: 'approved', approvedAmount: 50_000_000 });
    const stored = await storedCase(view.id);
    expect(stored.fundAllocations.map((x) => [String(x.fundId), x.fundCode, x.amount, x.paid])).to.deep.equal([
      [a.id, a.code, 30_000_000, 0],
      [b.id, b.code, 20_000_000, 0],
    ]);
    expect(await fundTotals(a.id)).to.deep.equal({
      allocated: 40_000_000,
      committed: 30_000_000,
      disbursed: 0,
      available: 10_000_000,
    });
    expect(await fundTotals(b.id)).to.deep.equal({
      allocated: 20_000_000,
      committed: 20_000_000,
      disbursed: 0,
      available: 0,
    });
    await expectReconciled(world);

    await actOk(world.sessions.approver, view.id, 'revoke', {
      revision: approved.revision,
      reason: 'Gia đình đã chuyển đi nơi khác',
    });

    expect(await fundTotals(a.id)).to.deep.include({ committed: 0, available: 40_000_000 });
    expect(await fundTotals(b.id)).to.deep.include({ committed: 0, available: 20_000_000 });
    const releases = await FundEntry.find({ caseId: view.id, kind: 'release' }).lean();
    expect(releases.map((e) => e.amount).sort()).to.deep.equal([-30_000_000, -20_000_000].sort());
    await expectReconciled(world);
  });

  it('when the allocations do not add up to the approved amount, then 400 on fundAllocations and nothing is committed', async () => {
    const fund = await createFund(world.sessions.accountant);
    const view = await verifiedCase(world);
    const res = await refusedWithNothingCommitted(view, [fund.id], () =>
      act(
        world.sessions.approver,
        view.id,
        'approve',
        approveBody(view, [{ fundId: fund.id, amount: 600_000 }], 1_000_000),
      ),
    );
    expectValidation(res, 'fundAllocations');
  });

  it('when fundAllocations is missing, empty, names one fund twice, or carries other fields, then 400 and nothing is committed', async () => {
    const fund = await createFund(world.sessions.accountant);
    const view = await verifiedCase(world);
    const approver = world.sessions.approver;
    await refusedWithNothingCommitted(view, [fund.id], async () => {
      expectValidation(
        await act(approver, view.id, 'approve', { revision: view.revision, approvedAmount: 1_000_000 }),
        'fundAllocations',
      );
      expectValidation(await act(approver, view.id, 'approve', approveBody(view, [], 1_000_000)), 'fundAllocations');
      expectValidation(
        await act(
          approver,
          view.id,
          'approve',
          approveBody(view, [
            { fundId: fund.id, amount: 500_000 },
            { fundId: fund.id, amount: 500_000 },
          ]),
        ),
        'fundAllocations.1',
      );
      expectValidation(
        await act(
          approver,
          view.id,
          'approve',
          approveBody(view, [{ fundId: fund.id, amount: 1_000_000, paid: 0 } as never]),
        ),
        'paid',
      );
      expectValidation(
        await act(
          approver,
          view.id,
          'approve',
          approveBody(view, [{ fundId: 'quỹ-xã-hội', amount: '1tr' } as never], 1_000_000),
        ),
        'fundId',
        'amount',
      );
      expectProblem(
        await act(
          approver,
          view.id,
          'approve',
          approveBody(view, [{ fundId: { $ne: null }, amount: 1_000_000 } as never], 1_000_000),
        ),
        400,
        'VALIDATION_FAILED',
      );
      return act(approver, view.id, 'approve', approveBody(view, [{ fundId: fund.id, amount: 0 }], 0));
    });
  });

  it("when an allocation names another province's fund or a fund that does not exist, then 400 on that allocation's fundId and nothing is committed anywhere", async () => {
    const [own, theirs] = await Promise.all([
      createFund(world.sessions.accountant),
      createFund(foreign.sessions.accountant),
    ]);
    const view = await verifiedCase(world);
    const res = await refusedWithNothingCommitted(view, [own.id, theirs.id], () =>
      act(
        world.sessions.approver,
        view.id,
        'approve',
        approveBody(view, [
          { fundId: own.id, amount: 400_000 },
          { fundId: theirs.id, amount: 600_000 },
        ]),
      ),
    );
    expectValidation(res, 'fundAllocations.1.fundId');
    expect(JSON.stringify(res.body)).to.not.include(theirs.code);
  });

  it('when the second fund cannot cover its part, then 409 INSUFFICIENT_FUNDS naming it, the first fund gets its part back, and the case stays verified', async () => {
    const [plenty, scarce] = await Promise.all([
      createFund(world.sessions.accountant, { allocated: 10_000_000 }),
      createFund(world.sessions.accountant, { allocated: 300_000 }),
    ]);
    const view = await verifiedCase(world);
    const before = await stateOf(view.id);

    const res = await act(
      world.sessions.approver,
      view.id,
      'approve',
      approveBody(view, [
        { fundId: plenty.id, amount: 600_000 },
        { fundId: scarce.id, amount: 400_000 },
      ]),
    );

    expectProblem(res, 409, 'INSUFFICIENT_FUNDS');
    expect(res.body).to.include({ fundId: scarce.id, fundCode: scarce.code, available: 300_000 });
    expect(res.body.detail).to.include(scarce.code);
    await expectUnchanged(view.id, before);
    expect(await fundTotals(plenty.id)).to.deep.equal({
      allocated: 10_000_000,
      committed: 0,
      disbursed: 0,
      available: 10_000_000,
    });
    expect(await fundTotals(scarce.id)).to.deep.include({ committed: 0, available: 300_000 });
    await expectReconciled(world);
  });

  it('when five approvals race for a fund that fits two, then exactly two are approved, the fund is committed exactly, and the three losers are unchanged with their other allocation given back', async () => {
    const [plenty, scarce] = await Promise.all([
      createFund(world.sessions.accountant, { allocated: 50_000_000 }),
      createFund(world.sessions.accountant, { allocated: 1_000_000 }),
    ]);
    const views = await Promise.all(Array.from({ length: 5 }, () => verifiedCase(world)));
    const before = await Promise.all(views.map((v) => stateOf(v.id)));

    // Each approval takes 500,000 from the plentiful fund first, then 500,000 from the scarce one.
    const results = await Promise.all(
      views.map((v) =>
        act(
          world.sessions.approver,
          v.id,
          'approve',
          approveBody(v, [
            { fundId: plenty.id, amount: 500_000 },
            { fundId: scarce.id, amount: 500_000 },
          ]),
        ),
      ),
    );

    const summary = JSON.stringify(results.map((r) => [r.status, r.body.code]));
    const winners = results.flatMap((r, i) => (r.status === 200 ? [i] : []));
    expect(winners, summary).to.have.length(2);
    for (const [i, r] of results.entries()) {
      if (winners.includes(i)) continue;
      expectProblem(r, 409, 'INSUFFICIENT_FUNDS');
      await expectUnchanged(views[i]!.id, before[i]!, 'a losing approval');
    }
    for (const i of winners) expect((await storedCase(views[i]!.id)).status).to.equal('approved');
    expect(await fundTotals(scarce.id)).to.deep.equal({
      allocated: 1_000_000,
      committed: 1_000_000,
      disbursed: 0,
      available: 0,
    });
    expect(await fundTotals(plenty.id)).to.deep.equal({
      allocated: 50_000_000,
      committed: 1_000_000,
      disbursed: 0,
      available: 49_000_000,
    });
    await expectReconciled(world);
  });

  it('when two approvers approve the same case at once, then one wins and the fund is committed once', async () => {
    const fund = await createFund(world.sessions.accountant, { allocated: 5_000_000 });
    const view = await verifiedCase(world);
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        act(world.sessions.approver, view.id, 'approve', approveBody(view, [{ fundId: fund.id, amount: 1_000_000 }])),
      ),
    );
    expect(
      results.filter((r) => r.status === 200),
      JSON.stringify(results.map((r) => r.body.code)),
    ).to.have.length(1);
    expect(await fundTotals(fund.id)).to.deep.include({ committed: 1_000_000, available: 4_000_000 });
    await expectReconciled(world);
  });
});
