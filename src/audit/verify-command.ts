/**
 * `npm run audit:verify`: walks the audit log's hash chain (SPEC §15) and names the first entry changed,
 * removed or inserted out of place, with its position. Exits 1 when the chain is broken, so that a scheduler
 * can alert. Without MONGODB_URI it opens the embedded database under DATA_DIR, so stop the service first.
 */
import mongoose from 'mongoose';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { openDatabase } from '../server.js';
import { verifyChain } from './verify.js';

const KIND: Record<string, string> = { changed: 'bị sửa', removed: 'bị xoá', inserted: 'bị chèn vào sai chỗ' };

const config = loadConfig();
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const database = await openDatabase(config, logger);
const print = (line: string) => process.stdout.write(`${line}\n`);

let exitCode = 0;
try {
  const report = await verifyChain(mongoose.connection.db!);
  if (process.argv.includes('--json')) {
    print(JSON.stringify(report, null, 2));
  } else {
    print(`Kiểm tra nhật ký kiểm toán lúc ${report.checkedAt}: đã đọc ${report.checked} bản ghi.`);
    print(`Đầu chuỗi: vị trí ${report.headSeq}, mã băm ${report.headHash}.`);
    const problem = report.firstProblem;
    if (problem) {
      print(
        `Chuỗi bị phá vỡ: bản ghi ở vị trí ${problem.position}${problem.entryId ? ` (mã ${problem.entryId})` : ''} ${KIND[problem.kind]}.`,
      );
      print(`  ${problem.detail}`);
      if (report.problemCount > 1) print(`Tổng cộng ${report.problemCount} chỗ không khớp; chỉ chỗ đầu tiên được nêu.`);
    } else {
      print('Nguyên vẹn: mọi bản ghi khớp mã băm và nối đúng vào bản ghi trước.');
    }
  }
  exitCode = report.ok ? 0 : 1;
} finally {
  await database.close();
}
process.exit(exitCode);
