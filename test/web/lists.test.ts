/// <reference lib="dom" />
/**
 * Every list page on the office laptop (1366×768) and on a phone (375×812): on the laptop each table shows
 * its last column (amounts, actions) without sideways scrolling; on the phone the rows are cards and the page
 * never scrolls sideways.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../support/factory.js';
import {
  caseAt,
  caseWorld,
  createMember,
  fundAllocations,
  type CaseView,
  type CaseWorld,
} from '../cases/case-fixtures.js';
import { csvOf, listRow, payInFull, tetFields, uploadList } from '../batches/batch-fixtures.js';
import { arrange, type Session } from '../support/api.js';
import { DESKTOP, expectNoProblems, openPage, PHONE, screenshots, signIn } from './support/browser.js';
import { moneyText, settled } from './support/settle.js';

/** A file name as officers save them: long, with spaces and diacritics. */
const LONG_FILE = 'Danh sách quà Tết Bính Ngọ - CĐCS Công ty TNHH May mặc xuất khẩu Vũng Áng - bổ sung lần hai.csv';

interface Visit {
  who: keyof CaseWorld['sessions'];
  path: string;
  name: string;
}

const VISITS: Visit[] = [
  { who: 'officer', path: '/', name: 'viec-can-lam-co-so' },
  { who: 'officer', path: '/members', name: 'doan-vien' },
  { who: 'officer', path: '/cases', name: 'ho-so-co-so' },
  { who: 'officer', path: '/batches', name: 'danh-sach-co-so' },
  { who: 'approver', path: '/', name: 'viec-can-lam-phe-duyet' },
  { who: 'approver', path: '/cases', name: 'ho-so-phe-duyet' },
  { who: 'approver', path: '/batches', name: 'danh-sach-phe-duyet' },
  { who: 'approver', path: '/decisions', name: 'quyet-dinh-danh-sach' },
  { who: 'accountant', path: '/', name: 'viec-can-lam-ke-toan' },
  { who: 'accountant', path: '/funds', name: 'nguon-kinh-phi-danh-sach' },
  { who: 'accountant', path: '/payments', name: 'so-chi-tra' },
];

/** The tables of the page whose last header cell ends beyond the window's right edge. */
async function cutTables(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.ant-table-wrapper')].flatMap((table) => {
      const headers = [...table.querySelectorAll('thead th')].filter((th) => (th as HTMLElement).offsetWidth > 0);
      const last = headers.at(-1);
      if (!last) return [];
      const right = last.getBoundingClientRect().right;
      return right > window.innerWidth ? [`"${last.textContent}" ends at ${Math.round(right)} px`] : [];
    }),
  );
}

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('h1').first().waitFor();
  await settled(page);
  await page.locator('.ant-table-row, .list-card').first().waitFor();
}

describe('web: lists on the laptop and on the phone', function () {
  this.timeout(300_000);
  let world: CaseWorld;
  let waiting: CaseView;

  before(async () => {
    world = await caseWorld();
    const s = world.sessions;
    await createMember(s.officer, world.grassroots.id, { fullName: 'Nguyễn Thị Phương Thảo Hoàng Lan' });
    await arrange(uploadList(s.officer, csvOf([listRow(), listRow(), listRow()]), LONG_FILE, tetFields(world)));
    await caseAt(world, 'verified', 'union_house');
    const paid = await caseAt(world, 'approved', 'tet_gift');
    await payInFull(
      s.accountant,
      paid.id,
      paid.approvedAmount!,
      fundAllocations(paid, paid.approvedAmount!)[0]!.fundId,
    );
    waiting = await caseAt(world, 'approved', 'tet_gift');
  });

  for (const size of [DESKTOP, PHONE]) {
    const phone = size === PHONE;
    it(
      phone
        ? 'when each list page is opened on a phone, then its rows are cards and nothing scrolls sideways'
        : 'when each list page is opened at 1366×768, then every table shows its last column inside the window',
      async () => {
        const problems: string[] = [];
        for (const who of new Set(VISITS.map((v) => v.who))) {
          const session: Session = world.sessions[who];
          const opened = await openPage(size);
          try {
            await signIn(opened.page, session.user.username, PASSWORD);
            for (const { path, name } of VISITS.filter((v) => v.who === who)) {
              await visit(opened.page, path);
              if (phone) {
                const width = await opened.page.evaluate(() => ({
                  scroll: document.documentElement.scrollWidth,
                  inner: window.innerWidth,
                }));
                expect(width.scroll, `${who} ${path}: page wider than the phone`).to.be.at.most(width.inner);
                expect(await opened.page.locator('.ant-table-row').count(), `${who} ${path}: rows as cards`).to.equal(
                  0,
                );
              } else {
                expect(await cutTables(opened.page), `${who} ${path}`).to.deep.equal([]);
              }
              if (path === '/payments' && !phone) {
                // The next tranche of a case never paid: its name and amount, not a bare "Đợt 1".
                await opened.page
                  .getByRole('row')
                  .filter({ hasText: waiting.code })
                  .getByText(`Đợt 1: Chi trả một lần · ${moneyText(waiting.approvedAmount!)}`)
                  .waitFor();
              }
              if (!phone) await screenshots(opened.page, `liste-${name}`);
            }
            problems.push(...opened.problems);
          } finally {
            await opened.context.close();
          }
        }
        expectNoProblems(problems);
      },
    );
  }

  it('when signed in on a phone, then the way out is a worded button', async () => {
    const { page, context } = await openPage(PHONE);
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      const logout = page.getByRole('button', { name: 'Đăng xuất' });
      expect(await logout.innerText()).to.contain('Đăng xuất');
      expect(await logout.isVisible()).to.equal(true);
    } finally {
      await context.close();
    }
  });
});
