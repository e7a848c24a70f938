/**
 * The real service on the demo data, for tools that look at it from outside (`npm run fuzz`, `npm run walk`):
 * a temporary DATA_DIR and UPLOAD_DIR, the demo province seeded into the embedded engine (seed:demo), then
 * `tsx src/server.ts` on a free port. `stop()` ends the service and removes the folder (unless `keep`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
export const DEMO_PASSWORD = 'demo-mat-khau-2026';

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => done(port));
      })
      .on('error', fail);
  });
}

/**
 * @param {{ name: string, env?: Record<string, string>, logLevel?: string }} options
 * @returns {Promise<{ base: string, work: string, login: (username: string) => Promise<string>, stop: (keep?: boolean) => Promise<void> }>}
 */
export async function startDemoService({ name, env: extra = {}, logLevel = 'error' }) {
  const work = mkdtempSync(join(tmpdir(), `mai-am-${name}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: '',
    DATA_DIR: join(work, 'data'),
    UPLOAD_DIR: join(work, 'uploads'),
    JWT_SECRET: `${name}-secret-that-is-long-enough-0123456789`,
    BOOTSTRAP_ADMIN_PASSWORD: `${name}-admin-password-1`,
    PUBLIC_BASE_URL: base,
    LOG_LEVEL: logLevel,
    ...extra,
  };
  const tsx = join(root, 'node_modules/.bin/tsx');

  console.log(`${name}: seeding the demo province into ${work}`);
  const seed = spawnSync(tsx, ['src/seed/demo.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (seed.status !== 0) throw new Error(`seed:demo failed (${seed.status})`);

  console.log(`${name}: starting the service on ${base}`);
  const service = spawn(tsx, ['src/server.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  let stopping = false;
  service.once('exit', (code, signal) => {
    if (!stopping) console.error(`${name}: the service stopped on its own (exit ${code}, signal ${signal})`);
  });
  await waitReady(base);

  return {
    base,
    work,
    async login(username) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login of ${username} answered ${res.status}`);
      return (await res.json()).accessToken;
    },
    async stop(keep = false) {
      stopping = true;
      if (service.exitCode === null && service.signalCode === null) {
        service.kill('SIGTERM');
        await new Promise((done) => service.once('exit', done));
      }
      if (keep) console.log(`${name}: kept ${work}`);
      else rmSync(work, { recursive: true, force: true });
    },
  };
}

async function waitReady(base) {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error('the service did not become ready in 120 s');
}
