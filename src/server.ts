import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { purgeExpiredTokens, purgeOldThrottles } from './auth/index.js';
import { createApp } from './app.js';
import { finishInterruptedSteps } from './cases/index.js';
import { finishInterruptedPayments, purgeExpiredIdempotencyKeys } from './disbursements/index.js';
import { ConfigError, loadConfig, type Config } from './core/config.js';
import { connectDatabase, disconnectDatabase, EMBEDDED_HEARTBEAT_TIMEOUT_MS } from './core/db/connection.js';
import { startEmbeddedEngine, type EmbeddedEngine } from './core/db/embedded.js';
import { everyWithoutOverlap } from './core/every.js';
import { createLogger, type Logger } from './core/logger.js';
import { JobRunner, purgeEndedJobWork, purgeLeftJobResults, runnerSettings } from './jobs/index.js';
import { purgeSpentReportRuns, repairPartlyCountedRuns } from './reports/index.js';
import { singleWorkKeptMs } from './core/shared/single-work.js';
import { bootstrap } from './system/bootstrap.js';
import { resumeReorganisations } from './reorganisation/index.js';

export interface RunningService {
  server: Server;
  port: number;
  stop(reason?: string): Promise<void>;
  /** Settles once the service has stopped by itself because its embedded database ended; `main` then exits with 1. */
  stoppedByItself: Promise<void>;
}

const PURGE_EVERY_MS = 10 * 60_000;

export interface OpenDatabase {
  close(): Promise<void>;
}

/**
 * Connects to MONGODB_URI, or starts the embedded engine on DATA_DIR when it is empty; then the first-start data.
 * `engineEnded` is told when the embedded engine ends by itself afterwards.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  engineEnded?: (how: string) => void,
): Promise<OpenDatabase> {
  let engine: EmbeddedEngine | null = null;
  let uri = config.mongodbUri;
  if (!uri) {
    engine = await startEmbeddedEngine({
      backend: 'h2',
      dataDir: config.dataDir,
      port: config.embeddedDbPort,
      heap: config.embeddedMongoHeap,
      startTimeoutSeconds: config.embeddedStartTimeoutSeconds,
      log: (line) => logger.info(line),
      problem: (line) => logger.error({ engine: line }, 'the embedded database reported a problem'),
      ended: (how) => engineEnded?.(how),
    });
    uri = engine.uri;
    logger.info(
      { dataDir: config.dataDir, port: engine.port },
      'embedded database started (mongo-java-server, H2 file)',
    );
  }
  try {
    // On the embedded engine the heartbeat may wait behind a long command (EMBEDDED_HEARTBEAT_TIMEOUT_MS). An engine
    // that dies closes its sockets, which the driver notices at once; only one that hangs is noticed later. Real
    // MongoDB keeps the driver's default.
    await connectDatabase(uri, engine ? { connectTimeoutMS: EMBEDDED_HEARTBEAT_TIMEOUT_MS } : {});
    await bootstrap(config, logger);
  } catch (error) {
    await disconnectDatabase();
    await engine?.stop();
    throw error;
  }
  return {
    close: async () => {
      await disconnectDatabase();
      await engine?.stop();
    },
  };
}

/** Starts the database and the HTTP server; `stop` drains requests in flight, then closes the database. */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  // An engine that ended (out of memory, killed) leaves a service that answers nothing: the service stops too, so that
  // whatever supervises it (systemd, a container's restart policy) starts both again, and the file opens from its last
  // commit. Restarting the engine alone would leave the connection pool, the job runner and the rounds to recover.
  let stopByItself: (how: string) => void = () => undefined;
  let stoppedByItself: () => void = () => undefined;
  const database = await openDatabase(config, logger, (how) => stopByItself(how));
  let shuttingDown = false;
  const app = createApp({ config, logger, isShuttingDown: () => shuttingDown });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (config.generatedPublicBaseUrl) {
    // Decisions read the address when they are issued, so the port actually taken (PORT=0) is the one printed.
    config.publicBaseUrl = `http://localhost:${port}`;
    logger.warn(
      { publicBaseUrl: config.publicBaseUrl },
      'PUBLIC_BASE_URL chưa đặt: quyết định in đường dẫn và mã QR xác minh theo địa chỉ này; hãy đặt PUBLIC_BASE_URL là địa chỉ công chúng truy cập được',
    );
  }
  // The one line a newcomer waits for: everything (database, first-start data, port) is up when it shows.
  const url = `http://${readyHost(config.host)}:${port}`;
  logger.info({ port, url }, `Mái ấm đang chạy tại ${url}`);

  // Jobs left by an instance that died are taken up here too, once their lease has run out (SPEC §14).
  const jobs = new JobRunner(runnerSettings({ config, logger }));
  jobs.start();
  // Reorganisations an earlier instance left unfinished (kill -9) go on from their first unfinished step.
  resumeReorganisations({ stepDelayMs: config.reorgStepDelayMs, logger }).catch((error: unknown) =>
    logger.error({ err: error }, 'resuming reorganisations failed'),
  );

  const purge = everyWithoutOverlap(PURGE_EVERY_MS, () =>
    Promise.all([
      purgeExpiredTokens(),
      purgeOldThrottles(config),
      purgeExpiredIdempotencyKeys(),
      purgeLeftJobResults(),
      purgeEndedJobWork(),
      purgeSpentReportRuns(singleWorkKeptMs(config.payments.finishAfterMs)),
    ]).catch((error) => logger.error({ err: error }, 'purge failed')),
  );
  // List chunks, single steps and payments whose report totals a crash left partly counted get a report rebuild once
  // they have ended.
  const repair = everyWithoutOverlap(config.jobs.reportRepairEveryMs, () =>
    repairPartlyCountedRuns(logger, config.payments.finishAfterMs).catch((error) =>
      logger.error({ err: error }, 'report totals repair failed'),
    ),
  );
  // Single payments and workflow steps a crash or an error cut off between their writes are finished
  // (disbursements/interrupted-payments.ts, cases/interrupted-steps.ts).
  const finishPayments = everyWithoutOverlap(config.payments.finishEveryMs, () =>
    Promise.all([
      finishInterruptedPayments(config.payments.finishAfterMs, logger).catch((error) =>
        logger.error({ err: error }, 'finishing interrupted payments failed'),
      ),
      finishInterruptedSteps(config.payments.finishAfterMs, logger).catch((error) =>
        logger.error({ err: error }, 'finishing interrupted workflow steps failed'),
      ),
    ]),
  );

  let stopping: Promise<void> | null = null;
  const stop = (reason = 'stop') => {
    stopping ??= (async () => {
      shuttingDown = true;
      clearInterval(purge);
      clearInterval(repair);
      clearInterval(finishPayments);
      logger.info({ reason }, 'stopping: no new connections, draining requests in flight');
      await drain(server, config.shutdownTimeoutMs, logger);
      await jobs.stop();
      await database.close();
      logger.info('stopped');
    })();
    return stopping;
  };
  const ended = new Promise<void>((settle) => (stoppedByItself = settle));
  stopByItself = (how) => {
    logger.fatal({ engine: how }, 'the embedded database ended by itself: the service stops too');
    void stop('embedded database ended').finally(stoppedByItself);
  };
  return { server, port, stop, stoppedByItself: ended };
}

/** The address to type in a browser: a wildcard listen address is reached as localhost. */
function readyHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Stops accepting, lets requests in flight finish, closes idle keep-alive sockets, and gives up after a timeout. */
function drain(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn('drain timed out: closing remaining connections');
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
    // A keep-alive socket that becomes idle after its last response is closed too.
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    server.once('close', () => clearInterval(sweep));
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.generatedJwtSecret)
    logger.warn('JWT_SECRET is not set: using a random secret, so sessions end when the service restarts');
  let service: RunningService;
  try {
    service = await startService(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    service.stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  void service.stoppedByItself.then(() => process.exit(1));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
