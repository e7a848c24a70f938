/// <reference lib="dom" />
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { AuditEntry } from '../../src/audit/index.js';
import { arrange, type Session } from '../support/api.js';
import {
  createProvinceTree,
  memberBody,
  PASSWORD,
  unique,
  uniqueCitizenId,
  type ProvinceTree,
} from '../support/factory.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';

interface StoredMember {
  id: string;
  fullName: string;
  dateOfBirth: string;
  gender: string;
  citizenId: string;
  joinedUnionAt: string;
  orgId: string;
  phone: string;
  address: Record<string, string>;
  bankAccount: Record<string, string> | null;
}

/** A name part of letters only, unique in the run (a search for it finds only this test's members). */
function uniqueWord(): string {
  return unique('')
    .replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)]!)
    .toLowerCase();
}

async function findMembers(session: Session, q: string): Promise<StoredMember[]> {
  return (await arrange<{ items: StoredMember[] }>(session.get(`/api/v1/members?q=${encodeURIComponent(q)}`), 200))
    .items;
}

/** The error text AntD shows under the field with this label. */
function fieldError(scope: Locator, fieldLabel: string): Locator {
  // The inner locator of `has` is relative to each form item, so it starts from the page, not the scope.
  return scope
    .locator('.ant-form-item')
    .filter({ has: scope.page().getByLabel(fieldLabel, { exact: true }) })
    .locator('.ant-form-item-explain-error');
}

async function openMembers(page: Page, username: string): Promise<void> {
  await signIn(page, username, PASSWORD);
  await page.getByRole('menuitem', { name: 'Đoàn viên' }).click();
  await page.getByRole('heading', { name: 'Đoàn viên' }).waitFor();
}

async function fillDate(form: Locator, fieldLabel: string, day: string): Promise<void> {
  const input = form.getByLabel(fieldLabel, { exact: true });
  await input.fill(day);
  await input.press('Tab');
}

describe('web: Đoàn viên (members)', function () {
  this.timeout(120_000);
  let tree: ProvinceTree;

  before(async () => {
    tree = await createProvinceTree();
    await webEnv();
  });

  it('when a grassroots officer fills the member form, then the member is stored with ISO dates, the address and the bank account', async () => {
    const { page, context, problems } = await openPage();
    const word = uniqueWord();
    const citizenId = uniqueCitizenId();
    try {
      await openMembers(page, tree.sessions.officer.user.username);
      await page.getByRole('button', { name: 'Thêm đoàn viên' }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel('Họ và tên').fill(`Lê Thị Hòa ${word}`);
      await fillDate(form, 'Ngày sinh', '12/04/1985');
      await form.getByRole('radio', { name: 'Nữ' }).check();
      await form.getByLabel('Số CCCD').fill(citizenId);
      await fillDate(form, 'Ngày vào công đoàn', '01/03/2015');
      await form.getByLabel('Số điện thoại').fill('0912345678');
      await form.getByLabel('Tỉnh, thành phố').fill('Hà Tĩnh');
      await form.getByLabel('Xã, phường').fill('Xã Cẩm Bình');
      await form.getByLabel('Địa chỉ chi tiết (thôn, số nhà)').fill('Thôn 3');
      await form.getByLabel('Mã ngân hàng (BIN)').fill('970415');
      await form.getByLabel('Mã ngân hàng (BIN)').press('Escape');
      await form.getByLabel('Số tài khoản').fill('1234567890');
      await form.getByLabel('Tên chủ tài khoản').fill('Lê Thị Hòa');
      await checkPage(page, 'doan-vien-bieu-mau');
      await form.getByRole('button', { name: 'Thêm đoàn viên' }).click();
      await page.getByText(`Đã thêm đoàn viên Lê Thị Hòa ${word}.`).waitFor();

      const [listed] = await findMembers(tree.sessions.officer, citizenId);
      const stored = await arrange<StoredMember>(tree.sessions.officer.get(`/api/v1/members/${listed!.id}`), 200);
      expect(stored).to.deep.include({
        fullName: `Lê Thị Hòa ${word}`,
        dateOfBirth: '1985-04-12',
        gender: 'female',
        citizenId,
        joinedUnionAt: '2015-03-01',
        orgId: tree.grassroots.id,
        phone: '0912345678',
      });
      expect(stored.address).to.deep.equal({ province: 'Hà Tĩnh', commune: 'Xã Cẩm Bình', detail: 'Thôn 3' });
      expect(stored.bankAccount).to.deep.equal({
        bankBin: '970415',
        accountNo: '1234567890',
        accountName: 'LE THI HOA',
      });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the phone is malformed, the account half filled or the CCCD taken, then the API messages stand beside those fields and nothing is stored', async () => {
    const officer = tree.sessions.officer;
    const taken = await arrange<StoredMember>(officer.post('/api/v1/members', memberBody(tree.grassroots.id)));
    const word = uniqueWord();
    const body = memberBody(tree.grassroots.id, {
      fullName: `Phan Văn Tùng ${word}`,
      citizenId: taken.citizenId,
      phone: '12345',
      bankAccount: { accountNo: '1234567890' },
    });
    const invalid = await officer.post('/api/v1/members').send(body);
    const messageOf = (path: string) =>
      (invalid.body.errors as { path: string; message: string }[]).find((e) => e.path === path)!.message;
    const { page, context, problems } = await openPage();
    try {
      await openMembers(page, officer.user.username);
      await page.getByRole('button', { name: 'Thêm đoàn viên' }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel('Họ và tên').fill(body.fullName as string);
      await fillDate(form, 'Ngày sinh', '12/04/1985');
      await form.getByRole('radio', { name: 'Nam' }).check();
      await form.getByLabel('Số CCCD').fill(taken.citizenId);
      await fillDate(form, 'Ngày vào công đoàn', '01/03/2015');
      await form.getByLabel('Số điện thoại').fill('12345');
      await form.getByLabel('Số tài khoản').fill('1234567890');
      await form.getByRole('button', { name: 'Thêm đoàn viên' }).click();
      await fieldError(form, 'Số điện thoại')
        .filter({ hasText: messageOf('phone') })
        .waitFor();
      await fieldError(form, 'Mã ngân hàng (BIN)')
        .filter({ hasText: messageOf('bankAccount.bankBin') })
        .waitFor();
      await fieldError(form, 'Tên chủ tài khoản')
        .filter({ hasText: messageOf('bankAccount.accountName') })
        .waitFor();

      await form.getByLabel('Số điện thoại').fill('0912345678');
      await form.getByLabel('Số tài khoản').fill('');
      await form.getByRole('button', { name: 'Thêm đoàn viên' }).click();
      const duplicate = await officer
        .post('/api/v1/members')
        .send({ ...body, phone: '0912345678', bankAccount: undefined });
      expect(duplicate.status).to.equal(409);
      await fieldError(form, 'Số CCCD').filter({ hasText: duplicate.body.errors[0].message }).waitFor();
      await form.getByRole('alert').filter({ hasText: duplicate.body.detail }).waitFor();
      expect(await fieldError(form, 'Số điện thoại').count()).to.equal(0);
      expect(await findMembers(officer, word)).to.deep.equal([]);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a verifier searches without diacritics and filters by union, then the members are found with the CCCD masked until asked for', async () => {
    const word = uniqueWord();
    const fullName = `Nguyễn Văn Đức ${word}`;
    const ours = await arrange<StoredMember>(
      tree.sessions.officer.post('/api/v1/members', memberBody(tree.grassroots.id, { fullName })),
    );
    const theirs = await arrange<StoredMember>(
      tree.sessions.siblingOfficer.post('/api/v1/members', memberBody(tree.sibling.id, { fullName })),
    );
    const { page, context, problems } = await openPage();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    try {
      await openMembers(page, tree.sessions.verifier.user.username);
      await page.getByLabel('Tìm theo họ tên hoặc số CCCD').fill(`nguyen van duc ${word}`);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      await page.getByText('2 đoàn viên').waitFor();
      expect(await rows.count()).to.equal(2);
      await page.getByLabel('Công đoàn cơ sở', { exact: true }).fill(tree.grassroots.code);
      await page.locator('.ant-select-item-option').filter({ hasText: tree.grassroots.name }).click();
      await page.getByText('1 đoàn viên').waitFor();
      await rows.filter({ hasText: tree.grassroots.code }).waitFor();
      await rows.filter({ hasText: `********${ours.citizenId.slice(-4)}` }).waitFor();
      const html = await page.content();
      expect(html).to.not.contain(ours.citizenId).and.not.contain(theirs.citizenId);
      await checkPage(page, 'doan-vien-danh-sach');

      await page.getByRole('button', { name: fullName, exact: true }).click();
      const drawer = page.getByRole('dialog');
      await drawer.getByText(`********${ours.citizenId.slice(-4)}`).waitFor();
      expect(await page.content()).to.not.contain(ours.citizenId);
      expect(await AuditEntry.countDocuments({ action: 'member.read_personal_data', entityId: ours.id })).to.equal(0);
      await drawer.getByRole('button', { name: 'Xem số CCCD đầy đủ' }).click();
      await drawer.getByText(ours.citizenId).waitFor();
      expect(
        await AuditEntry.countDocuments({
          action: 'member.read_personal_data',
          entityId: ours.id,
          actorId: tree.sessions.verifier.user.id,
        }),
      ).to.equal(1);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the officer edits a member, then only the changed fields are stored', async () => {
    const word = uniqueWord();
    const member = await arrange<StoredMember>(
      tree.sessions.officer.post('/api/v1/members', memberBody(tree.grassroots.id, { fullName: `Hồ Văn Nam ${word}` })),
    );
    const { page, context, problems } = await openPage();
    try {
      await openMembers(page, tree.sessions.officer.user.username);
      await page.getByLabel('Tìm theo họ tên hoặc số CCCD').fill(word);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      await page.getByRole('button', { name: `Sửa Hồ Văn Nam ${word}`, exact: true }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel('Xã, phường').fill('Xã Thạch Kim');
      await form.getByLabel('Số điện thoại').fill('0987654321');
      await form.getByRole('button', { name: 'Lưu thay đổi' }).click();
      await page.getByText('Đã lưu thay đổi.').waitFor();
      const stored = await arrange<StoredMember>(tree.sessions.officer.get(`/api/v1/members/${member.id}`), 200);
      expect(stored).to.deep.include({
        fullName: `Hồ Văn Nam ${word}`,
        citizenId: member.citizenId,
        phone: '0987654321',
        dateOfBirth: '1985-04-12',
      });
      expect(stored.address).to.deep.equal({ province: 'Hà Tĩnh', commune: 'Xã Thạch Kim', detail: 'Thôn 3' });
      expect(stored.bankAccount).to.deep.equal(member.bankAccount);
      const update = await AuditEntry.findOne({ action: 'member.update', entityId: member.id }).lean();
      expect(update?.details).to.deep.equal({ fields: ['phone', 'address'] });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an accountant signs in, then Đoàn viên is not offered and the page by URL asks for no member', async () => {
    const { page, context } = await openPage();
    const asked: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/api/v1/members')) asked.push(req.url());
    });
    try {
      await signIn(page, tree.sessions.accountant.user.username, PASSWORD);
      const items = await page.getByRole('navigation', { name: 'Các mục' }).getByRole('menuitem').allInnerTexts();
      expect(items.map((t) => t.trim())).to.not.include('Đoàn viên');
      await page.goto('/members');
      await page.getByText('Không có quyền').waitFor();
      expect(await page.getByRole('button', { name: 'Thêm đoàn viên' }).count()).to.equal(0);
      expect(asked).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });
});
