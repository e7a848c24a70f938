/**
 * Debian's Chromium for the browser tests and the web benchmark: where it is, and how it is started here
 * (as root, without a sandbox; no background networking, which a closed network refuses many times over).
 */
import { execFileSync } from 'node:child_process';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** CHROMIUM_PATH, else chromium on the PATH; a clear message when there is none. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error(
    'Không tìm thấy Chromium cho bộ kiểm thử trình duyệt: cài bằng `apt-get install chromium` hoặc đặt CHROMIUM_PATH.',
  );
}
