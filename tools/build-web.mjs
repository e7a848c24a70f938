#!/usr/bin/env node
// Builds the web pages into dist/web when they are missing or older than their sources (or always, with
// --force), so that `npm start` on a fresh clone serves them without a separate step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'src/web');
// WEB_DIST_DIR: build elsewhere than dist/web (read by vite.config.ts and the service too).
const index = join(process.env.WEB_DIST_DIR ? resolve(process.env.WEB_DIST_DIR) : join(root, 'dist/web'), 'index.html');

function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

const stale =
  !existsSync(index) ||
  statSync(index).mtimeMs < Math.max(newest(sources), statSync(join(root, 'package-lock.json')).mtimeMs);
if (process.argv.includes('--force') || stale) {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(sources, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
} else {
  console.log('web pages are up to date (dist/web)');
}
