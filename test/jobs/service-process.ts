/**
 * The real service (src/server.ts) as a child process on the test database, with its own job runner: a test
 * can kill it outright (kill -9 of its process group) in the middle of a job and start the next one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { builtScript, projectRoot } from '../support/built-service.js';
import type { Session } from '../support/api.js';
import { testEnv } from '../support/global-setup.js';

const READY_TIMEOUT_MS = 90_000;

export interface ServiceProcess {
  child: ChildProcessWithoutNullStreams;
  /** Where it listens, on 127.0.0.1. */
  port: number;
  exited: Promise<void>;
  output(): string;
  kill9(): Promise<void>;
}

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

const started: ServiceProcess[] = [];

export async function startServiceProcess(extraEnv: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const env = {
    ...testEnv().env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    JOB_POLL_MS: '100',
    ...extraEnv,
  };
  // Its own process group, so that kill -9 takes the whole service at once, as a crash or a container kill does.
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
  let gone = false;
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      gone = true;
      done();
    }),
  );
  const service: ServiceProcess = {
    child,
    port,
    exited,
    output: () => output,
    kill9: async () => {
      if (!gone) process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
  started.push(service);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!output.includes('Mái ấm đang chạy tại')) {
    if (gone) throw new Error(`the service exited before it was ready:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the service was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
    await sleep(100);
  }
  return service;
}

/** After each test: no service outlives it. */
export async function killServiceProcesses(): Promise<void> {
  await Promise.all(started.splice(0).map((s) => s.kill9()));
}

/**
 * Sends `body` to `path` (`method`, POST unless said, as `session`, with `headers` besides) to a service that pauses
 * between the writes of a single step (`PAYMENT_STEP_DELAY_MS`), and kills it (kill -9) once `reached` holds: the
 * request gets no answer.
 */
export async function sendAndKill(
  session: Session,
  path: string,
  body: Record<string, unknown>,
  reached: () => Promise<boolean>,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<void> {
  const service = await startServiceProcess({ PAYMENT_STEP_DELAY_MS: '4000' });
  const answer = fetch(`http://127.0.0.1:${service.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).catch(() => null);
  const deadline = Date.now() + 30_000;
  while (!(await reached())) {
    expect(Date.now(), 'the moment came').to.be.below(deadline);
    await sleep(50);
  }
  await service.kill9();
  expect(await answer, 'the request got no answer').to.equal(null);
}

/**
 * Sends `body` to `path` (POST, as `session`, with `headers` besides) to a service that pauses 4 s between the writes of
 * a single step that moves money, and once `reached` holds, runs `meanwhile` while the request stalls there (the
 * service's own rounds do not run: `PAYMENT_FINISH_AFTER_MS` is ten minutes). Answers the request's answer once it came.
 */
export async function sendAndStall(
  session: Session,
  path: string,
  body: Record<string, unknown>,
  reached: () => Promise<boolean>,
  meanwhile: () => Promise<void>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const service = await startServiceProcess({ PAYMENT_STEP_DELAY_MS: '4000', PAYMENT_FINISH_AFTER_MS: '600000' });
  const answer = fetch(`http://127.0.0.1:${service.port}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const deadline = Date.now() + 30_000;
  while (!(await reached())) {
    expect(Date.now(), 'the moment came').to.be.below(deadline);
    await sleep(50);
  }
  await meanwhile();
  const response = await answer;
  return { status: response.status, body: await response.json() };
}
