import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import Joi from 'joi';
import type { RateLimitName, RateLimitSettings } from './http/rate-limit.js';
import { DEFAULT_FINISH_AFTER_MS } from './shared/single-work.js';

/** Below this the engine cannot even hold its own indexes of the demo data. */
const MIN_HEAP_BYTES = 64 * 1024 * 1024;

const HEAP_MESSAGE =
  '"EMBEDDED_MONGO_HEAP" must be a Java heap size of at least 64m, a number followed by m or g (e.g. 2g or 1536m)';

/** Bytes of a Java heap size such as `2g` or `1536m`; 0 for anything else (java would refuse it only after start). */
function heapBytes(value: string): number {
  const match = /^(\d{1,7})([mg])$/i.exec(value);
  if (!match) return 0;
  return Number(match[1]) * 1024 ** (match[2]!.toLowerCase() === 'g' ? 3 : 2);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * What Express accepts as `trust proxy` besides a hop count: names, addresses and ranges. Anything else
 * would throw inside Express only after the database has started, without naming the variable; and
 * `true` (trust every hop) is refused on purpose, since it lets any client forge the address the login
 * throttle counts by.
 */
function isTrustedProxyList(value: string): boolean {
  return value.split(',').every((entry) => {
    const part = entry.trim();
    if (PROXY_NAMES.has(part)) return true;
    const [address = '', range, ...rest] = part.split('/');
    const family = isIP(address);
    if (!family || rest.length) return false;
    if (range === undefined) return true;
    if (family === 4 && isIP(range) === 4) return true;
    return /^\d{1,3}$/.test(range) && Number(range) <= (family === 4 ? 32 : 128);
  });
}

/**
 * Every setting the service reads, with its default and meaning. `.env.example` mirrors this schema;
 * a test keeps them in step.
 */
export const configSchema = Joi.object({
  NODE_ENV: Joi.string()
    .valid('development', 'production', 'test')
    .default('development')
    .description('development, production or test'),
  PORT: Joi.number().port().default(3000).description('HTTP port'),
  HOST: Joi.string().default('0.0.0.0').description('Address to listen on'),
  MONGODB_URI: Joi.string()
    .uri({ scheme: ['mongodb', 'mongodb+srv'] })
    .allow('')
    .default('')
    .description('MongoDB connection string; empty starts the embedded engine with its data under DATA_DIR'),
  DATA_DIR: Joi.string().default('./data').description('Where the embedded engine keeps its data file'),
  EMBEDDED_DB_PORT: Joi.number().port().default(0).description('Port of the embedded engine (0: any free port)'),
  EMBEDDED_MONGO_HEAP: Joi.string()
    .trim()
    .default('2g')
    .custom((value: string, helpers) =>
      heapBytes(value) >= MIN_HEAP_BYTES ? value.toLowerCase() : helpers.error('any.invalid'),
    )
    .messages({ 'any.invalid': HEAP_MESSAGE, 'string.empty': HEAP_MESSAGE })
    .description(
      'Largest Java heap of the embedded engine (java -Xmx), e.g. 2g or 1536m; without it the JVM takes a quarter of the RAM',
    ),
  EMBEDDED_START_TIMEOUT_SECONDS: Joi.number()
    .integer()
    .min(10)
    .max(86_400)
    .default(600)
    .description(
      'How long the embedded engine may take to open its data file before the start fails, in seconds (compacting a 1,000,000-case file at start took about 1.5 min here)',
    ),
  UPLOAD_DIR: Joi.string().default('./uploads').description('Where uploaded documents are stored'),
  MAX_UPLOAD_MB: Joi.number().integer().min(1).max(100).default(10).description('Largest accepted upload, in MB'),
  JWT_SECRET: Joi.string()
    .allow('')
    .default('')
    .description('HS256 secret of at least 32 bytes; required in production, random (with a warning) otherwise'),
  JWT_ISSUER: Joi.string().default('mai-am').description('iss claim of access tokens'),
  JWT_AUDIENCE: Joi.string().default('mai-am-api').description('aud claim of access tokens'),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number()
    .integer()
    .min(30)
    .max(86400)
    .default(900)
    .description('Lifetime of an access token'),
  REFRESH_TOKEN_TTL_DAYS: Joi.number().integer().min(1).max(365).default(14).description('Lifetime of a refresh token'),
  LOGIN_MAX_FAILURES: Joi.number()
    .integer()
    .min(1)
    .max(100)
    .default(5)
    .description('Failed logins for one username from one client address before that pair is locked'),
  LOGIN_MAX_FAILURES_PER_IP: Joi.number()
    .integer()
    .min(1)
    .max(10000)
    .default(30)
    .description(
      'Failed logins from one client address (any username) after which its attempts are slowed, never refused',
    ),
  LOGIN_LOCK_MINUTES: Joi.number()
    .integer()
    .min(1)
    .max(1440)
    .default(15)
    .description('How long a locked username × address pair stays locked, and the window failures are counted in'),
  LOGIN_FAILURE_DELAY_MS: Joi.number()
    .integer()
    .min(0)
    .max(5000)
    .default(300)
    .description('First delay of a throttled login; it doubles with each further failure'),
  LOGIN_MAX_DELAY_MS: Joi.number()
    .integer()
    .min(0)
    .max(60000)
    .default(10000)
    .description('Longest delay a login waits before its password is checked'),
  LOGIN_DEVICE_DAYS: Joi.number()
    .integer()
    .min(1)
    .max(730)
    .default(180)
    .description('Lifetime of the device cookie set at a successful sign-in'),
  BOOTSTRAP_ADMIN_PASSWORD: Joi.string()
    .min(10)
    .allow('')
    .default('')
    .description('Password of the first admin; generated and printed once when empty'),
  CORS_ORIGINS: Joi.string()
    .allow('')
    .default('')
    .description('Comma-separated origins allowed to call the API from a browser; empty: none'),
  TRUST_PROXY: Joi.string()
    .allow('')
    .default('')
    .custom((value: string, helpers) =>
      value === '' || /^\d+$/.test(value) || isTrustedProxyList(value) ? value : helpers.error('any.invalid'),
    )
    .messages({
      'any.invalid':
        '"TRUST_PROXY" must be a number of proxy hops or a comma-separated list of addresses, ranges (CIDR), loopback, linklocal or uniquelocal',
    })
    .description("Express trust proxy setting (e.g. 'loopback' or 1) when behind a load balancer"),
  LOG_LEVEL: Joi.string()
    .valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')
    .default('info')
    .description('pino log level'),
  SHUTDOWN_TIMEOUT_MS: Joi.number()
    .integer()
    .min(100)
    .max(120000)
    .default(15000)
    .description('How long SIGTERM waits for requests in flight before closing'),
  REORG_STEP_DELAY_MS: Joi.number()
    .integer()
    .min(0)
    .max(60000)
    .default(0)
    .description('Pause before each step of a reorganisation (tests use it to interrupt one midway); 0 in production'),
  PUBLIC_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .allow('')
    .default('')
    .description(
      'Address the public reaches the service at; decisions print their verify link and QR code under it. Required in production; empty in development: http://localhost:PORT',
    ),
  RATE_LIMIT_PUBLIC_POINTS: Joi.number()
    .integer()
    .min(1)
    .max(1_000_000)
    .default(60)
    .description('Requests one client address may make to the public pages and endpoints (no sign-in) per window'),
  RATE_LIMIT_PUBLIC_WINDOW_SECONDS: Joi.number()
    .integer()
    .min(1)
    .max(86400)
    .default(60)
    .description('Length of the public rate-limit window, in seconds'),
  RATE_LIMIT_AUTH_POINTS: Joi.number()
    .integer()
    .min(1)
    .max(1_000_000)
    .default(300)
    .description(
      'Sign-in and token-refresh requests one client address may make per window (generous: an office shares one address)',
    ),
  RATE_LIMIT_AUTH_WINDOW_SECONDS: Joi.number()
    .integer()
    .min(1)
    .max(86400)
    .default(60)
    .description('Length of the sign-in rate-limit window, in seconds'),
  WEB_DIST_DIR: Joi.string()
    .allow('')
    .default('')
    .description('Folder of the built web pages; empty means dist/web of the project (npm run build writes there)'),
  JOB_SYNC_LIMIT: Joi.number()
    .integer()
    .min(0)
    .max(50000)
    .default(500)
    .description(
      'List actions on more cases than this, and reorganisations of subtrees with more members and cases than this, answer 202 with their job (SPEC §14)',
    ),
  JOB_LEASE_MS: Joi.number()
    .integer()
    .min(1000)
    .max(600000)
    .default(30000)
    .description('How long a job stays with an instance without a heartbeat before another may take it over'),
  JOB_RETRY_MS: Joi.number()
    .integer()
    .min(10)
    .max(3600000)
    .default(15000)
    .description(
      'How long a job that met an unexpected error waits before it is taken up again (doubled each time; the third such error fails it)',
    ),
  JOB_POLL_MS: Joi.number()
    .integer()
    .min(50)
    .max(60000)
    .default(1000)
    .description('How often an idle instance looks for queued jobs'),
  JOB_ITEM_DELAY_MS: Joi.number()
    .integer()
    .min(0)
    .max(60000)
    .default(0)
    .description('Pause before each item of a job; for tests that stop a job half-way, 0 otherwise'),
  JOB_RESULT_INLINE_BYTES: Joi.number()
    .integer()
    .min(0)
    .max(8 * 1024 * 1024)
    .default(1024 * 1024)
    .description(
      "Largest job result (JSON bytes) kept in the job's document; a larger one (a list of 50,000 outcomes) is stored in GridFS",
    ),
  JOB_CHUNK: Joi.number()
    .integer()
    .min(0)
    .max(10000)
    .default(0)
    .description('Items per chunk of a kind that takes its items in chunks (list payment); 0: the kind’s own size'),
  REPORT_REBUILD_CHUNK: Joi.number()
    .integer()
    .min(1)
    .max(10000)
    .default(500)
    .description('Cases or payment entries a report rebuild reads and counts at a time'),
  REPORT_REBUILD_DRAIN_MS: Joi.number()
    .integer()
    .min(0)
    .max(600000)
    .default(5000)
    .description(
      'How long a report rebuild waits, at each change of the report state, for live updates that read the state just before',
    ),
  REPORT_REPAIR_EVERY_MS: Joi.number()
    .integer()
    .min(100)
    .max(3_600_000)
    .default(60_000)
    .description(
      'How often an instance looks for list chunks whose report totals a crash left partly counted, and queues a report rebuild for them',
    ),
  PAYMENT_FINISH_EVERY_MS: Joi.number()
    .integer()
    .min(100)
    .max(3_600_000)
    .default(60_000)
    .description(
      'How often an instance looks for single payments and workflow steps a crash or an error left half-recorded, and finishes them',
    ),
  PAYMENT_FINISH_AFTER_MS: Joi.number()
    .integer()
    .min(1000)
    .max(86_400_000)
    .default(DEFAULT_FINISH_AFTER_MS)
    .description(
      'How long a single payment or workflow step may take before it counts as interrupted and is finished by the service (longer than any request)',
    ),
  REPORT_PDF_MAX_LINES: Joi.number()
    .integer()
    .min(1)
    .max(1000000)
    .default(5000)
    .description(
      'Most lines of a payment register printed as PDF (5,000: about 110 pages); a longer one is downloaded as XLSX or CSV',
    ),
  PAYMENT_STEP_DELAY_MS: Joi.number()
    .integer()
    .min(0)
    .max(60000)
    .default(0)
    .description(
      "Pause between the writes of a single payment, reversal, workflow step, or a case's creation, edit or document change; for tests that kill the service in the middle, 0 otherwise",
    ),
}).unknown(true);

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  mongodbUri: string;
  dataDir: string;
  embeddedDbPort: number;
  /** Java heap size of the embedded engine, passed as -Xmx (e.g. `2g`). */
  embeddedMongoHeap: string;
  embeddedStartTimeoutSeconds: number;
  uploadDir: string;
  maxUploadBytes: number;
  jwt: { secret: string; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlDays: number };
  login: {
    maxFailures: number;
    maxFailuresPerIp: number;
    lockMinutes: number;
    failureDelayMs: number;
    maxDelayMs: number;
    deviceDays: number;
  };
  bootstrapAdminPassword: string;
  corsOrigins: string[];
  trustProxy: string;
  logLevel: string;
  shutdownTimeoutMs: number;
  reorgStepDelayMs: number;
  /** Without a trailing slash: `${publicBaseUrl}/api/v1/decisions/:id/verify`. */
  publicBaseUrl: string;
  /** Per-address limits in front of everything reachable without signing in (src/core/http/rate-limit.ts). */
  rateLimits: Record<RateLimitName, RateLimitSettings>;
  /** Absolute folder of the built pages, or '' for dist/web. */
  webDistDir: string;
  /** Set when PUBLIC_BASE_URL was not given (development): the start fills in the port it listens on and says so. */
  generatedPublicBaseUrl: boolean;
  /** Set when JWT_SECRET was generated: the caller logs a warning. */
  generatedJwtSecret: boolean;
  jobs: {
    syncLimit: number;
    leaseMs: number;
    retryMs: number;
    pollMs: number;
    itemDelayMs: number;
    resultInlineBytes: number;
    /** Items per chunk of a chunked kind; 0: the kind's own. */
    chunk: number;
    reportDrainMs: number;
    reportChunk: number;
    /** How often partly counted list chunks are looked for (report-runs.ts `repairPartlyCountedRuns`). */
    reportRepairEveryMs: number;
  };
  reports: {
    /** Most lines of a register printed as PDF (reports.routes.ts); CSV and XLSX are written as they are read. */
    pdfMaxLines: number;
  };
  /** Single payments left half-recorded (disbursements/interrupted-payments.ts). */
  payments: {
    finishEveryMs: number;
    finishAfterMs: number;
    /** Tests only: a pause between a single payment's writes. */
    stepDelayMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and checks the environment; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { value, error } = configSchema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    const problems = error.details.map((d) => `${String(d.path[0])}: ${d.message.replace(/^"[^"]+" /, '')}`);
    throw new ConfigError(`Invalid configuration — ${problems.join('; ')}`);
  }
  const v = value as Record<string, string | number>;
  const secret = String(v.JWT_SECRET);
  if (secret && Buffer.byteLength(secret) < 32) {
    throw new ConfigError('Invalid configuration — JWT_SECRET: must be at least 32 bytes');
  }
  if (!secret && v.NODE_ENV === 'production') {
    throw new ConfigError('Invalid configuration — JWT_SECRET: required (at least 32 bytes) when NODE_ENV=production');
  }
  // Printed decisions carry this address forever: a production start must never guess it (issue 15.2).
  const publicBaseUrl = String(v.PUBLIC_BASE_URL).replace(/\/+$/, '');
  if (!publicBaseUrl && v.NODE_ENV === 'production') {
    throw new ConfigError(
      "Invalid configuration — PUBLIC_BASE_URL: required when NODE_ENV=production (the address printed in every decision's QR code, e.g. https://maiam.congdoan.vn)",
    );
  }
  return {
    env: v.NODE_ENV as Config['env'],
    port: Number(v.PORT),
    host: String(v.HOST),
    mongodbUri: String(v.MONGODB_URI),
    dataDir: String(v.DATA_DIR),
    embeddedDbPort: Number(v.EMBEDDED_DB_PORT),
    embeddedMongoHeap: String(v.EMBEDDED_MONGO_HEAP),
    embeddedStartTimeoutSeconds: Number(v.EMBEDDED_START_TIMEOUT_SECONDS),
    uploadDir: String(v.UPLOAD_DIR),
    maxUploadBytes: Number(v.MAX_UPLOAD_MB) * 1024 * 1024,
    jwt: {
      secret: secret || randomBytes(48).toString('base64url'),
      issuer: String(v.JWT_ISSUER),
      audience: String(v.JWT_AUDIENCE),
      accessTtlSeconds: Number(v.ACCESS_TOKEN_TTL_SECONDS),
      refreshTtlDays: Number(v.REFRESH_TOKEN_TTL_DAYS),
    },
    login: {
      maxFailures: Number(v.LOGIN_MAX_FAILURES),
      maxFailuresPerIp: Number(v.LOGIN_MAX_FAILURES_PER_IP),
      lockMinutes: Number(v.LOGIN_LOCK_MINUTES),
      failureDelayMs: Number(v.LOGIN_FAILURE_DELAY_MS),
      maxDelayMs: Number(v.LOGIN_MAX_DELAY_MS),
      deviceDays: Number(v.LOGIN_DEVICE_DAYS),
    },
    bootstrapAdminPassword: String(v.BOOTSTRAP_ADMIN_PASSWORD),
    corsOrigins: String(v.CORS_ORIGINS)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: String(v.TRUST_PROXY),
    logLevel: String(v.LOG_LEVEL),
    shutdownTimeoutMs: Number(v.SHUTDOWN_TIMEOUT_MS),
    reorgStepDelayMs: Number(v.REORG_STEP_DELAY_MS),
    publicBaseUrl: publicBaseUrl || `http://localhost:${Number(v.PORT)}`,
    generatedPublicBaseUrl: !publicBaseUrl,
    rateLimits: {
      public: { points: Number(v.RATE_LIMIT_PUBLIC_POINTS), windowSeconds: Number(v.RATE_LIMIT_PUBLIC_WINDOW_SECONDS) },
      auth: { points: Number(v.RATE_LIMIT_AUTH_POINTS), windowSeconds: Number(v.RATE_LIMIT_AUTH_WINDOW_SECONDS) },
    },
    webDistDir: v.WEB_DIST_DIR ? path.resolve(String(v.WEB_DIST_DIR)) : '',
    generatedJwtSecret: !secret,
    jobs: {
      syncLimit: Number(v.JOB_SYNC_LIMIT),
      leaseMs: Number(v.JOB_LEASE_MS),
      pollMs: Number(v.JOB_POLL_MS),
      retryMs: Number(v.JOB_RETRY_MS),
      itemDelayMs: Number(v.JOB_ITEM_DELAY_MS),
      resultInlineBytes: Number(v.JOB_RESULT_INLINE_BYTES),
      chunk: Number(v.JOB_CHUNK),
      reportDrainMs: Number(v.REPORT_REBUILD_DRAIN_MS),
      reportChunk: Number(v.REPORT_REBUILD_CHUNK),
      reportRepairEveryMs: Number(v.REPORT_REPAIR_EVERY_MS),
    },
    reports: { pdfMaxLines: Number(v.REPORT_PDF_MAX_LINES) },
    payments: {
      finishEveryMs: Number(v.PAYMENT_FINISH_EVERY_MS),
      finishAfterMs: Number(v.PAYMENT_FINISH_AFTER_MS),
      stepDelayMs: Number(v.PAYMENT_STEP_DELAY_MS),
    },
  };
}
