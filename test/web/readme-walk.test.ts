/**
 * The README's walk, as its demo accounts, on the demo data (`npm run seed:demo`) in a service of its own:
 * `npm run walk` opens every section of each account, a case's page and the public pages at 1366×768 and
 * 375×812, and fails on a cut-off column, a page wider than the phone, a 12-digit number (a full CCCD), an
 * error alert or a console error. The demo's long union names are what the factories' short names never show.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { ensureWebBuilt } from './support/browser.js';

const ROOT = join(import.meta.dirname, '../..');

describe('web: the README walk on the demo data', function () {
  this.timeout(1_200_000);

  it('when each demo account opens its pages at 1366×768 and 375×812, then no column is cut off, nothing scrolls sideways and no CCCD shows whole', () => {
    ensureWebBuilt();
    const run = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['tools/walk/run.mjs'], {
      cwd: ROOT,
      encoding: 'utf8',
      // Screenshots only when the suite is asked for them (TEST_SCREENSHOTS=1, as in the other browser files).
      env: { ...process.env, MONGODB_URI: '', WALK_SCREENSHOTS: process.env.TEST_SCREENSHOTS === '1' ? '1' : '0' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output, output).to.match(/walk: \d+ pages, 0 problems/);
    const pages = Number(/walk: (\d+) pages/.exec(output)![1]);
    expect(pages, 'pages walked').to.be.at.least(70);
    expect(run.status, output).to.equal(0);
  });
});
