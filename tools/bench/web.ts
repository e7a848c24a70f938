/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Web pages in headless Chromium (issue 9): what the first page costs to download, the largest route chunk,
 * and how long Việc cần làm and a 100-row case list take to render, each beside a blank page served by the
 * same server in the same run (the ratio is what carries across machines).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { chromium, type Page } from 'playwright-core';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/core/config.js';
import { connectDatabase, disconnectDatabase } from '../../src/core/db/connection.js';
import { startEmbeddedEngine } from '../../src/core/db/embedded.js';
import { createLogger } from '../../src/core/logger.js';
import { bootstrap } from '../../src/system/bootstrap.js';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.js';
import { median } from './runner.js';

const ROOT = join(import.meta.dirname, '../..');
const WEB_DIR = join(ROOT, 'dist/web');
const BUDGET_KB = 350;
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const PASSWORD = 'mat-khau-bench-web-1';
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** A province with one grassroots union, an officer and 100 draft cases, made through the API. */
async function arrange(baseUrl: string, adminPassword: string): Promise<string> {
  const call = async (token: string | null, method: string, path: string, body?: object) => {
    const res = await fetch(baseUrl + '/api/v1' + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };
  const admin = (await call(null, 'POST', '/auth/login', { username: 'admin', password: adminPassword })).accessToken!;
  const me = await call(admin, 'GET', '/auth/me');
  const org = async (parentId: string, level: string, code: string, name: string) =>
    (await call(admin, 'POST', '/orgs', { code, name, shortName: name, level, parentId, place: 'Hà Tĩnh' })).id!;
  const province = await org(me.orgId!, 'province', 'BW', 'Liên đoàn Lao động tỉnh Bench');
  const upper = await org(province, 'upper', 'BWU', 'Công đoàn Khu kinh tế Bench');
  const grassroots = await org(upper, 'grassroots', 'BWG', 'Công đoàn cơ sở Công ty Bench');
  await call(admin, 'POST', '/users', {
    username: 'bench.officer',
    password: PASSWORD,
    fullName: 'Cán bộ Bench',
    orgId: grassroots,
    roles: ['grassroots_officer'],
  });
  const officer = (await call(null, 'POST', '/auth/login', { username: 'bench.officer', password: PASSWORD }))
    .accessToken!;
  for (let i = 0; i < 100; i += 1) {
    const member = await call(officer, 'POST', '/members', {
      // A person's name has letters only (the member rules refuse digits): the index spelled in letters.
      fullName: `Nguyễn Văn ${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`,
      dateOfBirth: '1985-04-12',
      gender: 'male',
      citizenId: String(100_000_000_000 + i),
      joinedUnionAt: '2015-03-01',
      orgId: grassroots,
    });
    await call(officer, 'POST', '/cases', {
      programCode: 'union_house',
      subtype: 'repair',
      memberId: member.id!,
      requestedAmount: 20_000_000,
      situation: 'Nhà dột nát',
    });
  }
  return 'bench.officer';
}

/** In the page: its clock once `count` case links are drawn (0 until then). */
function caseLinksDrawn(count: number): number {
  const drawn = [...document.querySelectorAll('a')].filter((a) => a.textContent?.startsWith('MAC-')).length;
  return drawn >= count ? performance.now() : 0;
}

/** In the page: its clock once the blank page's text is there. */
function blankDrawn(): number {
  return document.body?.textContent?.includes('Trống') ? performance.now() : 0;
}

/**
 * Milliseconds from the start of navigation until the page is drawn, read by the page's own clock and checked
 * on every animation frame (a locator's back-off polling would round the figures to its intervals).
 */
async function timeNavigation(page: Page, url: string, drawn: (count: number) => number, count = 0): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  return (await page.waitForFunction(drawn, count, { polling: 'raf' })).jsonValue();
}

export async function runWebBenchmarks(): Promise<void> {
  console.log('\nWeb pages (headless Chromium)');
  execFileSync(process.execPath, [join(ROOT, 'tools/build-web.mjs')], { cwd: ROOT, stdio: 'inherit' });

  const engine = await startEmbeddedEngine({ backend: 'memory', database: 'mai-am-bench-web' });
  const adminPassword = 'admin-bench-password-1';
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    MONGODB_URI: engine.uri,
    LOG_LEVEL: 'silent',
    BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
    WEB_DIST_DIR: '',
  });
  const logger = createLogger(config.logLevel);
  await connectDatabase(engine.uri);
  await bootstrap(config, logger);
  const outer = express();
  // The floor: a page with nothing in it, through the same server, compression and headers.
  outer.get('/__blank', (_req, res) => {
    res.type('html').send('<!doctype html><html lang="vi"><title>blank</title><p>Trống</p></html>');
  });
  outer.use(createApp({ config, logger }));
  const server = outer.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
  });
  try {
    const username = await arrange(baseUrl, adminPassword);

    // What the first page (the login page of a new visitor) downloads: JS and CSS, as sent (gzip).
    const fresh = await browser.newPage();
    const sent: { url: string; bytes: number }[] = [];
    fresh.on('requestfinished', async (request) => {
      if (!/\.(js|css)$/.test(new URL(request.url()).pathname)) return;
      sent.push({ url: request.url(), bytes: (await request.sizes()).responseBodySize });
    });
    await fresh.goto(baseUrl + '/');
    await fresh.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    await fresh.waitForLoadState('networkidle');
    const firstPage = sent.reduce((sum, file) => sum + file.bytes, 0);
    console.log(
      `  first page (login) JS+CSS sent: ${kb(firstPage)} gzip in ${sent.length} files (budget ${BUDGET_KB} kB: ${firstPage <= BUDGET_KB * 1024 ? 'within' : 'OVER'})`,
    );

    // Sign in, then Việc cần làm in the signed-in state.
    await fresh.getByLabel('Tên đăng nhập').fill(username);
    await fresh.getByLabel('Mật khẩu').fill(PASSWORD);
    await fresh.getByRole('button', { name: 'Đăng nhập' }).click();
    await fresh.getByRole('heading', { name: 'Việc cần làm' }).waitFor();
    await fresh.waitForLoadState('networkidle');
    const afterSignIn = sent.reduce((sum, file) => sum + file.bytes, 0);
    console.log(`  login + Việc cần làm JS+CSS sent: ${kb(afterSignIn)} gzip in ${sent.length} files`);

    const entry = new Set(
      [...readFileSync(join(WEB_DIR, 'index.html'), 'utf8').matchAll(/assets\/([^"]+)/g)].map((m) => m[1]),
    );
    const chunks = readdirSync(join(WEB_DIR, 'assets'))
      .filter((name) => name.endsWith('.js') && !entry.has(name))
      .map((name) => ({ name, bytes: gzipSync(readFileSync(join(WEB_DIR, 'assets', name))).length }))
      .sort((a, b) => b.bytes - a.bytes);
    console.log(
      `  largest route chunk: ${chunks[0]?.name} ${kb(chunks[0]?.bytes ?? 0)} gzip (of ${chunks.length} lazy chunks)`,
    );

    const blank = await browser.newPage();
    const blanks: number[] = [];
    const todos: number[] = [];
    const lists: number[] = [];
    for (let i = 0; i <= RUNS; i += 1) {
      const b = await timeNavigation(blank, baseUrl + '/__blank', blankDrawn);
      const t = await timeNavigation(fresh, baseUrl + '/', caseLinksDrawn, 1);
      const l = await timeNavigation(fresh, baseUrl + '/cases?limit=100', caseLinksDrawn, 100);
      if (i === 0) continue; // warm-up: the first run fills the HTTP cache like a returning user's
      blanks.push(b);
      todos.push(t);
      lists.push(l);
    }
    const base = median(blanks);
    console.log(`  blank page: ${base.toFixed(0)} ms (median of ${RUNS})`);
    console.log(
      `  Việc cần làm rendered with its rows: ${median(todos).toFixed(0)} ms, ratio ${(median(todos) / base).toFixed(1)}`,
    );
    console.log(
      `  case list of 100 rows rendered: ${median(lists).toFixed(0)} ms, ratio ${(median(lists) / base).toFixed(1)}`,
    );
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await disconnectDatabase();
    await engine.stop();
  }
}

// `npx tsx tools/bench/web.ts`: these alone.
if (process.argv[1] === import.meta.filename) await runWebBenchmarks();
