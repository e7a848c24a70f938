import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureEmbeddedEngine } from './engine-files.js';

export interface EmbeddedEngine {
  uri: string;
  port: number;
  /** Process id of the JVM, to read its memory (/proc/PID/status). */
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** `memory` for tests, `h2` for `npm start` (a durable file under dataDir). */
  backend: 'memory' | 'h2';
  dataDir?: string;
  port?: number;
  database?: string;
  /**
   * Largest Java heap (`-Xmx`), e.g. `2g`. Without it the JVM takes a quarter of the machine's RAM, which the
   * engine fills: 6.6 GB at 200,000 cases on a 23 GB machine. The service passes EMBEDDED_MONGO_HEAP.
   */
  heap?: string;
  /**
   * Starts the JVM with the whole of `heap` (`-Xms` as well). The bench's memory backend, whose data only grows: a
   * heap grown step by step is grown by full collections, pauses of up to 5 s that fell inside measured steps.
   */
  heapFixed?: boolean;
  /**
   * How long the engine may take to open its file and answer (EMBEDDED_START_TIMEOUT_SECONDS for the service). An open
   * takes seconds even at 1,000,000 cases, but one that compacts the file rewrites it: about 1.5 min at 1,000,000 cases
   * here (docs/benchmarks.md).
   */
  startTimeoutSeconds?: number;
  log?: (line: string) => void;
  /** Each line the engine writes to its error output once it is ready (a failed flush of the H2 file). */
  problem?: (line: string) => void;
  /** The engine ended by itself after it was ready (out of memory, killed), not through `stop`. */
  ended?: (how: string) => void;
}

const DEFAULT_START_TIMEOUT_SECONDS = 600;
/** While the engine opens a large file, a line says so this often (when a log is given). */
const STILL_OPENING_EVERY_MS = 30_000;

/**
 * Starts mongo-java-server through our launcher (tools/embedded-mongo). The engine reads its stdin and
 * exits when it closes, so it cannot outlive this process even after a kill -9 of the service.
 */
export async function startEmbeddedEngine(options: EmbeddedOptions): Promise<EmbeddedEngine> {
  const files = ensureEmbeddedEngine({ log: options.log });
  const args = [
    '-Xss4m',
    '-XX:+UseSerialGC',
    // A JVM out of memory may have failed halfway through any thread's work, the store's own among them; it ends
    // instead, and its file opens again from the last commit. The service stops with it (server.ts).
    '-XX:+ExitOnOutOfMemoryError',
    ...(options.heap ? [`-Xmx${options.heap}`, ...(options.heapFixed ? [`-Xms${options.heap}`] : [])] : []),
    '-cp',
    files.classPath,
    'EmbeddedMongo',
    options.backend,
    String(options.port ?? 0),
  ];
  if (options.backend === 'h2') {
    const dir = resolve(options.dataDir ?? './data');
    mkdirSync(dir, { recursive: true });
    args.push(resolve(dir, 'mai-am.mv.db'));
  }
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const port = await waitForReady(child, options.startTimeoutSeconds ?? DEFAULT_START_TIMEOUT_SECONDS, options.log);
  if (options.problem) {
    const report = options.problem;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (line.trim()) report(line.trim());
    });
  }
  let stopped = false;
  child.once('exit', (code, signal) => {
    if (!stopped) options.ended?.(signal ? `signal ${signal}` : `exit code ${code}`);
  });
  const database = options.database ?? 'mai-am';
  return {
    uri: `mongodb://127.0.0.1:${port}/${database}`,
    port,
    pid: child.pid!,
    stop: () => {
      stopped = true;
      return stopChild(child);
    },
  };
}

function waitForReady(child: ChildProcess, timeoutSeconds: number, log?: (line: string) => void): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let stderr = '';
    const begun = Date.now();
    const progress = setInterval(() => {
      log?.(`The embedded database is still opening its file (${Math.round((Date.now() - begun) / 1000)} s)…`);
    }, STILL_OPENING_EVERY_MS);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `The embedded database did not start within ${timeoutSeconds} s (EMBEDDED_START_TIMEOUT_SECONDS). ${stderr}`,
        ),
      );
    }, timeoutSeconds * 1000);
    const clearTimers = () => {
      clearTimeout(timer);
      clearInterval(progress);
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', (error) => {
      clearTimers();
      reject(
        new Error(
          `Could not run java for the embedded database: ${error.message}. Install Java 17, or set MONGODB_URI.`,
        ),
      );
    });
    child.once('exit', (code) => {
      clearTimers();
      reject(new Error(`The embedded database exited with code ${code} before it was ready. ${stderr.trim()}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const said = line.trim();
      // The launcher sizes the cache (EmbeddedMongo.java `pageCacheMb`); the start only says what it chose.
      const cache = /^PAGE_CACHE (\d+)$/.exec(said);
      if (cache) log?.(`The embedded database's page cache: ${cache[1]} MB`);
      const match = /^READY (\d+)$/.exec(said);
      if (match) {
        clearTimers();
        child.removeAllListeners('exit');
        resolvePort(Number(match[1]));
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    // Closing stdin is the engine's signal to shut down cleanly (committing the H2 store).
    child.stdin?.end();
  });
}
