/**
 * The real service (src/server.ts) started as a new user starts it, without MONGODB_URI: a child process
 * with the embedded engine on the durable H2 file under DATA_DIR (SPEC §11). Killed outright or stopped with SIGTERM, it must keep
 * everything it acknowledged, leave no engine behind, and finish the requests in flight before exiting 0.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { builtScript, projectRoot } from '../support/built-service.js';
import { unique } from '../support/factory.js';

const ADMIN_PASSWORD = 'durability-admin-password-1';
const READY_TIMEOUT_MS = 60_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Service {
  child: ChildProcessWithoutNullStreams;
  base: string;
  exited: Promise<Exit>;
  /** The last part of stdout and stderr, for failure messages. */
  output(): string;
}

const started: Service[] = [];
const dataDirs: string[] = [];

/**
 * A free port below the kernel's ephemeral range. A port from `listen(0)` is released before the service
 * binds it seconds later, and meanwhile any `listen(0)` on the machine (every supertest request of a
 * parallel test run does one) may take it and answer our probes; ports below the range are never handed out so.
 */
async function freePort(avoid: number[] = []): Promise<number> {
  const [ephemeralLow] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const high = Math.min((ephemeralLow ?? 32768) - 1, 32767);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = randomInt(20000, high + 1);
    if (!avoid.includes(port) && (await canListen(port))) return port;
  }
  throw new Error('no free port found below the ephemeral range');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mai-am-durability-'));
  dataDirs.push(dir);
  return dir;
}

/** Is an embedded engine (or anything else) still running with this data directory on its command line? */
function engineRunning(dataDir: string): boolean {
  return spawnSync('pgrep', ['-f', dataDir]).status === 0;
}

/** After a failed test only: an engine that outlived its service must not outlive the test run. */
function killStrayEngines(dataDir: string): void {
  const pids = spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
}

async function waitUntilEngineGone(dataDir: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (engineRunning(dataDir)) {
    if (Date.now() > deadline)
      throw new Error(`an engine for ${dataDir} is still running ${timeoutMs} ms after the service ended`);
    await sleep(100);
  }
}

async function startService(dataDir: string, attempts = 3): Promise<Service> {
  try {
    return await startServiceOnce(dataDir);
  } catch (error) {
    // Another process took a port between our check and the service's bind: try other ports.
    if (attempts > 1 && /EADDRINUSE|BindException/.test(String(error))) return startService(dataDir, attempts - 1);
    throw error;
  }
}

async function startServiceOnce(dataDir: string): Promise<Service> {
  const port = await freePort();
  const enginePort = await freePort([port]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    EMBEDDED_DB_PORT: String(enginePort),
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    JWT_SECRET: 'durability-test-secret-0123456789abcdef',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'info',
  };
  delete env.MONGODB_URI;
  // Its own process group, so that a test can kill the service and its engine at once, as a container kill does.
  const child = spawn(process.execPath, builtScript('server'), {
    cwd: projectRoot,
    env,
    stdio: 'pipe',
    detached: true,
  });
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<Exit>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  const service: Service = { child, base: `http://127.0.0.1:${port}`, exited, output: () => output };
  started.push(service);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone: Exit | null = null;
  void exited.then((exit) => (gone = exit));
  for (;;) {
    if (gone) throw new Error(`the service exited before it was ready (${JSON.stringify(gone)}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the service was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
    try {
      // Our process says in its log that it holds the port; before that, whatever answers there is not ours.
      if (output.split('\n').some((line) => line.includes(`Mái ấm đang chạy tại http://127.0.0.1:${port}`))) {
        const res = await fetch(`${service.base}/readyz`);
        if (res.status === 200) return service;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
}

async function call(
  service: Service,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${service.base}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function loginAdmin(service: Service): Promise<{ token: string; orgId: string }> {
  const res = await call(service, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return { token: String(res.body.accessToken), orgId: String((res.body.user as { orgId: string }).orgId) };
}

async function createProvince(service: Service): Promise<{ id: string; code: string; name: string }> {
  const admin = await loginAdmin(service);
  const code = unique('DUR');
  const body = {
    code,
    name: `Liên đoàn Lao động tỉnh ${code}`,
    shortName: `LĐLĐ ${code}`,
    level: 'province',
    parentId: admin.orgId,
    place: 'Hà Tĩnh',
  };
  const res = await call(service, 'POST', '/api/v1/orgs', body, admin.token);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return { id: String(res.body.id), code, name: body.name };
}

async function expectProvinceStored(service: Service, org: { id: string; code: string; name: string }): Promise<void> {
  const admin = await loginAdmin(service);
  const res = await call(service, 'GET', `/api/v1/orgs/${org.id}`, undefined, admin.token);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  expect(res.body).to.include({ id: org.id, code: org.code, name: org.name, level: 'province' });
}

async function exitOf(service: Service, timeoutMs = 20_000): Promise<Exit> {
  const timer = setTimeout(() => service.child.kill('SIGKILL'), timeoutMs);
  try {
    return await service.exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One data directory through its life. Each test takes the service the previous one left running (or
 * starts one), so that the four need four starts instead of seven; each still stands alone.
 */
describe('durability of the real service (embedded H2 engine)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let current: Service | null = null;

  async function runningService(): Promise<Service> {
    if (current && current.child.exitCode === null && current.child.signalCode === null) return current;
    // An engine left over by a failed test is that test's failure, reported there; this test starts clean.
    await waitUntilEngineGone(dataDir).catch(() => killStrayEngines(dataDir));
    current = await startService(dataDir);
    return current;
  }

  before(() => {
    dataDir = freshDataDir();
  });

  after(async () => {
    for (const service of started.splice(0)) {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
      await service.exited;
    }
    for (const dir of dataDirs.splice(0)) {
      await waitUntilEngineGone(dir).catch(() => killStrayEngines(dir));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the service is killed with SIGKILL right after writes, then its engine exits and every acknowledged write survives a restart', async () => {
    const first = await runningService();
    expect(engineRunning(dataDir), 'the engine runs with the data dir on its command line').to.equal(true);
    // Several writes acknowledged at the same moment, and the kill follows the last answer at once.
    const orgs = await Promise.all(Array.from({ length: 5 }, () => createProvince(first)));

    first.child.kill('SIGKILL');
    expect(await exitOf(first)).to.deep.equal({ code: null, signal: 'SIGKILL' });
    await waitUntilEngineGone(dataDir);

    const second = await runningService();
    expect(second).to.not.equal(first);
    for (const org of orgs) await expectProvinceStored(second, org);
  });

  it('when the service and its engine are killed together with SIGKILL, then every acknowledged write survives a restart', async () => {
    const first = await runningService();
    const orgs = await Promise.all(Array.from({ length: 5 }, () => createProvince(first)));

    // The whole process group, engine included: nothing gets to close or commit anything (a container kill, the OOM killer).
    process.kill(-first.child.pid!, 'SIGKILL');
    expect(await exitOf(first)).to.deep.equal({ code: null, signal: 'SIGKILL' });
    await waitUntilEngineGone(dataDir);

    const second = await runningService();
    for (const org of orgs) await expectProvinceStored(second, org);
  });

  it('when the service gets SIGTERM, then it exits 0, its engine exits and the data survives a restart', async () => {
    const first = await runningService();
    const org = await createProvince(first);

    first.child.kill('SIGTERM');
    const exit = await exitOf(first);
    expect(exit, first.output()).to.deep.equal({ code: 0, signal: null });
    expect(first.output()).to.contain('"msg":"stopped"');
    // The service waits for its engine before exiting, so nothing may be left even for a moment.
    expect(engineRunning(dataDir), 'engine still running after exit 0').to.equal(false);

    const second = await runningService();
    expect(second).to.not.equal(first);
    await expectProvinceStored(second, org);
  });

  it('when SIGTERM arrives while a request body is still coming in, then the response arrives complete and the service exits 0', async () => {
    const service = await runningService();
    const body = JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD });
    const half = Math.floor(body.length / 2);

    const response = new Promise<{ status: number; type: string; text: string }>((done, fail) => {
      const req = httpRequest(`${service.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      req.once('error', fail);
      req.once('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.once('error', fail);
        res.once('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }));
      });
      req.write(body.slice(0, half));
      void (async () => {
        await sleep(500); // the server has the headers and half the body: the request is in flight
        service.child.kill('SIGTERM');
        await sleep(300);
        req.end(body.slice(half));
      })();
    });

    // The credentials are right, so the complete answer is a sign-in, not merely any answer.
    const res = await response;
    expect(res.status, res.text).to.equal(200);
    expect(res.type).to.match(/^application\/json/);
    const parsed = JSON.parse(res.text) as Record<string, unknown>;
    expect(parsed.accessToken).to.be.a('string').and.not.empty;
    expect(parsed.refreshToken).to.be.a('string').and.not.empty;

    const exit = await exitOf(service);
    expect(exit, service.output()).to.deep.equal({ code: 0, signal: null });
    expect(service.output()).to.contain('draining requests in flight');
    expect(engineRunning(dataDir), 'engine still running after exit 0').to.equal(false);
  });
});
