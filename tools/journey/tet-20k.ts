/// <reference lib="dom" />
/**
 * The 20,000-case Tết journey (issue 18 "Done when"), end to end on the real service:
 *
 *  1. builds the service and the pages (what `npm start` does), loads the demo province (`seed:demo`) into an H2
 *     file in a fresh DATA_DIR, starts `node dist/server.js` on it, and tops up through the API the demo Tết
 *     campaign's budget and the province's social fund so that JOURNEY_CASES gifts of 1,000,000 đ fit;
 *  2. writes a JOURNEY_CASES-row Tết list in the import template: new workers of the garment company's union
 *     (CĐCS May Vũng Áng, whose list is verified by the Vũng Áng union and approved by the province), each with a
 *     distinct valid CCCD;
 *  3. in Debian's Chromium, as the demo users: the officer imports the list and submits it, the verifier verifies it,
 *     the approver approves it into one decision, the accountant pays it with “Chi trả cả danh sách”, each time
 *     following the page's progress bar to its result; half-way through one step (JOURNEY_KILL: approve or pay)
 *     the service and its engine are killed with SIGKILL, started again on the same file, and the page is reloaded
 *     to follow the same job to its end;
 *  4. stops the service and checks the stored state straight in the database.
 *
 * Prints each step's wall time and the service's (and the engine's) peak resident memory per step (VmHWM, reset
 * at the start of each step), and saves screenshots of every progress bar half-way and every result at 1366×768 and
 * 375×812 into the folder it prints.
 *
 * `npm run journey:tet` (JOURNEY_CASES, default 20000; JOURNEY_KILL approve|pay|none, default approve;
 * JOURNEY_OUT, default test-output/journey-tet-<time>; JOURNEY_KEEP_DATA=1 keeps the DATA_DIR).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../chromium.js';
import { descendantRunning, residentBytes } from '../bench/process-memory.js';
import { intEnv } from '../bench/runner.js';
import { formatVnd } from '../../src/core/shared/money.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = 'Mái ấm đang chạy tại';
const PASSWORD = 'demo-mat-khau-2026';
const GIFT = 1_000_000;
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 375, height: 812 };
/** Long enough for the slowest step of a 20,000-case list on two shared cores. */
const STEP_TIMEOUT_MS = 90 * 60_000;

const CASES = intEnv('JOURNEY_CASES', 20_000, 501, 50_000);
const KILL = (process.env.JOURNEY_KILL ?? 'approve') as 'approve' | 'pay' | 'none';
if (!['approve', 'pay', 'none'].includes(KILL)) throw new Error('JOURNEY_KILL: approve, pay or none');
const OUT =
  process.env.JOURNEY_OUT ?? join(ROOT, 'test-output', `journey-tet-${new Date().toISOString().replace(/[:.]/g, '-')}`);
/** The count as the pages write it (20.000). */
const COUNT = formatVnd(CASES);
const FILE_NAME = `Danh sách quà Tết ${CASES} đoàn viên - CĐCS May Vũng Áng.xlsx`;

const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : 'n/a');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// ---------------------------------------------------------------------------------------------------------------
// The service as a child process

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Service {
  child: ChildProcess;
  exited: Promise<void>;
  /** The node process and the engine's JVM below it. */
  pids(): { service: number; engine: number | null };
}

async function startService(env: NodeJS.ProcessEnv): Promise<Service> {
  const started = performance.now();
  // Its own process group: SIGKILL to the group takes the service and its engine at once, as a crash does.
  const child = spawn(process.execPath, ['dist/server.js'], { cwd: ROOT, env, detached: true, stdio: 'pipe' });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let gone = false;
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      gone = true;
      done();
    }),
  );
  while (!output.includes(READY)) {
    if (gone) throw new Error(`the service exited before it was ready:\n${output}`);
    if (performance.now() - started > 180_000) throw new Error(`the service was not ready in 180 s:\n${output}`);
    await sleep(100);
  }
  log(`service ready in ${secs(performance.now() - started)} (pid ${child.pid})`);
  let engine: number | null = null;
  return {
    child,
    exited,
    pids: () => {
      engine ??= descendantRunning(child.pid!, 'EmbeddedMongo');
      return { service: child.pid!, engine };
    },
  };
}

async function killService(service: Service, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  try {
    process.kill(signal === 'SIGKILL' ? -service.child.pid! : service.child.pid!, signal);
  } catch {
    // already gone
  }
  await service.exited;
  // The engine must be gone too before the same data file is opened again.
  for (let waited = 0; waited < 60_000; waited += 100) {
    try {
      process.kill(-service.child.pid!, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  throw new Error('the engine outlived the service by 60 s');
}

// ---------------------------------------------------------------------------------------------------------------
// Memory per step: VmHWM reset (clear_refs 5) when the step starts, read when it ends

function resetPeak(pid: number | null): void {
  if (!pid) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not allowed here: the peak then counts from the process start
  }
}

class StepMemory {
  service = 0;
  engine = 0;
  constructor(private current: () => Service) {
    const { service, engine } = current().pids();
    resetPeak(service);
    resetPeak(engine);
  }
  /** Reads the peaks so far (before a kill, and at the end). */
  sample(): void {
    const { service, engine } = this.current().pids();
    this.service = Math.max(this.service, residentBytes(service, 'VmHWM') || 0);
    if (engine) this.engine = Math.max(this.engine, residentBytes(engine, 'VmHWM') || 0);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The API, for setting up, watching a job, and the figures

class Api {
  private token = '';
  constructor(
    private base: string,
    private username: string,
  ) {}
  static async login(base: string, username: string): Promise<Api> {
    const api = new Api(base, username);
    await api.login();
    return api;
  }
  /** Signs in again: access tokens are short-lived and a step may outlast one. */
  private async login(): Promise<void> {
    const res = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: this.username, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${this.username}: ${res.status} ${await res.text()}`);
    this.token = ((await res.json()) as { accessToken: string }).accessToken;
  }
  async call<T>(method: string, path: string, body?: object, again = true): Promise<T> {
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 401 && again) {
      await this.login();
      return this.call(method, path, body, false);
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

interface JobView {
  id: string;
  kind: string;
  status: string;
  attempts?: number;
  progress: { done: number; total: number };
}

// ---------------------------------------------------------------------------------------------------------------
// The list

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương'];
const MIDDLE_F = ['Thị', 'Thị Thu', 'Thị Minh', 'Thị Ngọc', 'Thị Thanh', 'Thị Kim'];
const MIDDLE_M = ['Văn', 'Đức', 'Quang', 'Minh', 'Hữu', 'Công'];
const GIVEN_F = ['Hoa', 'Lan', 'Huệ', 'Hằng', 'Nhung', 'Thủy', 'Hà', 'Trang', 'Yến', 'Loan', 'Hương', 'Mai', 'Vân'];
const GIVEN_M = ['Hùng', 'Dũng', 'Tuấn', 'Nam', 'Sơn', 'Hải', 'Long', 'Quý', 'Thắng', 'Phúc', 'Cường', 'Bình'];
const SITUATIONS = [
  'Thu nhập thấp, nuôi con nhỏ',
  'Bố mẹ già yếu, ốm đau thường xuyên',
  'Nhà bị ngập sau lũ tháng 10',
  'Mẹ đơn thân, thu nhập thấp',
  'Vợ ốm dài ngày',
  'Con bệnh hiểm nghèo đang điều trị',
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Row i of the list: a worker new to the system. The CCCD is Hà Tĩnh's (042), the century-and-gender digit
 * (0 man / 1 woman born 1900–1999), the two digits of the birth year, then a serial from 700,000 (the demo's
 * members and newcomers use serials below 1,000), so every row's CCCD is distinct and valid.
 */
function listRow(i: number): (string | number)[] {
  const woman = i % 3 !== 0;
  const year = 1970 + (i % 30);
  const born = `${pad(1 + (i % 28), 2)}/${pad(1 + (i % 12), 2)}/${year}`;
  const joined = `01/${pad(1 + ((i >> 2) % 12), 2)}/${year + 20 + (i % 8)}`;
  const name = [
    FAMILY[i % FAMILY.length],
    (woman ? MIDDLE_F : MIDDLE_M)[(i >> 3) % 6],
    (woman ? GIVEN_F : GIVEN_M)[(i >> 5) % (woman ? GIVEN_F.length : GIVEN_M.length)],
  ].join(' ');
  const citizenId = `042${woman ? 1 : 0}${pad(year % 100, 2)}${pad(700_000 + i, 6)}`;
  return [
    name!,
    citizenId,
    born,
    woman ? 'Nữ' : 'Nam',
    joined,
    `09${pad(12_000_000 + i, 8)}`,
    '1.000.000',
    SITUATIONS[i % SITUATIONS.length]!,
  ];
}

async function writeList(headers: string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  sheet.addRow(headers);
  for (let i = 0; i < CASES; i += 1) sheet.addRow(listRow(i));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------------------
// The pages

/**
 * The page at 1366×768 and at 375×812 as the user sees it (the viewport, not the whole page: a list's page is
 * thousands of pixels tall and a dialog scrolls on its own), with the job's progress section at the top.
 */
async function shoot(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? DESKTOP;
  const focus = page
    .locator('section')
    .filter({ has: page.getByRole('progressbar') })
    .last();
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    if (await focus.count()) await focus.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(OUT, `${name}-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize(original);
}

async function choose(page: Page, fieldLabel: string, option: string | RegExp): Promise<void> {
  await page.getByLabel(fieldLabel, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
  await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
}

async function signIn(browser: Browser, base: string, username: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: base,
    viewport: DESKTOP,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(120_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`  page error (${username}): ${error.message}`));
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { name: 'Việc cần làm' }).waitFor();
  return page;
}

interface StepFigures {
  step: string;
  wallMs: number;
  serviceHwm: number;
  engineHwm: number;
  note: string;
}

const figures: StepFigures[] = [];

/**
 * Follows a job the page started to its end: a screenshot of the bar once a tenth of it is done (or at once when
 * it is quick), a kill of the service half-way when asked, then the result the page shows.
 */
async function followJob(opts: {
  name: string;
  page: Page;
  api: () => Api;
  findJob: (api: Api) => Promise<JobView | undefined>;
  progress: () => ReturnType<Page['getByRole']>;
  resultText: string | RegExp;
  kill?: { restart: () => Promise<void> };
}): Promise<{ job: JobView; note: string }> {
  const { page } = opts;
  let job: JobView | undefined;
  for (let waited = 0; !job; waited += 500) {
    job = await opts.findJob(opts.api());
    if (!job) {
      if (waited > 120_000) throw new Error(`${opts.name}: no job after 120 s`);
      await sleep(500);
    }
  }
  log(`  job ${job.id} (${job.kind})`);
  let shotMid = false;
  let killed = false;
  let note = '';
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let lastLogged = 0;
  for (;;) {
    let now: JobView;
    try {
      now = await opts.api().call<JobView>('GET', `/jobs/${job.id}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(1000);
      continue;
    }
    const { done, total } = now.progress;
    if (Date.now() - lastLogged > 30_000) {
      log(`  ${opts.name}: ${now.status} ${done}/${total}`);
      lastLogged = Date.now();
    }
    if (!shotMid && now.status === 'running' && total > 0 && done >= total * 0.1 && done < total) {
      await opts.progress().waitFor();
      await shoot(page, `${opts.name}-dang-chay`);
      shotMid = true;
      log(`  ${opts.name}: progress bar saved at ${done}/${total}`);
    }
    if (opts.kill && !killed && now.status === 'running' && done >= total / 2) {
      log(`  ${opts.name}: SIGKILL of the service at ${done}/${total}`);
      const downAt = performance.now();
      await opts.kill.restart();
      await page.reload();
      await opts.progress().waitFor();
      const back = await opts.api().call<JobView>('GET', `/jobs/${job.id}`);
      note = `killed at ${done}/${total}; service ready and page reloaded after ${secs(performance.now() - downAt)}; job at ${back.progress.done}/${total} (${back.status})`;
      log(`  ${opts.name}: ${note}`);
      await shoot(page, `${opts.name}-sau-khoi-dong-lai`);
      killed = true;
    }
    if (['succeeded', 'failed', 'cancelled'].includes(now.status)) {
      if (now.status !== 'succeeded') throw new Error(`${opts.name}: job ${now.status}`);
      job = now;
      break;
    }
    if (Date.now() > deadline) throw new Error(`${opts.name}: not finished in ${STEP_TIMEOUT_MS / 60_000} min`);
    await sleep(1000);
  }
  try {
    await page
      .getByText(opts.resultText)
      .first()
      .waitFor({ timeout: 5 * 60_000 });
  } catch (error) {
    await shoot(page, `${opts.name}-loi`);
    const ended = await opts.api().call<JobView & { result?: unknown }>('GET', `/jobs/${job.id}`);
    log(
      `  ${opts.name}: the page did not show the result; the job's result: ${JSON.stringify(ended.result).slice(0, 2000)}`,
    );
    throw error;
  }
  if (!shotMid) await shoot(page, `${opts.name}-dang-chay`); // a quick job: the bar at its end
  await page.mouse.move(0, 0);
  // The tables below the result load the list again (20,000 cases): shoot once they have.
  await page
    .locator('.ant-spin-spinning')
    .first()
    .waitFor({ state: 'hidden', timeout: 120_000 })
    .catch(() => log(`  ${opts.name}: still loading after 120 s`));
  await shoot(page, `${opts.name}-ket-qua`);
  return { job, note: note + (job.attempts && job.attempts > 1 ? ` (claims: ${job.attempts})` : '') };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'mai-am-journey-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    // Sessions outlive the restart, as they do in production.
    JWT_SECRET: 'journey-tet-20k-secret-of-at-least-32-bytes',
  };
  delete env.MONGODB_URI;
  log(`${CASES} cases, kill during ${KILL}; DATA_DIR ${dataDir}; screenshots in ${OUT}`);

  log('building the service and the pages (npm run prestart)');
  execFileSync('npm', ['run', '--silent', 'prestart'], { cwd: ROOT, stdio: 'inherit' });
  let t = performance.now();
  execFileSync(process.execPath, ['dist/seed/demo.js'], { cwd: ROOT, env, stdio: 'inherit' });
  log(`demo data loaded in ${secs(performance.now() - t)}`);

  let service = await startService(env);
  const restart = async () => {
    await killService(service, 'SIGKILL');
    service = await startService(env);
  };
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  let tokens: Record<string, Api> = {};
  const api = (username: string) => () => tokens[username]!;
  for (const username of ['cdcs.may', 'thamdinh.vungang', 'pheduyet.hatinh', 'ketoan.hatinh'])
    tokens = { ...tokens, [username]: await Api.login(base, username) };

  try {
    // Room for the list: the campaign's budget and the social fund grow by the list's total.
    const approver = tokens['pheduyet.hatinh']!;
    const accountant = tokens['ketoan.hatinh']!;
    const campaigns = await approver.call<{ items: { id: string; name: string; code: string; budget: number }[] }>(
      'GET',
      '/campaigns?programCode=tet_gift&limit=100',
    );
    const campaign = campaigns.items.find((c) => c.code.startsWith('TET-HT-'));
    if (!campaign) throw new Error('the demo Tết campaign is missing');
    await approver.call('PATCH', `/campaigns/${campaign.id}`, { budget: campaign.budget + CASES * GIFT });
    const funds = await accountant.call<{ items: { id: string; code: string }[] }>('GET', '/funds?q=QXH&limit=10');
    const fund = funds.items.find((f) => f.code.startsWith('QXH-'));
    if (!fund) throw new Error('the demo social fund is missing');
    await accountant.call('POST', `/funds/${fund.id}/adjustments`, {
      amount: CASES * GIFT,
      reason: `Bổ sung kinh phí quà Tết cho ${CASES} đoàn viên CĐCS May Vũng Áng`,
    });
    log(`campaign ${campaign.code} and fund ${fund.code} topped up by ${CASES * GIFT} đ`);

    t = performance.now();
    const { FIELD_HEADERS, LIST_FIELDS } = await import('../../src/batches/index.js');
    const bytes = await writeList(LIST_FIELDS.map((field) => FIELD_HEADERS[field]));
    writeFileSync(join(OUT, 'list.xlsx'), bytes);
    log(`list written: ${CASES} rows, ${(bytes.length / 1024 / 1024).toFixed(1)} MB, ${secs(performance.now() - t)}`);

    const step = async (name: string, run: () => Promise<string>) => {
      log(`${name}…`);
      const memory = new StepMemory(() => service);
      const started = performance.now();
      const stopSampling = setInterval(() => memory.sample(), 1000);
      try {
        const note = await run();
        memory.sample();
        figures.push({
          step: name,
          wallMs: performance.now() - started,
          serviceHwm: memory.service,
          engineHwm: memory.engine,
          note,
        });
        log(
          `${name}: ${secs(performance.now() - started)}, service peak ${mb(memory.service)}, engine ${mb(memory.engine)}`,
        );
      } finally {
        clearInterval(stopSampling);
      }
    };
    const killIn = (which: string) => (KILL === which ? { restart } : undefined);

    // 1. The officer imports the list.
    const officer = await signIn(browser, base, 'cdcs.may');
    let batchId = '';
    await step('nhap-danh-sach', async () => {
      await officer.getByRole('menuitem', { name: 'Danh sách' }).click();
      await choose(officer, 'Chương trình', 'Quà Tết');
      await choose(officer, 'Đợt hỗ trợ', campaign.name);
      await officer.locator('input[type=file]').setInputFiles({
        name: FILE_NAME,
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: bytes,
      });
      await officer.getByRole('button', { name: 'Nhập danh sách' }).click();
      const { note } = await followJob({
        name: 'nhap-danh-sach',
        page: officer,
        api: api('cdcs.may'),
        findJob: async (a) => {
          const id = new URL(officer.url()).searchParams.get('importJob');
          return id ? a.call<JobView>('GET', `/jobs/${id}`) : undefined;
        },
        progress: () => officer.getByRole('region', { name: 'Nhập danh sách', exact: true }),
        resultText: `Đã tạo ${COUNT} hồ sơ nháp từ ${COUNT} dòng.`,
        kill: killIn('import'),
      });
      const job = await tokens['cdcs.may']!.call<{ result: { batch: { id?: string; _id?: string } } }>(
        'GET',
        `/jobs/${new URL(officer.url()).searchParams.get('importJob')}`,
      );
      batchId = String(job.result.batch.id ?? job.result.batch._id);
      return note;
    });
    const batchPath = `/batches/${batchId}`;

    /** One list action on the list's page, followed through its job. */
    const listAction = async (page: Page, username: string, title: string, name: string, fill?: () => Promise<void>) =>
      step(name, async () => {
        await page.goto(batchPath);
        await page.getByRole('button', { name: title, exact: true }).click();
        if (fill) await fill();
        await page.getByRole('button', { name: `${title} ${COUNT} hồ sơ` }).click();
        await page.waitForURL(/[?&]job=[0-9a-f]{24}/);
        const { note } = await followJob({
          name,
          page,
          api: api(username),
          findJob: async (a) => {
            const id = new URL(page.url()).searchParams.get('job');
            return id ? a.call<JobView>('GET', `/jobs/${id}`) : undefined;
          },
          progress: () => page.getByRole('progressbar', { name: /^Tiến độ: / }),
          resultText: `${COUNT} hồ sơ đã thực hiện, 0 hồ sơ không thực hiện được, 0 hồ sơ đã loại ra.`,
          kill: killIn(name === 'phe-duyet' ? 'approve' : name),
        });
        return note;
      });

    // 2. The officer submits it; 3. the verifier verifies it; 4. the approver approves it into one decision.
    await listAction(officer, 'cdcs.may', 'Gửi lên cấp trên', 'gui-len-cap-tren');
    await officer.context().close();
    const verifier = await signIn(browser, base, 'thamdinh.vungang');
    await listAction(verifier, 'thamdinh.vungang', 'Thẩm định', 'tham-dinh');
    await verifier.context().close();
    const approverPage = await signIn(browser, base, 'pheduyet.hatinh');
    await listAction(approverPage, 'pheduyet.hatinh', 'Phê duyệt', 'phe-duyet', async () => {
      await choose(approverPage, 'Nguồn kinh phí', fund.code);
    });
    await approverPage.context().close();

    // 5. The accountant pays the whole list from Chi trả.
    const fundBefore = await accountant.call<{ disbursed: number; allocated: number }>('GET', `/funds/${fund.id}`);
    const voucherNo = `PC-TET-${CASES}`;
    const payer = await signIn(browser, base, 'ketoan.hatinh');
    await step('chi-tra', async () => {
      await payer.goto(`/payments?batchId=${batchId}`);
      const planStarted = performance.now();
      await payer.getByRole('button', { name: 'Chi trả cả danh sách' }).click();
      const form = payer.getByRole('dialog', { name: `Chi trả cả danh sách – ${FILE_NAME}` });
      await form
        .getByText(/^Sẽ chi [\d.]+ hồ sơ/)
        .first()
        .waitFor({ timeout: STEP_TIMEOUT_MS });
      const planMs = performance.now() - planStarted;
      log(`  the payment form's preview took ${secs(planMs)}`);
      await shoot(payer, 'chi-tra-xem-truoc');
      await form.getByLabel('Số phiếu chi / chứng từ').fill(voucherNo);
      await form.getByRole('button', { name: `Chi trả ${COUNT} hồ sơ` }).click();
      await payer.waitForURL(/payJob=[0-9a-f]{24}/);
      const { note } = await followJob({
        name: 'chi-tra',
        page: payer,
        api: api('ketoan.hatinh'),
        findJob: async (a) => {
          const id = new URL(payer.url()).searchParams.get('payJob');
          return id ? a.call<JobView>('GET', `/jobs/${id}`) : undefined;
        },
        progress: () => payer.getByRole('progressbar', { name: /^Tiến độ: / }),
        resultText: /^Đã chi [\d.]+ hồ sơ, tổng/,
        kill: killIn('pay'),
      });
      return `preview ${secs(planMs)}${note ? `; ${note}` : ''}`;
    });
    const fundAfter = await accountant.call<{ disbursed: number; allocated: number }>('GET', `/funds/${fund.id}`);
    await payer.context().close();
    await browser.close();

    log('stopping the service (SIGTERM) and checking the stored state');
    await killService(service, 'SIGTERM');
    const problems = await checkStored({
      dataDir,
      batchId,
      voucherNo,
      fundMoved: fundAfter.disbursed - fundBefore.disbursed,
    });

    console.log(`\nThe ${CASES}-case Tết journey (kill during ${KILL}):`);
    console.log('| step | wall time | service peak RSS (VmHWM) | engine peak RSS | note |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const f of figures)
      console.log(`| ${f.step} | ${secs(f.wallMs)} | ${mb(f.serviceHwm)} | ${mb(f.engineHwm)} | ${f.note || '—'} |`);
    console.log(`\nScreenshots: ${OUT}`);
    if (problems.length) {
      console.log(`\nSTORED STATE IS WRONG:\n- ${problems.join('\n- ')}`);
      process.exitCode = 1;
    } else console.log('\nStored state: every check passed.');
  } finally {
    await browser.close().catch(() => undefined);
    await killService(service, 'SIGKILL').catch(() => undefined);
    if (!process.env.JOURNEY_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The database as the journey left it: every check that fails is one line. */
async function checkStored(opts: {
  dataDir: string;
  batchId: string;
  voucherNo: string;
  fundMoved: number;
}): Promise<string[]> {
  process.env.DATA_DIR = opts.dataDir;
  delete process.env.MONGODB_URI;
  const [{ loadConfig }, { createLogger }, { openDatabase }] = await Promise.all([
    import('../../src/core/config.js'),
    import('../../src/core/logger.js'),
    import('../../src/server.js'),
  ]);
  const database = await openDatabase(loadConfig(), createLogger('warn'));
  const problems: string[] = [];
  const expectEqual = (what: string, actual: unknown, expected: unknown) => {
    const ok = JSON.stringify(actual) === JSON.stringify(expected);
    log(
      `  ${ok ? 'ok ' : 'BAD'} ${what}: ${JSON.stringify(actual)}${ok ? '' : ` (expected ${JSON.stringify(expected)})`}`,
    );
    if (!ok) problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  try {
    const [{ Case }, { Decision }, { Disbursement }, { Member }, { Batch }] = await Promise.all([
      import('../../src/cases/cases.model.js'),
      import('../../src/decisions/decisions.model.js'),
      import('../../src/disbursements/disbursements.model.js'),
      import('../../src/members/members.model.js'),
      import('../../src/batches/batches.model.js'),
    ]);
    const batch = await Batch.findById(opts.batchId).lean();
    const cases = await Case.find(
      { batchId: batch!._id },
      { history: 1, status: 1, memberId: 1, decisionId: 1 },
    ).lean();
    expectEqual('cases of the list', cases.length, CASES);
    expectEqual('list status counts', countBy(cases.map((c) => c.status)), { disbursed: CASES });
    expectEqual(
      'approve history entries per case',
      countBy(cases.map((c) => String(c.history.filter((h) => h.action === 'approve').length))),
      { 1: CASES },
    );
    for (const action of ['submit', 'verify', 'disburse'])
      expectEqual(
        `${action} history entries per case`,
        countBy(cases.map((c) => String(c.history.filter((h) => h.action === action).length))),
        { 1: CASES },
      );
    const decisions = await Decision.find({ kind: 'batch', caseIds: cases[0]?._id }).lean();
    const ofList = await Decision.countDocuments({ caseIds: { $in: cases.map((c) => c._id) } });
    expectEqual('decisions holding a case of the list', ofList, 1);
    expectEqual(
      'cases, lineCount and annex lines (decision_lines) of the decision',
      [
        decisions[0]?.caseIds.length,
        decisions[0]?.lineCount,
        (await Decision.db.collection('decision_lines').find({ decisionId: decisions[0]?._id }).toArray()).reduce(
          (sum, page) => sum + ((page.lines as unknown[] | undefined)?.length ?? 1),
          0,
        ),
      ],
      [CASES, CASES, CASES],
    );
    expectEqual(
      'cases pointing at that decision',
      cases.filter((c) => String(c.decisionId) === String(decisions[0]?._id)).length,
      CASES,
    );
    const ids = new Set(cases.map((c) => String(c._id)));
    const payments = (
      await Disbursement.find({ kind: 'payment' }, { caseId: 1, voucherNo: 1, amount: 1, status: 1 }).lean()
    ).filter((p) => ids.has(String(p.caseId)));
    expectEqual('payments per case', countBy(countBy(payments.map((p) => String(p.caseId))) as never), { 1: CASES });
    expectEqual('voucher numbers of the payments', [...new Set(payments.map((p) => p.voucherNo))], [opts.voucherNo]);
    expectEqual('payment statuses', countBy(payments.map((p) => p.status)), { paid: CASES });
    const total = payments.reduce((sum, p) => sum + p.amount, 0);
    expectEqual('total paid', total, CASES * GIFT);
    expectEqual('fund disbursed moved by', opts.fundMoved, total);
    const members = cases.map((c) => String(c.memberId));
    expectEqual('distinct members of the list', new Set(members).size, CASES);
    const dupCitizenIds = await Member.aggregate<{ _id: string }>([
      { $group: { _id: '$citizenId', n: { $sum: 1 } } },
      { $match: { n: { $gt: 1 } } },
    ]);
    expectEqual('CCCDs held by more than one member', dupCitizenIds.length, 0);
  } finally {
    await database.close();
  }
  return problems;
}

/** How many times each value occurs: {value: count}. */
function countBy(values: string[] | Record<string, number>): Record<string, number> {
  const list = Array.isArray(values) ? values : Object.values(values).map(String);
  const counts: Record<string, number> = {};
  for (const v of list) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

await main();
