/* global document, window -- the checks passed to page.evaluate run in the page */
/**
 * `npm run walk`: the README's walk through the pages, as each demo account, at 1366×768 and 375×812, on a
 * freshly seeded service (tools/demo-service.mjs). Every section the account has, a case's page, and the
 * public pages are opened; each is checked for what a user must never meet and screenshotted into
 * test-output/walk/ to be looked at:
 *
 * - at 1366×768, every table's last column ends inside the window (nothing cut off);
 * - at 375×812, nothing is wider than the phone (no sideways scroll);
 * - no 12-digit number (a full CCCD) in the page's text;
 * - no error alert and no console error.
 *
 * Run with tsx (it reads tools/chromium.ts). Exit 1 when a page fails a check. Needs the built pages
 * (`npm run build`); WALK_KEEP=1 keeps the temporary data folder, WALK_SCREENSHOTS=0 takes no screenshot.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.ts';
import { DEMO_PASSWORD, root, startDemoService } from '../demo-service.mjs';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 375, height: 812 },
];
const ACCOUNTS = [
  { username: 'cdcs.thcs', paths: ['/', '/members', '/cases', '/batches'] },
  { username: 'thamdinh.hatinh', paths: ['/', '/members', '/cases', '/batches'] },
  {
    username: 'pheduyet.hatinh',
    paths: ['/', '/members', '/cases', '/batches', '/decisions', '/funds', '/payments', '/reports'],
  },
  { username: 'ketoan.hatinh', paths: ['/', '/cases', '/decisions', '/funds', '/payments', '/reports'] },
  {
    username: 'quantri.hatinh',
    paths: ['/', '/members', '/cases', '/decisions', '/funds', '/payments', '/reports', '/admin'],
  },
];
const PUBLIC_PATHS = ['/cong-khai/HT', '/xac-minh'];
const out = join(root, 'test-output/walk');
/** `WALK_SCREENSHOTS=0` (the test suite's walk) checks every page without drawing it. */
const shooting = process.env.WALK_SCREENSHOTS !== '0';
mkdirSync(out, { recursive: true });

const service = await startDemoService({ name: 'walk' });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const failures = [];
let pages = 0;

/** Opens a path, waits for its heading and for loading to end, runs the checks and takes the screenshot. */
async function look(page, path, label, size, consoleErrors) {
  await page.goto(service.base + path);
  await page.locator('h1').first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await page
    .waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'), null, {
      timeout: 30_000,
    })
    .catch(() => undefined);
  const found = await page.evaluate((phone) => {
    const problems = [];
    if (phone && document.documentElement.scrollWidth > window.innerWidth) {
      problems.push(`wider than the phone: ${document.documentElement.scrollWidth} px`);
    }
    if (!phone) {
      for (const table of document.querySelectorAll('.ant-table-wrapper')) {
        const headers = [...table.querySelectorAll('thead th')].filter((th) => th.offsetWidth > 0);
        const last = headers.at(-1);
        if (last && last.getBoundingClientRect().right > window.innerWidth)
          problems.push(`column "${last.textContent}" cut off`);
      }
    }
    const text = document.body.innerText;
    const digits = text.match(/(?<!\d)\d{12}(?!\d)/g);
    if (digits) problems.push(`12-digit numbers shown: ${digits.slice(0, 3).join(', ')}`);
    const alert = document.querySelector('.ant-alert-error');
    if (alert) problems.push(`error shown: ${alert.textContent}`);
    return problems;
  }, size.width < 768);
  found.push(...consoleErrors.splice(0));
  const name = `${label}${path.replace(/[^a-z0-9]+/gi, '-')}-${size.width}x${size.height}.png`.replace(/-+/g, '-');
  if (shooting) await page.screenshot({ path: join(out, name), fullPage: true });
  pages += 1;
  for (const problem of found) failures.push(`${label} ${path} at ${size.width}×${size.height}: ${problem}`);
  console.log(
    `${found.length ? '✗' : '✓'} ${label} ${path} ${size.width}×${size.height}${found.length ? ': ' + found.join('; ') : ''}`,
  );
}

async function session(size) {
  const context = await browser.newContext({ viewport: size, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      consoleErrors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  return { context, page, consoleErrors };
}

try {
  for (const size of SIZES) {
    for (const { username, paths } of ACCOUNTS) {
      const { context, page, consoleErrors } = await session(size);
      await page.goto(service.base + '/login');
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByRole('heading', { name: 'Việc cần làm' }).waitFor();
      for (const path of paths) await look(page, path, username, size, consoleErrors);
      // A case's page: the first case of the list.
      await page.goto(service.base + '/cases');
      const link = page.locator('a[href^="/cases/"]').first();
      await link.waitFor({ timeout: 30_000 });
      const href = await link.getAttribute('href');
      await look(page, href, `${username}-case`, size, consoleErrors);
      await context.close();
    }
    const { context, page, consoleErrors } = await session(size);
    for (const path of PUBLIC_PATHS) await look(page, path, 'public', size, consoleErrors);
    await context.close();
  }
} finally {
  await browser.close();
  await service.stop(process.env.WALK_KEEP === '1');
}
console.log(`\nwalk: ${pages} pages, ${failures.length} problems${shooting ? `; screenshots in ${out}` : ''}`);
for (const failure of failures) console.log(`  ${failure}`);
process.exit(failures.length ? 1 : 0);
