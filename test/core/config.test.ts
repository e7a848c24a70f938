import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { builtScript, projectRoot } from '../support/built-service.js';
import { createApp } from '../../src/app.js';
import { ConfigError, configSchema, loadConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';

const SECRET_32 = 'x'.repeat(32);

function configErrorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** `KEY=value` lines of .env.example, each with the comment line right above it. */
function readEnvExample(): { key: string; value: string; comment: string }[] {
  const lines = readFileSync(join(projectRoot, '.env.example'), 'utf8').split('\n');
  const entries: { key: string; value: string; comment: string }[] = [];
  lines.forEach((line, i) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) return;
    const above = lines[i - 1] ?? '';
    entries.push({ key: match[1]!, value: match[2]!, comment: above.startsWith('#') ? above.slice(1).trim() : '' });
  });
  return entries;
}

function schemaKeys(): Record<string, { flags?: { default?: unknown; description?: string } }> {
  return (configSchema.describe() as { keys: Record<string, { flags?: { default?: unknown; description?: string } }> })
    .keys;
}

/**
 * Runs the service as `npm start` would; it is stopped (SIGTERM) once stdout matches `until`, or when it exits by
 * itself; SIGKILL after 60 s. `whenMatched` sees the running process just before it is stopped; when it answers
 * `'ends by itself'`, the service is not stopped but waited for.
 */
async function runServer(
  env: NodeJS.ProcessEnv,
  until?: RegExp,
  whenMatched?: (child: ChildProcess) => 'ends by itself' | void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, builtScript('server'), {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let matched = false;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!matched && until?.test(stdout) && child.exitCode === null && !child.killed) {
      matched = true;
      if (whenMatched?.(child) !== 'ends by itself') child.kill('SIGTERM');
    }
  });
  const code = await new Promise<number | null>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      done(exitCode);
    });
  });
  return { code, stdout, stderr };
}

/** runServer on the embedded engine in a new data directory (removed afterwards), `whenReady` once it is ready. */
async function runEmbeddedService(extraEnv: NodeJS.ProcessEnv, whenReady: Parameters<typeof runServer>[2]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mai-am-config-'));
  try {
    const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extraEnv };
    return await runServer(env, /Mái ấm đang chạy tại/, whenReady);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The embedded engine started by a running service (its only child process): its pid and java's command line. */
function engineOf(service: ChildProcess): { pid: number; args: string[] } | null {
  const children = readFileSync(`/proc/${service.pid}/task/${service.pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  for (const pid of children) {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (args.includes('EmbeddedMongo')) return { pid: Number(pid), args };
  }
  return null;
}

describe('configuration', () => {
  it('when the environment is empty, then every setting takes its documented default', () => {
    const config = loadConfig({});
    expect(config).to.deep.include({
      env: 'development',
      port: 3000,
      host: '0.0.0.0',
      mongodbUri: '',
      dataDir: './data',
      embeddedDbPort: 0,
      uploadDir: './uploads',
      maxUploadBytes: 10 * 1024 * 1024,
      bootstrapAdminPassword: '',
      corsOrigins: [],
      trustProxy: '',
      logLevel: 'info',
      shutdownTimeoutMs: 15000,
    });
    expect(config.jwt).to.deep.include({
      issuer: 'mai-am',
      audience: 'mai-am-api',
      accessTtlSeconds: 900,
      refreshTtlDays: 14,
    });
    expect(config.login).to.deep.equal({
      maxFailures: 5,
      maxFailuresPerIp: 30,
      lockMinutes: 15,
      failureDelayMs: 300,
      maxDelayMs: 10000,
      deviceDays: 180,
    });
  });

  it('when values are given as strings, then they are converted and used', () => {
    const config = loadConfig({
      PORT: '8080',
      MAX_UPLOAD_MB: '3',
      CORS_ORIGINS: 'https://a.vn, https://b.vn ,',
      NODE_ENV: 'test',
    });
    expect(config.port).to.equal(8080);
    expect(config.maxUploadBytes).to.equal(3 * 1024 * 1024);
    expect(config.corsOrigins).to.deep.equal(['https://a.vn', 'https://b.vn']);
    expect(config.env).to.equal('test');
  });

  it('when NODE_ENV is production and JWT_SECRET is missing, then loading fails naming JWT_SECRET', () => {
    expect(configErrorOf({ NODE_ENV: 'production' }).message).to.contain('JWT_SECRET');
    expect(configErrorOf({ NODE_ENV: 'production', JWT_SECRET: '' }).message).to.contain('JWT_SECRET');
  });

  it('when NODE_ENV is production and JWT_SECRET has 32 bytes, then it is used as given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: SECRET_32,
      PUBLIC_BASE_URL: 'https://maiam.congdoan.vn',
    });
    expect(config.jwt.secret).to.equal(SECRET_32);
    expect(config.generatedJwtSecret).to.equal(false);
  });

  it('when NODE_ENV is production and PUBLIC_BASE_URL is missing or empty, then loading fails naming PUBLIC_BASE_URL', () => {
    for (const PUBLIC_BASE_URL of [undefined, '']) {
      const message = configErrorOf({ NODE_ENV: 'production', JWT_SECRET: SECRET_32, PUBLIC_BASE_URL }).message;
      expect(message).to.contain('PUBLIC_BASE_URL').and.to.contain('NODE_ENV=production');
    }
    expect(
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET_32, PUBLIC_BASE_URL: 'https://maiam.congdoan.vn/' }),
    ).to.deep.include({
      publicBaseUrl: 'https://maiam.congdoan.vn',
      generatedPublicBaseUrl: false,
    });
  });

  it('when PUBLIC_BASE_URL is missing in development, then it defaults to localhost on the port and is flagged', () => {
    expect(loadConfig({ PORT: '8080' })).to.deep.include({
      publicBaseUrl: 'http://localhost:8080',
      generatedPublicBaseUrl: true,
    });
    expect(loadConfig({})).to.deep.include({ publicBaseUrl: 'http://localhost:3000', generatedPublicBaseUrl: true });
  });

  it('when the service is started in production without PUBLIC_BASE_URL, then it exits non-zero at once and stderr names PUBLIC_BASE_URL', async function () {
    this.timeout(30_000);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', JWT_SECRET: SECRET_32, LOG_LEVEL: 'info' };
    delete env.PUBLIC_BASE_URL;
    const { code, stderr } = await runServer(env);
    expect(code, stderr).to.be.a('number').and.not.equal(0);
    expect(stderr).to.match(/\bPUBLIC_BASE_URL\b/);
  });

  it('when the service is started in development without PUBLIC_BASE_URL, then it logs the address it took from the port it listens on', async function () {
    this.timeout(90_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'mai-am-config-'));
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'development',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      };
      delete env.PUBLIC_BASE_URL;
      // The warning is logged just before the ready line, so stopping at the ready line sees both.
      const { stdout } = await runServer(env, /Mái ấm đang chạy tại/);
      const line = stdout.split('\n').find((l) => l.includes('PUBLIC_BASE_URL chưa đặt'))!;
      const listening = JSON.parse(stdout.split('\n').find((l) => l.includes('Mái ấm đang chạy tại'))!) as {
        port: number;
      };
      expect(JSON.parse(line)).to.include({ publicBaseUrl: `http://localhost:${listening.port}` });
      expect(listening.port).to.be.above(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('when EMBEDDED_MONGO_HEAP is unset or a Java heap size, then it is taken (lower case), 2g by default', () => {
    expect(loadConfig({}).embeddedMongoHeap).to.equal('2g');
    expect(loadConfig({ EMBEDDED_MONGO_HEAP: '1536m' }).embeddedMongoHeap).to.equal('1536m');
    expect(loadConfig({ EMBEDDED_MONGO_HEAP: ' 4G ' }).embeddedMongoHeap).to.equal('4g');
    expect(loadConfig({ EMBEDDED_MONGO_HEAP: '64m' }).embeddedMongoHeap).to.equal('64m');
  });

  it('when EMBEDDED_MONGO_HEAP is not a heap size java takes, or below 64m, then loading fails naming it with an example', () => {
    for (const EMBEDDED_MONGO_HEAP of ['', 'abc', '2', '2gb', '2t', '-Xmx2g', '63m', '0g', '1.5g']) {
      const message = configErrorOf({ EMBEDDED_MONGO_HEAP }).message;
      expect(message, EMBEDDED_MONGO_HEAP).to.contain('EMBEDDED_MONGO_HEAP').and.to.contain('1536m');
    }
  });

  it('when EMBEDDED_START_TIMEOUT_SECONDS is unset or whole seconds from 10, then it is taken, 600 by default', () => {
    expect(loadConfig({}).embeddedStartTimeoutSeconds).to.equal(600);
    expect(loadConfig({ EMBEDDED_START_TIMEOUT_SECONDS: '1800' }).embeddedStartTimeoutSeconds).to.equal(1800);
    expect(loadConfig({ EMBEDDED_START_TIMEOUT_SECONDS: '10' }).embeddedStartTimeoutSeconds).to.equal(10);
    for (const EMBEDDED_START_TIMEOUT_SECONDS of ['', 'abc', '9', '0', '-60', '90.5', '86401']) {
      const message = configErrorOf({ EMBEDDED_START_TIMEOUT_SECONDS }).message;
      expect(message, EMBEDDED_START_TIMEOUT_SECONDS).to.contain('EMBEDDED_START_TIMEOUT_SECONDS');
    }
  });

  it('when the service starts the embedded engine, then the engine runs with EMBEDDED_MONGO_HEAP as its -Xmx', async function () {
    this.timeout(90_000);
    let engineArgs: string[] = [];
    const { stdout, stderr } = await runEmbeddedService({ EMBEDDED_MONGO_HEAP: '96m' }, (child) => {
      engineArgs = engineOf(child)?.args ?? [];
    });
    expect(stdout, stderr).to.contain('Mái ấm đang chạy tại');
    expect(engineArgs, JSON.stringify(engineArgs)).to.include('-Xmx96m');
  });

  it('when the embedded engine ends by itself (kill -9), then the service stops too with exit code 1 and says why', async function () {
    this.timeout(90_000);
    let killed = false;
    const { code, stdout } = await runEmbeddedService({}, (child) => {
      const engine = engineOf(child);
      killed = engine !== null && process.kill(engine.pid, 'SIGKILL');
      return 'ends by itself';
    });
    expect(killed, stdout).to.equal(true);
    expect(code, stdout).to.equal(1);
    expect(stdout).to.contain('the embedded database ended by itself').and.to.contain('signal SIGKILL');
    expect(stdout).to.contain('"msg":"stopped"');
  });

  it('when JWT_SECRET is shorter than 32 bytes, then loading fails naming JWT_SECRET in any environment', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      expect(configErrorOf({ NODE_ENV, JWT_SECRET: 'x'.repeat(31) }).message).to.contain('JWT_SECRET');
    }
    // Bytes, not characters: 11 Vietnamese letters of 3 bytes each are 33 bytes and pass.
    expect(loadConfig({ JWT_SECRET: 'ệ'.repeat(11) }).jwt.secret).to.equal('ệ'.repeat(11));
  });

  it('when PORT is not a port number, then loading fails naming PORT', () => {
    for (const PORT of ['abc', '70000', '-1', '80.5']) {
      expect(configErrorOf({ PORT }).message, PORT).to.match(/\bPORT\b/);
    }
  });

  it('when TRUST_PROXY is something Express cannot use, or true, then loading fails naming TRUST_PROXY', () => {
    for (const TRUST_PROXY of ['true', 'bogus', '10.0.0.0/33', '10.0.0.1, nonsense', '::1/129', '10.0.0.0/8/8']) {
      expect(configErrorOf({ TRUST_PROXY }).message, TRUST_PROXY).to.contain('TRUST_PROXY');
    }
  });

  it('when TRUST_PROXY is accepted, then Express accepts it too and the service can start with it', () => {
    for (const TRUST_PROXY of [
      '',
      '1',
      '2',
      'loopback',
      'loopback, linklocal, uniquelocal',
      '10.0.0.0/8, 192.168.1.1',
      '10.0.0.0/255.0.0.0',
      '::1/128',
      'fd00::/8',
    ]) {
      const config = loadConfig({ TRUST_PROXY });
      expect(config.trustProxy).to.equal(TRUST_PROXY);
      expect(() => createApp({ config, logger: createLogger('silent') }), TRUST_PROXY).to.not.throw();
    }
  });

  it('when several values are wrong, then the message names each of them', () => {
    const message = configErrorOf({ PORT: 'abc', LOG_LEVEL: 'loud', MAX_UPLOAD_MB: '0' }).message;
    expect(message)
      .to.match(/\bPORT\b/)
      .and.to.contain('LOG_LEVEL')
      .and.to.contain('MAX_UPLOAD_MB');
  });

  it('when JWT_SECRET is missing in development, then a random secret of at least 32 bytes is generated and flagged', () => {
    const first = loadConfig({ NODE_ENV: 'development' });
    const second = loadConfig({ NODE_ENV: 'development' });
    expect(first.generatedJwtSecret).to.equal(true);
    expect(Buffer.byteLength(first.jwt.secret)).to.be.at.least(32);
    expect(first.jwt.secret).to.not.equal(second.jwt.secret);
  });

  describe('.env.example', () => {
    it('when compared with configSchema, then it lists exactly the same variables, each once', () => {
      const listed = readEnvExample().map((e) => e.key);
      expect(new Set(listed).size, 'a variable is listed twice').to.equal(listed.length);
      expect([...listed].sort()).to.deep.equal(Object.keys(schemaKeys()).sort());
    });

    it('when read, then each variable shows its default and has a comment above it', () => {
      const keys = schemaKeys();
      for (const { key, value, comment } of readEnvExample()) {
        expect(value, key).to.equal(String(keys[key]?.flags?.default ?? ''));
        expect(comment, `comment above ${key}`).to.not.equal('');
      }
    });

    it('when loaded as the environment, then it gives the same configuration as an empty environment', () => {
      const env = Object.fromEntries(readEnvExample().map((e) => [e.key, e.value]));
      const { jwt: exampleJwt, ...fromExample } = loadConfig(env);
      const { jwt: defaultJwt, ...fromDefaults } = loadConfig({});
      expect(fromExample).to.deep.equal(fromDefaults);
      expect({ ...exampleJwt, secret: '' }).to.deep.equal({ ...defaultJwt, secret: '' });
    });
  });

  it('when the service is started with PORT=abc, then it exits non-zero at once and stderr names PORT', async function () {
    this.timeout(30_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'mai-am-config-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: 'abc', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
      delete env.MONGODB_URI;
      const started = Date.now();
      const child = spawn(process.execPath, builtScript('server'), {
        cwd: projectRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      const code = await new Promise<number | null>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', (exitCode) => {
          clearTimeout(timer);
          done(exitCode);
        });
      });
      expect(code, stderr).to.be.a('number').and.not.equal(0);
      expect(stderr).to.match(/\bPORT\b/);
      expect(Date.now() - started).to.be.below(15_000);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
