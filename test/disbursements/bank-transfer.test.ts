/**
 * Bank transfers (SPEC §7): a VietQR payload and PNG for a payment to the member's account, and the transfer
 * list for the bank as CSV (UTF-8 with BOM) and XLSX, with ASCII transfer notes and formula-looking cells
 * neutralised.
 */
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import jsQRModule from 'jsqr';
import { PNG as PngImage } from 'pngjs';
import type request from 'supertest';
import { QRPay } from 'vietnam-qr-pay';
import { arrange, expectProblem } from '../support/api.js';
import type { ProvinceTree } from '../support/factory.js';
import { expectForbidden, expectNotFound, expectValidation } from '../support/problems.js';
import { foreignProvince } from '../support/provinces.js';
import { AuditEntry } from '../../src/audit/audit.model.js';
import { dmy } from '../../src/core/shared/dates.js';
import { Case } from '../../src/cases/cases.model.js';
import { Member } from '../../src/members/members.model.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import {
  approvedFrom,
  createFund,
  paymentBody,
  payOk,
  secondAccountant,
  today,
  type DisbursementJson,
  type FundJson,
} from '../funds/fixtures.js';

// jsqr is a UMD bundle whose module.exports is the function itself, while its typings declare an ES default export.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

interface VietQrJson {
  payload: string;
  bankBin: string;
  bankName: string | null;
  accountNo: string;
  accountName: string;
  amount: number;
  purpose: string;
}

function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** A CSV line split on commas outside quotes, with doubled quotes undone. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      current += '"';
      i += 1;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(current);
      current = '';
    } else current += ch;
  }
  cells.push(current);
  return cells;
}

describe('disbursements: VietQR and the transfer list', function () {
  this.timeout(40_000);
  let world: CaseWorld;
  let foreign: ProvinceTree;
  let fund: FundJson;
  let plain: DisbursementJson;
  let hostile: DisbursementJson;
  let cash: DisbursementJson;
  let reversed: DisbursementJson;

  before(async () => {
    [world, foreign] = await Promise.all([caseWorld(), foreignProvince()]);
    fund = await createFund(world.sessions.accountant, { allocated: 1_000_000_000 });
    const { accountant } = world.sessions;
    const house = await approvedFrom(world, [{ fundId: fund.id, amount: 50_000_000 }]);
    plain = await payOk(accountant, house.id, paymentBody(fund.id, { voucherNo: 'PC-QR-1' }));
    // A member whose account name would run as a formula in a spreadsheet.
    const gift = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    const stored = await Case.findById(gift.id).lean();
    const account = {
      bankBin: '970436',
      accountNo: '0011002233445',
      accountName: '=HYPERLINK("HTTP://VI-DU.VN","BAM")',
    };
    await Case.updateOne({ _id: gift.id }, { $set: { 'memberSnapshot.bankAccount': account } });
    await Member.updateOne({ _id: stored!.memberId }, { $set: { bankAccount: account } });
    hostile = await payOk(accountant, gift.id, paymentBody(fund.id, { amount: 1_000_000, voucherNo: 'PC-QR-2' }));
    const relief = await approvedFrom(world, [{ fundId: fund.id, amount: 3_000_000 }], 'disaster_relief');
    cash = await payOk(
      accountant,
      relief.id,
      paymentBody(fund.id, { amount: 3_000_000, method: 'cash', voucherNo: 'PC-QR-3' }),
    );
    const other = await approvedFrom(world, [{ fundId: fund.id, amount: 1_000_000 }], 'tet_gift');
    reversed = await payOk(accountant, other.id, paymentBody(fund.id, { amount: 1_000_000, voucherNo: 'PC-QR-4' }));
    await arrange(
      (await secondAccountant(world)).post(`/api/v1/disbursements/${reversed.id}/reverse`, {
        reason: 'Chi nhầm đối tượng',
      }),
      201,
    );
  });

  it("when the accountant asks for the VietQR of a transfer, then the payload decodes back to the member's bank, account and amount, and the PNG shows that payload", async () => {
    const qr = await arrange<VietQrJson>(
      world.sessions.accountant.get(`/api/v1/disbursements/${plain.id}/vietqr`),
      200,
    );
    const decoded = new QRPay(qr.payload);
    expect(decoded.isValid).to.equal(true);
    expect(decoded.provider.name).to.equal('VIETQR');
    expect(decoded.consumer).to.deep.include({ bankBin: '970415', bankNumber: '1234567890' });
    expect(decoded.amount).to.equal('25000000');
    expect(decoded.additionalData.purpose).to.equal(qr.purpose);
    expect(qr.purpose.length).to.be.at.most(25);
    expect(plain.transferNote.startsWith(qr.purpose)).to.equal(true);
    expect(qr).to.deep.include({
      bankBin: '970415',
      bankName: 'VietinBank',
      accountNo: '1234567890',
      accountName: 'NGUYEN VAN AN',
      amount: 25_000_000,
    });

    const png = await world.sessions.accountant
      .get(`/api/v1/disbursements/${plain.id}/vietqr.png`)
      .buffer(true)
      .parse(binary);
    expect(png.status).to.equal(200);
    expect(png.headers['content-type']).to.equal('image/png');
    const image = PngImage.sync.read(png.body as Buffer);
    const read = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(read?.data).to.equal(qr.payload);
    expect(await AuditEntry.countDocuments({ entityId: plain.id, action: 'disbursement.vietqr' })).to.equal(2);
  });

  it('when a transfer is read back, alone or in a list, then its payee names the bank beside the BIN', async () => {
    expect(plain.payee).to.deep.include({ bankBin: '970415', bankName: 'VietinBank' });
    const one = await arrange<DisbursementJson & { payee: { bankName: string } }>(
      world.sessions.accountant.get(`/api/v1/disbursements/${hostile.id}`),
      200,
    );
    expect(one.payee).to.deep.include({ bankBin: '970436', bankName: 'Vietcombank' });
    const list = await arrange<{ items: (DisbursementJson & { payee: { bankName: string } | null })[] }>(
      world.sessions.accountant.get(`/api/v1/disbursements?caseId=${plain.caseId}`),
      200,
    );
    expect(list.items.map((d) => d.payee?.bankName)).to.deep.equal(['VietinBank']);
  });

  it('when the payment was in cash or has been reversed, then there is no VietQR (422 / 409)', async () => {
    expectProblem(await world.sessions.accountant.get(`/api/v1/disbursements/${cash.id}/vietqr`), 422, 'NOT_ELIGIBLE');
    expectProblem(
      await world.sessions.accountant.get(`/api/v1/disbursements/${reversed.id}/vietqr.png`),
      409,
      'INVALID_TRANSITION',
    );
  });

  it('when someone other than an accountant of the province asks, then 403 in scope and 404 outside', async () => {
    for (const session of [world.sessions.approver, world.sessions.admin, world.sessions.officer]) {
      expectForbidden(await session.get(`/api/v1/disbursements/${plain.id}/vietqr`));
      expectForbidden(await session.get('/api/v1/disbursements/transfer-list'));
    }
    expectNotFound(await foreign.sessions.accountant.get(`/api/v1/disbursements/${plain.id}/vietqr`));
    expectNotFound(await foreign.sessions.accountant.get(`/api/v1/disbursements/${plain.id}/vietqr.png`));
    const theirs = await foreign.sessions.accountant.get(`/api/v1/disbursements/transfer-list?from=${today()}`);
    expect(theirs.text).to.not.include(plain.voucherNo);
  });

  it('when the transfer list is exported as CSV, then it is UTF-8 with a BOM, lists the transfers in force with ASCII notes, and formula-looking cells start with an apostrophe', async () => {
    const res = await world.sessions.accountant
      .get(`/api/v1/disbursements/transfer-list?format=csv&fundId=${fund.id}`)
      .buffer(true)
      .parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).to.match(/attachment; filename=.*\.csv/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(csvCells(lines[0]!)).to.deep.equal([
      'STT',
      'Mã ngân hàng (BIN)',
      'Ngân hàng',
      'Số tài khoản',
      'Tên tài khoản',
      'Số tiền (VND)',
      'Nội dung chuyển khoản',
      'Mã hồ sơ',
      'Số chứng từ',
      'Ngày chi',
    ]);
    const rows = lines.slice(1).map(csvCells);
    expect(rows.map((r) => r[8])).to.deep.equal([plain.voucherNo, hostile.voucherNo]);
    expect(rows[0]).to.deep.equal([
      '1',
      '970415',
      'VietinBank',
      '1234567890',
      'NGUYEN VAN AN',
      '25000000',
      `${plain.caseCode} Ho tro Mai am Cong doan`,
      plain.caseCode,
      'PC-QR-1',
      dmy(today()),
    ]);
    expect(rows[1]![4]).to.equal('\'=HYPERLINK("HTTP://VI-DU.VN","BAM")');
    expect(rows[1]![6]).to.equal(`${hostile.caseCode} Ho tro Qua Tet Tet Sum vay`);
    expect(
      await AuditEntry.countDocuments({
        action: 'disbursement.transfer_list',
        actorId: world.sessions.accountant.user.id,
      }),
    ).to.be.at.least(1);
  });

  it('when the transfer list is exported as XLSX, then the sheet holds the same rows, account numbers as text and amounts as numbers', async () => {
    const res = await world.sessions.accountant
      .get(`/api/v1/disbursements/transfer-list?format=xlsx&fundId=${fund.id}&from=${today()}&to=${today()}`)
      .buffer(true)
      .parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    // exceljs's typings predate the generic Buffer of @types/node 20.
    await workbook.xlsx.load(res.body as never);
    const sheet = workbook.worksheets[0]!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).to.deep.equal([
      'STT',
      'Mã ngân hàng (BIN)',
      'Ngân hàng',
      'Số tài khoản',
      'Tên tài khoản',
      'Số tiền (VND)',
      'Nội dung chuyển khoản',
      'Mã hồ sơ',
      'Số chứng từ',
      'Ngày chi',
    ]);
    expect(sheet.rowCount).to.equal(3);
    expect(values(2)).to.deep.equal([
      1,
      '970415',
      'VietinBank',
      '1234567890',
      'NGUYEN VAN AN',
      25_000_000,
      `${plain.caseCode} Ho tro Mai am Cong doan`,
      plain.caseCode,
      'PC-QR-1',
      dmy(today()),
    ]);
    expect(values(3)[3]).to.equal('0011002233445');
    expect(values(3)[4]).to.equal('\'=HYPERLINK("HTTP://VI-DU.VN","BAM")');
    expect(sheet.getRow(3).getCell(5).formula).to.equal(undefined);
  });

  it('when the query is malformed, then 400', async () => {
    expectValidation(
      await world.sessions.accountant.get('/api/v1/disbursements/transfer-list?format=pdf&from=2026-13-01&bogus=1'),
      'format',
      'from',
      'bogus',
    );
    expectProblem(
      await world.sessions.accountant.get('/api/v1/disbursements/transfer-list?fundId[$ne]=x'),
      400,
      'VALIDATION_FAILED',
    );
    expectValidation(await world.sessions.accountant.get('/api/v1/disbursements/not-an-id/vietqr'), 'id');
  });
});
