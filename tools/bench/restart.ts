/**
 * A restart's time to ready with nothing changed (issue 18 item 5): `npm start` (its prestart checks the
 * compiled service and the pages, then `node dist/server.js`) beside `node dist/server.js` alone, its floor, both
 * on one H2 data file in a temporary DATA_DIR with the engine's heap bound as configured (EMBEDDED_MONGO_HEAP).
 * Time is from the launch to the ready line. Also the embedded engine's resident memory (VmRSS) at ready.
 *
 * Run alone: `npx tsx tools/bench/restart.ts` (BENCH_RESTARTS runs per side, default 3). The first `npm start`
 * is the untimed warm-up: it compiles and builds the pages if anything changed, and creates the data file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendantRunning, residentBytes } from './process-memory.js';
import { intEnv, median } from './runner.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = 'Mái ấm đang chạy tại';
const START_TIMEOUT_MS = 180_000;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface Start {
  readyMs: number;
  engineRss: number;
}

/** Resolves once no process of the group is left (signal 0 reaches none); gives up after 30 s. */
async function groupEnded(group: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`processes of group ${group} still running 30 s after the stop`);
}

/** Launches `command` in its own process group, times it to the ready line, reads the engine's memory, stops it all. */
function timedStart(command: string[], env: NodeJS.ProcessEnv): Promise<Start> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    let result: Start | null = null;
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(`${command.join(' ')} was not ready within ${START_TIMEOUT_MS / 1000} s: ${output.slice(-2000)}`),
      );
    }, START_TIMEOUT_MS);
    const watch = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (result || !output.includes(READY)) return;
      const readyMs = performance.now() - started;
      const engine = descendantRunning(child.pid!, 'EmbeddedMongo');
      result = { readyMs, engineRss: engine ? residentBytes(engine, 'VmRSS') : NaN };
      stop();
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', () => {
      clearTimeout(timer);
      // The next start must find the data file closed: wait for the whole group (npm may exit before the service
      // and its engine have committed and stopped).
      groupEnded(child.pid!).then(() => {
        if (result) resolve(result);
        else reject(new Error(`${command.join(' ')} exited before it was ready: ${output.slice(-2000)}`));
      }, reject);
    });
  });
}

export async function runRestartBenchmark(): Promise<void> {
  const runs = intEnv('BENCH_RESTARTS', 3, 1, 11);
  const dataDir = mkdtempSync(join(tmpdir(), 'mai-am-bench-restart-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
  };
  delete env.MONGODB_URI;
  console.log(
    `\nRestart to ready with nothing changed (H2 file in a temporary DATA_DIR, EMBEDDED_MONGO_HEAP=${env.EMBEDDED_MONGO_HEAP ?? '2g (default)'})`,
  );
  try {
    await timedStart(['npm', 'start', '--silent'], env);
    const subject: Start[] = [];
    const floor: Start[] = [];
    for (let i = 0; i < runs; i += 1) {
      subject.push(await timedStart(['npm', 'start', '--silent'], env));
      floor.push(await timedStart([process.execPath, 'dist/server.js'], env));
    }
    const npmStart = median(subject.map((s) => s.readyMs));
    const bare = median(floor.map((s) => s.readyMs));
    console.log(`  npm start: ${(npmStart / 1000).toFixed(2)} s (median of ${runs})`);
    console.log(`  node dist/server.js: ${(bare / 1000).toFixed(2)} s (median of ${runs})`);
    console.log(`  time ratio (npm start / node dist/server.js): ${(npmStart / bare).toFixed(2)}`);
    console.log(
      `  embedded engine resident memory (VmRSS) at ready: ${mb(median([...subject, ...floor].map((s) => s.engineRss)))} (median of ${runs * 2})`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runRestartBenchmark();
