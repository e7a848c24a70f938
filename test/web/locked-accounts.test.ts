/// <reference lib="dom" />
import { expect } from 'chai';
import { LoginThrottle } from '../../src/auth/auth.models.js';
import { AuditEntry } from '../../src/audit/index.js';
import { api, expectProblem } from '../support/api.js';
import { createProvinceTree, createUser, PASSWORD, type ProvinceTree } from '../support/factory.js';
import { testEnv } from '../support/global-setup.js';
import { checkPage, expectNoProblems, openPage, PHONE, signIn, webEnv } from './support/browser.js';

describe('web: Quản trị → Tài khoản tạm khóa', function () {
  this.timeout(120_000);
  let tree: ProvinceTree;

  before(async () => {
    tree = await createProvinceTree();
    await webEnv();
  });

  it('when a user of the subtree is locked at an address, then the admin sees the pair and "Mở khóa" ends the lock, audited', async () => {
    const user = await createUser(tree.sessions.admin, tree.grassroots.id, ['grassroots_officer']);
    for (let i = 0; i < testEnv().config.login.maxFailures; i += 1) {
      expectProblem(
        await api().post('/api/v1/auth/login').send({ username: user.username, password: 'sai-mat-khau-123' }),
        401,
        'UNAUTHENTICATED',
      );
    }
    const [pair] = await LoginThrottle.find({ kind: 'pair', username: user.username }).lean();
    expect(pair!.lockedUntil).to.not.equal(null);
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, tree.sessions.admin.user.username, PASSWORD);
      await page.getByRole('menuitem', { name: 'Quản trị' }).click();
      await page.getByRole('tab', { name: 'Tài khoản tạm khóa' }).click();
      const row = page.getByRole('row').filter({ hasText: user.username });
      await row.waitFor();
      expect(await row.textContent()).to.include(pair!.address!);
      await checkPage(page, 'quan-tri-tai-khoan-tam-khoa');

      await row.getByRole('button', { name: 'Mở khóa' }).click();
      await page.getByRole('tooltip').getByRole('button', { name: 'Mở khóa' }).click();
      await page.getByText(`Đã mở khóa ${user.username}`).waitFor();

      await row.waitFor({ state: 'detached' });
      expect(await LoginThrottle.findById(pair!._id).lean()).to.equal(null);
      const audit = await AuditEntry.findOne({ action: 'auth.unlock', entityId: user.username }).lean();
      expect(audit!.actorId).to.equal(tree.sessions.admin.user.id);
      expect(
        (await api().post('/api/v1/auth/login').send({ username: user.username, password: PASSWORD })).status,
      ).to.equal(200);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the admin opens the locked accounts on a phone, then each pair is a card with its "Mở khóa" and nothing scrolls sideways', async () => {
    const user = await createUser(tree.sessions.admin, tree.grassroots.id, ['grassroots_officer']);
    for (let i = 0; i < testEnv().config.login.maxFailures; i += 1) {
      expectProblem(
        await api().post('/api/v1/auth/login').send({ username: user.username, password: 'sai-mat-khau-123' }),
        401,
        'UNAUTHENTICATED',
      );
    }
    const { page, context, problems } = await openPage(PHONE);
    try {
      await signIn(page, tree.sessions.admin.user.username, PASSWORD);
      await page.goto('/admin');
      await page.getByRole('tab', { name: 'Tài khoản tạm khóa' }).click();
      const card = page.locator('.list-card').filter({ hasText: user.username });
      await card.waitFor();
      await card.getByRole('button', { name: 'Mở khóa' }).waitFor();
      expect(await page.locator('.ant-table-row').count(), 'rows as cards').to.equal(0);
      const width = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      expect(width.scroll, 'page wider than the phone').to.be.at.most(width.inner);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
