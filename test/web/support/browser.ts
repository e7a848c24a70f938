/// <reference lib="dom" />
/**
 * The browser suite's plumbing: Debian's Chromium driven by playwright-core against the real service
 * (the test app listening on a free port, the embedded database behind it) and the built pages.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../../tools/chromium.js';
import { testEnv, whenFileEnds } from '../../support/global-setup.js';
import { createLogger } from '../../../src/core/logger.js';
import { JobRunner } from '../../../src/jobs/index.js';

const ROOT = join(import.meta.dirname, '../../..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots');

/** Where the service under test reads the built pages (WEB_DIST_DIR, by default dist/web). */
export const webDistDir = () => testEnv().config.webDistDir || join(ROOT, 'dist/web');

/** Builds the pages when they are missing or older than their sources (CI builds them before the tests). */
export function ensureWebBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, 'tools/build-web.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

interface WebEnvironment {
  browser: Browser;
  baseUrl: string;
}

let built = false;
let started: Promise<WebEnvironment> | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let jobs: JobRunner | undefined;
/** The runner's settings, read by it before every item: a test may slow its jobs to act in the middle of one. */
const jobSettings = {
  leaseMs: 10_000,
  pollMs: 100,
  itemDelayMs: 0,
  retryMs: 1000,
  resultInlineBytes: 1024 * 1024,
  logger: createLogger('silent'),
};

/** Pauses each item of the jobs the browser tests start (0: full speed again). */
export function slowJobs(itemDelayMs: number): void {
  jobSettings.itemDelayMs = itemDelayMs;
}

async function start(): Promise<WebEnvironment> {
  whenFileEnds(stop);
  if (!built) ensureWebBuilt();
  built = true;
  server = testEnv().app.listen(0, '127.0.0.1');
  // The pages start list actions and list payments as jobs (SPEC §14): the service runs them, as src/server.ts does.
  jobs = new JobRunner(jobSettings, 'browser-tests');
  jobs.start();
  await new Promise<void>((resolve) => server!.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
  });
  return { browser, baseUrl: `http://127.0.0.1:${port}` };
}

/** Closed when the file ends (the run, when serial): the next file that asks starts its own. */
async function stop(): Promise<void> {
  started = undefined;
  await browser?.close();
  await jobs?.stop();
  const listening = server;
  await new Promise<void>((resolve) => (listening ? listening.close(() => resolve()) : resolve()));
  [browser, jobs, server] = [undefined, undefined, undefined];
}

/** The browser and server of the file (of the run, when the suite runs serially), started by its first test that asks. */
export function webEnv(): Promise<WebEnvironment> {
  started ??= start();
  return started;
}

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 375, height: 812 };

export interface BrowserPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught errors and console errors (CSP violations among them) seen so far. */
  problems: string[];
}

/**
 * A fresh browser context (own cookies) and page; close it with `context.close()`. The computer's time zone is
 * Vietnam's unless a test gives another (`timezoneId`).
 */
export async function openPage(
  viewport = DESKTOP,
  { timezoneId = 'Asia/Ho_Chi_Minh' }: { timezoneId?: string } = {},
): Promise<BrowserPage> {
  const { browser: b, baseUrl } = await webEnv();
  const context = await b.newContext({
    baseURL: baseUrl,
    viewport,
    locale: 'vi-VN',
    timezoneId,
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A refused request (401/403/404/409) is logged by Chromium as a console error; those are expected in tests.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  return { page, context, problems };
}

/** Fills and sends the login form the page shows now. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Signs in through the login page and waits for Việc cần làm. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, username, password);
  await page.getByRole('heading', { name: 'Việc cần làm' }).waitFor();
}

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** Runs axe-core on the page as it is now and fails on any serious or critical violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  // A fading element has the contrast of its current opacity: let transitions end before measuring.
  await page.evaluate(() =>
    Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))),
  );
  // evaluate() runs outside the page's CSP, which forbids inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${name}: ${JSON.stringify(serious, null, 1)}`).to.deep.equal([]);
}

/**
 * Screenshots of the page at the office-laptop and the phone size, into test-output/ (ignored by git), when
 * `TEST_SCREENSHOTS=1`: they are for looking at, and a suite that nobody looks at spends about a sixth of the browser
 * files' time drawing them (docs/development.md).
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  if (process.env.TEST_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** Accessibility check and screenshots at both sizes: every page test ends with this. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screenshots(page, name);
}

export function expectNoProblems(problems: string[]): void {
  expect(problems, problems.join('\n')).to.deep.equal([]);
}
