/// <reference lib="dom" />
import { expect } from 'chai';
import { PASSWORD } from '../support/factory.js';
import { arrange } from '../support/api.js';
import { actOk, caseAt, caseWorld, uploadStage, type CaseView, type CaseWorld } from '../cases/case-fixtures.js';
import { batchAction, csvOf, listRow, tetFields, uploadList, type ImportView } from '../batches/batch-fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn } from './support/browser.js';
import { moneyText, settled } from './support/settle.js';

describe('web: Việc cần làm of the approver', function () {
  this.timeout(180_000);
  let world: CaseWorld;
  let imported: ImportView;
  let single: CaseView;

  before(async () => {
    world = await caseWorld();
    const s = world.sessions;
    const rows = [listRow({ amount: '1.000.000' }), listRow({ amount: '1.000.000' })];
    imported = await arrange<ImportView>(
      uploadList(s.officer, csvOf(rows), 'Danh sách quà Tết - CĐCS May.csv', tetFields(world)),
    );
    await batchAction(s.officer, imported.batch.id, 'submit');
    await batchAction(s.verifier, imported.batch.id, 'verify', { recommendedAmount: 800_000 });
    const submitted = await caseAt(world, 'submitted', 'tet_gift');
    const ready = await uploadStage(s.verifier, submitted, 'verify');
    single = await actOk(s.verifier, submitted.id, 'verify', {
      revision: ready.revision,
      recommendedAmount: submitted.requestedAmount - 300_000,
      note: 'Đã khảo sát',
    });
  });

  it('when a verified list and a verified case wait, then the list is one row with its cases, its verified total and a link, and the case shows its verified amount', async () => {
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await settled(page);
      const lists = page
        .locator('.ant-card')
        .filter({ has: page.getByText('Danh sách chờ phê duyệt', { exact: true }) });
      const row = lists.getByRole('row').filter({ hasText: 'Danh sách quà Tết - CĐCS May' });
      await row.getByText(moneyText(1_600_000)).waitFor();
      const text = await row.innerText();
      expect(text).to.not.contain('.csv');
      expect(text).to.match(/(^|\s)2(\s|$)/);

      const cases = page.locator('.ant-card').filter({ has: page.getByText('Hồ sơ chờ phê duyệt', { exact: true }) });
      await cases.getByRole('columnheader', { name: 'Thẩm định đề xuất' }).waitFor();
      const caseRow = cases.getByRole('row').filter({ hasText: single.code });
      expect(await caseRow.innerText())
        .to.contain(moneyText(single.recommendedAmount!))
        .and.not.contain(moneyText(single.requestedAmount));
      expect(await cases.getByRole('row').count(), 'the header and the one case outside the list').to.equal(2);
      await checkPage(page, 'viec-can-lam-phe-duyet');

      await row.getByRole('link', { name: 'Danh sách quà Tết - CĐCS May', exact: true }).click();
      await page.waitForURL(`**/batches/${imported.batch.id}`);
      // The list's name once, without the file's extension.
      await page.getByRole('heading', { level: 1, name: 'Danh sách quà Tết - CĐCS May', exact: true }).waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
