#!/usr/bin/env node
/**
 * `npm run fuzz`: Schemathesis against a freshly seeded service, once per role (and once without a token).
 *
 * 1. A temporary DATA_DIR and UPLOAD_DIR; the demo province is seeded into the embedded engine (seed:demo).
 * 2. The real service starts on a free port (tsx src/server.ts) and the demo user of each role signs in.
 * 3. `schemathesis run` reads /api/v1/openapi.json and sends generated requests with `--checks all`;
 *    any server error, schema violation or undeclared status fails the run.
 *
 * Environment: FUZZ_ROLES (comma-separated: admin, approver, accountant, verifier, grassroots_officer,
 * anonymous; default all), FUZZ_EXAMPLES (--max-examples per operation, default 20), FUZZ_SCHEMATHESIS
 * (the schemathesis command; default .venv-fuzz/bin/schemathesis, else `schemathesis` on PATH),
 * FUZZ_EXCLUDE_CHECKS (default unsupported_method, see below), FUZZ_ARGS (extra arguments for schemathesis run, split on spaces), FUZZ_KEEP=1 keeps the temp folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const DEMO_PASSWORD = 'demo-mat-khau-2026';
/** One demo user per role (src/seed/demo-data.ts). */
const DEMO_USER_OF_ROLE = {
  admin: 'quantri.hatinh',
  approver: 'pheduyet.hatinh',
  accountant: 'ketoan.hatinh',
  verifier: 'thamdinh.camxuyen',
  grassroots_officer: 'cdcs.thcs',
  anonymous: null,
};

const roles = (process.env.FUZZ_ROLES ?? Object.keys(DEMO_USER_OF_ROLE).join(',')).split(',').map((r) => r.trim()).filter(Boolean);
for (const role of roles) {
  if (!(role in DEMO_USER_OF_ROLE)) throw new Error(`unknown role in FUZZ_ROLES: ${role}`);
}
const examples = Number(process.env.FUZZ_EXAMPLES ?? 20);
const venv = join(root, '.venv-fuzz/bin/schemathesis');
const schemathesis = process.env.FUZZ_SCHEMATHESIS ?? (existsSync(venv) ? venv : 'schemathesis');
const extraArgs = (process.env.FUZZ_ARGS ?? '').split(' ').filter(Boolean);
// `unsupported_method` expects 405 with Allow for undeclared methods: that answer lands with issue 14 item 6;
// until then the check is left out (FUZZ_EXCLUDE_CHECKS= empty runs it too).
const excluded = (process.env.FUZZ_EXCLUDE_CHECKS ?? 'unsupported_method').split(',').filter(Boolean);

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    }).on('error', fail);
  });
}

const work = mkdtempSync(join(tmpdir(), 'mai-am-fuzz-'));
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
  JWT_SECRET: 'fuzz-secret-that-is-long-enough-0123456789',
  // A role's run takes minutes: its token must outlive it.
  ACCESS_TOKEN_TTL_SECONDS: '86400',
  // Generated logins with random usernames must not lock the fuzzer's address out of the demo logins.
  LOGIN_MAX_FAILURES_PER_IP: '10000',
  LOGIN_FAILURE_DELAY_MS: '0',
  BOOTSTRAP_ADMIN_PASSWORD: 'fuzz-admin-password-1',
  PUBLIC_BASE_URL: base,
  LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'error',
};
const tsx = join(root, 'node_modules/.bin/tsx');

console.log(`fuzz: seeding the demo province into ${work}`);
const seed = spawnSync(tsx, ['src/seed/demo.ts'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
if (seed.status !== 0) throw new Error(`seed:demo failed (${seed.status})`);

console.log(`fuzz: starting the service on ${base}`);
const service = spawn(tsx, ['src/server.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
let failed = false;
try {
  await waitReady();
  for (const role of roles) {
    const username = DEMO_USER_OF_ROLE[role];
    const auth = username ? ['--header', `Authorization: Bearer ${await login(username)}`] : [];
    const args = [
      '--config-file', join(root, 'tools/fuzz/schemathesis.toml'), 'run', `${base}/api/v1/openapi.json`, '--url', base,
      '--checks', 'all', '--max-examples', String(examples), '--workers', '1', '--no-color',
      ...(excluded.length ? ['--exclude-checks', excluded.join(',')] : []), ...auth, ...extraArgs,
    ];
    console.log(`\nfuzz: role ${role}${username ? ` (${username})` : ''}, ${examples} examples per operation`);
    const run = spawnSync(schemathesis, args, { cwd: root, stdio: 'inherit' });
    if (run.error) throw run.error;
    if (run.status !== 0) {
      failed = true;
      console.log(`fuzz: role ${role} FAILED (schemathesis exit ${run.status})`);
    } else {
      console.log(`fuzz: role ${role} passed`);
    }
  }
} finally {
  service.kill('SIGTERM');
  await new Promise((done) => service.once('exit', done));
  if (process.env.FUZZ_KEEP === '1') console.log(`fuzz: kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function waitReady() {
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

async function login(username) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login of ${username} answered ${res.status}`);
  return (await res.json()).accessToken;
}
