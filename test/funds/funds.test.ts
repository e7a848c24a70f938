/**
 * Funds of a province (SPEC §7): created, listed, read and adjusted by its accountants and approvers, read
 * by administrators of the subtree, invisible elsewhere; a statement of every movement with running balances.
 */
import { expect } from 'chai';
import { arrange, expectProblem } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound, expectValidation, unknownId } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { FundEntry } from '../../src/funds/funds.model.js';
import { act, caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  expectReconciled,
  fundBody,
  fundState,
  fundTotals,
  paymentBody,
  payOk,
  secondAccountant,
  type FundJson,
} from './fixtures.js';

interface Totals {
  allocated: number;
  committed: number;
  disbursed: number;
  available: number;
  balance: number;
}
interface StatementJson {
  opening: Totals;
  closing: Totals;
  entries: { kind: string; amount: number; caseCode: string | null; running: Totals; note: string }[];
}

describe('funds: create, read, adjust, statement', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
  });

  describe('creating', () => {
    it('when an accountant creates a fund, then it belongs to the province with nothing committed, and its allocation is the first ledger entry', async () => {
      const body = fundBody({ code: 'qxh-2026-a', allocated: 2_000_000_000 });
      const fund = await createFund(world.sessions.accountant, body);

      expect(fund).to.deep.include({
        code: 'QXH-2026-A',
        orgId: world.province.id,
        allocated: 2_000_000_000,
        committed: 0,
        disbursed: 0,
        available: 2_000_000_000,
      });
      expect(fund).to.not.have.property('searchKey');
      const entries = await FundEntry.find({ fundId: fund.id }).lean();
      expect(entries.map((e) => [e.kind, e.amount, e.effect?.allocated])).to.deep.equal([
        ['allocation', 2_000_000_000, 2_000_000_000],
      ]);
      expect(await AuditEntry.countDocuments({ entity: 'fund', entityId: fund.id, action: 'fund.create' })).to.equal(1);
    });

    it('when an approver creates a sponsor fund, then the sponsor is kept; without sponsorName, 400', async () => {
      const fund = await createFund(world.sessions.approver, {
        kind: 'sponsor',
        sponsorName: 'Ngân hàng TMCP Công Thương Việt Nam',
      });
      expect(fund).to.deep.include({ kind: 'sponsor', sponsorName: 'Ngân hàng TMCP Công Thương Việt Nam' });
      expectValidation(
        await world.sessions.approver.post('/api/v1/funds', fundBody({ kind: 'sponsor' })),
        'sponsorName',
      );
    });

    it('when the code is taken in the province, then 409 CONFLICT; another province may use the same code', async () => {
      const fund = await createFund(world.sessions.accountant);
      expectProblem(
        await world.sessions.accountant.post('/api/v1/funds', fundBody({ code: fund.code })),
        409,
        'CONFLICT',
      );
      const elsewhere = await createFund(foreign.sessions.accountant, { code: fund.code });
      expect(elsewhere.orgId).to.equal(foreign.province.id);
    });

    it('when the fund is aimed at an upper union, then 400 on orgId; at another province, then 404', async () => {
      expectValidation(
        await world.sessions.accountant.post('/api/v1/funds', fundBody({ orgId: world.upper.id })),
        'orgId',
      );
      expectNotFound(await world.sessions.accountant.post('/api/v1/funds', fundBody({ orgId: foreign.province.id })));
    });

    it('when a verifier, a grassroots officer or an administrator creates a fund, then 403', async () => {
      for (const session of [world.sessions.verifier, world.sessions.officer, world.sessions.admin]) {
        expectForbidden(await session.post('/api/v1/funds', fundBody()));
      }
    });

    it('when the body has unknown fields, $ keys, totals or wrong types, then 400 naming each and nothing is stored', async () => {
      const before = await FundEntry.estimatedDocumentCount();
      expectValidation(
        await world.sessions.accountant.post(
          '/api/v1/funds',
          fundBody({ committed: 5, disbursed: 1, available: 9, colour: 'đỏ' }),
        ),
        'committed',
        'disbursed',
        'available',
        'colour',
      );
      expectValidation(
        await world.sessions.accountant.post(
          '/api/v1/funds',
          fundBody({ allocated: 'một trăm triệu', year: 1999, kind: 'budget', code: '' }),
        ),
        'allocated',
        'year',
        'kind',
        'code',
      );
      expectValidation(
        await world.sessions.accountant.post('/api/v1/funds', fundBody({ allocated: 1.5 })),
        'allocated',
      );
      expectProblem(
        await world.sessions.accountant.post('/api/v1/funds', { ...fundBody(), $set: { committed: 0 } }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await world.sessions.accountant.post('/api/v1/funds', fundBody({ name: { $ne: null } })),
        400,
        'VALIDATION_FAILED',
      );
      expect(await FundEntry.estimatedDocumentCount()).to.equal(before);
    });
  });

  describe('reading', () => {
    let fund: FundJson;
    before(async () => {
      fund = await createFund(world.sessions.accountant, {
        year: 2031,
        kind: 'upper_support',
        name: 'Hỗ trợ của Tổng Liên đoàn 2031',
      });
    });

    it("when the province's accountant, approver or administrator reads the fund or lists the province's funds, then they see it", async () => {
      for (const session of [world.sessions.accountant, world.sessions.approver, world.sessions.admin]) {
        const read = await arrange<FundJson>(session.get(`/api/v1/funds/${fund.id}`), 200);
        expect(read).to.deep.include({ id: fund.id, available: fund.allocated });
        const page = await arrange<{ items: FundJson[]; total: number }>(
          session.get('/api/v1/funds?year=2031&kind=upper_support'),
          200,
        );
        expect(page.items.map((f) => f.id)).to.deep.equal([fund.id]);
        expect(page.total).to.equal(1);
      }
      const searched = await arrange<{ items: FundJson[] }>(
        world.sessions.accountant.get('/api/v1/funds?q=tong lien doan 2031'),
        200,
      );
      expect(searched.items.map((f) => f.id)).to.deep.equal([fund.id]);
    });

    it("when another province's accountant reads it, then 404, and their list does not show it", async () => {
      expectNotFound(await foreign.sessions.accountant.get(`/api/v1/funds/${fund.id}`));
      expectNotFound(await foreign.sessions.accountant.get(`/api/v1/funds/${fund.id}/statement`));
      expectNotFound(
        await foreign.sessions.accountant.post(`/api/v1/funds/${fund.id}/adjustments`, {
          amount: 1,
          reason: 'Bổ sung dự toán',
        }),
      );
      const page = await arrange<{ items: FundJson[] }>(
        foreign.sessions.accountant.get('/api/v1/funds?year=2031&limit=100'),
        200,
      );
      expect(page.items.map((f) => f.id)).to.not.include(fund.id);
      expectNotFound(await world.sessions.accountant.get(`/api/v1/funds/${unknownId()}`));
    });

    it('when an administrator of the upper union reads it, then 404 (funds sit above their subtree); verifiers and officers get 403', async () => {
      expectNotFound(await world.sessions.upperAdmin.get(`/api/v1/funds/${fund.id}`));
      for (const session of [world.sessions.verifier, world.sessions.officer]) {
        expectForbidden(await session.get(`/api/v1/funds/${fund.id}`));
        expectForbidden(await session.get('/api/v1/funds'));
        expectForbidden(await session.get(`/api/v1/funds/${fund.id}/statement`));
      }
    });

    it('when the list query or the id is malformed, then 400', async () => {
      expectValidation(
        await world.sessions.accountant.get('/api/v1/funds?limit=500&year=abc&kind=x&sort=committed'),
        'limit',
        'year',
        'kind',
        'sort',
      );
      expectProblem(await world.sessions.accountant.get('/api/v1/funds?q[$ne]=x'), 400, 'VALIDATION_FAILED');
      expectValidation(await world.sessions.accountant.get('/api/v1/funds/not-an-id'), 'id');
      expectValidation(
        await world.sessions.accountant.get(`/api/v1/funds/${fund.id}/statement?from=2026-02-30`),
        'from',
      );
    });
  });

  describe('adjusting the allocation', () => {
    it('when the accountant raises and lowers the allocation, then allocated and available follow, each with a ledger entry and an audit entry', async () => {
      const fund = await createFund(world.sessions.accountant, { allocated: 10_000_000 });
      await arrange(
        world.sessions.accountant.post(`/api/v1/funds/${fund.id}/adjustments`, {
          amount: 5_000_000,
          reason: 'Bổ sung dự toán quý III',
        }),
        200,
      );
      const lowered = await arrange<FundJson>(
        world.sessions.approver.post(`/api/v1/funds/${fund.id}/adjustments`, {
          amount: -3_000_000,
          reason: 'Điều chuyển sang quỹ khác',
        }),
        200,
      );

      expect(lowered).to.deep.include({ allocated: 12_000_000, available: 12_000_000, committed: 0 });
      const entries = await FundEntry.find({ fundId: fund.id, kind: 'adjustment' }).sort({ at: 1 }).lean();
      expect(entries.map((e) => [e.amount, e.note])).to.deep.equal([
        [5_000_000, 'Bổ sung dự toán quý III'],
        [-3_000_000, 'Điều chuyển sang quỹ khác'],
      ]);
      expect(await AuditEntry.countDocuments({ entityId: fund.id, action: 'fund.adjust' })).to.equal(2);
    });

    it('when the allocation would fall below what is committed, then 409 INSUFFICIENT_FUNDS and nothing changes; down to exactly the committed amount is accepted', async () => {
      const fund = await createFund(world.sessions.accountant, { allocated: 60_000_000 });
      await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
      const before = await fundState(fund.id);

      const res = await world.sessions.accountant.post(`/api/v1/funds/${fund.id}/adjustments`, {
        amount: -10_000_001,
        reason: 'Cắt giảm dự toán',
      });

      expectProblem(res, 409, 'INSUFFICIENT_FUNDS');
      expect(await fundState(fund.id)).to.equal(before);
      const cut = await arrange<FundJson>(
        world.sessions.accountant.post(`/api/v1/funds/${fund.id}/adjustments`, {
          amount: -10_000_000,
          reason: 'Cắt giảm dự toán',
        }),
        200,
      );
      expect(cut).to.deep.include({ allocated: 50_000_000, committed: 50_000_000, available: 0 });
    });

    it('when the adjustment is zero, has no reason, or carries other fields, then 400; a verifier gets 403', async () => {
      const fund = await createFund(world.sessions.accountant);
      const path = `/api/v1/funds/${fund.id}/adjustments`;
      expectValidation(await world.sessions.accountant.post(path, { amount: 0, reason: 'Không đổi gì cả' }), 'amount');
      expectValidation(await world.sessions.accountant.post(path, { amount: 1_000 }), 'reason');
      expectValidation(
        await world.sessions.accountant.post(path, { amount: 1_000, reason: 'Bổ sung', committed: 0 }),
        'committed',
      );
      expectValidation(
        await world.sessions.accountant.post(path, { amount: 'nghìn', reason: 'Bổ sung dự toán' }),
        'amount',
      );
      expectForbidden(await world.sessions.verifier.post(path, { amount: 1_000, reason: 'Bổ sung dự toán' }));
      expect(await fundTotals(fund.id)).to.deep.include({ allocated: fund.allocated });
    });
  });

  describe('statement', () => {
    it("when a fund is allocated, adjusted, committed to two cases, paid, reversed and one approval revoked, then the statement lists each movement with running balances that end at the fund's totals", async () => {
      const fund = await createFund(world.sessions.accountant, { allocated: 100_000_000 });
      await arrange(
        world.sessions.accountant.post(`/api/v1/funds/${fund.id}/adjustments`, {
          amount: -10_000_000,
          reason: 'Điều chuyển sang quỹ khác',
        }),
        200,
      );
      const first = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
      const second = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
      const payment = await payOk(world.sessions.accountant, first.id, paymentBody(fund.id));
      const other = await secondAccountant(world);
      await arrange(other.post(`/api/v1/disbursements/${payment.id}/reverse`, { reason: 'Ghi nhầm số tiền' }), 201);
      await act(world.sessions.approver, second.id, 'revoke', {
        revision: second.revision,
        reason: 'Đối tượng đã nhận hỗ trợ nơi khác',
      }).expect(200);

      const statement = await arrange<StatementJson>(
        world.sessions.accountant.get(`/api/v1/funds/${fund.id}/statement`),
        200,
      );

      expect(statement.entries.map((e) => [e.kind, e.amount, e.caseCode])).to.deep.equal([
        ['allocation', 100_000_000, null],
        ['adjustment', -10_000_000, null],
        ['commitment', 50_000_000, first.code],
        ['commitment', 1_000_000, second.code],
        ['payment', 25_000_000, first.code],
        ['reversal', -25_000_000, first.code],
        ['release', -1_000_000, second.code],
      ]);
      expect(statement.entries.map((e) => e.running.available)).to.deep.equal([
        100_000_000, 90_000_000, 40_000_000, 39_000_000, 39_000_000, 39_000_000, 40_000_000,
      ]);
      expect(statement.entries.map((e) => e.running.balance)).to.deep.equal([
        100_000_000, 90_000_000, 90_000_000, 90_000_000, 65_000_000, 90_000_000, 90_000_000,
      ]);
      expect(statement.opening).to.deep.equal({ allocated: 0, committed: 0, disbursed: 0, available: 0, balance: 0 });
      const totals = await fundTotals(fund.id);
      expect(statement.closing).to.deep.equal({ ...totals, balance: totals.allocated - totals.disbursed });
      expect(totals).to.deep.equal({
        allocated: 90_000_000,
        committed: 50_000_000,
        disbursed: 0,
        available: 40_000_000,
      });
      await expectReconciled(world);
    });

    it('when the statement starts tomorrow, then everything so far is the opening balance and no line is listed', async () => {
      const fund = await createFund(world.sessions.accountant, { allocated: 7_000_000 });
      const tomorrow = new Date(Date.now() + 86_400_000);
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(tomorrow);
      const statement = await arrange<StatementJson>(
        world.sessions.approver.get(`/api/v1/funds/${fund.id}/statement?from=${day}&to=${day}`),
        200,
      );
      expect(statement.entries).to.deep.equal([]);
      expect(statement.opening).to.deep.include({ allocated: 7_000_000, available: 7_000_000 });
      expect(statement.closing).to.deep.equal(statement.opening);
      expectValidation(
        await world.sessions.approver.get(`/api/v1/funds/${fund.id}/statement?from=${day}&to=2020-01-01`),
        'to',
      );
    });
  });
});
