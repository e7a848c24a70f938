/**
 * The test environment: one embedded engine (memory backend) on a free port, the real app on it, per process (the
 * whole run, or each worker of mocha's parallel mode).
 * Tests never wipe the database; factories make unique values instead.
 */
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import { connectDatabase, disconnectDatabase } from '../../src/core/db/connection.js';
import { startEmbeddedEngine, type EmbeddedEngine } from '../../src/core/db/embedded.js';
import { createLogger } from '../../src/core/logger.js';
import { bootstrap } from '../../src/system/bootstrap.js';

export const ADMIN_PASSWORD = 'admin-test-password-1';

export interface TestEnvironment {
  app: Express;
  config: Config;
  engine: EmbeddedEngine;
  /** Environment for child processes that should share the test database. */
  env: NodeJS.ProcessEnv;
}

let current: TestEnvironment | undefined;

export function testEnv(): TestEnvironment {
  if (!current) throw new Error('the test environment is not started');
  return current;
}

/** Inside a worker of mocha's parallel mode (its root hooks then run once per file, not once per run). */
const inWorker = process.env.MOCHA_WORKER_ID !== undefined;

let starting: Promise<TestEnvironment> | undefined;
const fileEnds: (() => Promise<void>)[] = [];

/**
 * What a helper started for tests and must stop after them (the browser suite's browser, server and job runner): run
 * after the current file when the suite runs in parallel, after the whole run when it runs serially.
 */
export function whenFileEnds(stop: () => Promise<void>): void {
  fileEnds.push(stop);
}

async function start(): Promise<TestEnvironment> {
  const engine = await startEmbeddedEngine({ backend: 'memory', database: 'mai-am-test' });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    MONGODB_URI: engine.uri,
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOGIN_FAILURE_DELAY_MS: '0',
    LOGIN_MAX_FAILURES_PER_IP: '1000',
    // Every test calls from one address; the limits themselves are tested on apps of their own (test/public).
    RATE_LIMIT_PUBLIC_POINTS: '1000000',
    RATE_LIMIT_AUTH_POINTS: '1000000',
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    UPLOAD_DIR: mkdtempSync(join(tmpdir(), 'mai-am-uploads-')),
    // A report rebuild's waits for live updates in flight (src/reports/rebuild-job.ts), kept short in tests.
    REPORT_REBUILD_DRAIN_MS: '100',
    // A service started by a test queues no report rebuild for chunks other tests left partly counted on purpose;
    // test/reports/repair.test.ts sets its own.
    REPORT_REPAIR_EVERY_MS: '3600000',
    PAYMENT_FINISH_EVERY_MS: '3600000',
  };
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  // The driver reports each command, so a test can count what one request reads (test/support/db-reads.ts).
  await connectDatabase(engine.uri, { monitorCommands: true });
  await bootstrap(config, logger);
  return { app: createApp({ config, logger }), config, engine, env };
}

let fileStarted: { at: number; cpu: NodeJS.CpuUsage } | undefined;

/**
 * With `TEST_FILE_TIMES=<path>`, each file's wall time and its worker's CPU (this process only: not the engine, a
 * browser or a service it started) are appended to that file as a tab-separated line when the file ends (in parallel
 * mode, where the root hooks run once per file): which files make the suite long (docs/development.md).
 */
function recordFileTime(path: string, context: Mocha.Context, started: { at: number; cpu: NodeJS.CpuUsage }): void {
  const root = context.test?.parent;
  const file = root?.suites[0]?.file ?? root?.file ?? '?';
  const cpu = process.cpuUsage(started.cpu);
  const seconds = (n: number) => (n / 1000).toFixed(1);
  const line = [
    file.replace(`${process.cwd()}/`, ''),
    seconds(performance.now() - started.at),
    seconds((cpu.user + cpu.system) / 1000),
  ];
  appendFileSync(path, `${line.join('\t')}\n`);
}

/**
 * Root hooks (a root hook plugin, loaded with `--require`): the engine and the app are started before the first test
 * of the process. Run in parallel (package.json), each worker has its engine and database of its own, started for its
 * first file and kept for the next (the hooks run once per file there); the engine goes with the worker (it exits when
 * its stdin closes).
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    fileStarted = { at: performance.now(), cpu: process.cpuUsage() };
    this.timeout(120_000);
    current = await (starting ??= start());
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    for (const stop of fileEnds.splice(0)) await stop();
    if (process.env.TEST_FILE_TIMES && fileStarted) recordFileTime(process.env.TEST_FILE_TIMES, this, fileStarted);
    if (inWorker) return;
    await disconnectDatabase();
    await current?.engine.stop();
  },
};
