/**
 * `npm run audit:verify` on a database of its own (the command opens the database like the service, so it
 * runs as a child process with MONGODB_URI naming that database).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { builtScript } from '../support/built-service.js';
import { recordAudit } from '../../src/audit/index.js';
import { ensureChain } from '../../src/audit/chain.js';
import { testEnv } from '../support/global-setup.js';
import { chainedEntries, freshAuditDb, sampleInput } from './audit-fixtures.js';

const run = promisify(execFile);

async function verifyCommand(databaseName: string): Promise<{ code: number; stdout: string }> {
  const uri = testEnv().engine.uri.replace(/\/[^/]*$/, `/${databaseName}`);
  try {
    const { stdout } = await run(process.execPath, builtScript('audit/verify-command'), {
      env: { ...testEnv().env, MONGODB_URI: uri },
      cwd: process.cwd(),
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '' };
  }
}

describe('audit: npm run audit:verify', function () {
  this.timeout(120_000);

  it('when the chain is intact, then it says so with the head and exits 0; after an entry is edited, it names it with its position and exits 1', async () => {
    const db = freshAuditDb();
    await ensureChain(db);
    for (let i = 1; i <= 5; i += 1) await recordAudit(sampleInput(i), db);
    const intact = await verifyCommand(db.databaseName);
    expect(intact.code, intact.stdout).to.equal(0);
    expect(intact.stdout).to.contain('Nguyên vẹn');
    const entries = await chainedEntries(db);
    const head = entries[entries.length - 1]!;
    expect(intact.stdout).to.contain(`Đầu chuỗi: vị trí ${head.seq}, mã băm ${head.hash}`);

    await db.collection('audit_log').updateOne({ _id: entries[2]!._id }, { $set: { actorName: 'Người khác' } });
    const broken = await verifyCommand(db.databaseName);
    expect(broken.code, broken.stdout).to.equal(1);
    expect(broken.stdout).to.contain(`Chuỗi bị phá vỡ: bản ghi ở vị trí 3 (mã ${String(entries[2]!._id)}) bị sửa.`);
  });
});
