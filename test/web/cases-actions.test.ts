/// <reference lib="dom" />
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { Locator, Page } from 'playwright-core';
import { arrange } from '../support/api.js';
import { PASSWORD } from '../support/factory.js';
import { provinceFund } from '../support/funds.js';
import {
  act,
  caseAt,
  caseWorld,
  markPaid,
  newCase,
  readCase,
  shiftDay,
  storedCase,
  vnToday,
  type CaseView,
  type CaseWorld,
  type Kind,
} from '../cases/case-fixtures.js';
import { fundTotals, paymentBody, payOk } from '../funds/fixtures.js';
import { Case } from '../../src/cases/cases.model.js';
import { Decision } from '../../src/decisions/decisions.model.js';
import { choose, fieldError, messagesGone, offeredActions, uploadFile } from './cases-fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';
import { settled } from './support/settle.js';

const REVOKE_REASON = 'Đoàn viên đã được hỗ trợ từ nguồn khác';

/** The workflow requests the page sends for a case (POST /cases/:id/<action>), seen from the browser. */
function actionRequests(page: Page, caseId: string): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (
      request.method() === 'POST' &&
      new RegExp(`/api/v1/cases/${caseId}/(submit|verify|return|reject|approve|revoke|withdraw|close)$`).test(
        request.url(),
      )
    )
      sent.push(request.url().split('/').at(-1)!);
  });
  return sent;
}

/** The last history entry, checked for who did it and that it was written during the test. */
function expectLastEntry(
  view: CaseView,
  entry: { action: string; from: string; to: string; byId: string; note?: string },
  since: number,
): void {
  const last = view.history.at(-1)!;
  expect(last).to.include({
    action: entry.action,
    from: entry.from,
    to: entry.to,
    ...(entry.note === undefined ? {} : { note: entry.note }),
  });
  expect(last.by.id).to.equal(entry.byId);
  expect(new Date(last.at).getTime()).to.be.within(since - 1000, Date.now() + 1000);
}

async function openCase(page: Page, view: CaseView): Promise<void> {
  await page.goto(`/cases/${view.id}`);
  await page.getByRole('heading', { name: new RegExp(view.code) }).waitFor();
  await settled(page);
}

/** Presses Tab until `target` (or something inside it) has the focus, as a keyboard user reaches it. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element.contains(document.activeElement))) return;
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

/** Whether the focused element is drawn so that a keyboard user sees it (an outline or a focus ring). */
async function focusShows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
  });
}

async function focusIn(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((s) => Boolean(document.activeElement?.closest(s)), selector);
}

/** What the filter labelled `label` shows as chosen. */
async function filterShown(page: Page, label: string): Promise<string> {
  const item = page.locator('.ant-form-item').filter({ has: page.getByLabel(label, { exact: true }) });
  return (await item.locator('.ant-form-item-control').innerText()).trim();
}

/** The case codes the list shows now, top to bottom. */
async function listedCodes(page: Page): Promise<string[]> {
  await settled(page);
  return page.locator('.ant-table-tbody .ant-table-row a').allInnerTexts();
}

describe('web: Hồ sơ — revoke, withdraw, close, list filters and keyboard use', function () {
  this.timeout(90_000);
  let world: CaseWorld;
  let fundId: string;

  before(async () => {
    world = await caseWorld();
    fundId = await provinceFund(world);
    await webEnv();
  });

  it('when the approver revokes an approved case, then a reason is required, and the case is stored revoked with it, the money goes back to the fund and the decision is revoked', async () => {
    const approved = await caseAt(world, 'approved', 'tet_gift');
    const committedBefore = (await fundTotals(fundId)).committed;
    const { page, context, problems } = await openPage();
    try {
      const sent = actionRequests(page, approved.id);
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      await openCase(page, approved);
      expect(await offeredActions(page)).to.include('Thu hồi phê duyệt');
      await page.getByRole('button', { name: 'Thu hồi phê duyệt' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Quyết định của hồ sơ bị thu hồi').waitFor();
      await dialog.getByRole('button', { name: 'Thu hồi' }).click();
      await fieldError(dialog, 'Lý do').filter({ hasText: 'Nêu lý do' }).waitFor();
      await dialog.getByLabel('Lý do').fill('   ');
      await dialog.getByRole('button', { name: 'Thu hồi' }).click();
      await fieldError(dialog, 'Lý do').filter({ hasText: 'Nêu lý do' }).waitFor();
      expect(sent, 'nothing is sent without a reason').to.deep.equal([]);

      await dialog.getByLabel('Lý do').fill(REVOKE_REASON);
      await messagesGone(page);
      await checkPage(page, 'ho-so-thu-hoi');
      const since = Date.now();
      await dialog.getByRole('button', { name: 'Thu hồi' }).click();
      await page.getByRole('heading', { name: /Đã thu hồi/ }).waitFor();
      await page.locator('.ant-alert .ant-tag', { hasText: 'Đã thu hồi' }).waitFor();
      expect(await offeredActions(page)).to.deep.equal([]);
      expect(sent).to.deep.equal(['revoke']);

      const stored = await readCase(world.sessions.approver, approved.id);
      expect(stored).to.include({ status: 'revoked', revision: approved.revision + 1 });
      expectLastEntry(
        stored,
        {
          action: 'revoke',
          from: 'approved',
          to: 'revoked',
          byId: world.sessions.approver.user.id,
          note: REVOKE_REASON,
        },
        since,
      );
      expect((await fundTotals(fundId)).committed).to.equal(committedBefore - approved.approvedAmount!);
      const decision = await Decision.findById((await storedCase(approved.id)).decisionId).lean();
      expect(decision).to.include({ status: 'revoked', revokeReason: REVOKE_REASON });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when money has been paid on an approved case, then the approver is offered no revoke and the API refuses it', async () => {
    const paid = await caseAt(world, 'approved', 'tet_gift');
    await payOk(world.sessions.accountant, paid.id, paymentBody(fundId, { amount: 500_000, trancheNo: 1 }));
    // A payment recorded while the case still reads `approved` (what the nothingPaid rule guards against).
    const recorded = await caseAt(world, 'approved', 'tet_gift');
    await markPaid(recorded, 'approved', 500_000);
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.approver.user.username, PASSWORD);
      for (const view of [paid, recorded]) {
        const now = await readCase(world.sessions.approver, view.id);
        expect(now.disbursedAmount).to.equal(500_000);
        await openCase(page, view);
        expect(await offeredActions(page), now.status).to.not.include('Thu hồi phê duyệt');
        expect(now.allowedActions).to.not.include('revoke');
        const refused = await act(world.sessions.approver, view.id, 'revoke', {
          revision: now.revision,
          reason: REVOKE_REASON,
        });
        expect(refused.status, JSON.stringify(refused.body)).to.equal(409);
        expect((await readCase(world.sessions.approver, view.id)).status).to.equal(now.status);
      }
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the officer withdraws a submitted case, then it asks first and stores it cancelled, and the verifier is not offered withdrawing', async () => {
    const [submitted, other] = await Promise.all([
      caseAt(world, 'submitted', 'tet_gift'),
      caseAt(world, 'submitted', 'tet_gift'),
    ]);
    const { page, context, problems } = await openPage();
    try {
      const sent = actionRequests(page, submitted.id);
      // The verifier looks at another case: this browser would show a cached copy of a case already read (see the next test).
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      await openCase(page, other);
      expect(await offeredActions(page)).to.deep.equal(['Thẩm định', 'Trả lại', 'Từ chối']);
      const refused = await act(world.sessions.verifier, other.id, 'withdraw', { revision: other.revision });
      expect(refused.status).to.equal(403);
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByLabel('Tên đăng nhập').waitFor();

      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await openCase(page, submitted);
      expect(await offeredActions(page)).to.deep.equal(['Rút hồ sơ']);
      await page.getByRole('button', { name: 'Rút hồ sơ' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Hồ sơ đã rút sẽ kết thúc, không gửi lại được.').waitFor();
      await dialog.getByRole('button', { name: 'Hủy' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(sent, 'closing the question sends nothing').to.deep.equal([]);
      expect((await readCase(world.sessions.officer, submitted.id)).status).to.equal('submitted');

      await page.getByRole('button', { name: 'Rút hồ sơ' }).click();
      await dialog.getByLabel('Ghi chú').fill('Đoàn viên xin rút hồ sơ');
      const since = Date.now();
      await dialog.getByRole('button', { name: 'Rút hồ sơ' }).click();
      await page.getByRole('heading', { name: /Đã rút/ }).waitFor();
      expect(await offeredActions(page)).to.deep.equal([]);
      expect(sent).to.deep.equal(['withdraw']);

      const stored = await readCase(world.sessions.officer, submitted.id);
      expect(stored).to.include({ status: 'cancelled', revision: submitted.revision + 1 });
      expectLastEntry(
        stored,
        {
          action: 'withdraw',
          from: 'submitted',
          to: 'cancelled',
          byId: world.sessions.officer.user.id,
          note: 'Đoàn viên xin rút hồ sơ',
        },
        since,
      );
      expect((await storedCase(submitted.id)).claimKey ?? null, 'the beneficiary claim is given back').to.equal(null);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("when the verifier signs out and the officer signs in on the same computer, then the case page shows the officer's actions, not the verifier's copy", async () => {
    const submitted = await caseAt(world, 'submitted', 'tet_gift');
    const { page, context } = await openPage();
    try {
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      await openCase(page, submitted);
      expect(await offeredActions(page)).to.deep.equal(['Thẩm định', 'Trả lại', 'Từ chối']);
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByLabel('Tên đăng nhập').waitFor();

      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await openCase(page, submitted);
      // The ETag of GET /cases/:id is the revision, the same for both users: before API answers were marked
      // no-store, the browser revalidated the verifier's cached answer, got 304 and showed the verifier's actions.
      expect(await offeredActions(page)).to.deep.equal(['Rút hồ sơ']);
    } finally {
      await context.close();
    }
  });

  it('when a fully paid union house lacks the handover minutes, then the page and the close dialog name them and nothing is sent, and after uploading them the accountant closes it', async () => {
    const disbursed = await caseAt(world, 'disbursed', 'union_house');
    const { page, context, problems } = await openPage();
    try {
      const sent = actionRequests(page, disbursed.id);
      await signIn(page, world.sessions.accountant.user.username, PASSWORD);
      await openCase(page, disbursed);
      await page.getByText('Còn thiếu 1 giấy tờ cho bước tiếp theo').waitFor();
      await page.getByText('Biên bản bàn giao nhà — còn thiếu').waitFor();
      expect(await offeredActions(page)).to.include('Kết thúc hồ sơ');

      await page.getByRole('button', { name: 'Kết thúc hồ sơ' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Chưa đủ giấy tờ: Biên bản bàn giao nhà').waitFor();
      expect(
        await dialog.getByRole('button', { name: 'Kết thúc' }).isDisabled(),
        'nothing to confirm while the minutes are missing',
      ).to.equal(true);
      expect(sent).to.deep.equal([]);
      await checkPage(page, 'ho-so-ket-thuc-thieu-giay-to');
      await dialog.getByRole('button', { name: 'Hủy' }).click();
      await dialog.waitFor({ state: 'hidden' });

      await uploadFile(page, 'Biên bản bàn giao nhà', 'bien-ban-ban-giao.pdf');
      await page.getByText('Đã đủ giấy tờ cho bước tiếp theo').waitFor();
      const ready = await readCase(world.sessions.accountant, disbursed.id);
      await page.getByRole('button', { name: 'Kết thúc hồ sơ' }).click();
      await dialog.getByLabel('Ghi chú').fill('Đã bàn giao nhà cho đoàn viên');
      const since = Date.now();
      await dialog.getByRole('button', { name: 'Kết thúc' }).click();
      await page.getByRole('heading', { name: /Đã đóng/ }).waitFor();
      expect(sent).to.deep.equal(['close']);

      const stored = await readCase(world.sessions.accountant, disbursed.id);
      expect(stored).to.include({ status: 'closed', revision: ready.revision + 1 });
      expect(stored.documents.map((d) => d.type)).to.include('handover_minutes');
      expectLastEntry(
        stored,
        {
          action: 'close',
          from: 'disbursed',
          to: 'closed',
          byId: world.sessions.accountant.user.id,
          note: 'Đã bàn giao nhà cho đoàn viên',
        },
        since,
      );
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the list is filtered by program, union, campaign and period, then each narrows it to what the API answers, the URL keeps them through a reload, and page 2 shows the next cases', async () => {
    const fresh = await caseWorld();
    const { approver, officer, siblingOfficer } = fresh.sessions;
    const tet2 = await arrange<{ id: string; name: string }>(
      approver.post('/api/v1/campaigns', {
        code: `TET2-${Date.now()}`,
        programCode: 'tet_gift',
        name: 'Tết Bính Ngọ — đợt bổ sung',
        opensAt: shiftDay(vnToday(), -30),
        closesAt: shiftDay(vnToday(), 30),
        budget: 100_000_000,
      }),
    );
    const at = (kind: Kind, sibling: boolean, campaignId?: string) =>
      newCase(fresh, kind, {
        ...(sibling ? { officer: siblingOfficer, orgId: fresh.sibling.id } : { officer }),
        ...(campaignId ? { body: { campaignId } } : {}),
      }).then(({ view }) => view);
    const houses = await Promise.all(Array.from({ length: 14 }, () => at('union_house', false)));
    const tetHere = await Promise.all([at('tet_gift', false), at('tet_gift', false)]);
    const tetThere = await Promise.all([at('tet_gift', true), at('tet_gift', true)]);
    const tetSecond = await Promise.all([
      at('tet_gift', true, tet2.id),
      at('tet_gift', true, tet2.id),
      at('tet_gift', true, tet2.id),
    ]);
    await at('disaster_relief', true);
    expect(houses.length + tetHere.length + tetThere.length + tetSecond.length + 1).to.equal(22);
    // Created 40 and 10 days ago: the period filter keeps only the second.
    const [old, recent] = tetSecond;
    for (const [view, days] of [
      [old!, -40],
      [recent!, -10],
    ] as const) {
      await Case.collection.updateOne(
        { _id: new Types.ObjectId(view.id) },
        { $set: { createdAt: new Date(`${shiftDay(vnToday(), days)}T05:00:00Z`) } },
      );
    }
    const from = shiftDay(vnToday(), -15);
    const to = shiftDay(vnToday(), -5);
    const apiCodes = async (query: Record<string, string>) => {
      const answer = await arrange<{ items: { code: string }[]; total: number }>(
        approver.get(`/api/v1/cases?${new URLSearchParams({ limit: '100', ...query })}`),
        200,
      );
      return answer.items.map((item) => item.code);
    };
    const codes = (views: CaseView[]) => views.map((v) => v.code).sort();
    const sorted = (list: string[]) => [...list].sort();

    const { page, context, problems } = await openPage();
    try {
      await signIn(page, approver.user.username, PASSWORD);
      await page.goto('/cases');
      await page.getByText('Tổng 22 hồ sơ').waitFor();

      await choose(page, 'Chương trình', 'Quà Tết');
      await page.waitForURL(/programCode=tet_gift/);
      await page.getByText('Tổng 7 hồ sơ').waitFor();
      const byProgram = await listedCodes(page);
      expect(sorted(byProgram)).to.deep.equal(codes([...tetHere, ...tetThere, ...tetSecond]));
      expect(byProgram).to.deep.equal(await apiCodes({ programCode: 'tet_gift' }));

      await choose(page, 'Công đoàn', /Công đoàn cơ sở Nhà máy/, 'Nhà máy');
      await page.waitForURL(new RegExp(`orgId=${fresh.sibling.id}`));
      await page.getByText('Tổng 5 hồ sơ').waitFor();
      const byOrg = await listedCodes(page);
      expect(sorted(byOrg)).to.deep.equal(codes([...tetThere, ...tetSecond]));
      expect(byOrg).to.deep.equal(await apiCodes({ programCode: 'tet_gift', orgId: fresh.sibling.id }));

      await choose(page, 'Đợt hỗ trợ', 'đợt bổ sung');
      await page.waitForURL(new RegExp(`campaignId=${tet2.id}`));
      await page.getByText('Tổng 3 hồ sơ').waitFor();
      const byCampaign = await listedCodes(page);
      expect(sorted(byCampaign)).to.deep.equal(codes(tetSecond));
      expect(byCampaign).to.deep.equal(
        await apiCodes({ programCode: 'tet_gift', orgId: fresh.sibling.id, campaignId: tet2.id }),
      );

      const dmy = (day: string) => day.split('-').reverse().join('/');
      for (const [label, day] of [
        ['Tạo từ ngày', from],
        ['Đến ngày', to],
      ] as const) {
        await page.getByLabel(label).click();
        await page.getByLabel(label).fill(dmy(day));
        await page.getByLabel(label).press('Enter');
        await page.waitForURL(new RegExp(`${label === 'Đến ngày' ? 'to' : 'from'}=${day}`));
      }
      await page.getByText('Tổng 1 hồ sơ').waitFor();
      const query = { programCode: 'tet_gift', orgId: fresh.sibling.id, campaignId: tet2.id, from, to };
      expect(await listedCodes(page))
        .to.deep.equal([recent!.code])
        .and.to.deep.equal(await apiCodes(query));
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).to.deep.equal(query);
      await checkPage(page, 'ho-so-danh-sach-loc');

      await page.reload();
      await page.getByText('Tổng 1 hồ sơ').waitFor();
      expect(await listedCodes(page)).to.deep.equal([recent!.code]);
      expect(await page.getByLabel('Tạo từ ngày').inputValue()).to.equal(dmy(from));
      expect(await page.getByLabel('Đến ngày').inputValue()).to.equal(dmy(to));
      expect(await filterShown(page, 'Đợt hỗ trợ')).to.equal('Tết Bính Ngọ — đợt bổ sung');
      expect(await filterShown(page, 'Chương trình')).to.equal('Quà Tết / Tết Sum vầy');
      expect(await filterShown(page, 'Công đoàn')).to.match(/^Công đoàn cơ sở Nhà máy/);

      await page.getByRole('button', { name: 'Xóa bộ lọc' }).click();
      await page.getByText('Tổng 22 hồ sơ').waitFor();
      const first = await listedCodes(page);
      expect(first)
        .to.have.length(20)
        .and.to.deep.equal(await apiCodes({ limit: '20' }));
      await page.locator('.ant-pagination-item[title="2"]').click();
      await page.waitForURL(/page=2/);
      await page.locator('.ant-pagination-item-active[title="2"]').waitFor();
      await page.waitForFunction(
        (firstCode) => !document.querySelector('.ant-table-tbody')?.textContent?.includes(firstCode),
        first[0]!,
      );
      const second = await listedCodes(page);
      expect(second).to.deep.equal(await apiCodes({ limit: '20', page: '2' }));
      expect(second).to.have.length(2);
      expect(second.filter((code) => first.includes(code))).to.deep.equal([]);
      await page.reload();
      await page.locator('.ant-pagination-item-active[title="2"]').waitFor();
      expect(await listedCodes(page)).to.deep.equal(second);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when a verifier uses only the keyboard, then they sign in, open a case from Hồ sơ, verify it in a dialog that holds the focus, and the verification is stored', async () => {
    const submitted = await caseAt(world, 'submitted', 'tet_gift');
    const { page, context, problems } = await openPage();
    try {
      await page.goto('/login');
      await page.getByLabel('Tên đăng nhập').waitFor();
      expect(await focusIn(page, '#username, input[autocomplete="username"]')).to.equal(true);
      await page.keyboard.type(world.sessions.verifier.user.username);
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Việc cần làm' }).waitFor();

      await tabTo(
        page,
        page.getByRole('navigation', { name: 'Các mục' }).getByRole('link', { name: 'Hồ sơ', exact: true }),
      );
      expect(await focusShows(page), 'the focused link shows').to.equal(true);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Hồ sơ', exact: true }).waitFor();
      await tabTo(page, page.getByRole('link', { name: submitted.code }));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: new RegExp(submitted.code) }).waitFor();
      await settled(page);

      const trigger = page
        .getByRole('group', { name: 'Thao tác với hồ sơ' })
        .getByRole('button', { name: 'Thẩm định' });
      await tabTo(page, trigger);
      expect(await focusShows(page), 'the focused button shows').to.equal(true);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Số tiền đề xuất hỗ trợ').waitFor();
      expect(await focusIn(page, '.ant-modal'), 'focus moves into the dialog').to.equal(true);
      // Tab past the last button leaves for the browser's own controls at most, never for the page behind.
      let wrapped = false;
      let left = false;
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        const inside = await focusIn(page, '.ant-modal');
        if (!inside) left = true;
        else if (left) wrapped = true;
        expect(
          inside || (await page.evaluate(() => document.activeElement === document.body)),
          `Tab ${i + 1} stays in the dialog`,
        ).to.equal(true);
      }
      expect(wrapped, 'Tab comes back round into the dialog').to.equal(true);
      await tabTo(page, dialog.getByLabel('Số tiền đề xuất hỗ trợ'), 12);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('800000');
      await tabTo(page, dialog.getByLabel('Ghi chú'), 12);
      await page.keyboard.type('Đã xác minh hoàn cảnh');
      await tabTo(page, dialog.getByRole('button', { name: 'Xác nhận thẩm định' }), 12);
      expect(await focusShows(page), 'the focused confirm button shows').to.equal(true);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /Đã thẩm định/ }).waitFor();
      await dialog.waitFor({ state: 'detached' });
      expect(await focusIn(page, '.app-content'), 'focus returns to the page').to.equal(true);

      const stored = await readCase(world.sessions.verifier, submitted.id);
      expect(stored).to.include({ status: 'verified', recommendedAmount: 800_000, revision: submitted.revision + 1 });
      expect(stored.history.at(-1)).to.include({ action: 'verify', note: 'Đã xác minh hoàn cảnh' });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
