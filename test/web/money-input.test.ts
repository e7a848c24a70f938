/// <reference lib="dom" />
import { expect } from 'chai';
import { PASSWORD } from '../support/factory.js';
import { caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { expectNoProblems, openPage, signIn } from './support/browser.js';

describe('web: money inputs', function () {
  this.timeout(120_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
  });

  it('when an amount is typed key by key, then it is grouped with dots while typing, before the field is left', async () => {
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.goto('/cases/new');
      const amount = page.getByLabel('Số tiền đề nghị');
      await amount.click();
      await amount.pressSequentially('15000000', { delay: 20 });
      expect(await amount.evaluate((input) => input === document.activeElement)).to.equal(true);
      expect(await amount.inputValue()).to.equal('15.000.000');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
