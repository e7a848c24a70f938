/// <reference lib="dom" />
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { arrange } from '../support/api.js';
import { PASSWORD, unique } from '../support/factory.js';
import {
  caseAt,
  caseWorld,
  createMember,
  newCase,
  readCase,
  type CaseView,
  type CaseWorld,
} from '../cases/case-fixtures.js';
import { FILES } from '../documents/fixtures.js';
import { choose, documentRow, fieldError, messagesGone, offeredActions, uploadFile } from './cases-fixtures.js';
import { checkPage, expectNoProblems, openPage, signIn, webEnv } from './support/browser.js';
import { settled } from './support/settle.js';

const SUBMIT_PAPERS: [type: string, label: string, file: 'pdf' | 'png'][] = [
  ['application_form', 'Đơn đề nghị hỗ trợ', 'pdf'],
  ['commune_confirmation', 'Xác nhận của UBND cấp xã', 'pdf'],
  ['land_certificate', 'Giấy tờ về quyền sử dụng đất', 'pdf'],
  ['house_photo', 'Ảnh hiện trạng nhà ở', 'png'],
];

/** A member name no other test uses, so that a search for it finds only this test's cases. */
function uniqueName(): string {
  const word = unique('')
    .replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)]!)
    .toLowerCase();
  return `Phạm Văn ${word}`;
}

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Keeps each object the page turns into a blob: URL, so that a test can read the bytes behind one. The page's
 * CSP (`connect-src 'self'`) rightly forbids it to fetch blob: URLs, so they are read from the Blob itself.
 */
async function keepBlobs(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const kept = new Map<string, Blob>();
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = create(object);
      if (object instanceof Blob) kept.set(url, object);
      return url;
    };
    (window as unknown as { keptBlobs: Map<string, Blob> }).keptBlobs = kept;
  });
}

/** The first bytes of the file behind the blob: URL an element shows (see `keepBlobs`). */
async function blobHead(page: Page, selector: string, count: number): Promise<number[]> {
  return page.locator(selector).evaluate(async (element: HTMLIFrameElement | HTMLImageElement, n: number) => {
    const blob = (window as unknown as { keptBlobs: Map<string, Blob> }).keptBlobs.get(element.src);
    if (!blob) throw new Error(`no blob behind ${element.src}`);
    return [...new Uint8Array(await blob.slice(0, n).arrayBuffer())];
  }, count);
}

describe('web: Hồ sơ — list, form, documents and scope', function () {
  this.timeout(150_000);
  let world: CaseWorld;

  before(async () => {
    world = await caseWorld();
    await webEnv();
  });

  it('when an officer creates a union-house case through the form, uploads the four papers and submits, then the case is stored submitted with them and its history', async () => {
    const member = await createMember(world.sessions.officer, world.grassroots.id, { fullName: uniqueName() });
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.getByRole('menuitem', { name: 'Hồ sơ' }).click();
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
      await page.getByRole('heading', { name: 'Tạo hồ sơ' }).waitFor();
      await choose(page, 'Chương trình', 'Mái ấm Công đoàn');
      await choose(page, 'Loại hỗ trợ', 'Xây mới — tối đa 50.000.000 đ');
      await choose(page, 'Đoàn viên', member.fullName, member.citizenId);
      await page.getByLabel('Số tiền đề nghị').fill('50000000');
      await page.getByLabel('Hoàn cảnh khó khăn').fill('Nhà tạm, dột nát; vợ bệnh hiểm nghèo');
      await choose(page, 'Tình trạng đất ở', 'Đất thuộc quyền sử dụng của gia đình');
      await choose(page, 'Hiện trạng nhà ở', 'Nhà tạm');
      await page.getByLabel('Dự toán xây dựng, sửa chữa').fill('180000000');
      await page.getByLabel('Vốn đối ứng của gia đình').fill('130000000');
      await page.getByText('Mức tối đa: 50.000.000 đ').waitFor();
      await checkPage(page, 'ho-so-bieu-mau');
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
      await page.waitForURL(/\/cases\/[0-9a-f]{24}$/);
      const id = page.url().split('/').at(-1)!;

      await page.getByText('Còn thiếu 4 giấy tờ cho bước tiếp theo').waitFor();
      for (const [, label, file] of SUBMIT_PAPERS) await uploadFile(page, label, `${label}.${file}`, file);
      await page.getByText('Đã đủ giấy tờ cho bước tiếp theo').waitFor();

      // The house photo is previewed from an object URL inside the page (the CSP allows blob: images).
      await page.getByRole('button', { name: 'Xem Ảnh hiện trạng nhà ở.png' }).click();
      const preview = page.getByRole('dialog');
      await preview.getByRole('img', { name: /Ảnh hiện trạng nhà ở/ }).waitFor();
      expect(await preview.getByRole('img', { name: /Ảnh hiện trạng nhà ở/ }).getAttribute('src')).to.match(/^blob:/);
      await preview.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();

      expect(await offeredActions(page)).to.deep.equal(['Sửa hồ sơ', 'Gửi hồ sơ', 'Rút hồ sơ']);
      await page.getByRole('button', { name: 'Gửi hồ sơ' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Gửi hồ sơ' }).click();
      await page.getByRole('heading', { name: /Đã gửi/ }).waitFor();
      await page.getByText('Tại thời điểm gửi').waitFor();
      await settled(page);
      await messagesGone(page);
      await checkPage(page, 'ho-so-da-gui');

      const stored = await readCase(world.sessions.officer, id);
      expect(stored).to.include({
        status: 'submitted',
        programCode: 'union_house',
        subtype: 'new_build',
        memberId: member.id,
        requestedAmount: 50_000_000,
      });
      expect((stored as CaseView & { details: unknown }).details).to.deep.equal({
        landStatus: 'owned',
        currentCondition: 'temporary',
        estimatedCost: 180_000_000,
        counterpartFunds: 130_000_000,
      });
      expect(stored.documents.map((d) => d.type).sort()).to.deep.equal(SUBMIT_PAPERS.map(([type]) => type).sort());
      expect(stored.history.map((h) => h.action)).to.deep.equal([
        'create',
        ...SUBMIT_PAPERS.map(() => 'document_add'),
        'submit',
      ]);
      expect(stored.history.at(-1)).to.include({ from: 'draft', to: 'submitted' });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an officer drags a photo onto the upload area, then the page shows it uploading and done, and the case stores it with the chosen type and the same bytes', async () => {
    const { view } = await newCase(world, 'union_house', { member: { fullName: uniqueName() } });
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      // The answer is held back until the file has been seen in flight.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(`**/api/v1/cases/${view.id}/documents`, async (route) => {
        const response = await route.fetch();
        await held;
        await route.fulfill({ response });
      });
      await page.goto(`/cases/${view.id}`);
      // Not the type proposed first (the application form): the user's choice must be the one stored.
      await choose(page, 'Loại giấy tờ', 'Ảnh hiện trạng nhà ở');

      const name = 'Ảnh nhà kéo thả.png';
      const dataTransfer = await page.evaluateHandle(
        ({ bytes, name, type }) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
          return transfer;
        },
        { bytes: [...FILES.png.bytes], name, type: FILES.png.mimeType },
      );
      const zone = page.getByRole('button', { name: /Kéo thả tệp vào đây/ });
      for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });

      const progress = page.getByRole('progressbar', { name: `Đang tải lên ${name}` });
      await progress.waitFor();
      release();
      await page.getByText(`Đã tải lên Ảnh hiện trạng nhà ở: ${name}`).waitFor();
      await documentRow(page, name).filter({ hasText: 'Ảnh hiện trạng nhà ở' }).waitFor();
      await progress.waitFor({ state: 'detached' });

      const stored = (await readCase(world.sessions.officer, view.id)) as CaseView & {
        documents: { type: string; originalName: string; size: number; sha256: string; mimeType: string }[];
      };
      expect(stored.documents).to.have.length(1);
      expect(stored.documents[0]).to.include({
        type: 'house_photo',
        originalName: name,
        mimeType: 'image/png',
        size: FILES.png.bytes.length,
        sha256: sha256(FILES.png.bytes),
      });
      // The file kept on the server is the one dropped, byte for byte.
      const file = await arrange<Buffer>(
        world.sessions.officer.get(`/api/v1/cases/${view.id}/documents/${stored.documents[0]!.id}`),
        200,
      );
      expect(sha256(file)).to.equal(sha256(FILES.png.bytes));
      expect(stored.history.map((h) => h.action)).to.deep.equal(['create', 'document_add']);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("when an officer opens a PDF and a photo of the case, then each shows inside the page from a blob: URL with the file's own bytes and nothing is blocked", async () => {
    const { view } = await newCase(world, 'union_house', { member: { fullName: uniqueName() } });
    for (const [type, name, kind] of [
      ['application_form', 'Đơn đề nghị.pdf', 'pdf'],
      ['house_photo', 'Ảnh nhà.png', 'png'],
    ] as const) {
      await arrange(
        world.sessions.officer
          .upload(`/api/v1/cases/${view.id}/documents`)
          .field('type', type)
          .attach('file', FILES[kind].bytes, name),
      );
    }
    const { page, context, problems } = await openPage();
    try {
      await keepBlobs(page);
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.goto(`/cases/${view.id}`);
      const preview = page.getByRole('dialog');

      await page.getByRole('button', { name: 'Xem Đơn đề nghị.pdf' }).click();
      const frame = preview.locator('iframe[title="Đơn đề nghị hỗ trợ: Đơn đề nghị.pdf"]');
      await frame.waitFor();
      expect(await frame.getAttribute('src')).to.match(/^blob:/);
      expect(Buffer.from(await blobHead(page, '.ant-modal iframe', 5)).toString('latin1')).to.equal('%PDF-');
      await checkPage(page, 'ho-so-xem-pdf');
      await preview.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();
      await preview.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'Xem Ảnh nhà.png' }).click();
      const image = preview.getByRole('img', { name: 'Ảnh hiện trạng nhà ở: Ảnh nhà.png' });
      await image.waitFor();
      expect(await image.getAttribute('src')).to.match(/^blob:/);
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('.ant-modal img');
        return Boolean(img?.complete && img.naturalWidth > 0);
      });
      expect(await blobHead(page, '.ant-modal img', 8)).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      await checkPage(page, 'ho-so-xem-anh');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an amount is over the cap or the API refuses a field, then the message shows beside that field and nothing is stored', async () => {
    const member = await createMember(world.sessions.officer, world.grassroots.id, { fullName: uniqueName() });
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.goto('/cases/new');
      await choose(page, 'Chương trình', 'Mái ấm Công đoàn');
      await choose(page, 'Loại hỗ trợ', 'Sửa chữa — tối đa 25.000.000 đ');
      await choose(page, 'Đoàn viên', member.fullName, member.citizenId);
      await page.getByLabel('Số tiền đề nghị').fill('30000000');
      await choose(page, 'Tình trạng đất ở', 'Đất thuộc quyền sử dụng của gia đình');
      await choose(page, 'Hiện trạng nhà ở', 'Nhà dột nát, hư hỏng nặng');
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
      await fieldError(page, 'Số tiền đề nghị')
        .filter({ hasText: 'Không được vượt mức tối đa 25.000.000 đ' })
        .waitFor();

      // The form leaves the bounds of an estimate to the server: its refusal names the field.
      await page.getByLabel('Số tiền đề nghị').fill('25000000');
      await page.getByLabel('Dự toán xây dựng, sửa chữa').fill('200000000000');
      await page.getByRole('button', { name: 'Tạo hồ sơ' }).click();
      await fieldError(page, 'Dự toán xây dựng, sửa chữa').waitFor();
      expect(await fieldError(page, 'Dự toán xây dựng, sửa chữa').innerText()).to.not.equal('');
      await page.getByRole('alert').filter({ hasText: 'không hợp lệ' }).first().waitFor();
      expect(page.url()).to.match(/\/cases\/new$/);

      const stored = await arrange<{ total: number }>(
        world.sessions.officer.get(`/api/v1/cases?q=${member.citizenId}`),
        200,
      );
      expect(stored.total).to.equal(0);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an officer edits a returned case, then the form shows it as stored, the member stays fixed and the change is saved with its revision', async () => {
    const returned = await caseAt(world, 'returned', 'union_house', { member: { fullName: uniqueName() } });
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.officer.user.username, PASSWORD);
      await page.goto(`/cases/${returned.id}`);
      await page.getByRole('button', { name: 'Sửa hồ sơ' }).click();
      await page.getByRole('heading', { name: `Sửa hồ sơ ${returned.code}` }).waitFor();
      expect(await page.getByLabel('Số tiền đề nghị').inputValue()).to.equal('50.000.000');
      expect(await page.getByLabel('Đoàn viên').isDisabled()).to.equal(true);
      await page.getByLabel('Số tiền đề nghị').fill('45000000');
      await page.getByLabel('Hoàn cảnh khó khăn').fill('Đã bổ sung xác nhận của UBND xã');
      await page.getByRole('button', { name: 'Lưu hồ sơ' }).click();
      await page.waitForURL(new RegExp(`/cases/${returned.id}$`));
      await page.getByText('Đã bổ sung xác nhận của UBND xã').first().waitFor();

      const stored = await readCase(world.sessions.officer, returned.id);
      expect(stored).to.include({ status: 'returned', requestedAmount: 45_000_000, revision: returned.revision + 1 });
      expect(stored.history.at(-1)).to.include({ action: 'update' });
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when the list is filtered by status and search text, then only matching cases show, the URL keeps the filters, and back undoes them', async () => {
    const name = uniqueName();
    const draft = await newCase(world, 'tet_gift', { member: { fullName: name } });
    const submitted = await caseAt(world, 'submitted', 'disaster_relief', { member: { fullName: name } });
    const other = await caseAt(world, 'submitted', 'tet_gift', { member: { fullName: uniqueName() } });
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, world.sessions.verifier.user.username, PASSWORD);
      await page.goto('/cases');
      await page.getByText(/Tổng \d+ hồ sơ/).waitFor();

      await choose(page, 'Trạng thái', 'Đã gửi', undefined, true);
      await page.keyboard.press('Escape');
      await page.waitForURL(/status=submitted/);
      await page.getByLabel('Tìm kiếm').fill(name.split(' ').at(-1)!);
      await page.getByLabel('Tìm kiếm').press('Enter');
      await page.waitForURL(/q=/);
      await page.getByText('Tổng 1 hồ sơ').waitFor();
      await settled(page);
      const codes = await page.locator('.ant-table-tbody a').allInnerTexts();
      expect(codes).to.deep.equal([submitted.code]);
      const url = new URL(page.url());
      expect(url.searchParams.get('status')).to.equal('submitted');
      expect(url.searchParams.get('q')).to.equal(name.split(' ').at(-1));
      await checkPage(page, 'ho-so-danh-sach');

      await page.goBack();
      await page.waitForURL((u) => !u.searchParams.has('q'));
      await page.getByRole('link', { name: other.code }).waitFor();
      expect(await page.getByLabel('Tìm kiếm').inputValue()).to.equal('');

      // A link from Việc cần làm opens the list as it names it, filters shown in the form.
      await page.goto(`/cases?status=draft&q=${encodeURIComponent(name)}&sort=updatedAt`);
      await page.getByText('Tổng 1 hồ sơ').waitFor();
      await page.getByRole('link', { name: draft.view.code }).waitFor();
      expect(await page.getByLabel('Tìm kiếm').inputValue()).to.equal(name);
      await page.locator('.ant-select-selection-item', { hasText: 'Nháp' }).waitFor();
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("when another union's officer opens a case by its URL, then the page says it is not found and shows none of it", async () => {
    const { view } = await newCase(world, 'union_house', { member: { fullName: uniqueName() } });
    const { page, context } = await openPage();
    try {
      await signIn(page, world.sessions.siblingOfficer.user.username, PASSWORD);
      await page.goto(`/cases/${view.id}`);
      await page.getByText('Không tìm thấy hồ sơ').waitFor();
      const text = await page.locator('.app-content').innerText();
      expect(text).to.not.contain(view.code);
      expect(text).to.not.contain(view.memberName);
      await page.goto(`/cases/${view.id}/edit`);
      await page.getByText('Không tìm thấy hồ sơ').waitFor();
    } finally {
      await context.close();
    }
  });
});
