/**
 * The database part of `npm run bench` (issue 6 item 5): a generated database (generate.ts, BENCH_CASES cases,
 * default 200,000), the real service and a minimal Express + mongoose app on it, each in its own process on a
 * loopback port (serve.ts), then:
 *
 * - the yearly summary of a province by program and by org (GET /api/v1/reports/summary on the running
 *   service) beside a bare `$match` + `$group` over the same collection, `report_totals`;
 * - GET /api/v1/cases/:id and POST /api/v1/cases throughput at 10 connections (autocannon) beside the minimal
 *   app doing the same read / insert;
 * - the peak resident memory of the service process beside the minimal app's;
 * - a list import and a list approval (batches-database.ts), beside the minimal app's floor for each;
 * - a move of a large grassroots union and the dissolution of an upper union of 100 grassroots unions
 *   (reorganisation.ts), each beside a bare `updateMany` of the chain of ancestors (they add and move unions);
 * - the report rebuild as a job beside reading its cases and entries once (report-rebuild.ts), last.
 *
 * With `BENCH_ONLY=summary` (main.ts) it stops after the summary.
 * Every figure is a median of BENCH_RUNS runs (default 5); autocannon runs last BENCH_SECONDS each (default 1).
 * `BENCH_ONLY=rebuild` runs only the report rebuild job beside its floor.
 * `BENCH_ONLY=requests` runs only the case read/create throughput (and the memory figures), for quick comparisons.
 * Everything is bounded: fixed run counts, autocannon durations, start time-outs and an overall deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import mongoose, { Types } from 'mongoose';
import { listDatabaseBenchmarks, printListPeaks } from './batches-database.js';
import { reorganisationBenchmarks } from './reorganisation.js';
import { reportRebuildBenchmarks } from './report-rebuild.js';
import { BENCH_ADMIN_PASSWORD, benchCases, generateDatabase, YEARS, type GeneratedDatabase } from './generate.js';
import { h2Database } from './h2-database.js';
import { call, expectStatus } from './http.js';
import { cpuMillis, descendantRunning, residentBytes } from './process-memory.js';
import { intEnv, median, runBenchmarks, type Benchmark } from './runner.js';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const CONNECTIONS = 10;
/** An overall deadline; generating a large H2 file (BENCH_BACKEND=h2) takes longer than the memory backend. */
const deadlineMs = () => (process.env.BENCH_BACKEND === 'h2' ? 120 : 60) * 60_000;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface Server {
  child: ChildProcess;
  port: number;
  base: string;
}

const started: ChildProcess[] = [];

function startServer(mode: 'service' | 'minimal', env: NodeJS.ProcessEnv): Promise<Server> {
  // BENCH_PROFILE_DIR: the service writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile =
    mode === 'service' && env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', SERVE, mode], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with code ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^READY (\d+)$/.exec(line.trim());
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const port = Number(match[1]);
      resolve({ child, port, base: `http://127.0.0.1:${port}` });
    });
  });
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
    server.child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    server.child.stdin!.end();
  });
}

/** Peak resident size (VmHWM) of a process, from Linux /proc. */
const peakRss = (pid: number) => residentBytes(pid, 'VmHWM');

/** The embedded engine's JVM, started by this process (informational). */
const enginePid = () => descendantRunning(process.pid, 'EmbeddedMongo');

interface Load {
  name: string;
  base: string;
  /** The server process, whose CPU time is read around each run. */
  pid: number;
  method: 'GET' | 'POST';
  path: () => string;
  body?: () => string;
  token?: string;
  /** More request headers (a browser's `Accept-Encoding`). */
  headers?: Record<string, string>;
}

interface LoadResult {
  rps: number;
  p50: number;
  non2xx: number;
  errors: number;
  /** CPU milliseconds per request of the server process and of the engine's JVM (NaN when unknown). */
  serverCpu: number;
  engineCpu: number;
}

async function load(target: Load, seconds: number, engine: number | null): Promise<LoadResult> {
  const cpu = () => [cpuMillis(target.pid), engine ? cpuMillis(engine) : NaN] as const;
  const before = cpu();
  const result = await autocannon({
    url: target.base,
    connections: CONNECTIONS,
    duration: seconds,
    headers: {
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      ...(target.body ? { 'content-type': 'application/json' } : {}),
      ...target.headers,
    },
    requests: [
      {
        method: target.method,
        setupRequest: (request) => ({
          ...request,
          path: target.path(),
          ...(target.body ? { body: target.body() } : {}),
        }),
      },
    ],
  });
  const after = cpu();
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    serverCpu: (after[0] - before[0]) / result.requests.total,
    engineCpu: (after[1] - before[1]) / result.requests.total,
  };
}

/** The yearly summary of a province by program and by org, each beside a bare `$group` on report_totals. */
async function summaryBenchmarks(db: GeneratedDatabase, base: string, admin: string, runs: number): Promise<void> {
  // One province (half the data), on the maintained totals.
  const province = db.provinces[0]!;
  const year = YEARS.at(-1)!;
  const totals = mongoose.connection.collection('report_totals');
  const bare = (key: string) => () =>
    totals
      .aggregate([
        { $match: { orgPath: new Types.ObjectId(province.id), month: { $gte: `${year}-01`, $lte: `${year}-12` } } },
        {
          $group: {
            _id: key,
            received: { $sum: '$received' },
            approvedCount: { $sum: '$approvedCount' },
            approvedAmount: { $sum: '$approvedAmount' },
            disbursedCount: { $sum: '$disbursedCount' },
            disbursedAmount: { $sum: '$disbursedAmount' },
          },
        },
      ])
      .toArray();
  const summary = (groupBy: string) => async () => {
    const body = await expectStatus(
      `summary by ${groupBy}`,
      200,
      call('GET', `${base}/api/v1/reports/summary?period=${year}&orgId=${province.id}&groupBy=${groupBy}`, admin),
    );
    if (body.source !== 'totals')
      throw new Error(`the summary was computed from ${String(body.source)}, not from the maintained totals`);
    return body;
  };
  // The two must agree on what they both count (received and disbursed in the year).
  const check = (await summary('program')()) as {
    total: { received: { count: number }; disbursed: { amount: number } };
    rows: unknown[];
  };
  const rows = (await bare('$programCode')()) as unknown as { received: number; disbursedAmount: number }[];
  const sum = (f: 'received' | 'disbursedAmount') => rows.reduce((s, r) => s + r[f], 0);
  const agree =
    check.total.received.count === sum('received') && check.total.disbursed.amount === sum('disbursedAmount');
  console.log(
    `  summary ${year} of ${province.code}: ${check.total.received.count} cases received, ${check.total.disbursed.amount.toLocaleString('en')} VND disbursed; ` +
      `bare aggregation ${agree ? 'agrees' : `DISAGREES (${sum('received')} received, ${sum('disbursedAmount')} VND)`}`,
  );
  const summaries: Benchmark[] = [
    {
      name: `Yearly summary ${year} of a province by program (GET /api/v1/reports/summary on the service, report_totals)`,
      runs,
      baseline: { name: 'bare $match+$group by programCode over report_totals', run: bare('$programCode') },
      subject: { name: 'summary by program', run: summary('program') },
    },
    {
      name: `Yearly summary ${year} of a province by org (children rolled up over their subtrees)`,
      runs,
      baseline: { name: 'bare $match+$group by orgId over report_totals', run: bare('$orgId') },
      subject: { name: 'summary by org', run: summary('org') },
    },
  ];
  await runBenchmarks(summaries);
  if (process.env.BENCH_BACKEND === 'h2') {
    // On the H2 file at 200,000 cases this scan outlasted the driver's 30 s server monitor, the engine answering
    // nothing else meanwhile, and the driver gave up on the engine, ending the run.
    console.log('  for scale: the same $match+$group over the raw cases collection is left out on the H2 backend');
    return;
  }
  const casesScan: number[] = [];
  for (let i = 0; i < Math.min(runs, 3); i += 1) {
    const t = performance.now();
    await mongoose.connection
      .collection('cases')
      .aggregate([
        {
          $match: {
            orgPath: new Types.ObjectId(province.id),
            submittedDay: { $gte: `${year}-01-01`, $lte: `${year}-12-31` },
          },
        },
        { $group: { _id: '$programCode', received: { $sum: 1 }, approvedAmount: { $sum: '$approvedAmount' } } },
      ])
      .toArray();
    casesScan.push(performance.now() - t);
  }
  console.log(
    `  for scale, not a floor: the same $match+$group over the raw cases collection: ${median(casesScan).toFixed(1)} ms (median of ${casesScan.length})`,
  );
}

export async function runDatabaseBenchmarks(options: { summaryOnly?: boolean } = {}): Promise<void> {
  const cases = benchCases();
  const runs = intEnv('BENCH_RUNS', 5, 1, 21);
  const seconds = intEnv('BENCH_SECONDS', 1, 1, 30);
  // Untimed load of each side before its runs. One second is enough on the memory backend; an H2 file just opened
  // (and compacted at the open) starts with a cold page cache, which the first runs would measure instead.
  const warmup = intEnv('BENCH_WARMUP_SECONDS', 1, 1, 120);
  const onlyRequests = process.env.BENCH_ONLY === 'requests';
  // BENCH_ONLY=lists: only the list steps (import, approval, payment) and their memory, on the generated database.
  const onlyLists = process.env.BENCH_ONLY === 'lists';
  // BENCH_ONLY=rebuild: only the report rebuild job beside its floor.
  const onlyRebuild = process.env.BENCH_ONLY === 'rebuild';
  const deadline = setTimeout(() => {
    console.error(`database benchmarks: still running after ${deadlineMs() / 60_000} min, giving up`);
    for (const child of started) child.kill('SIGKILL');
    process.exit(2);
  }, deadlineMs());
  deadline.unref();

  // BENCH_BACKEND=h2: the H2 file `npm start` uses (h2-database.ts), for the large sizes; lists and reorganisations
  // (which change the data) then stay out, so the kept file can be reused by the next run.
  const h2 = process.env.BENCH_BACKEND === 'h2';
  console.log(
    `\nDatabase benchmarks — ${cases.toLocaleString('en')} generated cases (BENCH_CASES), embedded engine, ${h2 ? 'H2' : 'memory'} backend`,
  );
  const begun = performance.now();
  let db: GeneratedDatabase | null = null;
  let reusedFile = false;
  let service: Server | null = null;
  let minimal: Server | null = null;
  try {
    if (h2) {
      const opened = await h2Database(cases, console.log);
      db = opened;
      reusedFile = opened.opened.reused;
      const { ready, firstRead, engineRss, heap } = opened.opened;
      console.log(
        `  opening the H2 file (engine heap ${heap}): engine ready in ${ready.toFixed(1)} s, first case read at ` +
          `${firstRead.toFixed(1)} s; engine resident memory then ${mb(engineRss)}`,
      );
    } else db = await generateDatabase({ cases, log: console.log });
    const env = {
      ...process.env,
      MONGODB_URI: db.uri,
      HOST: '127.0.0.1',
      PORT: '0',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      // The list steps at a province's scale outlast the default 15 minutes of an access token; the bench signs in once.
      ACCESS_TOKEN_TTL_SECONDS: '86400',
      JWT_SECRET: randomBytes(32).toString('hex'),
      BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      PUBLIC_BASE_URL: 'http://127.0.0.1',
    };
    [service, minimal] = await Promise.all([startServer('service', env), startServer('minimal', env)]);
    const svc = service;

    const admin = String(
      (
        await expectStatus(
          'admin login',
          200,
          call('POST', `${svc.base}/api/v1/auth/login`, null, { username: 'admin', password: BENCH_ADMIN_PASSWORD }),
        )
      ).accessToken,
    );
    const province = db.provinces[0]!;
    const union = province.grassroots[0]!;
    const createdOfficer = await call('POST', `${svc.base}/api/v1/users`, admin, {
      username: 'bench.officer',
      password: BENCH_ADMIN_PASSWORD,
      fullName: 'Cán bộ công đoàn cơ sở',
      orgId: union.id,
      roles: ['grassroots_officer'],
    });
    // A kept H2 file (BENCH_H2_DIR) may already have the officer of an earlier run on it.
    if (createdOfficer.status !== 201 && !(reusedFile && createdOfficer.status === 409))
      throw new Error(
        `create officer: got ${createdOfficer.status} ${JSON.stringify(createdOfficer.json).slice(0, 500)}`,
      );
    const officer = String(
      (
        await expectStatus(
          'officer login',
          200,
          call('POST', `${svc.base}/api/v1/auth/login`, null, {
            username: 'bench.officer',
            password: BENCH_ADMIN_PASSWORD,
          }),
        )
      ).accessToken,
    );

    // 1. The yearly summary (skipped with BENCH_ONLY=requests, up to the throughput pairs).
    if (!onlyRequests && !onlyLists && !onlyRebuild) await summaryBenchmarks(db, svc.base, admin, runs);
    if (options.summaryOnly) return;

    // 2. Throughput at fixed concurrency, service and minimal app interleaved run by run.
    let next = 0;
    const caseId = () => db!.sampleCaseIds[(next += 1) % db!.sampleCaseIds.length]!;
    let nextMember = 0;
    const createBody = () =>
      JSON.stringify({
        programCode: 'union_house',
        subtype: 'repair',
        memberId: union.memberIds[(nextMember += 1) % union.memberIds.length],
        requestedAmount: 10_000_000,
        situation: 'Nhà xuống cấp sau bão',
      });
    const probe = await call('POST', `${svc.base}/api/v1/cases`, officer, JSON.parse(createBody()) as object);
    if (probe.status !== 201)
      throw new Error(`POST /api/v1/cases probe: ${probe.status} ${JSON.stringify(probe.json).slice(0, 500)}`);
    await expectStatus('GET /api/v1/cases/:id probe', 200, call('GET', `${svc.base}/api/v1/cases/${caseId()}`, admin));
    const min = minimal;
    const read = (headers?: Record<string, string>): [Load, Load] => [
      {
        name: 'service',
        base: svc.base,
        pid: svc.child.pid!,
        method: 'GET',
        path: () => `/api/v1/cases/${caseId()}`,
        token: admin,
        headers,
      },
      {
        name: 'minimal',
        base: min.base,
        pid: min.child.pid!,
        method: 'GET',
        path: () => `/cases/${caseId()}`,
        headers,
      },
    ];
    const pairs: [string, Load, Load][] = [
      ['GET /api/v1/cases/:id', ...read()],
      // What a browser sends: the service compresses its answer, the minimal app does not compress (informational).
      [
        'GET /api/v1/cases/:id asking for gzip as a browser does (informational: the minimal app does not compress)',
        ...read({ 'accept-encoding': 'gzip, deflate, br' }),
      ],
      [
        'POST /api/v1/cases (a draft union-house case)',
        {
          name: 'service',
          base: svc.base,
          pid: svc.child.pid!,
          method: 'POST',
          path: () => '/api/v1/cases',
          body: createBody,
          token: officer,
        },
        {
          name: 'minimal',
          base: min.base,
          pid: min.child.pid!,
          method: 'POST',
          path: () => '/cases',
          body: createBody,
        },
      ],
    ];
    for (const [name, subject, floor] of onlyLists || onlyRebuild ? [] : pairs) {
      console.log(
        `\n${name}, ${CONNECTIONS} connections, ${seconds} s per run after ${warmup} s of warm-up each (autocannon)`,
      );
      const engine = enginePid();
      await load(subject, warmup, engine);
      await load(floor, warmup, engine);
      const results: { subject: LoadResult[]; floor: LoadResult[] } = { subject: [], floor: [] };
      for (let i = 0; i < runs; i += 1) {
        results.subject.push(await load(subject, seconds, engine));
        results.floor.push(await load(floor, seconds, engine));
      }
      const show = (label: string, list: LoadResult[]) => {
        const bad = list.reduce((s, r) => s + r.non2xx + r.errors, 0);
        console.log(
          `  ${label}: ${median(list.map((r) => r.rps)).toFixed(0)} req/s, p50 latency ${median(list.map((r) => r.p50)).toFixed(0)} ms ` +
            `(median of ${runs})${bad ? `, ${bad} non-2xx answers or errors` : ''}; CPU per request: ` +
            `${median(list.map((r) => r.serverCpu)).toFixed(2)} ms in its process, ${median(list.map((r) => r.engineCpu)).toFixed(2)} ms in the engine`,
        );
      };
      show('service', results.subject);
      show('minimal Express + mongoose', results.floor);
      const ratio = median(results.subject.map((r) => r.rps)) / median(results.floor.map((r) => r.rps));
      console.log(`  throughput ratio (service / minimal Express + mongoose): ${ratio.toFixed(2)}`);
    }

    // 3. Peak memory of the service process over the whole run (VmHWM), beside the minimal app's.
    const [servicePeak, minimalPeak] = [peakRss(svc.child.pid!), peakRss(min.child.pid!)];
    const engine = enginePid();
    console.log('\nPeak memory (resident, VmHWM) over the run');
    console.log(`  service process: ${mb(servicePeak)}`);
    console.log(`  minimal Express + mongoose process: ${mb(minimalPeak)}`);
    if (engine) console.log(`  embedded engine (JVM, informational): ${mb(peakRss(engine))}`);
    console.log(
      `  peak memory ratio (service / minimal Express + mongoose): ${(servicePeak / minimalPeak).toFixed(2)}`,
    );

    if (!h2 && !onlyRequests && !onlyRebuild) {
      // 4. Lists: an import and the approval of a list, after the memory figures so that those stay comparable.
      await runBenchmarks(
        await listDatabaseBenchmarks({
          service: svc.base,
          minimal: min.base,
          admin,
          officer,
          password: BENCH_ADMIN_PASSWORD,
          provinceId: province.id,
          union,
          pids: { service: svc.child.pid!, minimal: min.child.pid!, engine: enginePid() },
        }),
      );
      printListPeaks();

      // 5. Reorganisations, in this process on the same database: they add unions and move them.
      if (!onlyLists) await runBenchmarks(await reorganisationBenchmarks(db, Math.min(runs, 3)));
    }
    // 6. The report rebuild, last: it moves the totals to a new generation, which the bare floors do not read.
    if (!h2 && (onlyRebuild || (!onlyRequests && !onlyLists)))
      await runBenchmarks(await reportRebuildBenchmarks(svc.base, admin));
  } finally {
    await Promise.all([service && stopServer(service), minimal && stopServer(minimal)]);
    await db?.close();
    clearTimeout(deadline);
  }
  console.log(`\nDatabase benchmarks done in ${((performance.now() - begun) / 1000).toFixed(0)} s`);
}
