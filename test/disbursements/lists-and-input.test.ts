/**
 * Reading payments (lists with filters and paging, the single read, a case's payments), receipts, and what
 * every payment endpoint refuses: bad input, roles without the right (403), objects outside scope (404).
 */
import { expect } from 'chai';
import { api, arrange, expectProblem } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound, expectValidation, unknownId } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { Disbursement } from '../../src/disbursements/disbursements.model.js';
import { caseWorld, expectUnchanged, PNG, stateOf, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  fundState,
  pay,
  paymentBody,
  payOk,
  secondAccountant,
  today,
  type DisbursementJson,
  type FundJson,
} from '../funds/fixtures.js';

interface Page {
  items: DisbursementJson[];
  total: number;
  page: number;
  limit: number;
}

describe('disbursements: lists, receipts and refused input', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;
  let fund: FundJson;
  let otherFund: FundJson;
  let house: CaseView;
  let gift: CaseView;
  let first: DisbursementJson;
  let second: DisbursementJson;
  let reversal: DisbursementJson;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
    [fund, otherFund] = await Promise.all([
      createFund(world.sessions.accountant, { allocated: 500_000_000 }),
      createFund(world.sessions.accountant),
    ]);
    [house, gift] = await Promise.all([
      approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]),
      approvedFrom(world, [{ fundId: otherFund.id, amount: 1_000_000 }], 'tet_gift'),
    ]);
    first = await payOk(world.sessions.accountant, house.id, paymentBody(fund.id, { voucherNo: 'PC-L-1' }));
    second = await payOk(
      world.sessions.accountant,
      gift.id,
      paymentBody(otherFund.id, { amount: 1_000_000, method: 'cash', voucherNo: 'PC-L-2' }),
    );
    const reversed = await arrange<{ reversal: DisbursementJson }>(
      (await secondAccountant(world)).post(`/api/v1/disbursements/${second.id}/reverse`, { reason: 'Chi nhầm đợt' }),
      201,
    );
    reversal = reversed.reversal;
  });

  function list(query = '') {
    return arrange<Page>(world.sessions.accountant.get(`/api/v1/disbursements?${query}`), 200);
  }

  it("when the accountant lists payments, then the province's entries come newest day first with a total, account numbers masked, and filters narrow them", async () => {
    const all = await list('limit=100');
    expect(all.items.map((i) => i.id)).to.have.members([first.id, second.id, reversal.id]);
    expect(all.total).to.equal(3);
    const listed = all.items.find((i) => i.id === first.id)!;
    expect(listed.payee?.accountNo).to.equal('********7890');
    expect((await list(`caseId=${house.id}`)).items.map((i) => i.id)).to.deep.equal([first.id]);
    expect((await list(`fundId=${otherFund.id}&sort=amount`)).items.map((i) => i.amount)).to.deep.equal([
      -1_000_000, 1_000_000,
    ]);
    expect((await list('method=cash&status=reversed')).items.map((i) => i.id)).to.deep.equal([second.id]);
    expect((await list('kind=reversal')).items.map((i) => i.id)).to.deep.equal([reversal.id]);
    expect((await list(`from=${today()}&to=${today()}&voucherNo=PC-L-1`)).items.map((i) => i.id)).to.deep.equal([
      first.id,
    ]);
    expect((await list('to=2020-01-01')).total).to.equal(0);
    const paged = await list('limit=2&page=2&sort=createdAt');
    expect(paged).to.deep.include({ total: 3, page: 2, limit: 2 });
    expect(paged.items.map((i) => i.id)).to.deep.equal([reversal.id]);
  });

  it('when the approver or the administrator reads, then they see the payments; the single read shows the full account and is audited', async () => {
    for (const session of [world.sessions.approver, world.sessions.admin]) {
      expect((await arrange<Page>(session.get('/api/v1/disbursements'), 200)).total).to.equal(3);
    }
    const read = await arrange<DisbursementJson>(world.sessions.approver.get(`/api/v1/disbursements/${first.id}`), 200);
    expect(read.payee?.accountNo).to.equal('1234567890');
    expect(
      await AuditEntry.countDocuments({
        entityId: first.id,
        action: 'disbursement.read_personal_data',
        actorId: world.sessions.approver.user.id,
      }),
    ).to.equal(1);
    const plan = await arrange<{ items: DisbursementJson[]; tranches: { paid: number }[]; remainingAmount: number }>(
      world.sessions.admin.get(`/api/v1/cases/${gift.id}/disbursements`),
      200,
    );
    expect(plan.items.map((i) => i.id)).to.deep.equal([second.id, reversal.id]);
    expect(plan.tranches.map((t) => t.paid)).to.deep.equal([0]);
    expect(plan.remainingAmount).to.equal(1_000_000);
  });

  it('when someone outside the province, or a verifier or officer, reads payments, then 404 outside and 403 without the role; lists elsewhere stay empty', async () => {
    expectNotFound(await foreign.sessions.accountant.get(`/api/v1/disbursements/${first.id}`));
    expectNotFound(await foreign.sessions.accountant.get(`/api/v1/cases/${house.id}/disbursements`));
    expectNotFound(await world.sessions.accountant.get(`/api/v1/disbursements/${unknownId()}`));
    const theirs = await arrange<Page>(
      foreign.sessions.accountant.get(`/api/v1/disbursements?caseId=${house.id}`),
      200,
    );
    expect(theirs.total).to.equal(0);
    for (const session of [world.sessions.verifier, world.sessions.officer]) {
      expectForbidden(await session.get('/api/v1/disbursements'));
      expectForbidden(await session.get(`/api/v1/disbursements/${first.id}`));
      expectForbidden(await session.get(`/api/v1/cases/${house.id}/disbursements`));
    }
    const pending = await Disbursement.create({
      ...(await Disbursement.findById(first.id).lean())!,
      _id: undefined,
      status: 'pending',
    });
    try {
      expectNotFound(await world.sessions.accountant.get(`/api/v1/disbursements/${String(pending._id)}`));
      expect((await list('limit=100')).total).to.equal(3);
    } finally {
      await Disbursement.deleteOne({ _id: pending._id });
    }
  });

  it('when the list query is malformed, then 400 naming each field', async () => {
    expectValidation(
      await world.sessions.accountant.get(
        '/api/v1/disbursements?limit=101&status=pending&method=cheque&caseId=x&from=2026-02-30&sort=payee',
      ),
      'limit',
      'status',
      'method',
      'caseId',
      'from',
      'sort',
    );
    expectProblem(await world.sessions.accountant.get('/api/v1/disbursements?caseId[$ne]=x'), 400, 'VALIDATION_FAILED');
    expectValidation(await world.sessions.accountant.get(`/api/v1/disbursements?from=${today()}&to=2020-01-01`), 'to');
    expectValidation(await world.sessions.accountant.get('/api/v1/disbursements/123'), 'id');
    expectValidation(await world.sessions.accountant.get('/api/v1/cases/123/disbursements'), 'id');
    expectValidation(
      await world.sessions.accountant.get(`/api/v1/disbursements/${first.id}/receipts/khong-phai-uuid`),
      'receiptId',
    );
    expectValidation(await world.sessions.accountant.get(`/api/v1/disbursements/${first.id}?expand=payee`), 'expand');
    expectValidation(await world.sessions.admin.get('/api/v1/admin/reconciliation?orgId=x'), 'orgId');
    expectForbidden(await world.sessions.approver.get(`/api/v1/disbursements/${first.id}/vietqr.png`));
  });

  describe('recording a payment: refused input', () => {
    it('when the body has unknown fields, $ keys, amounts or statuses it does not own, or wrong types, then 400 naming each and nothing moves', async () => {
      const view = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
      const [caseBefore, fundBefore] = await Promise.all([stateOf(view.id), fundState(fund.id)]);
      const accountant = world.sessions.accountant;
      const good = paymentBody(fund.id, { amount: 1_000_000 });
      expectValidation(
        await pay(accountant, view.id, { ...good, status: 'paid', disbursedAmount: 1, payee: {}, createdBy: 'x' }),
        'status',
        'disbursedAmount',
        'payee',
        'createdBy',
      );
      expectValidation(
        await pay(accountant, view.id, {
          ...good,
          amount: '1 triệu',
          trancheNo: 'một',
          method: 'cheque',
          paidAt: '12/08/2026',
          fundId: 'quỹ',
          voucherNo: '',
        }),
        'amount',
        'trancheNo',
        'method',
        'paidAt',
        'fundId',
        'voucherNo',
      );
      expectValidation(await pay(accountant, view.id, { ...good, amount: -5 }), 'amount');
      expectValidation(await pay(accountant, view.id, { ...good, amount: 1.5 }), 'amount');
      expectValidation(await pay(accountant, view.id, { ...good, voucherNo: '=cmd|calc' }), 'voucherNo');
      expectValidation(
        await pay(accountant, view.id, { trancheNo: 1 }),
        'amount',
        'method',
        'paidAt',
        'voucherNo',
        'fundId',
      );
      expectProblem(await pay(accountant, view.id, { ...good, $where: 'sleep(1000)' }), 400, 'VALIDATION_FAILED');
      expectProblem(await pay(accountant, view.id, { ...good, fundId: { $gt: '' } }), 400, 'VALIDATION_FAILED');
      expectValidation(await pay(accountant, 'not-an-id', good), 'id');
      expectProblem(
        await accountant
          .post(`/api/v1/cases/${view.id}/disbursements`)
          .set('Idempotency-Key', 'khoa-thu-nghiem-1')
          .set('Content-Type', 'text/plain')
          .send('amount=1'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      await expectUnchanged(view.id, caseBefore);
      expect(await fundState(fund.id)).to.equal(fundBefore);
    });

    it("when an approver, an administrator or an officer pays, then 403; another province's accountant or an unknown case, then 404; nothing moves", async () => {
      const view = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
      const before = await stateOf(view.id);
      const body = paymentBody(fund.id, { amount: 1_000_000 });
      for (const session of [
        world.sessions.approver,
        world.sessions.admin,
        world.sessions.officer,
        world.sessions.verifier,
      ])
        expectForbidden(await pay(session, view.id, body));
      expectNotFound(await pay(foreign.sessions.accountant, view.id, body));
      expectNotFound(await pay(world.sessions.accountant, unknownId(), body));
      await expectUnchanged(view.id, before);
    });
  });

  it('when the OpenAPI document is read, then the payment route names its required Idempotency-Key header and every new route is described', async () => {
    const doc = await arrange<{
      paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean }[] }>>;
    }>(api().get('/api/v1/openapi.json'), 200);
    const header = doc.paths['/api/v1/cases/{id}/disbursements']!.post!.parameters.find((p) => p.in === 'header');
    expect(header).to.deep.include({ name: 'Idempotency-Key', required: true });
    for (const path of [
      '/api/v1/funds',
      '/api/v1/funds/{id}/statement',
      '/api/v1/funds/{id}/adjustments',
      '/api/v1/disbursements',
      '/api/v1/disbursements/{id}/reverse',
      '/api/v1/disbursements/{id}/receipts',
      '/api/v1/disbursements/{id}/vietqr',
      '/api/v1/disbursements/{id}/vietqr.png',
      '/api/v1/disbursements/transfer-list',
      '/api/v1/admin/reconciliation',
    ]) {
      expect(doc.paths, path).to.have.property(path);
    }
  });

  describe('receipts', () => {
    const path = (id: string) => `/api/v1/disbursements/${id}/receipts`;

    it('when a receipt is not a PDF or image, has no file, or carries other fields, then it is refused and nothing is kept', async () => {
      const accountant = world.sessions.accountant;
      expectProblem(
        await accountant.upload(path(first.id)).attach('file', Buffer.from('không phải ảnh'), 'bien-nhan.png'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      expectValidation(await accountant.upload(path(first.id)).field('note', 'x'), 'note');
      expectValidation(
        await accountant.upload(path(first.id)).field('type', 'receipt').attach('file', PNG, 'a.png'),
        'type',
      );
      expectProblem(await accountant.post(path(first.id), {}), 400, 'VALIDATION_FAILED');
      expect((await Disbursement.findById(first.id).lean())?.receipts).to.deep.equal([]);
    });

    it('when someone without the role or outside the province uploads or downloads, then 403 / 404', async () => {
      const receipt = await arrange<{ id: string }>(
        world.sessions.accountant.upload(path(second.id)).attach('file', PNG, 'uy-nhiem-chi.png'),
      );
      expectForbidden(await world.sessions.approver.upload(path(second.id)).attach('file', PNG, 'a.png'));
      expectNotFound(await foreign.sessions.accountant.upload(path(second.id)).attach('file', PNG, 'a.png'));
      expectNotFound(await foreign.sessions.accountant.get(`${path(second.id)}/${receipt.id}`));
      expectForbidden(await world.sessions.officer.get(`${path(second.id)}/${receipt.id}`));
      expectNotFound(await world.sessions.accountant.get(`${path(second.id)}/00000000-0000-4000-8000-000000000000`));
      expect((await world.sessions.admin.get(`${path(second.id)}/${receipt.id}`)).status).to.equal(200);
      expect((await Disbursement.findById(second.id).lean())?.receipts).to.have.length(1);
    });
  });
});
