/// <reference lib="dom" />
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, testEnv } from '../support/global-setup.js';
import { PASSWORD } from '../support/factory.js';
import { caseAt, caseWorld, type CaseWorld } from '../cases/case-fixtures.js';
import { Job } from '../../src/jobs/jobs.model.js';
import { checkReportTotals } from '../../src/reports/index.js';
import { registerRebuildJob } from '../../src/reports/rebuild-job.js';
import { totalsState } from '../../src/reports/store.js';
import { checkPage, expectNoProblems, openPage, PHONE, signIn, webEnv } from './support/browser.js';

/** Báo cáo → Tính lại tổng báo cáo: the national administrator rebuilds the report totals and follows the job. */
describe('web: Báo cáo → Tính lại tổng báo cáo', function () {
  this.timeout(180_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
    for (let i = 0; i < 6; i += 1) await caseAt(world, 'submitted', 'tet_gift');
    await webEnv();
  });
  after(() => {
    const { config } = testEnv();
    registerRebuildJob({
      drainMs: config.jobs.reportDrainMs,
      chunk: config.jobs.reportChunk,
      chunkDelayMs: config.jobs.itemDelayMs,
    });
  });

  it('when the national administrator starts a rebuild and reloads the page half-way, then its progress is shown again and the new totals are in use at the end', async () => {
    const before = await totalsState();
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('menuitem', { name: 'Báo cáo' }).click();
      const part = page.getByRole('region', { name: 'Tính lại tổng báo cáo' });
      await part.getByRole('button', { name: 'Tính lại tổng báo cáo' }).waitFor();
      // Six chunks or more, a second each: the page is certainly reloaded while the job runs.
      const readable = await countReadable();
      registerRebuildJob({ drainMs: 200, chunk: Math.max(1, Math.floor(readable / 6)), chunkDelayMs: 1000 });
      await part.getByRole('button', { name: 'Tính lại tổng báo cáo' }).click();
      await page.getByRole('tooltip').getByRole('button', { name: 'Tính lại' }).click();
      await part.getByText('Đang thực hiện').waitFor({ timeout: 60_000 });
      const running = await Job.findOne({ kind: 'reports.rebuild' }).sort({ createdAt: -1 }).lean();
      expect(running!.status).to.equal('running');
      expect(await part.getByRole('button', { name: 'Tính lại tổng báo cáo' }).isDisabled()).to.equal(true);

      await page.reload();
      await part.getByText('Đang thực hiện').waitFor({ timeout: 30_000 });
      await settled(page);
      expect((await Job.findById(running!._id).lean())!.status, 'still running after the reload').to.equal('running');
      await checkPage(page, 'bao-cao-tinh-lai-dang-chay');
      await part.getByText(/Lần tính lại gần nhất xong lúc/).waitFor({ timeout: 120_000 });
      await settled(page);
      expect(await part.getByRole('button', { name: 'Tính lại tổng báo cáo' }).isEnabled()).to.equal(true);
      await checkPage(page, 'bao-cao-tinh-lai-xong');

      expect((await Job.findById(running!._id).lean())!.status).to.equal('succeeded');
      expect((await totalsState()).generation).to.be.greaterThan(before.generation);
      expect((await checkReportTotals()).differences).to.deep.equal([]);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a provincial administrator opens Báo cáo, then there is no rebuild; on a phone the national one fits', async () => {
    const provincial = await openPage();
    try {
      await signIn(provincial.page, world.sessions.admin.user.username, PASSWORD);
      await provincial.page.getByRole('menuitem', { name: 'Báo cáo' }).click();
      await provincial.page.getByRole('region', { name: /Sổ chi trả/ }).waitFor();
      expect(await provincial.page.getByRole('region', { name: 'Tính lại tổng báo cáo' }).count()).to.equal(0);
    } finally {
      await provincial.context.close();
    }
    const phone = await openPage(PHONE);
    try {
      await signIn(phone.page, 'admin', ADMIN_PASSWORD);
      await phone.page.goto('/reports');
      const part = phone.page.getByRole('region', { name: 'Tính lại tổng báo cáo' });
      await part.getByText(/Lần tính lại gần nhất xong lúc/).waitFor();
      await settled(phone.page);
      const overflow = await part.evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow, 'the part scrolls sideways at 375 px').to.be.at.most(0);
      await checkPage(phone.page, 'bao-cao-tinh-lai-dien-thoai');
      expectNoProblems(phone.problems);
    } finally {
      await phone.context.close();
    }
  });
});

/** The report's tables loaded (a loading table's faded text is not what the page shows). */
async function settled(page: Page): Promise<void> {
  await page.getByRole('heading', { name: /Tổng hợp: .+ — / }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.ant-spin-spinning').length === 0);
}

/** How many submitted cases and settled entries a rebuild reads now. */
async function countReadable(): Promise<number> {
  const db = mongoose.connection.db!;
  return (
    (await db.collection('cases').countDocuments({ submittedDay: { $ne: null } })) +
    (await db.collection('disbursements').countDocuments({ status: { $in: ['paid', 'reversed', 'reversal'] } }))
  );
}
