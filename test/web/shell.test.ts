/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/core/logger.js';
import { testEnv } from '../support/global-setup.js';
import { api, arrange } from '../support/api.js';
import { createProvinceTree, PASSWORD, type ProvinceTree } from '../support/factory.js';
import {
  checkPage,
  expectNoProblems,
  openPage,
  PHONE,
  signIn,
  submitLogin,
  webDistDir,
  webEnv,
} from './support/browser.js';

describe('web: sign-in, navigation and the page shell', function () {
  this.timeout(90_000);
  let tree: ProvinceTree;

  before(async () => {
    tree = await createProvinceTree();
    await webEnv();
  });

  it('when the pages are asked for, then index.html answers client routes with a strict CSP and no cache', async () => {
    const res = await api().get('/cases/123').set('Accept', 'text/html');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<div id="root">');
    expect(res.headers['cache-control']).to.equal('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.match(/script-src 'self'(;|$)/);
    expect(csp).to.not.match(/script-src[^;]*unsafe/);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(res.text)?.[1];
    expect(asset, 'a hashed script in index.html').to.be.a('string');
    const script = await api().get(asset!);
    expect(script.status).to.equal(200);
    expect(script.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
  });

  it('when a script is asked for, then the brotli or gzip file the build wrote is sent as it is stored, whichever the client accepts first, and the plain file to a client that accepts no encoding', async () => {
    const { baseUrl } = await webEnv();
    const page = await api().get('/').set('Accept', 'text/html');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1]!;
    const file = (suffix: string) => readFileSync(join(webDistDir(), asset + suffix));
    // Raw bytes, as they travel (supertest and fetch would decode them).
    const raw = (encoding: string | null) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = httpGet(
          `${baseUrl}${asset}`,
          { headers: encoding ? { 'accept-encoding': encoding } : {} },
          (res) => {
            const parts: Buffer[] = [];
            res.on('data', (part: Buffer) => parts.push(part));
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
          },
        );
        req.on('error', reject);
      });
    const plain = file('');
    const browser = await raw('gzip, deflate, br, zstd');
    expect([browser.status, browser.headers['content-encoding'], browser.headers.vary]).to.deep.equal([
      200,
      'br',
      'Accept-Encoding',
    ]);
    expect(browser.headers['content-type']).to.match(/^text\/javascript; charset=utf-8$/i);
    expect(browser.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(browser.body.equals(file('.br')), 'the stored brotli file').to.equal(true);
    expect(brotliDecompressSync(browser.body).equals(plain)).to.equal(true);
    // Quality 11 at build time: smaller than what the compression middleware makes at its quality 4.
    expect(browser.body.length).to.be.below(
      brotliCompressSync(plain, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }).length,
    );
    const gzipOnly = await raw('gzip');
    expect([gzipOnly.headers['content-encoding'], gzipOnly.body.equals(file('.gz'))]).to.deep.equal(['gzip', true]);
    expect(gunzipSync(gzipOnly.body).equals(plain)).to.equal(true);
    const none = await raw(null);
    expect([none.headers['content-encoding'], none.body.equals(plain)]).to.deep.equal([undefined, true]);
    expect(none.headers['content-type']).to.match(/^text\/javascript; charset=utf-8$/i);
  });

  it('when cross-origin clients are allowed (CORS_ORIGINS), then a stored compressed script still varies by Origin as well as by encoding', async () => {
    const page = await api().get('/').set('Accept', 'text/html');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)![1]!;
    const app = createApp({
      config: { ...testEnv().config, corsOrigins: ['https://a.vn'] },
      logger: createLogger('silent'),
    });
    const res = await request(app).get(asset).set('Origin', 'https://a.vn').set('Accept-Encoding', 'gzip');
    expect([res.status, res.headers['content-encoding']]).to.deep.equal([200, 'gzip']);
    expect(String(res.headers.vary).split(/,\s*/).sort()).to.deep.equal(['Accept-Encoding', 'Origin']);
  });

  it('when an unknown API path or a missing asset is asked for, then the answer is a problem, not the page', async () => {
    const apiMiss = await api().get('/api/v1/nothing-here').set('Accept', 'text/html');
    expect(apiMiss.status).to.equal(404);
    expect(apiMiss.headers['content-type']).to.match(/problem\+json/);
    const assetMiss = await api().get('/assets/missing-0000.js');
    expect(assetMiss.status).to.equal(404);
  });

  it('when a grassroots officer signs in, then Việc cần làm shows their queues and only their sections', async () => {
    const { page, context, problems } = await openPage();
    try {
      await signIn(page, tree.sessions.officer.user.username, PASSWORD);
      await page.getByText('Hồ sơ nháp chưa gửi').waitFor();
      await page.getByText('Hồ sơ bị trả lại, cần sửa').waitFor();
      const nav = page.getByRole('navigation', { name: 'Các mục' });
      const items = await nav.getByRole('menuitem').allInnerTexts();
      expect(items.map((t) => t.trim())).to.deep.equal(['Việc cần làm', 'Đoàn viên', 'Hồ sơ', 'Danh sách']);
      await checkPage(page, 'viec-can-lam-co-so');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it('when an accountant opens a section of another role by URL, then the page says so and offers nothing', async () => {
    const { page, context } = await openPage();
    try {
      await signIn(page, tree.sessions.accountant.user.username, PASSWORD);
      const items = await page.getByRole('navigation', { name: 'Các mục' }).getByRole('menuitem').allInnerTexts();
      expect(items.map((t) => t.trim())).to.deep.equal([
        'Việc cần làm',
        'Hồ sơ',
        'Quyết định',
        'Nguồn kinh phí',
        'Chi trả',
        'Báo cáo',
      ]);
      await page.goto('/admin');
      await page.getByText('Không có quyền').waitFor();
    } finally {
      await context.close();
    }
  });

  it('when the password is wrong, then the login page says so in Vietnamese and keeps no session', async () => {
    const { page, context } = await openPage();
    try {
      await page.goto('/login');
      await submitLogin(page, tree.sessions.verifier.user.username, 'sai-mat-khau');
      await page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor();
      expect(await context.cookies()).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('when signed in, then no token is in web storage, the refresh cookie is HttpOnly, Strict and scoped, and a reload keeps the session', async () => {
    const { page, context } = await openPage();
    try {
      await signIn(page, tree.sessions.verifier.user.username, PASSWORD);
      // Only a flag that a session existed (so a returning user's pages download early); never a token.
      const storage = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
      expect(storage).to.deep.equal({ local: { 'mai-am-had-session': '1' }, session: {} });
      // The refresh cookie, and the device cookie that lets this browser through while its account is under attack.
      const cookies = await context.cookies();
      expect(cookies.map((c) => c.name).sort()).to.deep.equal(['mai_am_device', 'mai_am_refresh']);
      expect(cookies.find((c) => c.name === 'mai_am_refresh')).to.include({
        httpOnly: true,
        sameSite: 'Strict',
        path: '/api/v1/auth',
        secure: true,
      });
      expect(cookies.find((c) => c.name === 'mai_am_device')).to.include({
        httpOnly: true,
        sameSite: 'Strict',
        path: '/api/v1/auth/login',
        secure: true,
      });
      await page.reload();
      await page.getByRole('heading', { name: 'Việc cần làm' }).waitFor();
      await page.getByText('Hồ sơ chờ thẩm định').waitFor();
    } finally {
      await context.close();
    }
  });

  it('when a new visitor opens a deep link, then only the login page is downloaded, no refresh is tried, and signing in opens the link', async () => {
    const { page, context, problems } = await openPage();
    try {
      const scripts: string[] = [];
      const calls: string[] = [];
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (path.endsWith('.js')) scripts.push(path);
        if (path.startsWith('/api/')) calls.push(path);
      });
      await page.goto('/cases?status=draft');
      await page.waitForURL(/\/login\?next=%2Fcases%3Fstatus%3Ddraft$/);
      await page.getByLabel('Tên đăng nhập').waitFor();
      await page.waitForLoadState('networkidle');
      expect(scripts.filter((path) => /\/(routes|AppLayout|CasesPage|TodoPage)-/.test(path))).to.deep.equal([]);
      expect(calls, 'no refresh is tried by a browser that never had a session').to.deep.equal([]);
      await submitLogin(page, tree.sessions.officer.user.username, PASSWORD);
      await page.waitForURL(/\/cases\?status=draft$/);
      await page.getByRole('heading', { name: 'Hồ sơ' }).waitFor();
      expect(scripts.some((path) => /\/CasesPage-/.test(path))).to.equal(true);
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });

  it("when a returning browser's session has ended elsewhere, then a reload shows the login page and keeps the address", async () => {
    const { page, context } = await openPage();
    try {
      await signIn(page, tree.sessions.verifier.user.username, PASSWORD);
      await page.goto('/cases');
      await page.getByRole('heading', { name: 'Hồ sơ' }).waitFor();
      await context.clearCookies(); // as if the refresh cookie expired
      await page.reload();
      await page.waitForURL(/\/login\?next=%2Fcases$/);
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
      expect(await page.evaluate(() => ({ ...localStorage }))).to.deep.equal({});
      // Back in, the pages that were fetched early for the old session do not get in the way.
      await submitLogin(page, tree.sessions.verifier.user.username, PASSWORD);
      await page.waitForURL(/\/cases$/);
      await page.getByRole('heading', { name: 'Hồ sơ' }).waitFor();
      await page.getByRole('menuitem', { name: 'Việc cần làm' }).click();
      await page.getByText('Hồ sơ chờ thẩm định').waitFor();
    } finally {
      await context.close();
    }
  });

  it('when the user signs out, then the cookie is gone, its session is revoked and the pages return to login', async () => {
    const { page, context } = await openPage();
    try {
      await signIn(page, tree.sessions.approver.user.username, PASSWORD);
      const cookie = (await context.cookies()).find((c) => c.name === 'mai_am_refresh');
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
      // The session's cookie is gone; the device cookie stays, as signing out does not make the browser a stranger.
      expect((await context.cookies()).map((c) => c.name)).to.deep.equal(['mai_am_device']);
      const reuse = await api().post('/api/v1/auth/refresh').send({ refreshToken: cookie!.value });
      expect(reuse.status).to.equal(401);
      await page.goto('/cases');
      await page.waitForURL(/\/login\?next=%2Fcases/);
    } finally {
      await context.close();
    }
  });

  it('when the session ends while a form is open, then the next request says so and returns to the login page', async () => {
    const { page, context } = await openPage();
    try {
      await signIn(page, tree.sessions.officer.user.username, PASSWORD);
      // The administrator disables and re-enables the account: every session of it ends.
      await arrange(
        tree.sessions.admin.patch(`/api/v1/users/${tree.sessions.officer.user.id}`, { active: false }),
        200,
      );
      await arrange(tree.sessions.admin.patch(`/api/v1/users/${tree.sessions.officer.user.id}`, { active: true }), 200);
      await page.getByRole('menuitem', { name: 'Hồ sơ' }).click();
      await page.getByText('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.').waitFor();
      await page.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('when the login page is opened on a phone, then it is usable and accessible', async () => {
    const { page, context, problems } = await openPage(PHONE);
    try {
      await page.goto('/login');
      await page.getByLabel('Tên đăng nhập').waitFor();
      await checkPage(page, 'dang-nhap');
      expectNoProblems(problems);
    } finally {
      await context.close();
    }
  });
});
