/// <reference lib="dom" />
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { api, arrange, loginAdmin, type Session } from '../support/api.js';
import {
  createProvinceTree,
  createUser,
  lettersOnly,
  orgBody,
  PASSWORD,
  unique,
  type Org,
  type ProvinceTree,
} from '../support/factory.js';
import { ADMIN_PASSWORD } from '../support/global-setup.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';

interface StoredUser {
  id: string;
  username: string;
  fullName: string;
  title: string;
  orgId: string;
  roles: string[];
  active: boolean;
}

async function usersNamed(admin: Session, q: string): Promise<StoredUser[]> {
  return (await arrange<{ items: StoredUser[] }>(admin.get(`/api/v1/users?q=${encodeURIComponent(q)}`), 200)).items;
}

function fieldError(scope: Locator, fieldLabel: string): Locator {
  return scope
    .locator('.ant-form-item')
    .filter({ has: scope.page().getByLabel(fieldLabel, { exact: true }) })
    .locator('.ant-form-item-explain-error');
}

async function openAdmin(
  page: Page,
  username: string,
  tab: 'orgs' | 'users' = 'orgs',
  password = PASSWORD,
): Promise<void> {
  await signIn(page, username, password);
  await page.getByRole('menuitem', { name: 'Quản trị' }).click();
  await page.getByRole('heading', { name: 'Quản trị' }).waitFor();
  if (tab === 'users') await page.getByRole('tab', { name: 'Người dùng' }).click();
}

describe('web: Quản trị (organisations and users)', function () {
  this.timeout(120_000);
  let tree: ProvinceTree;

  before(async () => {
    tree = await createProvinceTree();
    await webEnv();
  });

  it('when the admin creates a grassroots union under an upper union and a user in it, then both are stored', async () => {
    const admin = tree.sessions.admin;
    const code = unique('CS');
    const username = unique('cb.').toLowerCase();
    const { page, context, problems } = await openPage();
    try {
      await openAdmin(page, admin.user.username);
      await page.locator('.ant-tree-node-content-wrapper').filter({ hasText: tree.upper.name }).click();
      await page.getByRole('button', { name: 'Thêm đơn vị trực thuộc' }).click();
      const orgForm = page.getByRole('dialog');
      await orgForm.getByLabel('Mã tổ chức').fill(code);
      await orgForm.getByLabel('Tên đầy đủ').fill(`Công đoàn cơ sở Trường Tiểu học ${code}`);
      await orgForm.getByLabel('Tên viết tắt').fill(`CĐCS TH ${code}`);
      await orgForm.getByRole('button', { name: 'Tạo tổ chức' }).click();
      await page.getByText(`Đã tạo Công đoàn cơ sở Trường Tiểu học ${code}.`).waitFor();

      const children = await arrange<{ items: (Org & { parentId: string; place: string; parentName: string })[] }>(
        admin.get(`/api/v1/orgs?parentId=${tree.upper.id}&q=${code}`),
        200,
      );
      expect(children.items).to.have.length(1);
      const created = children.items[0]!;
      expect(created).to.include({
        code,
        level: 'grassroots',
        parentId: tree.upper.id,
        place: 'Hà Tĩnh',
        parentName: tree.upper.name,
      });
      await page.locator('.ant-tree-node-selected').filter({ hasText: created.name }).waitFor();
      await checkPage(page, 'quan-tri-to-chuc');

      await page.getByRole('button', { name: 'Thêm người dùng' }).click();
      const userForm = page.getByRole('dialog');
      await userForm.getByText(created.name).waitFor();
      await userForm.getByLabel('Tên đăng nhập').fill(username);
      await userForm.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
      await userForm.getByLabel('Họ và tên').fill('Võ Thị Mai');
      await userForm.getByLabel('Chức danh').fill('Chủ tịch công đoàn');
      expect(await userForm.getByRole('checkbox', { name: /^Kế toán/ }).isDisabled()).to.equal(true);
      await userForm.getByRole('checkbox', { name: 'Cán bộ công đoàn cơ sở' }).check();
      await userForm.getByRole('button', { name: 'Tạo người dùng' }).click();
      await page.getByText(`Đã tạo người dùng ${username}.`).waitFor();

      const [stored] = await usersNamed(admin, username);
      expect(stored).to.deep.include({
        username,
        fullName: 'Võ Thị Mai',
        title: 'Chủ tịch công đoàn',
        orgId: created.id,
        roles: ['grassroots_officer'],
        active: true,
      });
      expect((await api().post('/api/v1/auth/login').send({ username, password: PASSWORD })).status).to.equal(200);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a new user has a short password or a taken username, then the API messages stand beside those fields and nothing is stored', async () => {
    const admin = tree.sessions.admin;
    const existing = await createUser(admin, tree.grassroots.id, ['grassroots_officer']);
    const fullName = `Đinh Văn ${lettersOnly(unique('T'))}`;
    const body = {
      username: existing.username,
      password: 'ngan',
      fullName,
      orgId: tree.grassroots.id,
      roles: ['grassroots_officer'],
    };
    const short = await admin.post('/api/v1/users').send(body);
    const taken = await admin.post('/api/v1/users').send({ ...body, password: PASSWORD });
    expect([short.status, taken.status]).to.deep.equal([400, 409]);
    const { page, context, problems } = await openPage();
    try {
      await openAdmin(page, admin.user.username, 'users');
      await page.getByRole('button', { name: 'Thêm người dùng' }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel('Tên đăng nhập').fill(existing.username);
      await form.getByLabel('Mật khẩu', { exact: true }).fill('ngan');
      await form.getByLabel('Họ và tên').fill(fullName);
      await form.getByLabel('Đơn vị').fill(tree.grassroots.code);
      await page.locator('.ant-select-item-option').filter({ hasText: tree.grassroots.name }).click();
      await form.getByRole('checkbox', { name: 'Cán bộ công đoàn cơ sở' }).check();
      await form.getByRole('button', { name: 'Tạo người dùng' }).click();
      await fieldError(form, 'Mật khẩu').filter({ hasText: short.body.errors[0].message }).waitFor();

      await form.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
      await form.getByRole('button', { name: 'Tạo người dùng' }).click();
      await fieldError(form, 'Tên đăng nhập').filter({ hasText: taken.body.errors[0].message }).waitFor();
      await form.getByRole('alert').filter({ hasText: taken.body.detail }).waitFor();
      expect(await usersNamed(admin, fullName)).to.deep.equal([]);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the admin edits a user and then locks them, then the roles, title and active=false are stored and the user can no longer sign in', async () => {
    const admin = tree.sessions.admin;
    const user = await createUser(admin, tree.province.id, ['approver']);
    const { page, context, problems } = await openPage();
    try {
      await openAdmin(page, admin.user.username, 'users');
      await page.getByLabel('Tìm theo tên đăng nhập hoặc họ tên').fill(user.username);
      await page.getByRole('button', { name: 'Tìm', exact: true }).click();
      await page.getByText('1 người dùng').waitFor();
      await page.getByRole('button', { name: `Sửa ${user.username}`, exact: true }).click();
      const form = page.getByRole('dialog');
      await form.getByLabel('Chức danh').fill('Phó Chủ tịch');
      await form.getByRole('checkbox', { name: 'Kế toán' }).check();
      await form.getByRole('button', { name: 'Lưu' }).click();
      await page.getByText('Đã lưu người dùng.').waitFor();
      const edited = await arrange<StoredUser>(admin.get(`/api/v1/users/${user.id}`), 200);
      expect(edited).to.deep.include({ title: 'Phó Chủ tịch', active: true });
      expect(edited.roles).to.have.members(['approver', 'accountant']);

      await page.getByRole('button', { name: `Khóa ${user.username}`, exact: true }).click();
      await page.getByRole('button', { name: 'Khóa', exact: true }).click();
      await page.getByText(`Đã khóa ${user.username}; mọi phiên đăng nhập đã kết thúc.`).waitFor();
      await page.getByRole('button', { name: `Mở khóa ${user.username}`, exact: true }).waitFor();
      const locked = await arrange<StoredUser>(admin.get(`/api/v1/users/${user.id}`), 200);
      expect(locked.active).to.equal(false);
      const login = await api().post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD });
      expect(login.status).to.equal(401);
      // A disabled account is answered as a wrong password, so the answer does not confirm the password (issue 14.9).
      expect(login.body.detail).to.equal('Tên đăng nhập hoặc mật khẩu không đúng.');
      await checkPage(page, 'quan-tri-nguoi-dung');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the province admin opens the tree, then each union shows its level, delegation and status, and a ward union with verify is created from the form', async () => {
    const admin = tree.sessions.admin;
    const ward = await arrange<Org>(
      admin.post('/api/v1/orgs', {
        ...orgBody(tree.province.id, 'commune', 'Công đoàn phường Thành Sen'),
        delegations: ['verify'],
      }),
    );
    const direct = await arrange<Org>(
      admin.post('/api/v1/orgs', orgBody(tree.province.id, 'grassroots', 'Công đoàn cơ sở Bệnh viện tỉnh')),
    );
    const code = unique('XA');
    const { page, context, problems } = await openPage();
    try {
      await openAdmin(page, admin.user.username);
      const node = (name: string) => page.locator('.ant-tree-node-content-wrapper').filter({ hasText: name });
      await node(ward.name)
        .filter({ hasText: 'Công đoàn xã, phường' })
        .filter({ hasText: 'Được ủy quyền thẩm định' })
        .waitFor();
      await node(direct.name).filter({ hasText: 'Công đoàn cơ sở' }).waitFor();
      await node(tree.upper.name).filter({ hasText: 'Công đoàn cấp trên trực tiếp cơ sở' }).waitFor();
      await node(tree.province.name).filter({ hasText: 'Cấp tỉnh' }).waitFor();

      // The keyboard alone: the province is selected, its form opened and filled without the mouse.
      await node(tree.province.name).click();
      await page.getByRole('button', { name: 'Thêm đơn vị trực thuộc' }).focus();
      await page.keyboard.press('Enter');
      const form = page.getByRole('dialog');
      await form.getByRole('radio', { name: 'Công đoàn xã, phường' }).check();
      await form.getByRole('checkbox', { name: 'Được ủy quyền thẩm định' }).check();
      await form.getByLabel('Mã tổ chức').fill(code);
      await form.getByLabel('Tên đầy đủ').fill(`Công đoàn xã Cẩm Bình ${code}`);
      await form.getByLabel('Tên viết tắt').fill(`CĐ xã Cẩm Bình ${code}`);
      await checkPage(page, 'quan-tri-them-cong-doan-xa');
      await form.getByRole('button', { name: 'Tạo tổ chức' }).press('Enter');
      await page.getByText(`Đã tạo Công đoàn xã Cẩm Bình ${code}.`).waitFor();

      const created = (
        await arrange<{ items: (Org & { parentId: string; delegations: string[]; kind: string | null })[] }>(
          admin.get(`/api/v1/orgs?q=${code}`),
          200,
        )
      ).items;
      expect(created).to.have.length(1);
      expect(created[0]).to.deep.include({
        level: 'commune',
        parentId: tree.province.id,
        delegations: ['verify'],
        kind: null,
      });
      await node(created[0]!.name).filter({ hasText: 'Được ủy quyền thẩm định' }).waitFor();
      await page.locator('.ant-descriptions').getByText('Được ủy quyền thẩm định').waitFor();
      await checkPage(page, 'quan-tri-cay-to-chuc');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the national admin creates a central sector union, then its kind is stored and the tree names it', async () => {
    const root = await loginAdmin();
    const code = unique('CTVN');
    const { page, context, problems } = await openPage();
    try {
      await openAdmin(page, 'admin', 'orgs', ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Thêm đơn vị trực thuộc' }).click();
      const form = page.getByRole('dialog');
      await form.getByRole('radio', { name: 'Công đoàn ngành trung ương' }).check();
      await form.getByLabel('Mã tổ chức').fill(code);
      await form.getByLabel('Tên đầy đủ').fill(`Công đoàn Công Thương Việt Nam ${code}`);
      await form.getByLabel('Tên viết tắt').fill(`CĐ Công Thương ${code}`);
      await form.getByRole('button', { name: 'Tạo tổ chức' }).click();
      await page.getByText(`Đã tạo Công đoàn Công Thương Việt Nam ${code}.`).waitFor();
      const created = (await arrange<{ items: (Org & { kind: string })[] }>(root.get(`/api/v1/orgs?q=${code}`), 200))
        .items;
      expect(created.map((o) => [o.level, o.kind])).to.deep.equal([['province', 'central_sector_union']]);
      await page
        .locator('.ant-tree-node-content-wrapper')
        .filter({ hasText: created[0]!.name })
        .filter({ hasText: 'Công đoàn ngành trung ương' })
        .waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a verifier opens Quản trị by URL, then the page refuses and asks for no organisation or user', async () => {
    const { page, context } = await openPage();
    const asked: string[] = [];
    page.on('request', (req) => {
      if (/\/api\/v1\/(orgs|users)/.test(req.url())) asked.push(req.url());
    });
    try {
      await signIn(page, tree.sessions.verifier.user.username, PASSWORD);
      await page.goto('/admin');
      await page.getByText('Không có quyền').waitFor();
      expect(await page.getByRole('tree').count()).to.equal(0);
      expect(await page.getByText(tree.grassroots.name).count()).to.equal(0);
      expect(asked).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });
});
