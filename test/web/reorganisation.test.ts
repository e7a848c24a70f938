/// <reference lib="dom" />
import { expect } from 'chai';
import type { Locator } from 'playwright-core';
import { Org as OrgModel } from '../../src/orgs/orgs.model.js';
import { loginAdmin } from '../support/api.js';
import {
  createOrg,
  createProvinceTree,
  memberBody,
  PASSWORD,
  type Org,
  type ProvinceTree,
} from '../support/factory.js';
import { arrange } from '../support/api.js';
import { checkPage, expectNoProblems, openPage, PHONE, signIn, webEnv } from './support/browser.js';

describe('web: reorganisation dialogs and the history tab', function () {
  this.timeout(180_000);
  let tree: ProvinceTree;
  let upper2: Org;

  before(async () => {
    tree = await createProvinceTree();
    upper2 = await createOrg(await loginAdmin(), tree.province.id, 'upper', 'Công đoàn Khu kinh tế Vũng Áng');
    await arrange(tree.sessions.officer.post('/api/v1/members', memberBody(tree.grassroots.id)));
    await webEnv();
  });

  it('when the province admin moves a grassroots union with the keyboard, then the dialog previews what moves, shows the progress, and the history tab lists the move', async () => {
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, tree.sessions.admin.user.username, PASSWORD);
      await page.getByRole('menuitem', { name: 'Quản trị' }).click();
      await page.getByRole('heading', { name: 'Quản trị' }).waitFor();
      await page
        .locator('.ant-tree-treenode')
        .filter({ hasText: tree.upper.name })
        .locator('.ant-tree-switcher')
        .click();
      await page.locator('.ant-tree-node-content-wrapper').filter({ hasText: tree.grassroots.name }).click();
      await page.getByRole('button', { name: 'Chuyển đơn vị…' }).click();
      const dialog = page.getByRole('dialog');
      const preview = dialog.locator('.ant-descriptions');
      await preview.getByText('Đoàn viên').waitFor();
      await expectRow(preview, 'Đoàn viên', '1');
      await expectRow(preview, 'Người dùng', '1');

      await dialog.getByLabel('Cấp trên mới').focus();
      await page.keyboard.type(upper2.code);
      // The server's search answers after a pause: Enter takes the active option once it is the one typed.
      await page.locator('.ant-select-item-option-active').filter({ hasText: upper2.code }).waitFor();
      await page.keyboard.press('Enter');
      await dialog.getByLabel('Lý do').fill('Sắp xếp lại theo khu kinh tế');
      await dialog.getByRole('button', { name: 'Chuyển' }).click();
      await dialog.getByText('Đã hoàn tất.', { exact: false }).waitFor();
      await checkPage(page, 'quan-tri-chuyen-don-vi');
      await dialog.getByRole('button', { name: 'Đóng' }).first().click();

      const history = page.locator('.ant-card').filter({ hasText: 'Lịch sử' });
      await history.getByText(`Chuyển từ ${tree.upper.name} sang ${upper2.name}`).waitFor();
      await history.getByText('Sắp xếp lại theo khu kinh tế', { exact: false }).waitFor();
      const stored = (await OrgModel.findById(tree.grassroots.id).lean())!;
      expect(String(stored.parentId)).to.equal(upper2.id);
      await checkPage(page, 'quan-tri-lich-su');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the dissolve dialog is opened on a phone, then it fits and offers the successor or the end of memberships', async () => {
    const { page, context, problems } = await openPage(PHONE);
    try {
      await signIn(page, tree.sessions.admin.user.username, PASSWORD);
      await page.goto('/admin');
      await page.getByRole('heading', { name: 'Quản trị' }).waitFor();
      await page
        .locator('.ant-tree-treenode')
        .filter({ hasText: tree.upper.name })
        .locator('.ant-tree-switcher')
        .click();
      await page.locator('.ant-tree-node-content-wrapper').filter({ hasText: tree.sibling.name }).click();
      await page.getByRole('button', { name: 'Giải thể…' }).click();
      const dialog = page.getByRole('dialog');
      const successor = dialog.getByRole('combobox', { name: /Đơn vị kế thừa/ });
      await successor.waitFor();
      await dialog.getByText('Đoàn viên thôi sinh hoạt công đoàn', { exact: false }).click();
      await successor.waitFor({ state: 'detached' });
      await checkPage(page, 'quan-tri-giai-the-dien-thoai');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});

async function expectRow(scope: Locator, label: string, value: string): Promise<void> {
  const row = scope.locator('tr').filter({ hasText: label });
  await row.locator('td').filter({ hasText: value }).first().waitFor();
}
